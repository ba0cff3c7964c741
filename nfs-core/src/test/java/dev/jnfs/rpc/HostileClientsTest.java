package dev.jnfs.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.TestCertificates;
import dev.jnfs.rpc.testing.TlsRpcTestClient;
import dev.jnfs.rpc.testing.WellBehavedClient;
import dev.jnfs.server.NfsServer;
import dev.jnfs.server.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that try to take the server down through loopback sockets, each bounded in count and
 * time: a flood of connections, a record sent a byte a second, records half sent and held,
 * TLS handshakes that never finish. The server refuses or closes the offenders within its
 * limits, and a well-behaved client on another connection keeps being answered throughout;
 * each test prints the heap and direct memory peaks it saw.
 */
class HostileClientsTest {
  /** How long a call of the well-behaved client may take while the server is attacked. */
  private static final long ANSWER_BOUND_MILLIS = 5_000;
  private static final int CONNECTIONS = 10_000;
  private static final int MAX_CONNECTIONS = 512;

  private static NfsServer.Builder server() {
    return TestServers.builder(new TestProgram()).udp(false).maxConnectionRatePerAddress(0);
  }

  private static InetSocketAddress address(NfsServer server) {
    return TestServers.address(server);
  }

  private static WellBehavedClient wellBehaved(String name, NfsServer server) throws IOException {
    return new WellBehavedClient(name, address(server), TestProgram.PROGRAM, 1, ANSWER_BOUND_MILLIS);
  }

  @Test
  @Timeout(60)
  void tenThousandConnectionsAtOnceAreCappedAtMaxConnections() throws Exception {
    long spareDescriptors = spareFileDescriptors();
    int count = (int) Math.min(CONNECTIONS, spareDescriptors - MAX_CONNECTIONS - 1000);
    assumeTrue(count >= 2 * MAX_CONNECTIONS,
        "too few file descriptors (" + spareDescriptors + " spare) for a connection flood");
    if (count < CONNECTIONS) {
      System.out.println("connection flood scaled to " + count + " by the file descriptor limit");
    }
    NfsServer server = server().maxConnections(MAX_CONNECTIONS).build();
    server.start();
    List<SocketChannel> flood = new ArrayList<>(count);
    try (WellBehavedClient good = wellBehaved("connection flood", server)) {
      for (int i = 0; i < count; i++) {
        SocketChannel c = SocketChannel.open(address(server));
        c.socket().setSoLinger(true, 0);
        flood.add(c);
        if (i % 1000 == 0) {
          good.sample();
          assertTrue(server.connections().size() <= MAX_CONNECTIONS);
        }
      }
      int open = awaitServed(flood, MAX_CONNECTIONS - 1);
      assertTrue(open <= MAX_CONNECTIONS - 1, open + " flood connections served");
      assertTrue(server.connections().size() <= MAX_CONNECTIONS);
      System.out.printf("connection flood: %d opened at once, %d served, %d refused%n",
          count, open, count - open);
    } finally {
      for (SocketChannel c : flood) {
        c.close();
      }
      server.stop();
    }
  }

