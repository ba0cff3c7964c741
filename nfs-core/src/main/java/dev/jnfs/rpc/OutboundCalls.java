package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.ietf.jgss.GSSException;

/**
 * The calls the server sends to a client on the client's own connection (the NFSv4.1 back
 * channel, RFC 8881 §2.10.3.1) and the replies that come back for them, matched by xid.
 * Thread-safe: workers send, the network thread delivers replies and fails what is left when
 * the connection closes.
 *
 * <p>A reply completes the call's future with the procedure's results (the bytes after an
 * accepted, successful reply header, unprotected for an RPCSEC_GSS call); a denied or
 * unsuccessful reply, an RPCSEC_GSS reply whose verifier or results do not verify, or the
 * connection's end, completes it exceptionally with an {@link IOException}. Nothing here
 * times out: the caller waits as long as it wants and cancels the future, which forgets the
 * call.
 */
final class OutboundCalls {
  /** At most this many calls wait for their replies; more are refused. */
  static final int MAX_PENDING = 256;

  private final AtomicInteger nextXid = new AtomicInteger((int) System.nanoTime() & 0x7fff_ffff);
  private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
  private volatile Consumer<ByteBuf> writer;
  private volatile boolean closed;

  /** Names what writes a framed call to the socket; set by the connection's handler. */
  void writer(Consumer<ByteBuf> writer) {
    this.writer = writer;
  }

  CompletableFuture<byte[]> send(
      int program, int version, int procedure, int authFlavor, byte[] authBody, byte[] arguments) {
    return send(program, version, procedure, null, (buf, seq) -> {
      buf.writeInt(authFlavor);
      buf.writeInt(authBody.length);
      buf.writeBytes(authBody);
      buf.writeZero(-authBody.length & 3);
    }, (buf, headerStart, seq) -> {
      buf.writeInt(Credential.AUTH_NONE);
      buf.writeInt(0);
      buf.writeBytes(arguments);
    });
  }

  /** Sends a call with an RPCSEC_GSS credential ({@link GssCallbackCredential}). */
  CompletableFuture<byte[]> send(
      int program, int version, int procedure, GssCallbackCredential gss, byte[] arguments) {
    return send(program, version, procedure, gss, gss::writeCredential, (buf, headerStart, seq) -> {
      gss.writeVerifier(buf, headerStart);
      gss.writeArguments(buf, seq, arguments);
    });
  }

  private CompletableFuture<byte[]> send(int program, int version, int procedure, GssCallbackCredential gss,
      CredentialWriter credential, RestWriter rest) {
    CompletableFuture<byte[]> future = new CompletableFuture<>();
    Consumer<ByteBuf> w = writer;
    if (w == null || closed) {
      future.completeExceptionally(new IOException("connection closed"));
      return future;
    }
    if (pending.size() >= MAX_PENDING) {
      future.completeExceptionally(new IOException("too many calls pending"));
      return future;
    }
    int xid = nextXid.incrementAndGet();
    int seq = gss == null ? 0 : gss.nextSequence();
    ByteBuf buf = Unpooled.buffer(256);
    try {
      buf.writeInt(0); // record mark
      int headerStart = buf.writerIndex();
      buf.writeInt(xid);
      buf.writeInt(RpcMessages.CALL);
      buf.writeInt(RpcMessages.RPC_VERSION);
      buf.writeInt(program);
      buf.writeInt(version);
      buf.writeInt(procedure);
      credential.write(buf, seq);
      rest.write(buf, headerStart, seq);
    } catch (GSSException e) {
      buf.release();
      future.completeExceptionally(new IOException("cannot protect the call: " + e.getMessage(), e));
      return future;
    }
    Pending p = new Pending(future, gss, seq);
    pending.put(xid, p);
    future.whenComplete((r, e) -> pending.remove(xid, p));
    RpcMessages.finish(buf, true);
    w.accept(buf);
    if (closed) {
      fail();
    }
    return future;
  }

  /** Writes the credential of a call. */
  @FunctionalInterface
  private interface CredentialWriter {
    void write(ByteBuf buf, int seq);
  }

  /** Writes the verifier and the arguments of a call. */
  @FunctionalInterface
  private interface RestWriter {
    void write(ByteBuf buf, int headerStart, int seq) throws GSSException;
  }

  /** A call waiting for its reply: its future and, for RPCSEC_GSS, the credential and seq_num. */
  private record Pending(CompletableFuture<byte[]> future, GssCallbackCredential gss, int seq) {}

  /**
   * Completes the call a reply answers; a reply to no pending call is dropped.
   *
   * @param reply an RPC message of type REPLY, released here
   */
  void deliver(ByteBuf reply) {
    try {
      if (reply.readableBytes() < 12) {
        return;
      }
      int xid = reply.readInt();
      reply.skipBytes(4); // REPLY
      Pending p = pending.get(xid);
      if (p == null) {
        return;
      }
      CompletableFuture<byte[]> future = p.future();
      int replyStat = reply.readInt();
      if (replyStat != RpcMessages.MSG_ACCEPTED) {
        future.completeExceptionally(new IOException("call denied"));
        return;
      }
      if (reply.readableBytes() < 8) {
        future.completeExceptionally(new IOException("short reply"));
        return;
      }
      int verifierFlavor = reply.readInt();
      int verifierLength = reply.readInt();
      if (verifierLength < 0 || verifierLength > RpcMessages.MAX_AUTH_BYTES
          || reply.readableBytes() < ((verifierLength + 3) & ~3) + 4) {
        future.completeExceptionally(new IOException("bad verifier"));
        return;
      }
      byte[] verifier = ByteBufUtil.getBytes(reply, reply.readerIndex(), verifierLength);
      reply.skipBytes((verifierLength + 3) & ~3);
      int acceptStat = reply.readInt();
      if (acceptStat != RpcMessages.SUCCESS) {
        future.completeExceptionally(new IOException("accept_stat " + acceptStat));
        return;
      }
      byte[] results = ByteBufUtil.getBytes(reply);
      if (p.gss() == null) {
        future.complete(results);
        return;
      }
      // RFC 2203 §5.3.3.2: checked here, on the network thread; a callback reply is small
      try {
        future.complete(p.gss().checkReply(p.seq(), verifierFlavor, verifier, results));
      } catch (IOException e) {
        future.completeExceptionally(e);
      }
    } finally {
      reply.release();
    }
  }

  /** Fails every pending call and refuses new ones: the connection is gone. */
  void close() {
    closed = true;
    fail();
  }

  private void fail() {
    for (Pending p : pending.values()) {
      p.future().completeExceptionally(new IOException("connection closed"));
    }
  }
}
