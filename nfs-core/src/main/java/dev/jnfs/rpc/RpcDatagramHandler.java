package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves RPC over UDP: one call per datagram, the reply sent to the datagram's sender.
 * Non-blocking calls run on the event loop, the others on the executor. When
 * {@code maxInFlight} calls already run, further datagrams are dropped: UDP clients
 * retransmit, and an unbounded queue is worse than a lost datagram.
 */
final class RpcDatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(RpcDatagramHandler.class);

  private final RpcDispatcher dispatcher;
  private final Executor executor;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();

  RpcDatagramHandler(RpcDispatcher dispatcher, Executor executor, int maxInFlight) {
    this.dispatcher = dispatcher;
    this.executor = executor;
    this.maxInFlight = maxInFlight;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    InetSocketAddress sender = packet.sender();
    InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
    Inbound in =
        dispatcher.accept(
            packet.content().retain(), sender, local, Transport.UDP, ctx.alloc());
    switch (in) {
      case Inbound.Reply reply ->
          ctx.writeAndFlush(new DatagramPacket(reply.buffer(), sender), ctx.voidPromise());
      case Inbound.StartTls never -> never.buffer().release(); // only offered over TCP
      case Inbound.Disposition d -> {}
      case RpcCallTask task -> run(ctx, task, sender);
    }
  }

  private void run(ChannelHandlerContext ctx, RpcCallTask task, InetSocketAddress sender) {
    if (task.isNonBlocking()) {
      ctx.writeAndFlush(new DatagramPacket(task.run(ctx.alloc()), sender), ctx.voidPromise());
      task.done();
      return;
    }
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      log.debug("{}: {} calls in flight, datagram dropped", sender, maxInFlight);
      task.discard();
      return;
    }
    try {
      executor.execute(
          () -> {
            try {
              ByteBuf reply = task.run(ctx.alloc());
              inFlight.decrementAndGet();
              ctx.channel().writeAndFlush(new DatagramPacket(reply, sender), ctx.voidPromise());
            } finally {
              task.done();
            }
          });
    } catch (RejectedExecutionException e) {
      inFlight.decrementAndGet();
      task.discard();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("UDP error", cause);
  }
}
