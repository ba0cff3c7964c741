package dev.jnfs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.protocol.NfsProtocol;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.xdr.XdrEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lifecycle, ports and limits of {@link NfsServer}. */
@ExtendWith(FailOnLeaks.class)
class NfsServerTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** Answers procedure 1 with a number identifying the server. */
  private record IdProgram(int id) implements RpcProgram {
    @Override
    public int program() {
      return 400_001;
    }

    @Override
    public int lowVersion() {
      return 1;
    }

    @Override
    public int highVersion() {
      return 1;
    }

    @Override
    public void handle(RpcCall call, XdrEncoder results) {
      results.writeInt(id);
    }
  }

  private static NfsServer.Builder builder(int id) {
    return NfsServer.builder().bind(LOOPBACK).port(0).protocol(c -> List.of(new IdProgram(id)));
  }

  private static int ask(int port) throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(new InetSocketAddress(LOOPBACK, port))) {
      RpcReply r = c.call(400_001, 1, 1, new byte[0]);
      assertTrue(r.isSuccess());
      return r.decoder().readInt();
    }
  }

  @Test
  void twoServersInOneJvm() throws IOException {
    try (NfsServer a = builder(1).build();
        NfsServer b = builder(2).build()) {
      a.start();
      b.start();
      assertNotEquals(a.port(), b.port());
      assertEquals(1, ask(a.port()));
      assertEquals(2, ask(b.port()));
      a.stop();
      assertEquals(2, ask(b.port()));
    }
  }

  @Test
  void stopReleasesThePortsAndRestartBindsAgain() throws IOException {
    NfsServer server = builder(1).build();
    server.start();
    int port = server.port();
    long firstVerifier = server.context().writeVerifier();
    server.stop();
    assertFalse(server.isRunning());
    // TCP and UDP are free again
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(LOOPBACK, port));
    }
    try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
      assertEquals(port, d.getLocalPort());
    }
    try (NfsServer again = builder(3).port(port).build()) {
      again.start();
      assertEquals(port, again.port());
      assertEquals(3, ask(port));
    }
    server.start();
    assertNotEquals(firstVerifier, server.context().writeVerifier());
    server.close();
    server.close();
    assertThrows(IllegalStateException.class, server::port);
  }

  @Test
  void bindFailureReleasesWhatWasBound() throws IOException {
    int free;
    try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
      free = probe.getLocalPort();
    }
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      NfsServer server = builder(1).port(free).portmapPort(taken.getLocalPort()).build();
      assertThrows(UncheckedIOException.class, server::start);
      assertFalse(server.isRunning());
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(LOOPBACK, free));
    }
    try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(LOOPBACK, free))) {
      assertEquals(free, d.getLocalPort());
    }
  }

  @Test
  void connectionsBeyondTheMaximumAreClosed() throws IOException {
    try (NfsServer server = builder(1).maxConnections(2).build()) {
      server.start();
      InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.port());
      try (RpcTestClient a = RpcTestClient.connect(address);
          RpcTestClient b = RpcTestClient.connect(address)) {
        assertTrue(a.call(400_001, 1, 1, new byte[0]).isSuccess());
        assertTrue(b.call(400_001, 1, 1, new byte[0]).isSuccess());
        try (RpcTestClient c = RpcTestClient.connect(address)) {
          assertTrue(c.awaitClose());
        }
        assertTrue(a.call(400_001, 1, 1, new byte[0]).isSuccess());
      }
      // closing frees the slots (the server notices the close asynchronously: retry a bounded
      // number of times)
      boolean served = false;
      for (int i = 0; i < 100 && !served; i++) {
        try (RpcTestClient d = RpcTestClient.connect(address)) {
          served = d.call(400_001, 1, 1, new byte[0]).isSuccess();
        } catch (IOException e) {
          // closed: the slots were not free yet
        }
      }
      assertTrue(served);
    }
  }

  @Test
  void servesIpv6LoopbackOverTcpAndUdp() throws IOException {
    InetAddress v6 = InetAddress.getByName("::1");
    boolean available;
    try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
      available = true;
    } catch (IOException e) {
      available = false;
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(available, "no IPv6 loopback");
    try (NfsServer server = builder(6).bind(v6).build()) {
      server.start();
      InetSocketAddress address = new InetSocketAddress(v6, server.port());
      try (RpcTestClient c = RpcTestClient.connect(address)) {
        assertEquals(6, c.call(400_001, 1, 1, new byte[0]).decoder().readInt());
      }
      try (dev.jnfs.rpc.testing.RpcUdpTestClient u =
          new dev.jnfs.rpc.testing.RpcUdpTestClient(address)) {
        RpcReply r = u.call(400_001, 1, 1, dev.jnfs.rpc.Credential.None.INSTANCE, new byte[0]);
        assertEquals(6, r.decoder().readInt());
      }
    }
  }

  /** A program holding a resource: counts how often it is closed. */
  private static final class ClosingProgram implements RpcProgram, AutoCloseable {
    final java.util.concurrent.atomic.AtomicInteger closed =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public int program() {
      return 400_003;
    }

    @Override
    public int lowVersion() {
      return 1;
    }

    @Override
    public int highVersion() {
      return 1;
    }

    @Override
    public void handle(RpcCall call, XdrEncoder results) {}

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  @Test
  void stopClosesProgramsThatHoldResources() {
    List<ClosingProgram> made = new java.util.ArrayList<>();
    NfsProtocol protocol =
        context -> {
          ClosingProgram p = new ClosingProgram();
          made.add(p);
          return List.of(p);
        };
    NfsServer server = NfsServer.builder().bind(LOOPBACK).port(0).protocol(protocol).build();
    server.start();
    assertEquals(0, made.get(0).closed.get());
    server.stop();
    assertEquals(1, made.get(0).closed.get());
    server.start();
    server.close();
    server.close();
    assertEquals(2, made.size(), "each start makes fresh programs");
    assertEquals(1, made.get(1).closed.get());
  }

  @Test
  void contextOffersLimitsAndExports() {
    NfsServer server = builder(1).maxReadSize(65536).maxWriteSize(32768).build();
    assertEquals(65536, server.context().maxReadSize());
    assertEquals(32768, server.context().maxWriteSize());
    assertTrue(server.context().exports().all().isEmpty());
  }

  @Test
  void recordSizeMustHoldTheLargestWrite() {
    assertThrows(
        IllegalArgumentException.class,
        () -> builder(1).maxWriteSize(1 << 20).maxRecordSize(1 << 20).build());
  }

  @Test
  void portmapIsServedWithoutProtocols() throws IOException {
    try (NfsServer server = NfsServer.builder().bind(LOOPBACK).port(0).protocol(c -> List.of())
        .build()) {
      server.start();
      try (RpcTestClient c =
          RpcTestClient.connect(new InetSocketAddress(LOOPBACK, server.port()))) {
        assertTrue(c.call(100000, 2, 0, new byte[0]).isSuccess());
      }
    }
  }

  /** Found through {@link java.util.ServiceLoader} in {@link #protocolsAreFoundOnTheClassPath}. */
  public static final class DiscoveredProtocol implements NfsProtocol {
    /** Creates the protocol; ServiceLoader needs a public no-argument constructor. */
    public DiscoveredProtocol() {}

    @Override
    public List<RpcProgram> programs(ServerContext context) {
      return List.of(new IdProgram(77));
    }
  }

  @Test
  void protocolsAreFoundOnTheClassPath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws IOException {
    java.nio.file.Path services = dir.resolve("META-INF/services");
    java.nio.file.Files.createDirectories(services);
    java.nio.file.Files.writeString(
        services.resolve(NfsProtocol.class.getName()), DiscoveredProtocol.class.getName() + "\n");
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try (java.net.URLClassLoader loader =
            new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, previous);
        NfsServer server = NfsServer.builder().bind(LOOPBACK).port(0).build()) {
      thread.setContextClassLoader(loader);
      server.start();
      assertEquals(77, ask(server.port()));
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
