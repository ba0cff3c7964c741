package dev.jnfs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.xdr.XdrEncoder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Connection control through real sockets: {@link ConnectionListener} decisions and events,
 * {@link NfsServer#connections()}, {@link NfsServer#disconnect(long)}, {@link
 * NfsServer#stopAccepting()} and the per-address connection rate.
 */
@ExtendWith(FailOnLeaks.class)
class NfsServerConnectionsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int PROGRAM = 400_004;
  private static final int PROC_ANSWER = 1;

  /** Procedure 1 answers 7. */
  private static final RpcProgram ANSWER =
      new RpcProgram() {
        @Override
        public int program() {
          return PROGRAM;
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
          results.writeInt(7);
        }
      };

  /** One event a listener heard. */
  private record Event(String kind, ConnectionInfo connection, DisconnectCause cause) {}

  /** Records every event; accepts connections while {@link #accepting} says so. */
  private record Refused(InetSocketAddress remote, ConnectionListener.Refusal reason) {}

  private static final class Recorder implements ConnectionListener {
    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final List<ConnectionInfo> asked = new CopyOnWriteArrayList<>();
    final BlockingQueue<Refused> refused = new LinkedBlockingQueue<>();
    volatile boolean accepting = true;

    @Override
    public boolean accept(ConnectionInfo connection) {
      asked.add(connection);
      return accepting;
    }

    @Override
    public void connected(ConnectionInfo connection) {
      events.add(new Event("connected", connection, null));
    }

    @Override
    public void disconnected(ConnectionInfo connection, DisconnectCause cause) {
      events.add(new Event("disconnected", connection, cause));
    }

    @Override
    public void refused(InetSocketAddress remote, Refusal reason) {
      refused.add(new Refused(remote, reason));
    }

    Refused nextRefused() throws InterruptedException {
      Refused r = refused.poll(20, TimeUnit.SECONDS);
      assertNotNull(r, "a refusal is reported");
      return r;
    }

    Event next() throws InterruptedException {
      Event e = events.poll(20, TimeUnit.SECONDS);
      assertNotNull(e, "an event arrives");
      return e;
    }

    void assertNoMoreEvents() throws InterruptedException {
      Event e = events.poll(200, TimeUnit.MILLISECONDS);
      assertNull(e, "no further event");
    }
  }

  private static NfsServer.Builder builder() {
    return NfsServer.builder().bind(LOOPBACK).port(0).udp(false).protocol(c -> List.of(ANSWER));
  }

  private static RpcTestClient connect(NfsServer server) throws IOException {
    return RpcTestClient.connect(new InetSocketAddress(LOOPBACK, server.port()));
  }

  private static RpcTestClient connectFrom(NfsServer server, String local) throws IOException {
    return RpcTestClient.connect(
        new InetSocketAddress(LOOPBACK, server.port()),
        new InetSocketAddress(InetAddress.getByName(local), 0));
  }

  private static int answer(RpcTestClient client) throws IOException {
    return client.call(PROGRAM, 1, PROC_ANSWER, new byte[0]).decoder().readInt();
  }

  /** The server closed the connection without sending a byte, even to a call. */
  private static void assertClosedWithoutReply(RpcTestClient client) throws IOException {
    try {
      client.send(PROGRAM, 1, PROC_ANSWER, Credential.None.INSTANCE, new byte[0]);
    } catch (SocketException e) {
      // already reset: closed as well
    }
    assertThrows(IOException.class, client::receive, "no reply, the connection is closed");
  }

  private static ConnectionInfo connectionOf(NfsServer server, RpcTestClient client) {
    return server.connections().stream()
        .filter(c -> c.remoteAddress().equals(client.localAddress()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no connection from " + client.localAddress()));
  }

  @Test
  void aRejectingListenerClosesTheConnectionBeforeAnyReply() throws Exception {
    Recorder recorder = new Recorder();
    recorder.accepting = false;
    try (NfsServer server = builder().connectionListener(recorder).build()) {
      server.start();
      try (RpcTestClient client = connect(server)) {
        assertClosedWithoutReply(client);
        ConnectionInfo asked = recorder.asked.get(0);
        assertEquals(client.localAddress(), asked.remoteAddress());
        assertEquals(server.port(), asked.localPort());
        assertEquals(ConnectionInfo.Transport.TCP, asked.transport());
        assertEquals(0, asked.calls());
        Refused refused = recorder.nextRefused();
        assertEquals(client.localAddress(), refused.remote());
        assertEquals(ConnectionListener.Refusal.BY_LISTENER, refused.reason());
      }
      recorder.assertNoMoreEvents();
      assertTrue(server.connections().isEmpty());
    }
  }

  @Test
  void listenersAreAskedInOrderAndTheFirstRefusalWins() throws Exception {
    AtomicInteger askedSecond = new AtomicInteger();
    ConnectionListener refuses =
        new ConnectionListener() {
          @Override
          public boolean accept(ConnectionInfo connection) {
            return false;
          }
        };
    ConnectionListener second =
        new ConnectionListener() {
          @Override
          public boolean accept(ConnectionInfo connection) {
            askedSecond.incrementAndGet();
            return true;
          }
        };
    try (NfsServer server =
        builder().connectionListener(refuses).connectionListener(second).build()) {
      server.start();
      try (RpcTestClient client = connect(server)) {
        assertClosedWithoutReply(client);
      }
      assertEquals(0, askedSecond.get());
    }
  }

  @Test
  void aClientThatClosesIsReportedOnceWithItsCounts() throws Exception {
    Recorder recorder = new Recorder();
    try (NfsServer server = builder().connectionListener(recorder).build()) {
      server.start();
      InetSocketAddress from;
      try (RpcTestClient client = connect(server)) {
        from = client.localAddress();
        assertEquals(7, answer(client));
        assertEquals(7, answer(client));
        Event connected = recorder.next();
        assertEquals("connected", connected.kind());
        assertEquals(from, connected.connection().remoteAddress());
        ConnectionInfo live = connectionOf(server, client);
        assertEquals(connected.connection().id(), live.id());
        assertEquals(2, live.calls());
        assertEquals(2, live.replies());
        assertTrue(live.bytesIn() >= 2 * 40, "two call headers: " + live.bytesIn());
        assertTrue(live.bytesOut() >= 2 * 28, "two replies: " + live.bytesOut());
        assertFalse(live.connectedSince().isAfter(Instant.now()));
        assertTrue(live.tlsPeerSubject().isEmpty());
        assertTrue(live.kerberosPrincipals().isEmpty());
        assertTrue(live.nfs4ClientIds().isEmpty());
      }
      Event gone = recorder.next();
      assertEquals("disconnected", gone.kind());
      assertEquals(DisconnectCause.CLIENT_CLOSED, gone.cause());
      assertEquals(from, gone.connection().remoteAddress());
      assertEquals(2, gone.connection().calls());
      assertEquals(2, gone.connection().replies());
      recorder.assertNoMoreEvents();
      assertTrue(server.connections().isEmpty());
    }
  }

  @Test
  void anIdleConnectionIsReportedAsTimedOut() throws Exception {
    Recorder recorder = new Recorder();
    try (NfsServer server =
        builder().idleTimeout(Duration.ofMillis(300)).connectionListener(recorder).build()) {
      server.start();
      try (RpcTestClient client = connect(server)) {
        assertEquals(7, answer(client));
        assertTrue(client.awaitClose(), "the server closes the idle connection");
      }
      assertEquals("connected", recorder.next().kind());
      Event gone = recorder.next();
      assertEquals(DisconnectCause.IDLE_TIMEOUT, gone.cause());
      assertEquals(1, gone.connection().calls());
      recorder.assertNoMoreEvents();
    }
  }

  @Test
  void aConnectionThatSendsNoRpcIsReportedAsAnError() throws Exception {
    Recorder recorder = new Recorder();
    try (NfsServer server = builder().connectionListener(recorder).build()) {
      server.start();
      try (RpcTestClient client = connect(server)) {
        // a last fragment of four bytes: too short for any call header
        client.sendRaw(new byte[] {(byte) 0x80, 0, 0, 4, 1, 2, 3, 4});
        assertTrue(client.awaitClose());
      }
      assertEquals("connected", recorder.next().kind());
      Event gone = recorder.next();
      assertEquals(DisconnectCause.ERROR, gone.cause());
      assertEquals(1, gone.connection().calls());
      assertEquals(0, gone.connection().replies());
      recorder.assertNoMoreEvents();
    }
  }

  @Test
  void disconnectClosesTheConnectionAndReportsItKicked() throws Exception {
    Recorder recorder = new Recorder();
    try (NfsServer server = builder().connectionListener(recorder).build()) {
      server.start();
      try (RpcTestClient kicked = connect(server);
          RpcTestClient other = connect(server)) {
        assertEquals(7, answer(kicked));
        assertEquals(7, answer(other));
        long id = connectionOf(server, kicked).id();
        assertTrue(server.disconnect(id));
        assertTrue(kicked.awaitClose(), "the kicked client sees its connection closed");
        assertEquals(7, answer(other), "the other connection is untouched");
        assertFalse(server.disconnect(id), "it is gone");
        assertFalse(server.disconnect(-1));
        Event gone = awaitDisconnection(recorder, e -> e.connection().id() == id);
        assertEquals(DisconnectCause.KICKED, gone.cause());
        assertEquals(1, server.connections().size());
      }
    }
  }

  @Test
  void stopReportsEveryConnectionOnceAsServerStop() throws Exception {
    Recorder recorder = new Recorder();
    NfsServer server = builder().connectionListener(recorder).build();
    server.start();
    try (RpcTestClient a = connect(server);
        RpcTestClient b = connect(server)) {
      assertEquals(7, answer(a));
      assertEquals(7, answer(b));
      server.stop();
      assertTrue(a.awaitClose());
      assertTrue(b.awaitClose());
    }
    Map<Long, List<String>> byConnection = new ConcurrentHashMap<>();
    for (int i = 0; i < 4; i++) {
      Event e = recorder.next();
      byConnection.computeIfAbsent(e.connection().id(), k -> new ArrayList<>()).add(e.kind());
      if (e.kind().equals("disconnected")) {
        assertEquals(DisconnectCause.SERVER_STOP, e.cause());
      }
    }
    recorder.assertNoMoreEvents();
    assertEquals(2, byConnection.size());
    for (List<String> kinds : byConnection.values()) {
      assertEquals(List.of("connected", "disconnected"), kinds);
    }
    assertTrue(server.connections().isEmpty());
  }

  private static Event awaitDisconnection(Recorder recorder, Predicate<Event> which)
      throws InterruptedException {
    while (true) {
      Event e = recorder.next();
      if (e.kind().equals("disconnected") && which.test(e)) {
        return e;
      }
    }
  }

  @Test
  void aFailingListenerDoesNotStopTheServer() throws Exception {
    ConnectionListener failing =
        new ConnectionListener() {
          @Override
          public void connected(ConnectionInfo connection) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void disconnected(ConnectionInfo connection, DisconnectCause cause) {
            throw new IllegalStateException("listener bug");
          }
        };
    Recorder after = new Recorder();
    try (NfsServer server =
        builder().connectionListener(failing).connectionListener(after).build()) {
      server.start();
      try (RpcTestClient client = connect(server)) {
        assertEquals(7, answer(client));
      }
      assertEquals("connected", after.next().kind());
      assertEquals("disconnected", after.next().kind());
      try (RpcTestClient client = connect(server)) {
        assertEquals(7, answer(client));
      }
    }
    ConnectionListener throwsOnAccept =
        new ConnectionListener() {
          @Override
          public boolean accept(ConnectionInfo connection) {
            throw new IllegalStateException("listener bug");
          }
        };
    try (NfsServer server = builder().connectionListener(throwsOnAccept).build()) {
      server.start();
      try (RpcTestClient client = connect(server)) {
        assertClosedWithoutReply(client);
      }
    }
  }

  @Test
  void stopAcceptingRefusesNewConnectionsWhileOpenOnesAreServed() throws Exception {
    try (NfsServer server = builder().build()) {
      server.start();
      int port = server.port();
      try (RpcTestClient client = connect(server)) {
        assertEquals(7, answer(client));
        server.stopAccepting();
        assertNotServed(port);
        assertEquals(7, answer(client), "the open connection is still served");
        assertTrue(server.isRunning());
        assertEquals(1, server.connections().size());
      }
    }
  }

  /**
   * A new connection is refused, or reset unanswered: the operating system closes a listening
   * socket once its event loop lets go of it, and a connection that reached the backlog before
   * then is reset. Soon connecting is refused outright.
   */
  private static void assertNotServed(int port) throws Exception {
    InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
    for (int i = 0; i < 200; i++) {
      try (RpcTestClient late = RpcTestClient.connect(address)) {
        assertClosedWithoutReply(late);
      } catch (ConnectException e) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the listener still takes connections");
  }

  @Test
  void theSixtyFirstConnectionOfAMinuteFromOneAddressIsRefusedByDefault() throws Exception {
    Recorder recorder = new Recorder();
    try (NfsServer server = builder().connectionListener(recorder).build()) {
      server.start();
      for (int i = 0; i < 60; i++) {
        try (RpcTestClient client = connectFrom(server, "127.0.0.1")) {
          assertEquals(7, answer(client), "connection " + (i + 1));
        }
      }
      try (RpcTestClient client = connectFrom(server, "127.0.0.1")) {
        assertClosedWithoutReply(client);
        Refused refused = recorder.nextRefused();
        assertEquals(client.localAddress(), refused.remote());
        assertEquals(ConnectionListener.Refusal.RATE_LIMITED, refused.reason());
      }
      assertEquals(60, recorder.asked.size(), "a refused connection is not offered to accept");
      try (RpcTestClient client = connectFrom(server, "127.0.0.2")) {
        assertEquals(7, answer(client), "another address still connects");
      }
    }
  }

  @Test
  void theRateIsConfigurableAndZeroTurnsItOff() throws Exception {
    try (NfsServer server = builder().maxConnectionRatePerAddress(3).build()) {
      server.start();
      for (int i = 0; i < 3; i++) {
        try (RpcTestClient client = connect(server)) {
          assertEquals(7, answer(client));
        }
      }
      try (RpcTestClient client = connect(server)) {
        assertClosedWithoutReply(client);
      }
    }
    try (NfsServer server = builder().maxConnectionRatePerAddress(0).build()) {
      server.start();
      for (int i = 0; i < 80; i++) {
        try (RpcTestClient client = connect(server)) {
          assertEquals(7, answer(client));
        }
      }
    }
    assertThrows(
        IllegalArgumentException.class, () -> NfsServer.builder().maxConnectionRatePerAddress(-1));
  }

  @Test
  void connectionsBeyondTheMaximumAreClosedBeforeBeingOffered() throws Exception {
    Recorder recorder = new Recorder();
    try (NfsServer server = builder().maxConnections(1).connectionListener(recorder).build()) {
      server.start();
      try (RpcTestClient first = connect(server)) {
        assertEquals(7, answer(first));
        try (RpcTestClient second = connect(server)) {
          assertClosedWithoutReply(second);
          Refused refused = recorder.nextRefused();
          assertEquals(second.localAddress(), refused.remote());
          assertEquals(ConnectionListener.Refusal.TOO_MANY_CONNECTIONS, refused.reason());
        }
        assertEquals(1, recorder.asked.size());
      }
    }
  }
}
