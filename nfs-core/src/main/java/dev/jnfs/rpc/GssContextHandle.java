package dev.jnfs.rpc;

import java.nio.ByteBuffer;

/**
 * The handle of an RPCSEC_GSS context as this server mints it: 16 bytes, a random prefix
 * chosen when the server starts followed by a counter, so a handle from an earlier server run
 * never names a context of this one (RFC 2203 §5.3.3.3: the client then gets
 * RPCSEC_GSS_CREDPROBLEM and makes a new context).
 *
 * @param prefix the server run's random prefix
 * @param counter the context's number
 */
record GssContextHandle(long prefix, long counter) {
  static final int LENGTH = 16;

  /**
   * @param bytes a handle as received
   * @return the handle, or null if it cannot be one of ours
   */
  static GssContextHandle of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    return new GssContextHandle(b.getLong(), b.getLong());
  }

  /** @return the handle's wire form */
  byte[] toBytes() {
    return ByteBuffer.allocate(LENGTH).putLong(prefix).putLong(counter).array();
  }
}
