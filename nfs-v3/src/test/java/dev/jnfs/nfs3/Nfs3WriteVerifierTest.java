package dev.jnfs.nfs3;

import static dev.jnfs.nfs3.Nfs3OverRpcTest.ROOT;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.args;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.mount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.Stability;
import dev.jnfs.xdr.XdrDecoder;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write verifier changes whenever a backend reports that written data may not have reached
 * the disk: COMMIT never answers OK with the verifier of WRITEs whose data a failed sync lost.
 */
class Nfs3WriteVerifierTest {
  private static final int NFS = Nfs3Program.PROGRAM;
  private static final int IO = 5;
  private static final int UNSTABLE = 0;
  private static final int DATA_SYNC = 1;
  private static final int FILE_SYNC = 2;

  /** What the backend fails next: nothing, or syncs (COMMIT and stable WRITEs) with a status. */
  private final AtomicReference<NfsStatus> failSyncs = new AtomicReference<>();
  private RunningServer server;
  private RpcTestClient client;
  private byte[] file;

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(false, new Export("/data", null, syncFailing(new InMemoryFileSystem()),
        ExportOptions.DEFAULT.with("insecure,no_root_squash")));
    client = RpcTestClient.connect(server.nfsAddress());
    byte[] root = mount(client, "/data");
    XdrDecoder d = client.call(NFS, 3, Nfs3Program.CREATE, ROOT, args(e -> {
      e.writeOpaque(root);
      Nfs3Replies.name(e, "f");
      e.writeInt(0); // UNCHECKED
      Nfs3Replies.noSattr(e);
    })).decoder();
    assertEquals(0, d.readInt());
    file = Nfs3Replies.postOpFh(d);
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.close();
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

  /** A WRITE's status, and for NFS3_OK its verifier (else 0). */
  private record Written(int status, long verifier) {}

  private Written write(int stable) throws IOException {
    XdrDecoder d = client.call(NFS, 3, Nfs3Program.WRITE, ROOT, args(e -> e.writeOpaque(file)
        .writeHyper(0).writeInt(3).writeInt(stable).writeOpaque(new byte[] {1, 2, 3}))).decoder();
    int status = d.readInt();
    Nfs3Replies.wcc(d);
    if (status != 0) {
      return new Written(status, 0);
    }
    d.readInt(); // count
    d.readInt(); // committed
    return new Written(status, d.readHyper());
  }

  private Written commit() throws IOException {
    XdrDecoder d = client.call(NFS, 3, Nfs3Program.COMMIT, ROOT,
        args(e -> e.writeOpaque(file).writeHyper(0).writeInt(0))).decoder();
    int status = d.readInt();
    Nfs3Replies.wcc(d);
    return new Written(status, status == 0 ? d.readHyper() : 0);
  }

  @Test
  void commitThatFailsToSyncAnswersIoAndChangesTheVerifier() throws Exception {
    long before = write(UNSTABLE).verifier();
    assertEquals(before, commit().verifier(), "a COMMIT that works keeps the verifier");
    long unstable = write(UNSTABLE).verifier();
    assertEquals(before, unstable);
    failSyncs.set(NfsStatus.IO);
    assertEquals(IO, commit().status(), "never OK with the verifier of lost writes");
    failSyncs.set(null);
    // the lost write's verifier is gone: the client sees the change and writes again
    Written next = commit();
    assertEquals(0, next.status());
    assertNotEquals(unstable, next.verifier());
    assertEquals(next.verifier(), write(UNSTABLE).verifier(), "the new verifier stays");
    assertEquals(next.verifier(), server.context().writeVerifier());
  }

  @Test
  void stableWriteThatFailsToSyncChangesTheVerifier() throws Exception {
    long before = write(UNSTABLE).verifier();
    for (int stable : new int[] {FILE_SYNC, DATA_SYNC}) {
      long current = server.context().writeVerifier();
      failSyncs.set(NfsStatus.IO);
      assertEquals(IO, write(stable).status());
      failSyncs.set(null);
      // the failed sync may have swallowed the error of earlier UNSTABLE data of the file
      assertNotEquals(current, commit().verifier());
    }
    assertNotEquals(before, write(FILE_SYNC).verifier());
  }

  @Test
  void noSpaceAtCommitChangesTheVerifier() throws Exception {
    long before = write(UNSTABLE).verifier();
    failSyncs.set(NfsStatus.NOSPC);
    assertEquals(NfsStatus.NOSPC.nfs3Code(), commit().status());
    failSyncs.set(null);
    assertNotEquals(before, commit().verifier());
  }

  @Test
  void failuresThatLoseNothingKeepTheVerifier() throws Exception {
    long before = write(UNSTABLE).verifier();
    failSyncs.set(NfsStatus.ACCES);
    assertEquals(NfsStatus.ACCES.nfs3Code(), commit().status());
    failSyncs.set(null);
    assertEquals(before, commit().verifier());
  }
}
