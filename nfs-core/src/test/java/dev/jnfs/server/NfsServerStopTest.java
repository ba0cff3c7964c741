package dev.jnfs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link NfsServer#stop()} returns while calls are stuck: in a handler that never returns, on
 * the network thread or on the executor, and in a program whose close never returns. The
 * class timeout is what fails a test whose stop hangs.
 */
@ExtendWith(FailOnLeaks.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NfsServerStopTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int PROGRAM = 400_002;
  private static final int PROC_BLOCK = 1;
  private static final int PROC_ANSWER = 2;

  /**
   * Procedure 1 blocks, ignoring interrupts, until {@link #release} (or forever); procedure 2
   * answers 42. Its close blocks the same way when asked to.
   */
  private static final class StuckProgram implements RpcProgram, AutoCloseable {
    final boolean nonBlocking;
    final boolean stuckClose;
    final CountDownLatch release = new CountDownLatch(1);
    final Semaphore started = new Semaphore(0);
    volatile boolean closed;

    StuckProgram(boolean nonBlocking, boolean stuckClose) {
      this.nonBlocking = nonBlocking;
      this.stuckClose = stuckClose;
    }

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
    public boolean isNonBlocking(int version, int procedure) {
      return nonBlocking;
    }

    @Override
    public void handle(RpcCall call, XdrEncoder results) {
      if (call.procedure() == PROC_BLOCK) {
        started.release();
        awaitRelease();
      }
      results.writeInt(42);
    }

    private void awaitRelease() {
      boolean interrupted = false;
      while (true) {
        try {
          release.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      closed = true;
      if (stuckClose) {
        awaitRelease();
      }
    }
  }

  private static NfsServer server(StuckProgram program) {
    return NfsServer.builder()
        .bind(LOOPBACK)
        .port(0)
        .ioThreads(1)
        .shutdownGracePeriod(Duration.ofMillis(200))
        .protocol(c -> List.of(program))
        .build();
  }

  /** Sends a call that blocks and waits until its handler runs. */
  private static RpcTestClient blockOne(NfsServer server, StuckProgram program)
      throws IOException, InterruptedException {
    RpcTestClient client =
        RpcTestClient.connect(new InetSocketAddress(LOOPBACK, server.port()));
    client.send(PROGRAM, 1, PROC_BLOCK, Credential.None.INSTANCE, new byte[0]);
    program.started.acquire();
    return client;
  }

  private static void assertRefused(int port) {
    assertThrows(
        ConnectException.class,
        () -> RpcTestClient.connect(new InetSocketAddress(LOOPBACK, port)).close());
  }

  /**
   * Connects until the listener is gone: a bounded number of attempts. A connection reset while
   * connecting means the same: it was still in the closing listener's backlog.
   */
  private static void awaitRefused(int port) throws IOException, InterruptedException {
    for (int i = 0; i < 1000; i++) {
      try {
        RpcTestClient.connect(new InetSocketAddress(LOOPBACK, port)).close();
      } catch (ConnectException e) {
        return;
      } catch (java.net.SocketException e) {
        if (String.valueOf(e.getMessage()).contains("reset")) {
          return;
        }
        throw e;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the listener still accepts connections");
  }

  @Test
  void stopReturnsWhileAHandlerOnTheExecutorNeverReturns() throws Exception {
    StuckProgram program = new StuckProgram(false, false);
    NfsServer server = server(program);
    server.start();
    int port = server.port();
    try (RpcTestClient client = blockOne(server, program)) {
      server.stop();
      assertFalse(server.isRunning());
      assertTrue(program.closed, "programs are closed even though a call is stuck");
      assertTrue(client.awaitClose(), "the connection of the stuck call is closed");
      assertRefused(port);
    } finally {
      program.release.countDown();
    }
  }

  @Test
  void stopReturnsWhileAHandlerOnTheNetworkThreadNeverReturns() throws Exception {
    StuckProgram program = new StuckProgram(true, false);
    NfsServer server = server(program);
    server.start();
    int port = server.port();
    try (RpcTestClient client = blockOne(server, program)) {
      server.stop();
      assertFalse(server.isRunning());
      assertTrue(program.closed);
      assertRefused(port);
    } finally {
      program.release.countDown();
    }
  }

  @Test
  void stopReturnsWhileAHandlerOnAGivenExecutorNeverReturns() throws Exception {
    StuckProgram program = new StuckProgram(false, false);
    ExecutorService executor = Executors.newCachedThreadPool();
    NfsServer server =
        NfsServer.builder()
            .bind(LOOPBACK)
            .port(0)
            .executor(executor)
            .shutdownGracePeriod(Duration.ofMillis(200))
            .protocol(c -> List.of(program))
            .build();
    server.start();
    try (RpcTestClient client = blockOne(server, program)) {
      server.stop();
      assertFalse(server.isRunning());
      assertFalse(executor.isShutdown(), "an executor given to the server stays the user's");
    } finally {
      program.release.countDown();
      executor.shutdown();
    }
  }

  @Test
  void stopReturnsWhileAProgramCloseNeverReturns() throws Exception {
    StuckProgram program = new StuckProgram(false, true);
    NfsServer server = server(program);
    server.start();
    int port = server.port();
    try {
      server.stop();
      assertFalse(server.isRunning());
      assertTrue(program.closed);
      assertRefused(port);
    } finally {
      program.release.countDown();
    }
  }

  @Test
  void aCallFinishingWithinTheGracePeriodIsAnswered() throws Exception {
    StuckProgram program = new StuckProgram(false, false);
    NfsServer server =
        NfsServer.builder()
            .bind(LOOPBACK)
            .port(0)
            .shutdownGracePeriod(Duration.ofSeconds(30))
            .protocol(c -> List.of(program))
            .build();
    server.start();
    int port = server.port();
    try (RpcTestClient client = blockOne(server, program)) {
      Thread stopper = Thread.ofPlatform().start(server::stop);
      // the listener closes first; the call still runs, then gets its reply before the
      // connection closes
      awaitRefused(port);
      program.release.countDown();
      RpcReply reply = client.receive();
      assertTrue(reply.isSuccess());
      assertEquals(42, reply.decoder().readInt());
      stopper.join();
      assertTrue(client.awaitClose());
    } finally {
      program.release.countDown();
    }
  }

  @Test
  void aStoppedServerStartsAgainAfterAStuckCall() throws Exception {
    StuckProgram program = new StuckProgram(true, false);
    NfsServer server = server(program);
    server.start();
    try (RpcTestClient client = blockOne(server, program)) {
      server.stop();
    } finally {
      program.release.countDown();
    }
    server.start();
    try (RpcTestClient client =
        RpcTestClient.connect(new InetSocketAddress(LOOPBACK, server.port()))) {
      RpcReply reply = client.call(PROGRAM, 1, PROC_ANSWER, new byte[0]);
      assertEquals(42, reply.decoder().readInt());
    } finally {
      server.stop();
    }
  }
}
