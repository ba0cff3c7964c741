package dev.jnfs.rpc;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A TCP connection the server opens to a client's own RPC service, to call it: the NFSv4.0
 * callback path (RFC 7530 §10.2.1), whose address the client names in SETCLIENTID. Calls and
 * replies as on {@link RpcConnection#call}: record marking, replies matched by xid. Thread-safe;
 * nothing blocks. The connections share one network thread of their own (a daemon), so the
 * server's event loops never wait on a client's callback service.
 */
public final class CallbackConnection implements AutoCloseable {
  /** The largest reply taken from a client's callback service. */
  private static final int MAX_REPLY = 64 * 1024;

  private static final class Loop {
    static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("jnfs-callbacks", true), NioIoHandler.newFactory());
  }

  private final Channel channel;
  private final OutboundCalls outbound;

  private CallbackConnection(Channel channel, OutboundCalls outbound) {
    this.channel = channel;
    this.outbound = outbound;
  }

  /**
   * Connects to a client's callback service.
   *
   * @param address where it listens
   * @param timeout how long connecting may take
   * @return completed with the open connection, or exceptionally with an {@link IOException}
   */
  public static CompletableFuture<CallbackConnection> open(InetSocketAddress address, Duration timeout) {
    OutboundCalls outbound = new OutboundCalls();
    CompletableFuture<CallbackConnection> result = new CompletableFuture<>();
    Bootstrap b = new Bootstrap()
        .group(Loop.GROUP)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new RecordMarkingDecoder(MAX_REPLY), new Replies(outbound));
          }
        });
    ChannelFuture connected = b.connect(address);
    connected.addListener(f -> {
      if (f.isSuccess()) {
        Channel ch = connected.channel();
        outbound.writer(buf -> ch.writeAndFlush(buf, ch.voidPromise()));
        result.complete(new CallbackConnection(ch, outbound));
      } else {
        result.completeExceptionally(new IOException("cannot connect to " + address, f.cause()));
      }
    });
    return result;
  }

  /**
   * Calls the client's service, as {@link RpcConnection#call} does.
   *
   * @param program the program
   * @param version its version
   * @param procedure the procedure
   * @param authFlavor the credential's flavor (AUTH_NONE or AUTH_SYS)
   * @param authBody the credential's body
   * @param arguments the XDR-encoded arguments
   * @return completed with the results, or exceptionally with an {@link IOException}; cancel it
   *     to stop waiting
   */
  public CompletableFuture<byte[]> call(
      int program, int version, int procedure, int authFlavor, byte[] authBody, byte[] arguments) {
    return outbound.send(program, version, procedure, authFlavor, authBody, arguments);
  }

  /** @return whether the connection is open */
  public boolean isOpen() {
    return channel.isActive();
  }

  /** Closes the connection; pending calls fail. */
  @Override
  public void close() {
    channel.close();
  }

  /** Hands the client's replies to the waiting calls; anything else is dropped. */
  private static final class Replies extends ChannelInboundHandlerAdapter {
    private final OutboundCalls outbound;

    Replies(OutboundCalls outbound) {
      this.outbound = outbound;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf record = (ByteBuf) msg;
      if (record.readableBytes() >= 8 && record.getInt(record.readerIndex() + 4) == RpcMessages.REPLY) {
        outbound.deliver(record);
      } else {
        record.release();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      outbound.close();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
