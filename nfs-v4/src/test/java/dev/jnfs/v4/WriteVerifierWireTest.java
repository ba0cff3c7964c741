package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Compound.WriteReply;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.TcpClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NFSv4 through a real server: the write verifier changes whenever the backend reports that
 * written data may not have reached the disk, so COMMIT never answers OK with the verifier of
 * WRITEs a failed sync lost. The verifier is the server's, shared with NFSv3.
 */
class WriteVerifierWireTest {
  private static final int UNSTABLE4 = 0;
  private static final int DATA_SYNC4 = 1;
  private static final int FILE_SYNC4 = 2;

  private final AtomicReference<NfsStatus> failSyncs = new AtomicReference<>();
  private NfsServer server;
  private TcpClient client;

  @BeforeEach
  void start() throws Exception {
    InMemoryFileSystem memory = new InMemoryFileSystem();
    memory.create(Caller.of(0, 0), memory.root(), "f", CreateMode.GUARDED, SetAttributes.mode(0666), 0);
    server = NfsServer.builder().bind("127.0.0.1").port(0)
        .protocol(new Nfs4Protocol(StateConfig.defaults().withGracePeriod(Duration.ZERO)))
        .export("/data", syncFailing(memory), Fixture.RW).build();
    server.start();
    client = new TcpClient(server.port(), 0, 0);
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop();
  }

  /** The in-memory backend, whose COMMIT and stable WRITE fail while {@link #failSyncs} is set. */
  private NfsFileSystem syncFailing(InMemoryFileSystem delegate) {
    return (NfsFileSystem) Proxy.newProxyInstance(
        NfsFileSystem.class.getClassLoader(), new Class<?>[] {NfsFileSystem.class},
        (proxy, method, a) -> {
          NfsStatus failure = failSyncs.get();
          boolean sync = method.getName().equals("commit")
              || (method.getName().equals("write") && a[a.length - 1] != Stability.UNSTABLE);
          if (failure != null && sync) {
            throw new NfsException(failure, "the disk refused to sync");
          }
          try {
            return method.invoke(delegate, a);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private Compound file() {
    return Compound.v40().putrootfh().lookup("data").lookup("f");
  }

  private Reply write(int stable) {
    return client.call(file().write(Stateid.ANONYMOUS, 0, stable, new byte[] {1, 2, 3}));
  }

  private long writeOk(int stable) {
    Reply r = write(stable);
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    return ((WriteReply) r.last().value()).verifier();
  }

  private Reply commit() {
    return client.call(file().commit(0, 0));
  }

  private long commitOk() {
    Reply r = commit();
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    return (Long) r.last().value();
  }

  @Test
  void commitThatFailsToSyncAnswersIoAndChangesTheVerifier() {
    long unstable = writeOk(UNSTABLE4);
    assertEquals(unstable, commitOk(), "a COMMIT that works keeps the verifier");
    writeOk(UNSTABLE4);
    failSyncs.set(NfsStatus.IO);
    assertEquals(Nfs4Status.IO, commit().status(), "never OK with the verifier of lost writes");
    failSyncs.set(null);
    long next = commitOk();
    assertNotEquals(unstable, next, "the client sees the change and writes again");
    assertEquals(next, writeOk(UNSTABLE4));
  }

  @Test
  void stableWriteThatFailsToSyncChangesTheVerifier() {
    long verifier = writeOk(UNSTABLE4);
    for (int stable : new int[] {FILE_SYNC4, DATA_SYNC4}) {
      failSyncs.set(NfsStatus.IO);
      assertEquals(Nfs4Status.IO, write(stable).status());
      failSyncs.set(null);
      long next = commitOk();
      assertNotEquals(verifier, next);
      verifier = next;
    }
  }

  @Test
  void failuresThatLoseNothingKeepTheVerifier() {
    long before = writeOk(UNSTABLE4);
    failSyncs.set(NfsStatus.ACCES);
    assertEquals(Nfs4Status.ACCESS, commit().status());
    failSyncs.set(null);
    assertEquals(before, commitOk());
  }
}