  /** Waits until the server closed all but {@code served} of the connections; returns how many stay. */
  private static int awaitServed(List<SocketChannel> connections, int served) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    ByteBuffer one = ByteBuffer.allocate(1);
    List<SocketChannel> open = new ArrayList<>(connections);
    while (true) {
      List<SocketChannel> still = new ArrayList<>();
      for (SocketChannel c : open) {
        c.configureBlocking(false);
        one.clear();
        int n;
        try {
          n = c.read(one);
        } catch (IOException reset) {
          n = -1;
        }
        if (n >= 0) {
          still.add(c);
        }
      }
      open = still;
      if (open.size() <= served || System.nanoTime() > deadline) {
        return open.size();
      }
      Thread.sleep(200);
    }
  }

  private static long spareFileDescriptors() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
    }
    return 0;
  }

  @Test
  @Timeout(30)
  void aRecordSentAByteASecondIsClosedAtTheRecordTimeout() throws Exception {
    NfsServer server = server().recordTimeout(Duration.ofSeconds(2)).build();
    server.start();
    try (WellBehavedClient good = wellBehaved("slow record", server);
        Socket slow = new Socket()) {
      slow.connect(address(server));
      slow.setSoTimeout(100);
      byte[] call = RpcMessageBuilder.frame(RpcMessageBuilder.call(
          1, TestProgram.PROGRAM, 1, 0, Credential.None.INSTANCE, new byte[0]));
      long start = System.nanoTime();
      boolean closed = false;
      for (int i = 0; i < call.length - 1 && !closed; i++) {
        slow.getOutputStream().write(call[i]);
        closed = closedWithin(slow.getInputStream(), 1000);
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(closed, "the server kept a record trickling in for " + millis + " ms");
      assertTrue(millis >= 1500 && millis < 6000, "closed after " + millis + " ms");
      System.out.printf("slow record: connection closed after %d ms (record timeout 2 s)%n", millis);
    } finally {
      server.stop();
    }
  }

  /** @return whether the server closed the connection within the time (reads nothing else) */
  private static boolean closedWithin(InputStream in, long millis) throws IOException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      try {
        if (in.read() < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        // nothing yet
      } catch (IOException reset) {
        return true;
      }
    }
    return false;
  }

  @Test
  @Timeout(60)
  void halfSentLargeRecordsHoldNeitherMemoryNorConnections() throws Exception {
    int connections = 300;
    int announced = 1 << 20;
    int sent = 64 * 1024;
    NfsServer server = server().recordTimeout(Duration.ofSeconds(3)).build();
    server.start();
    List<Socket> held = new ArrayList<>();
    try (WellBehavedClient good = wellBehaved("half-sent records", server)) {
      good.sample();
      long directBefore = good.directPeak();
      byte[] half = new byte[4 + sent];
      ByteBuffer.wrap(half).putInt(RpcMessages.LAST_FRAGMENT | announced);
      for (int i = 0; i < connections; i++) {
        Socket s = new Socket();
        s.connect(address(server));
        s.setSoTimeout(100);
        s.getOutputStream().write(half);
        held.add(s);
      }
      for (int i = 0; i < 10; i++) {
        good.sample();
        Thread.sleep(100);
      }
      long start = System.nanoTime();
      for (Socket s : held) {
        assertTrue(closedWithin(s.getInputStream(), 10_000), "a half-sent record is held");
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      long growth = good.directPeak() - directBefore;
      System.out.printf(
          "half-sent records: %d connections announced %d MiB each and sent %d KiB;"
              + " direct buffers grew by %d MiB at most; all closed %d ms after%n",
          connections, announced >> 20, sent >> 10, growth >> 20, millis);
      // announced in full, the records would have set aside 300 MiB
      assertTrue(growth < 160L << 20, "direct buffers grew by " + (growth >> 20) + " MiB");
    } finally {
      for (Socket s : held) {
        s.close();
      }
      server.stop();
    }
  }

  @Test
  @Timeout(60)
  void tlsHandshakesThatNeverFinishAreClosed(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.generate(dir, "jnfs test server");
    NfsServer server =
        server().tls(TlsConfig.of(certs.serverCertificate(), certs.serverKey())).build();
    server.start();
    List<Socket> silent = new ArrayList<>();
    try (WellBehavedClient good = wellBehaved("unfinished TLS handshakes", server)) {
      for (int i = 0; i < 100; i++) {
        Socket s = new Socket();
        s.connect(address(server));
        s.setSoTimeout(RpcTestClientTimeouts.READ_MILLIS);
        s.getOutputStream().write(RpcMessageBuilder.frame(
            TlsRpcTestClient.probeMessage(i + 1, TestProgram.PROGRAM, 1, 0)));
        byte[] mark = s.getInputStream().readNBytes(4);
        assertEquals(4, mark.length, "the STARTTLS reply");
        s.getInputStream().readNBytes(ByteBuffer.wrap(mark).getInt() & ~RpcMessages.LAST_FRAGMENT);
        s.setSoTimeout(100);
        silent.add(s);
      }
      long start = System.nanoTime();
      for (Socket s : silent) {
        assertTrue(closedWithin(s.getInputStream(), 30_000), "an unfinished handshake is held");
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf(
          "unfinished TLS handshakes: 100 connections silent after STARTTLS, all closed %d ms"
              + " after%n", millis);
    } finally {
      for (Socket s : silent) {
        s.close();
      }
      server.stop();
    }
  }

  /** Read timeouts of these tests. */
  private static final class RpcTestClientTimeouts {
    static final int READ_MILLIS = 20_000;
  }
}
