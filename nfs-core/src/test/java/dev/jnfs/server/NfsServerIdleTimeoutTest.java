package dev.jnfs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.xdr.XdrEncoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link NfsServer.Builder#idleTimeout}: idle connections are closed, busy ones are not. */
@ExtendWith(FailOnLeaks.class)
class NfsServerIdleTimeoutTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int PROGRAM = 400_003;
  private static final int PROC_ANSWER = 1;
  private static final int PROC_BLOCK = 2;
  private static final Duration IDLE = Duration.ofMillis(300);

  /** Procedure 1 answers 7; procedure 2 answers 8 once {@link #gate} gives a permit. */
  private static final class GatedProgram implements RpcProgram {
    final Semaphore gate = new Semaphore(0);
    final Semaphore started = new Semaphore(0);

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
      if (call.procedure() == PROC_BLOCK) {
        started.release();
        gate.acquireUninterruptibly();
        results.writeInt(8);
        return;
      }
      results.writeInt(7);
    }
  }

  private static NfsServer server(GatedProgram program, Duration idle) {
    return NfsServer.builder()
        .bind(LOOPBACK)
        .port(0)
        .idleTimeout(idle)
        .protocol(c -> List.of(program))
        .build();
  }

  private static RpcTestClient connect(NfsServer server) throws IOException {
    return RpcTestClient.connect(new InetSocketAddress(LOOPBACK, server.port()));
  }

  @Test
  void anIdleConnectionIsClosed() throws IOException {
    GatedProgram program = new GatedProgram();
    try (NfsServer server = server(program, IDLE)) {
      server.start();
      try (RpcTestClient client = connect(server)) {
        assertEquals(7, client.call(PROGRAM, 1, PROC_ANSWER, new byte[0]).decoder().readInt());
        assertTrue(client.awaitClose(), "the server closes the idle connection");
      }
      try (RpcTestClient client = connect(server)) {
        assertTrue(client.awaitClose(), "a connection that never sends a call is closed too");
      }
    }
  }

  @Test
  void aConnectionWithACallInFlightStaysOpen() throws Exception {
    GatedProgram program = new GatedProgram();
    try (NfsServer server = server(program, IDLE)) {
      server.start();
      try (RpcTestClient client = connect(server)) {
        int xid = client.send(PROGRAM, 1, PROC_BLOCK, Credential.None.INSTANCE, new byte[0]);
        program.started.acquire();
        // several idle periods pass while the call runs
        Thread.sleep(IDLE.toMillis() * 4);
        program.gate.release();
        RpcReply reply = client.receive();
        assertEquals(xid, reply.xid());
        assertEquals(8, reply.decoder().readInt());
        // the same connection still takes calls right after the long call
        assertEquals(7, client.call(PROGRAM, 1, PROC_ANSWER, new byte[0]).decoder().readInt());
        assertTrue(client.awaitClose(), "once idle, it is closed");
      }
    }
  }

  @Test
  void callsArrivingMoreOftenThanTheTimeoutKeepTheConnectionOpen() throws Exception {
    GatedProgram program = new GatedProgram();
    try (NfsServer server = server(program, IDLE)) {
      server.start();
      try (RpcTestClient client = connect(server)) {
        // together the calls span several idle periods; none of the gaps is one
        for (int i = 0; i < 12; i++) {
          assertEquals(
              7, client.call(PROGRAM, 1, PROC_ANSWER, new byte[0]).decoder().readInt());
          Thread.sleep(IDLE.toMillis() / 3);
        }
      }
    }
  }

  @Test
  void aNegativeTimeoutIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> NfsServer.builder().idleTimeout(Duration.ofSeconds(-1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> NfsServer.builder().shutdownGracePeriod(Duration.ofSeconds(-1)));
  }
}
