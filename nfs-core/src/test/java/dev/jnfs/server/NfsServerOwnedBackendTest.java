package dev.jnfs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.xdr.XdrEncoder;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server closes the backends it was told it owns when it is closed, and only then: after its
 * port is closed and the calls in flight have answered, once each, whatever another backend's
 * close throws; {@link NfsServer#stop()} leaves them open for a restart.
 */
@ExtendWith(FailOnLeaks.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NfsServerOwnedBackendTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int PROGRAM = 400_003;
  private static final int PROC_WAIT = 1;

  /** Procedure 1 waits for {@link #release}, then answers 42. */
  private static final class WaitingProgram implements RpcProgram {
    final Semaphore started = new Semaphore(0);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean answered;

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
      started.release();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answered = true;
      results.writeInt(42);
    }
  }

  /**
   * A backend that is {@link AutoCloseable}: it counts its closes, runs {@link #onClose} in
   * each, and then throws {@link #failure} if one is set. It is never called otherwise.
   */
  private static final class ClosingBackend implements InvocationHandler {
    final String name;
    final NfsFileSystem fileSystem;
    volatile int closes;
    volatile Runnable onClose = () -> {};
    volatile Exception failure;

    ClosingBackend(String name) {
      this.name = name;
      this.fileSystem =
          (NfsFileSystem)
              Proxy.newProxyInstance(
                  NfsFileSystem.class.getClassLoader(),
                  new Class<?>[] {NfsFileSystem.class, AutoCloseable.class},
                  this);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("close") && method.getParameterCount() == 0) {
        closes++;
        onClose.run();
        if (failure != null) {
          throw failure;
        }
        return null;
      }
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      return switch (method.getName()) {
        case "toString" -> name;
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> throw new UnsupportedOperationException(method.getName());
      };
    }
  }

  private static NfsServer.Builder builder() {
    return NfsServer.builder().bind(LOOPBACK).port(0).udp(false).ioThreads(1);
  }

  private static boolean refuses(int port) throws IOException {
    try {
      RpcTestClient.connect(new InetSocketAddress(LOOPBACK, port)).close();
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (SocketException e) {
      // reset while connecting: it was still in the closing listener's backlog
      if (String.valueOf(e.getMessage()).contains("reset")) {
        return true;
      }
      throw e;
    }
  }

  private static void awaitRefused(int port) throws IOException, InterruptedException {
    for (int i = 0; i < 1000 && !refuses(port); i++) {
      Thread.sleep(10);
    }
    assertTrue(refuses(port), "the listener still accepts connections");
  }

  @Test
  void closeClosesAnOwnedBackendOnceThePortIsClosedAndTheCallInFlightAnswered()
      throws Exception {
    WaitingProgram program = new WaitingProgram();
    ClosingBackend backend = new ClosingBackend("owned");
    ClosingBackend other = new ClosingBackend("not owned");
    NfsServer server =
        builder()
            .shutdownGracePeriod(Duration.ofSeconds(20))
            .protocol(c -> List.of(program))
            .export("/owned", backend.fileSystem)
            .export("/other", other.fileSystem)
            .ownBackend(backend.fileSystem)
            .build();
    server.start();
    int port = server.port();
    List<String> seenAtClose = new ArrayList<>();
    backend.onClose =
        () -> {
          try {
            seenAtClose.add("answered=" + program.answered + " refused=" + refuses(port));
          } catch (IOException e) {
            seenAtClose.add(e.toString());
          }
        };
    try (RpcTestClient client = RpcTestClient.connect(new InetSocketAddress(LOOPBACK, port))) {
      client.send(PROGRAM, 1, PROC_WAIT, Credential.None.INSTANCE, new byte[0]);
      program.started.acquire();
      Thread closer = Thread.ofPlatform().name("closer").start(server::close);
      awaitRefused(port);
      assertEquals(0, backend.closes, "closed while a call is in flight");
      program.release.countDown();
      RpcReply reply = client.receive();
      assertTrue(reply.isSuccess());
      assertEquals(42, reply.decoder().readInt(), "the call in flight was answered");
      closer.join();
    } finally {
      program.release.countDown();
    }
    assertEquals(1, backend.closes);
    assertEquals(List.of("answered=true refused=true"), seenAtClose);
    assertEquals(0, other.closes, "a backend the server does not own stays open");
  }

  @Test
  void stopLeavesOwnedBackendsOpenSoTheServerCanStartAgain() {
    ClosingBackend backend = new ClosingBackend("owned");
    NfsServer server =
        builder()
            .protocol(c -> List.of())
            .ownBackend(backend.fileSystem) // before the export: the order does not matter
            .export("/a", backend.fileSystem)
            .build();
    server.start();
    server.stop();
    assertEquals(0, backend.closes);
    server.start();
    assertTrue(server.isRunning());
    server.close();
    assertEquals(1, backend.closes);
    server.close();
    assertEquals(1, backend.closes, "closing again does nothing");
    assertThrows(IllegalStateException.class, server::start);
  }

  @Test
  void aFailingCloseIsLoggedAndTheOtherOwnedBackendsAreStillClosed() {
    ClosingBackend failing = new ClosingBackend("failing");
    failing.failure = new IOException("disk gone");
    ClosingBackend next = new ClosingBackend("next");
    NfsServer server =
        builder()
            .protocol(c -> List.of())
            .export("/failing", failing.fileSystem)
            .export("/next", next.fileSystem)
            .ownBackend(failing.fileSystem)
            .ownBackend(next.fileSystem)
            .build();
    server.start();
    server.close();
    assertEquals(1, failing.closes);
    assertEquals(1, next.closes);
  }

  @Test
  void aBackendExportedTwiceIsClosedOnceEvenWhenTheServerNeverStarted() {
    ClosingBackend backend = new ClosingBackend("shared");
    NfsServer server =
        builder()
            .export("/a", backend.fileSystem)
            .export("/b", backend.fileSystem)
            .ownBackend(backend.fileSystem)
            .ownBackend(backend.fileSystem)
            .export("/memory", new InMemoryFileSystem())
            .build();
    server.close();
    assertEquals(1, backend.closes);
  }

  @Test
  void anOwnedBackendMustBeExported() {
    ClosingBackend backend = new ClosingBackend("stray");
    NfsServer.Builder builder =
        builder().export("/memory", new InMemoryFileSystem()).ownBackend(backend.fileSystem);
    assertThrows(IllegalArgumentException.class, builder::build);
    assertEquals(0, backend.closes);
  }
}
