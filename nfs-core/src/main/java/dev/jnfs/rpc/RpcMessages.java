package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Constants of the RPC message protocol (RFC 5531 §9) and the encoders of reply headers. A
 * reply buffer made for TCP starts with four bytes reserved for the record mark (RFC 5531
 * §11), filled in by {@link #finish}.
 */
final class RpcMessages {
  static final int RPC_VERSION = 2;

  static final int CALL = 0;
  static final int REPLY = 1;

  static final int MSG_ACCEPTED = 0;
  static final int MSG_DENIED = 1;

  static final int SUCCESS = 0;
  static final int PROG_UNAVAIL = 1;
  static final int PROG_MISMATCH = 2;

  static final int RPC_MISMATCH = 0;
  static final int AUTH_ERROR = 1;

  /** opaque_auth bodies are at most 400 bytes (RFC 5531 §8.2). */
  static final int MAX_AUTH_BYTES = 400;

  /** The last-fragment bit of a record mark (RFC 5531 §11). */
  static final int LAST_FRAGMENT = 0x8000_0000;

  static final int INITIAL_REPLY_CAPACITY = 256;
  /** Record mark, reply header and the largest verifier ahead of a procedure's results. */
  private static final int REPLY_HEADER_ALLOWANCE = 4 + 24 + MAX_AUTH_BYTES;

  private RpcMessages() {}

  /**
   * @param alloc where to allocate
   * @param framed whether to reserve the TCP record mark
   * @return an empty reply buffer, positioned where the RPC message starts
   */
  static ByteBuf begin(ByteBufAllocator alloc, boolean framed) {
    return begin(alloc, framed, 0);
  }

  /**
   * Starts a reply whose results may take {@code resultSizeHint} bytes: a large one comes
   * whole from {@link ServerBuffers#LARGE}, a small one from {@code alloc} and grows as needed.
   */
  static ByteBuf begin(ByteBufAllocator alloc, boolean framed, int resultSizeHint) {
    ByteBuf buf =
        resultSizeHint >= ServerBuffers.LARGE_THRESHOLD
            ? ServerBuffers.LARGE.directBuffer(resultSizeHint + REPLY_HEADER_ALLOWANCE)
            : alloc.ioBuffer(INITIAL_REPLY_CAPACITY);
    if (framed) {
      buf.writeInt(0);
    }
    return buf;
  }

  /**
   * Fills the record mark of a framed reply: one last fragment holding the whole message.
   *
   * @param buf a buffer made by {@link #begin}
   * @param framed whether it was made framed
   * @return the same buffer
   */
  static ByteBuf finish(ByteBuf buf, boolean framed) {
    if (framed) {
      buf.setInt(0, LAST_FRAGMENT | (buf.writerIndex() - 4));
    }
    return buf;
  }

  /**
   * Fills the record mark of a framed reply whose message goes on for {@code following} bytes
   * sent after the buffer.
   */
  static void finish(ByteBuf buf, long following) {
    buf.setInt(0, LAST_FRAGMENT | Math.toIntExact(buf.writerIndex() - 4 + following));
  }

  /** Writes an accepted reply header with an AUTH_NONE verifier and the given accept_stat. */
  static void writeAccepted(ByteBuf buf, int xid, int acceptStat) {
    buf.writeInt(xid);
    buf.writeInt(REPLY);
    buf.writeInt(MSG_ACCEPTED);
    buf.writeInt(Credential.AUTH_NONE);
    buf.writeInt(0);
    buf.writeInt(acceptStat);
  }

  /**
   * Writes an accepted reply header with the given verifier and accept_stat (an RPCSEC_GSS
   * verifier, RFC 2203 §5.2.3.1 and §5.3.3.2).
   */
  static void writeAccepted(
      ByteBuf buf, int xid, int verifierFlavor, byte[] verifier, int acceptStat) {
    buf.writeInt(xid);
    buf.writeInt(REPLY);
    buf.writeInt(MSG_ACCEPTED);
    buf.writeInt(verifierFlavor);
    buf.writeInt(verifier.length);
    buf.writeBytes(verifier);
    buf.writeZero(-verifier.length & 3);
    buf.writeInt(acceptStat);
  }

  /** The verifier body of the answer to an AUTH_TLS probe (RFC 9289 §4.1). */
  private static final byte[] STARTTLS = {'S', 'T', 'A', 'R', 'T', 'T', 'L', 'S'};

  /**
   * Writes an accepted reply header whose AUTH_NONE verifier carries the "STARTTLS" token:
   * the server's answer to an AUTH_TLS probe (RFC 9289 §4.1).
   */
  static void writeStartTls(ByteBuf buf, int xid, int acceptStat) {
    buf.writeInt(xid);
    buf.writeInt(REPLY);
    buf.writeInt(MSG_ACCEPTED);
    buf.writeInt(Credential.AUTH_NONE);
    buf.writeInt(STARTTLS.length);
    buf.writeBytes(STARTTLS);
    buf.writeInt(acceptStat);
  }

  /** Writes a PROG_MISMATCH reply with the program's supported version range. */
  static void writeProgramMismatch(ByteBuf buf, int xid, int low, int high) {
    writeAccepted(buf, xid, PROG_MISMATCH);
    buf.writeInt(low);
    buf.writeInt(high);
  }

  /** Writes an MSG_DENIED / RPC_MISMATCH reply: this server speaks RPC version 2 only. */
  static void writeRpcMismatch(ByteBuf buf, int xid) {
    buf.writeInt(xid);
    buf.writeInt(REPLY);
    buf.writeInt(MSG_DENIED);
    buf.writeInt(RPC_MISMATCH);
    buf.writeInt(RPC_VERSION);
    buf.writeInt(RPC_VERSION);
  }

  /** Writes an MSG_DENIED / AUTH_ERROR reply. */
  static void writeAuthError(ByteBuf buf, int xid, int authStat) {
    buf.writeInt(xid);
    buf.writeInt(REPLY);
    buf.writeInt(MSG_DENIED);
    buf.writeInt(AUTH_ERROR);
    buf.writeInt(authStat);
  }

  /** Writes the reply an {@link RpcException} asks for. */
  static void writeRejection(ByteBuf buf, int xid, RpcException e) {
    if (e.isAuthError()) {
      writeAuthError(buf, xid, e.status());
    } else {
      writeAccepted(buf, xid, e.status());
    }
  }
}
