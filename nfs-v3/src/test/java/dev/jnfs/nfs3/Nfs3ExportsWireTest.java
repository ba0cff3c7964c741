package dev.jnfs.nfs3;

import static dev.jnfs.nfs3.Nfs3OverRpcTest.ROOT;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.args;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.connect;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.mount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.mount.MountProgram;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.rpc.testing.StabilityRecordingFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.Stability;
import dev.jnfs.xdr.XdrDecoder;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exports as admins write them, through MOUNT and NFSv3 on the wire: options per client on one
 * line, host-name wildcards, {@code sync} and {@code async}, and exports added and removed
 * while clients stay connected.
 */
class Nfs3ExportsWireTest {
  private static final int NFS = Nfs3Program.PROGRAM;
  private static final int OK = 0;
  private static final int ACCES = 13;
  private static final int NOENT = 2;
  private static final int ROFS = 30;
  private static final int STALE = 70;

  private static final StabilityRecordingFileSystem SYNC = new StabilityRecordingFileSystem();
  private static final StabilityRecordingFileSystem ASYNC = new StabilityRecordingFileSystem();
  private static final StabilityRecordingFileSystem AS_ASKED = new StabilityRecordingFileSystem();

  private static RunningServer server;

  @BeforeAll
  static void start() {
    server = RunningServer.start(false,
        new Export("/two", null, TestBackends.create(), ExportOptions.parseClients(
            "127.0.0.1(rw,no_root_squash,insecure) 127.0.0.2(ro,insecure)")),
        new Export("/named", null, TestBackends.create(),
            ExportOptions.parseClients("localhos?(rw,insecure)")),
        new Export("/sync", null, SYNC.backend, ExportOptions.parseClients("*(rw,insecure,sync)")),
        new Export("/async", null, ASYNC.backend,
            ExportOptions.parseClients("*(rw,insecure,async)")),
        new Export("/plain", null, AS_ASKED.backend, ExportOptions.parseClients("*(rw,insecure)")));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static int mountStatus(RpcTestClient c, String path) throws IOException {
    RpcReply r = c.call(MountProgram.PROGRAM, 3, 1, ROOT, args(e -> e.writeString(path)));
    return r.decoder().readInt();
  }

  /** CREATE (UNCHECKED) as root; answers the status and, on success, the new file's handle. */
  private static XdrDecoder create(RpcTestClient c, byte[] dir, String name) throws IOException {
    return c.call(NFS, 3, Nfs3Program.CREATE, ROOT, args(e -> {
      e.writeOpaque(dir).writeString(name).writeInt(0);
      Nfs3Replies.noSattr(e);
    })).decoder();
  }

  private static byte[] createFile(RpcTestClient c, byte[] dir, String name) throws IOException {
    XdrDecoder d = create(c, dir, name);
    assertEquals(OK, d.readInt(), "CREATE " + name);
    return Nfs3Replies.postOpFh(d);
  }

  /** WRITE four bytes; answers the committed stability of the reply. */
  private static int write(RpcTestClient c, byte[] fh, Stability stable) throws IOException {
    XdrDecoder d = c.call(NFS, 3, Nfs3Program.WRITE, ROOT, args(e -> e.writeOpaque(fh)
        .writeHyper(0).writeInt(4).writeInt(stable.ordinal()).writeOpaque(new byte[] {1, 2, 3, 4})))
        .decoder();
    assertEquals(OK, d.readInt());
    Nfs3Replies.wcc(d);
    assertEquals(4, d.readInt());
    return d.readInt();
  }

  private static void commit(RpcTestClient c, byte[] fh) throws IOException {
    XdrDecoder d = c.call(NFS, 3, Nfs3Program.COMMIT, ROOT,
        args(e -> e.writeOpaque(fh).writeHyper(0).writeInt(0))).decoder();
    assertEquals(OK, d.readInt());
    Nfs3Replies.wcc(d);
    assertEquals(server.context().writeVerifier(), d.readHyper());
  }

  private static int getattr(RpcTestClient c, byte[] fh) throws IOException {
    return c.call(NFS, 3, Nfs3Program.GETATTR, ROOT, args(e -> e.writeOpaque(fh))).decoder().readInt();
  }

  @Test
  void eachClientOfALineGetsItsOwnOptions() throws Exception {
    try (RpcTestClient first = connect(server.nfsAddress(), "127.0.0.1", false)) {
      byte[] root = mount(first, "/two");
      XdrDecoder d = create(first, root, "by-first");
      assertEquals(OK, d.readInt());
      Nfs3Replies.postOpFh(d);
      assertEquals(0, Nfs3Replies.postOp(d).uid(), "no_root_squash for 127.0.0.1");
    }
    try (RpcTestClient second = connect(server.nfsAddress(), "127.0.0.2", false)) {
      byte[] root = mount(second, "/two");
      assertEquals(ROFS, create(second, root, "by-second").readInt(), "ro for 127.0.0.2");
      assertEquals(OK, getattr(second, root), "reading is allowed");
    }
    try (RpcTestClient third = connect(server.nfsAddress(), "127.0.0.3", false)) {
      assertEquals(ACCES, mountStatus(third, "/two"), "a client the line does not list");
    }
  }

  @Test
  void hostNameWildcardAdmitsByReverseLookup() throws Exception {
    // 127.0.0.1 is "localhost" in every hosts file; 127.0.0.2 has no name here
    try (RpcTestClient named = connect(server.nfsAddress(), "127.0.0.1", false)) {
      byte[] root = mount(named, "/named");
      assertEquals(OK, getattr(named, root));
    }
    try (RpcTestClient unnamed = connect(server.nfsAddress(), "127.0.0.2", false)) {
      assertEquals(ACCES, mountStatus(unnamed, "/named"));
    }
  }

  @Test
  void syncMakesAnUnstableWriteFileSyncBeforeTheReply() throws Exception {
    try (RpcTestClient c = RpcTestClient.connect(server.nfsAddress())) {
      byte[] fh = createFile(c, mount(c, "/sync"), "sync-file");
      SYNC.writes.clear();
      assertEquals(Stability.FILE_SYNC.ordinal(), write(c, fh, Stability.UNSTABLE));
      assertEquals(List.of(Stability.FILE_SYNC), SYNC.writes, "the backend was asked for FILE_SYNC");
      int commits = SYNC.commits.get();
      commit(c, fh);
      assertEquals(commits + 1, SYNC.commits.get(), "COMMIT still reaches the backend");
    }
  }

  @Test
  void asyncAnswersWhatWasAskedWithoutForcing() throws Exception {
    try (RpcTestClient c = RpcTestClient.connect(server.nfsAddress())) {
      byte[] fh = createFile(c, mount(c, "/async"), "async-file");
      ASYNC.writes.clear();
      int commits = ASYNC.commits.get();
      assertEquals(Stability.FILE_SYNC.ordinal(), write(c, fh, Stability.FILE_SYNC));
      assertEquals(List.of(Stability.UNSTABLE), ASYNC.writes);
      commit(c, fh);
      assertEquals(commits, ASYNC.commits.get(), "COMMIT answered without the backend");
    }
  }

  @Test
  void withoutEitherWordTheClientsStabilityIsPassedOn() throws Exception {
    try (RpcTestClient c = RpcTestClient.connect(server.nfsAddress())) {
      byte[] fh = createFile(c, mount(c, "/plain"), "plain-file");
      AS_ASKED.writes.clear();
      assertEquals(Stability.UNSTABLE.ordinal(), write(c, fh, Stability.UNSTABLE));
      assertEquals(Stability.FILE_SYNC.ordinal(), write(c, fh, Stability.FILE_SYNC));
      assertEquals(List.of(Stability.UNSTABLE, Stability.FILE_SYNC), AS_ASKED.writes);
      int commits = AS_ASKED.commits.get();
      commit(c, fh);
      assertEquals(commits + 1, AS_ASKED.commits.get());
    }
  }

  @Test
  void exportsComeAndGoWhileTheConnectionStays() throws Exception {
    NfsFileSystem fs = TestBackends.create();
    try (RpcTestClient c = RpcTestClient.connect(server.nfsAddress())) {
      assertEquals(NOENT, mountStatus(c, "/late"));
      server.server.addExport("/late", fs, ExportOptions.parseClients("*(rw,insecure)"));
      byte[] root = mount(c, "/late");
      byte[] file = createFile(c, root, "kept");
      assertEquals(OK, getattr(c, file));

      assertTrue(server.server.removeExport("/late"));
      assertFalse(server.server.removeExport("/late"));
      assertEquals(STALE, getattr(c, file), "a removed export's handles are stale");
      assertEquals(STALE, getattr(c, root));
      assertEquals(NOENT, mountStatus(c, "/late"));

      server.server.addExport("/late", fs, ExportOptions.parseClients("*(ro,insecure)"));
      assertEquals(OK, getattr(c, file), "added again: the old handles work");
      assertEquals(ROFS, create(c, root, "new").readInt(), "with the new options");

      List<Export> others = server.context().exports().all().stream()
          .filter(e -> !e.path().equals("/late")).toList();
      server.server.replaceExports(others);
      assertEquals(STALE, getattr(c, file), "replaced without it");
      assertEquals(OK, getattr(c, mount(c, "/plain")), "the others are still served");
    }
  }
}
