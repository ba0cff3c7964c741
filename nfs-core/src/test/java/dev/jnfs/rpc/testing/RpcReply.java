package dev.jnfs.rpc.testing;

import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A decoded RPC reply (RFC 5531 §9) as a test sees it.
 *
 * @param xid the transaction id
 * @param replyStat 0 MSG_ACCEPTED, 1 MSG_DENIED
 * @param acceptStat the accept_stat when accepted, else -1
 * @param rejectStat the reject_stat when denied, else -1
 * @param authStat the auth_stat of an AUTH_ERROR, else -1
 * @param low the low version of a PROG_MISMATCH or RPC_MISMATCH, else -1
 * @param high the high version of a PROG_MISMATCH or RPC_MISMATCH, else -1
 * @param results the bytes after accept_stat of a SUCCESS reply, else empty
 * @param raw the whole RPC message
 */
public record RpcReply(
    int xid,
    int replyStat,
    int acceptStat,
    int rejectStat,
    int authStat,
    int low,
    int high,
    byte[] results,
    byte[] raw) {

  /** MSG_ACCEPTED. */
  public static final int MSG_ACCEPTED = 0;
  /** MSG_DENIED. */
  public static final int MSG_DENIED = 1;
  /** accept_stat SUCCESS. */
  public static final int SUCCESS = 0;
  /** accept_stat PROG_UNAVAIL. */
  public static final int PROG_UNAVAIL = 1;
  /** accept_stat PROG_MISMATCH. */
  public static final int PROG_MISMATCH = 2;
  /** accept_stat PROC_UNAVAIL. */
  public static final int PROC_UNAVAIL = 3;
  /** accept_stat GARBAGE_ARGS. */
  public static final int GARBAGE_ARGS = 4;
  /** accept_stat SYSTEM_ERR. */
  public static final int SYSTEM_ERR = 5;
  /** reject_stat RPC_MISMATCH. */
  public static final int RPC_MISMATCH = 0;
  /** reject_stat AUTH_ERROR. */
  public static final int AUTH_ERROR = 1;

  /**
   * Parses a reply message.
   *
   * @param message the RPC message, without record mark
   * @return the reply
   * @throws IllegalArgumentException if it is not a well-formed reply
   */
  public static RpcReply parse(byte[] message) {
    ByteBuffer b = ByteBuffer.wrap(message);
    int xid = b.getInt();
    int type = b.getInt();
    if (type != 1) {
      throw new IllegalArgumentException("not a reply: msg_type " + type);
    }
    int replyStat = b.getInt();
    if (replyStat == MSG_ACCEPTED) {
      b.getInt();
      int verfLength = b.getInt();
      b.position(b.position() + ((verfLength + 3) & ~3));
      int acceptStat = b.getInt();
      int low = -1;
      int high = -1;
      byte[] results = new byte[0];
      if (acceptStat == PROG_MISMATCH) {
        low = b.getInt();
        high = b.getInt();
      } else if (acceptStat == SUCCESS) {
        results = Arrays.copyOfRange(message, b.position(), message.length);
        b.position(message.length);
      }
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(b.remaining() + " bytes after the reply");
      }
      return new RpcReply(xid, replyStat, acceptStat, -1, -1, low, high, results, message);
    }
    if (replyStat != MSG_DENIED) {
      throw new IllegalArgumentException("reply_stat " + replyStat);
    }
    int rejectStat = b.getInt();
    int low = -1;
    int high = -1;
    int authStat = -1;
    if (rejectStat == RPC_MISMATCH) {
      low = b.getInt();
      high = b.getInt();
    } else {
      authStat = b.getInt();
    }
    if (b.hasRemaining()) {
      throw new IllegalArgumentException(b.remaining() + " bytes after the reply");
    }
    return new RpcReply(xid, replyStat, -1, rejectStat, authStat, low, high, new byte[0], message);
  }

  /** @return whether this is an accepted SUCCESS reply */
  public boolean isSuccess() {
    return replyStat == MSG_ACCEPTED && acceptStat == SUCCESS;
  }

  /** @return a decoder over the results (a heap buffer: nothing to release) */
  public XdrDecoder decoder() {
    return new XdrDecoder(Unpooled.wrappedBuffer(results));
  }
}
