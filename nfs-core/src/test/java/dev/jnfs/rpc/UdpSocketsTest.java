package dev.jnfs.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.rpc.testing.FailOnLeaks;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The per-address UDP sockets of a server listening on every address. */
@ExtendWith(FailOnLeaks.class)
class UdpSocketsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  @AfterEach
  void shutdown() {
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS)
        .syncUninterruptibly();
  }

  /** Sockets that send every datagram back. */
  private Supplier<Bootstrap> echo() {
    return () ->
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new SimpleChannelInboundHandler<DatagramPacket>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                    ctx.writeAndFlush(new DatagramPacket(p.content().retain(), p.sender()));
                  }
                });
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Whether a socket connected to the address gets its datagram back from it. */
  private static boolean echoes(InetAddress address, int port) throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, 0))) {
      s.connect(new InetSocketAddress(address, port));
      s.setSoTimeout(300);
      byte[] ping = {1, 2, 3};
      for (int attempt = 0; attempt < 3; attempt++) {
        s.send(new java.net.DatagramPacket(ping, ping.length));
        byte[] buf = new byte[16];
        java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
        try {
          s.receive(p);
          assertArrayEquals(ping, Arrays.copyOf(buf, p.getLength()));
          return true;
        } catch (SocketTimeoutException | java.net.PortUnreachableException e) {
          // retry, then give up
        }
      }
      return false;
    }
  }

  /**
   * Whether the port can be bound at the address within a few seconds: a closed socket's port
   * is released only once its event loop's selector has let go of it.
   */
  private static boolean bindable(InetAddress address, int port) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, port))) {
        return true;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(20);
      }
    }
  }

  private static Set<InetAddress> usable() throws IOException {
    Set<InetAddress> all = new LinkedHashSet<>();
    for (InetAddress a : UdpSockets.localAddresses()) {
      if (!a.isLinkLocalAddress()) {
        all.add(a);
      }
    }
    return all;
  }

  @Test
  void everyLocalAddressAnswersAndAddressesAreFollowed() throws Exception {
    Set<InetAddress> all = usable();
    InetAddress other = all.stream().filter(a -> !a.isLoopbackAddress()).findFirst().orElse(null);
    assumeTrue(other != null, "a single address");
    int port = freeUdpPort();
    UdpSockets sockets = UdpSockets.bind(echo(), null, port);
    try {
      for (InetAddress a : all) {
        assertTrue(echoes(a, port), a.toString());
      }
      // the other address went away
      sockets.refresh(Set.of(LOOPBACK));
      assertTrue(echoes(LOOPBACK, port));
      assertFalse(echoes(other, port));
      // and came back
      sockets.refresh(UdpSockets.localAddresses());
      assertTrue(echoes(other, port));
    } finally {
      sockets.close(Duration.ofSeconds(1));
    }
    assertTrue(bindable(LOOPBACK, port), "closing released the port");
  }

  @Test
  void aPortTakenAtOneAddressFailsTheBindAndLeavesNothingBound() throws Exception {
    int port = freeUdpPort();
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
      assertThrows(IOException.class, () -> UdpSockets.bind(echo(), null, port));
    }
    Set<InetAddress> all = usable();
    for (InetAddress a : all) {
      assertTrue(bindable(a, port), a.toString());
    }
  }
}
