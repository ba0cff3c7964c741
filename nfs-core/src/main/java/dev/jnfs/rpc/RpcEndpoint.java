package dev.jnfs.rpc;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One address and port where a set of RPC programs is served: a TCP listener and, when asked,
 * UDP on the same port number (one socket per local address when listening on every address,
 * see {@link UdpSockets}). {@link #close} releases them all.
 */
public final class RpcEndpoint implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(RpcEndpoint.class);
  private static final int EPHEMERAL_ATTEMPTS = 8;

  /**
   * Limits of an endpoint.
   *
   * @param maxRecordSize the largest TCP record accepted, in bytes
   * @param maxInFlightPerConnection how many calls of one connection run at once
   * @param maxConnections how many TCP connections are open at once; more are closed
   * @param maxDatagramSize the largest UDP datagram received, in bytes
   * @param idleTimeout how long a TCP connection with no call in flight stays open when
   *     nothing arrives; {@link Duration#ZERO} for ever
   * @param recordTimeout how long the bytes of one TCP record may take to arrive, from the
   *     read that brought its first bytes; {@link Duration#ZERO} for ever
   */
  public record Limits(
      int maxRecordSize,
      int maxInFlightPerConnection,
      int maxConnections,
      int maxDatagramSize,
      Duration idleTimeout,
      Duration recordTimeout) {
    /** Checks the limits are positive. */
    public Limits {
      if (maxRecordSize <= 0
          || maxInFlightPerConnection <= 0
          || maxConnections <= 0
          || maxDatagramSize <= 0
          || idleTimeout.isNegative()
          || recordTimeout.isNegative()) {
        throw new IllegalArgumentException("limits must be positive");
      }
    }

    /** Limits without a record timeout. */
    public Limits(
        int maxRecordSize,
        int maxInFlightPerConnection,
        int maxConnections,
        int maxDatagramSize,
        Duration idleTimeout) {
      this(
          maxRecordSize, maxInFlightPerConnection, maxConnections, maxDatagramSize, idleTimeout,
          Duration.ZERO);
    }

    /** Limits with connections that stay open however long they are idle. */
    public Limits(
        int maxRecordSize, int maxInFlightPerConnection, int maxConnections, int maxDatagramSize) {
      this(maxRecordSize, maxInFlightPerConnection, maxConnections, maxDatagramSize, Duration.ZERO);
    }
  }

  private final Channel tcp;
  private final UdpSockets udp;
  private final ConnectionLimiter connections;
  private final RpcDispatcher dispatcher;
  private final int port;

  private RpcEndpoint(
      Channel tcp, UdpSockets udp, ConnectionLimiter connections, RpcDispatcher dispatcher) {
    this.tcp = tcp;
    this.udp = udp;
    this.connections = connections;
    this.dispatcher = dispatcher;
    this.port = ((InetSocketAddress) tcp.localAddress()).getPort();
  }

  /**
   * Binds the TCP listener, and the UDP socket on the same port when asked, serving the
   * dispatcher's programs; workers that answered a lone call may wait for the next one.
   *
   * @param address where to listen; null for every local address
   * @param port the port, 0 for an ephemeral one
   * @param withUdp whether to serve UDP on the same port
   * @param limits the endpoint's limits
   * @param acceptors the event loops that accept connections
   * @param workers the event loops that serve connections
   * @param dispatcher the programs served
   * @param executor where blocking calls run
   * @param warm workers that wait for a connection's next call after a lone one (TCP only)
   * @param registry where the TCP connections are admitted and accounted for
   * @return the bound endpoint
   * @throws IOException if a port cannot be bound; nothing stays bound then
   */
  public static RpcEndpoint bind(
      InetAddress address,
      int port,
      boolean withUdp,
      Limits limits,
      EventLoopGroup acceptors,
      EventLoopGroup workers,
      RpcDispatcher dispatcher,
      Executor executor,
      WarmWorkers warm,
      ConnectionRegistry registry)
      throws IOException {
    IOException last = null;
    int attempts = port == 0 && withUdp ? EPHEMERAL_ATTEMPTS : 1;
    for (int i = 0; i < attempts; i++) {
      ConnectionLimiter connections =
          new ConnectionLimiter(limits.maxConnections(), registry);
      Channel tcp =
          bindTcp(
              address, port, limits, connections, acceptors, workers, dispatcher, executor, warm,
              registry);
      if (!withUdp) {
        return new RpcEndpoint(tcp, null, connections, dispatcher);
      }
      int bound = ((InetSocketAddress) tcp.localAddress()).getPort();
      try {
        UdpSockets udp = bindUdp(address, bound, limits, workers, dispatcher, executor);
        return new RpcEndpoint(tcp, udp, connections, dispatcher);
      } catch (IOException e) {
        tcp.close().syncUninterruptibly();
        last = e;
        log.debug("UDP port {} not bound, retrying", bound, e);
      }
    }
    throw last;
  }

  private static InetSocketAddress socketAddress(InetAddress address, int port) {
    return address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
  }

  private static Channel bindTcp(
      InetAddress address,
      int port,
      Limits limits,
      ConnectionLimiter limiter,
      EventLoopGroup acceptors,
      EventLoopGroup workers,
      RpcDispatcher dispatcher,
      Executor executor,
      WarmWorkers warm,
      ConnectionRegistry registry)
      throws IOException {
    long idleNanos = limits.idleTimeout().toNanos();
    long recordNanos = limits.recordTimeout().toNanos();
    ArrivingBytesBudget arriving =
        new ArrivingBytesBudget(Math.max(ArrivingBytesBudget.DEFAULT_BYTES, limits.maxRecordSize()));
    ServerBootstrap b =
        new ServerBootstrap()
            .group(acceptors, workers)
            .channelFactory((ChannelFactory<ServerChannel>) DirectWriteServerChannel::new)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, ReplySizeEstimator.INSTANCE)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    RecordMarkingDecoder records =
                        new RecordMarkingDecoder(limits.maxRecordSize(), recordNanos, arriving);
                    ch.config().setRecvByteBufAllocator(new FragmentReceiving(records));
                    RpcConnection connection =
                        registry.newConnection(ch, dispatcher.tlsFromFirstByte());
                    ch.pipeline()
                        .addLast(limiter)
                        .addLast(new ConnectionGate(registry, connection))
                        .addLast(records)
                        .addLast(
                            new RpcConnectionHandler(
                                dispatcher,
                                executor,
                                warm,
                                limits.maxInFlightPerConnection(),
                                idleNanos,
                                connection,
                                null));
                  }
                });
    return await(b.bind(socketAddress(address, port)), "TCP", address, port);
  }

  /**
   * Binds UDP at the address, or at each local address when none is given (see {@link
   * UdpSockets} for why not at the wildcard address).
   */
  private static UdpSockets bindUdp(
      InetAddress address,
      int port,
      Limits limits,
      EventLoopGroup workers,
      RpcDispatcher dispatcher,
      Executor executor)
      throws IOException {
    return UdpSockets.bind(
        () ->
            new Bootstrap()
                .group(workers)
                .channel(NioDatagramChannel.class)
                .option(
                    ChannelOption.RCVBUF_ALLOCATOR,
                    new FixedRecvByteBufAllocator(limits.maxDatagramSize()))
                .handler(
                    new RpcDatagramHandler(
                        dispatcher, executor, limits.maxInFlightPerConnection())),
        address,
        port);
  }

  private static Channel await(ChannelFuture f, String what, InetAddress address, int port)
      throws IOException {
    f.awaitUninterruptibly();
    if (!f.isSuccess()) {
      Throwable cause = f.cause();
      IOException e =
          new IOException(
              "cannot bind " + what + " " + (address == null ? "*" : address) + ":" + port, cause);
      throw e;
    }
    return f.channel();
  }

  /** @return the bound port number */
  public int port() {
    return port;
  }

  /**
   * Stops accepting connections: closes the TCP listener. Connections already open, and UDP,
   * are served as before. Waits at most {@code timeout} for the listener to close.
   *
   * @param timeout how long to wait for the listener to close
   */
  public void closeListener(Duration timeout) {
    awaitClose(tcp.close(), timeout, "TCP listener");
  }

  /**
   * Stops taking calls: closes the TCP listener, and makes every connection and the UDP
   * socket stop reading. Calls already read go on; their replies are still sent. Waits at
   * most {@code timeout} for the listener to close (its event loop may be stuck).
   *
   * @param timeout how long to wait for the listener to close
   */
  public void stopAccepting(Duration timeout) {
    awaitClose(tcp.close(), timeout, "TCP listener");
    if (udp != null) {
      udp.stopReading();
    }
    for (Channel c : connections.open) {
      c.pipeline().fireUserEventTriggered(RpcConnectionHandler.STOP_READING);
    }
  }

  /**
   * Waits until every call decoded here has handed over its reply, or the deadline passes.
   *
   * @param deadlineNanos a {@link System#nanoTime()} value
   * @return how many calls are still in flight (0 when all finished)
   * @throws InterruptedException if interrupted while waiting
   */
  public int awaitCalls(long deadlineNanos) throws InterruptedException {
    InFlightCalls calls = dispatcher.inFlight();
    return calls.awaitNone(deadlineNanos) ? 0 : calls.count();
  }

  /** @return how many calls decoded here have not handed over their reply yet */
  public int callsInFlight() {
    return dispatcher.inFlight().count();
  }

  /** @return how many TCP connections are open */
  public int connectionCount() {
    return connections.open.size();
  }

  /**
   * Closes the listener, the UDP socket and every connection, waiting at most {@code timeout}
   * for each to close (an event loop stuck in a call never closes its channels).
   *
   * @param timeout how long to wait for each close
   */
  public void close(Duration timeout) {
    awaitClose(tcp.close(), timeout, "TCP listener");
    if (udp != null && udp.close(timeout) > 0) {
      log.warn(
          "port {}: UDP sockets did not close within {} ms (their network thread is busy);"
              + " abandoned",
          port, timeout.toMillis());
    }
    List<ChannelFuture> closing = new ArrayList<>();
    for (Channel c : connections.open) {
      closing.add(c.close());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    int stuck = 0;
    for (ChannelFuture f : closing) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!f.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
        stuck++;
      }
    }
    if (stuck > 0) {
      log.warn(
          "port {}: {} connections did not close within {} ms (their network thread is busy);"
              + " abandoned",
          port, stuck, timeout.toMillis());
    }
  }

  private void awaitClose(ChannelFuture f, Duration timeout, String what) {
    if (!f.awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn(
          "port {}: {} did not close within {} ms (its network thread is busy); abandoned",
          port, what, timeout.toMillis());
    }
  }

  /** Closes the listener, the UDP socket and the connections, waiting at most 2 s for each. */
  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }

  /**
   * Closes connections beyond the maximum as soon as they are accepted, and knows the open
   * ones.
   */
  @ChannelHandler.Sharable
  private static final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private final int max;
    private final ConnectionRegistry registry;
    private final AtomicInteger count = new AtomicInteger();
    final Set<Channel> open = ConcurrentHashMap.newKeySet();

    ConnectionLimiter(int max, ConnectionRegistry registry) {
      this.max = max;
      this.registry = registry;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      if (count.incrementAndGet() > max) {
        count.decrementAndGet();
        log.debug("{}: more than {} connections, closing", ctx.channel().remoteAddress(), max);
        registry.refused(
            (InetSocketAddress) ctx.channel().remoteAddress(),
            ConnectionRegistry.Refusal.MAX_CONNECTIONS);
        ctx.pipeline().remove(this);
        ctx.close();
        return;
      }
      open.add(ctx.channel());
      ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      count.decrementAndGet();
      open.remove(ctx.channel());
      ctx.fireChannelInactive();
    }
  }
}
