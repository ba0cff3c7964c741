package dev.jnfs.localfs;

import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;

/**
 * The bytes of this backend's handles: {@code [version 1][index instance: 8][object id: 8]},
 * 17 bytes. The instance ties a handle to one id index, so a handle from another export or
 * from a lost index never names an object here.
 */
final class HandleCodec {
  static final int LENGTH = 17;
  private static final byte VERSION = 1;

  private final long instance;

  HandleCodec(long instance) {
    this.instance = instance;
  }

  FileHandle encode(long id) {
    byte[] b = new byte[LENGTH];
    b[0] = VERSION;
    putLong(b, 1, instance);
    putLong(b, 9, id);
    return FileHandle.of(b);
  }

  /** @return the object id, after checking the handle is one of ours */
  long decode(FileHandle handle) throws NfsException {
    if (handle == null || handle.length() != LENGTH || handle.byteAt(0) != VERSION) {
      throw new NfsException(NfsStatus.BADHANDLE, "not a local file system handle");
    }
    byte[] b = handle.toBytes();
    if (getLong(b, 1) != instance) {
      throw new NfsException(NfsStatus.BADHANDLE, "handle of another id index");
    }
    return getLong(b, 9);
  }

  private static void putLong(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }

  private static long getLong(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }
}
