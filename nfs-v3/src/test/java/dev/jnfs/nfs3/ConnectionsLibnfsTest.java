package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.server.ConnectionInfo;
import dev.jnfs.server.ConnectionListener;
import dev.jnfs.server.DisconnectCause;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsFileSystem;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A libnfs client ({@code nfs-ls}) against a server that reports its connections: the backend
 * sees the client's address and connection in {@link Caller}, that connection is in {@link
 * NfsServer#connections()} while the client is there, and its end is reported once with its
 * final counts.
 */
class ConnectionsLibnfsTest {

  /** What the backend saw on one call: the caller and the server's connections at that time. */
  private record Seen(Caller caller, List<ConnectionInfo> connections) {}

  /** A backend that records every call's caller, then lets the in-memory backend answer. */
  private static NfsFileSystem recording(
      NfsFileSystem target, AtomicReference<NfsServer> server, List<Seen> seen) {
    return (NfsFileSystem)
        Proxy.newProxyInstance(
            NfsFileSystem.class.getClassLoader(),
            new Class<?>[] {NfsFileSystem.class},
            (proxy, method, args) -> {
              if (args != null && args.length > 0 && args[0] instanceof Caller c) {
                seen.add(new Seen(c, server.get().connections()));
              }
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void theBackendAndTheConnectionListSeeTheLibnfsClient() throws Exception {
    Assumptions.assumeTrue(LibnfsToolsTest.onPath("nfs-ls"), "libnfs-utils not installed");
    AtomicReference<NfsServer> serverRef = new AtomicReference<>();
    List<Seen> seen = new CopyOnWriteArrayList<>();
    Map<Long, ConnectionInfo> connected = new ConcurrentHashMap<>();
    Map<Long, ConnectionInfo> finals = new ConcurrentHashMap<>();
    Map<Long, DisconnectCause> causes = new ConcurrentHashMap<>();
    ConnectionListener listener =
        new ConnectionListener() {
          @Override
          public void connected(ConnectionInfo c) {
            assertTrue(connected.putIfAbsent(c.id(), c) == null, "connected once");
          }

          @Override
          public void disconnected(ConnectionInfo c, DisconnectCause cause) {
            assertTrue(finals.putIfAbsent(c.id(), c) == null, "disconnected once");
            causes.put(c.id(), cause);
          }
        };
    NfsFileSystem backend = recording(TestBackends.create(), serverRef, seen);
    try (NfsServer server =
        NfsServer.builder()
            .bind("127.0.0.1")
            .port(0)
            .mountPort(0)
            .udp(false)
            .export("/export", backend, ExportOptions.DEFAULT.with("insecure"))
            .connectionListener(listener)
            .build()) {
      serverRef.set(server);
      server.start();
      String url =
          "nfs://127.0.0.1/export?version=3&nfsport=" + server.port() + "&mountport="
              + server.mountPort();
      LibnfsToolsTest.Result ls = LibnfsToolsTest.run("nfs-ls", url);
      assertEquals(0, ls.exit(), ls.output());

      assertFalse(seen.isEmpty(), "the backend was called");
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      Seen nfsCall =
          seen.stream()
              .filter(s -> s.connections().stream().anyMatch(c -> c.localPort() == server.port()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no backend call over the NFS port"));
      for (Seen s : seen) {
        InetSocketAddress from = s.caller().remoteAddress().orElseThrow();
        assertEquals(loopback, from.getAddress());
        long id = s.caller().connectionId().orElseThrow();
        ConnectionInfo live =
            s.connections().stream()
                .filter(c -> c.id() == id)
                .findFirst()
                .orElseThrow(() -> new AssertionError("connection " + id + " not listed"));
        assertEquals(from, live.remoteAddress(), "the list names the caller's address");
        assertTrue(live.calls() >= 1, "the call being served is counted");
        assertTrue(s.caller().nfs4ClientId().isEmpty(), "NFSv3 has no client id");
      }

      long nfsConnection = nfsCall.caller().connectionId().orElseThrow();
      awaitKey(finals, nfsConnection);
      ConnectionInfo last = finals.get(nfsConnection);
      assertEquals(DisconnectCause.CLIENT_CLOSED, causes.get(nfsConnection));
      assertEquals(server.port(), last.localPort());
      assertEquals(nfsCall.caller().remoteAddress().orElseThrow(), last.remoteAddress());
      assertTrue(last.calls() >= 3, "NULL, FSINFO and READDIRPLUS at least: " + last);
      assertEquals(last.calls(), last.replies(), last.toString());
      assertTrue(last.bytesIn() > 0 && last.bytesOut() > 0, last.toString());
      assertTrue(connected.containsKey(nfsConnection));
      assertTrue(
          connected.values().stream().anyMatch(c -> c.localPort() == server.mountPort()),
          "MOUNT's connection was reported too");
    }
  }

  private static void awaitKey(Map<Long, ?> map, long key) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!map.containsKey(key) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(map.containsKey(key), "connection " + key + " reported closed");
  }
}
