package dev.jnfs.portmap;

import static dev.jnfs.rpc.testing.RpcMessageBuilder.xdr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.NfsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registration with a system portmapper, played by a server running only the project's
 * portmapper on an ephemeral port; and the standalone portmapper's record cap.
 */
@ExtendWith(FailOnLeaks.class)
class SystemPortmapperRegistrationTest {
  private static final int NFS = 100003;
  private static final int MOUNT = 100005;
  private static final int NLM = 100021;
  private static final int NSM = 100024;
  private static final int TCP = 6;
  private static final int UDP = 17;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private NfsServer portmapper;
  private InetSocketAddress portmapperAddress;

  @BeforeEach
  void startPortmapper() {
    portmapper =
        NfsServer.builder()
            .bind(LOOPBACK)
            .port(0)
            .rpcbindRegistration(false)
            .protocol(context -> List.of())
            .build();
    portmapper.start();
    portmapperAddress = new InetSocketAddress(LOOPBACK, portmapper.port());
  }

  @AfterEach
  void stopPortmapper() {
    portmapper.close();
  }

  private NfsServer.Builder server() {
    return NfsServer.builder()
        .bind(LOOPBACK)
        .port(0)
        .mountPort(0)
        .rpcbindAddress(portmapperAddress)
        .protocol(
            context ->
                List.of(
                    new FakeProgram(NFS, 3, 4),
                    new FakeProgram(MOUNT, 1, 3),
                    new FakeProgram(NLM, 1, 4),
                    new FakeProgram(NSM, 1, 1)));
  }

  /** What the test portmapper holds, without its own entries. */
  private Set<PortMapping> registered() {
    return portmapper.registrations().stream()
        .filter(m -> m.program() != PortmapProgram.PROGRAM)
        .collect(Collectors.toSet());
  }

  private static Set<PortMapping> expected(NfsServer s, boolean udp) {
    Set<PortMapping> expected = new HashSet<>();
    for (int protocol : udp ? new int[] {TCP, UDP} : new int[] {TCP}) {
      for (int v = 3; v <= 4; v++) {
        expected.add(new PortMapping(NFS, v, protocol, s.port()));
      }
      for (int v = 1; v <= 3; v++) {
        expected.add(new PortMapping(MOUNT, v, protocol, s.mountPort()));
      }
      for (int v = 1; v <= 4; v++) {
        expected.add(new PortMapping(NLM, v, protocol, s.port()));
      }
      expected.add(new PortMapping(NSM, 1, protocol, s.port()));
    }
    return expected;
  }

  @Test
  void registersEveryProgramAtStartAndUnregistersAtStop() {
    NfsServer s = server().build();
    try {
      s.start();
      assertEquals(expected(s, true), registered());
      s.stop();
      assertEquals(Set.of(), registered());
      // and again, with new ports
      s.start();
      assertEquals(expected(s, true), registered());
    } finally {
      s.close();
    }
    assertEquals(Set.of(), registered());
  }

  @Test
  void withoutUdpOnlyTcpIsRegistered() {
    try (NfsServer s = server().udp(false).build()) {
      s.start();
      assertEquals(expected(s, false), registered());
    }
  }

  @Test
  void staleEntriesOfTheSamePrograms_areReplaced() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(portmapperAddress)) {
      byte[] stale = xdr(e -> e.writeInt(NFS).writeInt(3).writeInt(TCP).writeInt(9));
      RpcReply r = c.call(PortmapProgram.PROGRAM, 2, PortmapProgram.PMAPPROC_SET, stale);
      assertTrue(r.decoder().readBoolean());
    }
    try (NfsServer s = server().build()) {
      s.start();
      assertEquals(expected(s, true), registered());
    }
  }

  @Test
  void failedStartLeavesNothingRegistered() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      NfsServer s = server().mountPort(taken.getLocalPort()).build();
      assertThrows(UncheckedIOException.class, s::start);
      s.close();
    }
    assertEquals(Set.of(), registered());
  }

  @Test
  void serverStartsWhenNoPortmapperAnswers() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      closed = s.getLocalPort();
    }
    try (NfsServer s =
        server().rpcbindAddress(new InetSocketAddress(LOOPBACK, closed)).build()) {
      s.start();
      assertTrue(s.isRunning());
    }
  }

  @Test
  void thePortmappersAreTriedInTurn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    // a socket file without its daemon, then the test portmapper
    java.net.SocketAddress gone = java.net.UnixDomainSocketAddress.of(dir.resolve("rpcbind.sock"));
    List<PortMapping> mappings =
        List.of(new PortMapping(NFS, 3, TCP, 2049), new PortMapping(NFS, 3, UDP, 2049));
    SystemPortmapperRegistration r =
        SystemPortmapperRegistration.register(List.of(gone, portmapperAddress), mappings, LOOPBACK);
    assertEquals(Set.copyOf(mappings), registered());
    r.unregister();
    assertEquals(Set.of(), registered());
    assertEquals(null, SystemPortmapperRegistration.register(List.of(gone), mappings, LOOPBACK));
  }

  @Test
  void registrationOff_registersNothing() {
    try (NfsServer s = server().rpcbindRegistration(false).build()) {
      s.start();
      assertEquals(Set.of(), registered());
    }
  }

  @Test
  void standalonePortmapperClosesAConnectionAnnouncingALargeRecord() throws IOException {
    try (NfsServer s = server().portmapPort(0).rpcbindRegistration(false).build()) {
      s.start();
      InetSocketAddress standalone = new InetSocketAddress(LOOPBACK, s.portmapPort());
      try (RpcTestClient c = RpcTestClient.connect(standalone)) {
        // last fragment of 1 MiB: the mark alone is enough to be refused
        c.sendRaw(new byte[] {(byte) 0x80, 0x10, 0, 0});
        assertTrue(c.awaitClose());
      }
      try (RpcTestClient c = RpcTestClient.connect(standalone)) {
        byte[] query = xdr(e -> e.writeInt(NFS).writeInt(3).writeInt(TCP).writeInt(0));
        RpcReply r = c.call(PortmapProgram.PROGRAM, 2, PortmapProgram.PMAPPROC_GETPORT, query);
        assertEquals(s.port(), r.decoder().readInt());
      }
    }
  }
}
