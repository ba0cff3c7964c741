package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_BOTH;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static dev.jnfs.v4.testing.StateCompound.UNCHECKED4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.ConnectionInfo;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.v4.Fattr4;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Over TCP, the backend sees who calls: the client's address, the connection (as {@link
 * NfsServer#connections()} lists it) and the NFSv4 client id, for 4.1 after SEQUENCE and for
 * 4.0 from OPEN; the connection lists the client id as bound to it.
 */
class CallerOverTcpTest {
  private final List<Caller> callers = new CopyOnWriteArrayList<>();
  private final List<Caller> writers = new CopyOnWriteArrayList<>();
  private NfsServer server;
  private TcpCompoundTransport connection;

  /** A backend that records the caller of every call, then lets the in-memory backend answer. */
  private NfsFileSystem recording(NfsFileSystem target) {
    return (NfsFileSystem)
        Proxy.newProxyInstance(
            NfsFileSystem.class.getClassLoader(),
            new Class<?>[] {NfsFileSystem.class},
            (proxy, method, args) -> {
              if (args != null && args.length > 0 && args[0] instanceof Caller c) {
                callers.add(c);
                if (method.getName().equals("write")) {
                  writers.add(c);
                }
              }
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @BeforeEach
  void start() throws Exception {
    server = NfsServer.builder().bind("127.0.0.1").port(0).udp(false)
        .export("/", recording(new InMemoryFileSystem()),
            ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"))
        .protocol(new Nfs4Protocol(StateConfig.defaults().withGracePeriod(Duration.ZERO)))
        .build();
    server.start();
    connection = new TcpCompoundTransport(new InetSocketAddress("127.0.0.1", server.port()), 0);
  }

  @AfterEach
  void stop() throws Exception {
    connection.close();
    server.stop();
  }

  /** Every recorded caller names the connection that lists {@code clientId}, and that client. */
  private void assertCallersNameTheConnectionOf(long clientId) throws Exception {
    assertCallersNameTheConnectionOf(callers, clientId);
  }

  private void assertCallersNameTheConnectionOf(List<Caller> callers, long clientId)
      throws Exception {
    assertFalse(callers.isEmpty(), "the backend was called");
    ConnectionInfo bound = server.connections().stream()
        .filter(c -> c.nfs4ClientIds().contains(clientId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no connection lists client " + clientId));
    for (Caller c : callers) {
      assertEquals(clientId, c.nfs4ClientId().orElseThrow(), c.toString());
      assertEquals(bound.id(), c.connectionId().orElseThrow(), c.toString());
      InetSocketAddress from = c.remoteAddress().orElseThrow();
      assertEquals(bound.remoteAddress(), from);
      assertEquals(InetAddress.getByName("127.0.0.1"), from.getAddress());
    }
    assertEquals(server.port(), bound.localPort());
    assertTrue(bound.calls() >= 3, bound.toString());
  }

  @Test
  void aSessionsCallsCarryItsClientIdAndConnection() throws Exception {
    Wire.Client41 client = new Wire.Client41(Wire.tcp(connection), "caller-41");
    callers.clear();
    ok(client.call(StateCompound.openCreate(client.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE,
        client.clientId, b("owner"), "file-41", UNCHECKED4)));
    assertCallersNameTheConnectionOf(client.clientId);
  }

  @Test
  void aVersion40OpenCarriesItsClientIdAndConnection() throws Exception {
    Wire.Client40 client = new Wire.Client40(Wire.tcp(connection), "caller-40");
    callers.clear();
    ok(client.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_BOTH, DENY_NONE,
        client.clientId, b("owner"), "file-40", UNCHECKED4)));
    assertCallersNameTheConnectionOf(client.clientId);
  }

  @Test
  void aVersion40WriteCarriesTheClientIdOfItsStateid() throws Exception {
    Wire.Client40 client = new Wire.Client40(Wire.tcp(connection), "writer-40");
    StateCompound.OpenReply open = ok(client.call(StateCompound.openCreate(
        Compound.v40().putrootfh(), 1, ACCESS_BOTH, DENY_NONE, client.clientId, b("owner"),
        "written-40", UNCHECKED4))).last();
    Stateid confirmed = ok(client.call(StateCompound.openConfirm(
        Compound.v40().putrootfh().lookup("written-40"), open.stateid(), 2))).last();
    // a COMPOUND of its own, as clients send I/O: only the stateid names the client, so the
    // lookups before WRITE act for no client, and the write for the stateid's
    ok(client.call(Compound.v40().putrootfh().lookup("written-40")
        .write(confirmed, 0, 2, new byte[] {1, 2, 3})));
    assertCallersNameTheConnectionOf(writers, client.clientId);
  }

  @Test
  void callsOutsideAnyClientCarryNoClientId() throws Exception {
    ok(Wire.call(Wire.tcp(connection),
        Compound.v40().putrootfh().readdir(0, 0, 1000, 8192, Fattr4.TYPE)));
    assertFalse(callers.isEmpty(), "the backend was called");
    long id = server.connections().get(0).id();
    for (Caller c : callers) {
      assertTrue(c.nfs4ClientId().isEmpty(), c.toString());
      assertEquals(id, c.connectionId().orElseThrow(), c.toString());
    }
  }
}
