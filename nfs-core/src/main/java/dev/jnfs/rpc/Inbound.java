package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;

/** What became of one received record: an answer ready now, a call to run, or nothing. */
sealed interface Inbound permits Inbound.Reply, Inbound.StartTls, Inbound.Disposition, RpcCallTask {

  /** A reply produced without running a procedure (a rejection or a cached reply). */
  record Reply(ByteBuf buffer) implements Inbound {}

  /**
   * The answer to an AUTH_TLS probe (RFC 9289 §4.1): once it is sent in plain text, the
   * connection's next bytes are the client's TLS handshake.
   */
  record StartTls(ByteBuf buffer) implements Inbound {}

  /** Records that get no reply. */
  enum Disposition implements Inbound {
    /** Not a call (e.g. a reply), or a retransmission of a call still running: ignored. */
    DROP,
    /** Not even a complete call header: no reply is possible; a stream is closed. */
    UNPARSABLE
  }
}
