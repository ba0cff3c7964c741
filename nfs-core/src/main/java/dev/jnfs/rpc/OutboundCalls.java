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

/**
 * The calls the server sends to a client on the client's own connection (the NFSv4.1 back
 * channel, RFC 8881 §2.10.3.1) and the replies that come back for them, matched by xid.
 * Thread-safe: workers send, the network thread delivers replies and fails what is left when
 * the connection closes.
 *
 * <p>A reply completes the call's future with the procedure's results (the bytes after an
 * accepted, successful reply header); a denied or unsuccessful reply, or the connection's end,
 * completes it exceptionally with an {@link IOException}. Nothing here times out: the caller
 * waits as long as it wants and cancels the future, which forgets the call.
 */
final class OutboundCalls {
  /** At most this many calls wait for their replies; more are refused. */
  static final int MAX_PENDING = 256;

  private final AtomicInteger nextXid = new AtomicInteger((int) System.nanoTime() & 0x7fff_ffff);
  private final Map<Integer, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
  private volatile Consumer<ByteBuf> writer;
  private volatile boolean closed;

  /** Names what writes a framed call to the socket; set by the connection's handler. */
  void writer(Consumer<ByteBuf> writer) {
    this.writer = writer;
  }

  CompletableFuture<byte[]> send(
      int program, int version, int procedure, int authFlavor, byte[] authBody, byte[] arguments) {
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
    pending.put(xid, future);
    future.whenComplete((r, e) -> pending.remove(xid, future));
    ByteBuf buf = Unpooled.buffer(64 + authBody.length + arguments.length);
    buf.writeInt(0); // record mark
    buf.writeInt(xid);
    buf.writeInt(RpcMessages.CALL);
    buf.writeInt(RpcMessages.RPC_VERSION);
    buf.writeInt(program);
    buf.writeInt(version);
    buf.writeInt(procedure);
    buf.writeInt(authFlavor);
    buf.writeInt(authBody.length);
    buf.writeBytes(authBody);
    buf.writeZero(-authBody.length & 3);
    buf.writeInt(Credential.AUTH_NONE); // verifier
    buf.writeInt(0);
    buf.writeBytes(arguments);
    RpcMessages.finish(buf, true);
    w.accept(buf);
    if (closed) {
      fail();
    }
    return future;
  }

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
      CompletableFuture<byte[]> future = pending.get(xid);
      if (future == null) {
        return;
      }
      int replyStat = reply.readInt();
      if (replyStat != RpcMessages.MSG_ACCEPTED) {
        future.completeExceptionally(new IOException("call denied"));
        return;
      }
      if (reply.readableBytes() < 8) {
        future.completeExceptionally(new IOException("short reply"));
        return;
      }
      reply.skipBytes(4); // verifier flavor
      int verifierLength = reply.readInt();
      if (verifierLength < 0 || verifierLength > RpcMessages.MAX_AUTH_BYTES
          || reply.readableBytes() < ((verifierLength + 3) & ~3) + 4) {
        future.completeExceptionally(new IOException("bad verifier"));
        return;
      }
      reply.skipBytes((verifierLength + 3) & ~3);
      int acceptStat = reply.readInt();
      if (acceptStat != RpcMessages.SUCCESS) {
        future.completeExceptionally(new IOException("accept_stat " + acceptStat));
        return;
      }
      future.complete(ByteBufUtil.getBytes(reply));
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
    for (CompletableFuture<byte[]> f : pending.values()) {
      f.completeExceptionally(new IOException("connection closed"));
    }
  }
}
