package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.testing.StabilityRecordingFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.TcpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exports as admins write them, through NFSv4 on the wire: options per client, an export's
 * alias in the pseudo file system, {@code sync} and {@code async}, and exports added and
 * removed while the client stays connected.
 */
class ExportsWireTest {
  private static final int UNSTABLE = 0;
  private static final int FILE_SYNC = 2;

  final StabilityRecordingFileSystem sync = new StabilityRecordingFileSystem();
  final StabilityRecordingFileSystem async = new StabilityRecordingFileSystem();
  final NfsFileSystem two = new InMemoryFileSystem();
  NfsServer server;
  TcpClient client;

  @BeforeEach
  void start() throws Exception {
    for (NfsFileSystem fs : List.of(sync.backend, async.backend, two)) {
      createFile(fs, "f");
    }
    sync.writes.clear();
    async.writes.clear();
    server = NfsServer.builder().bind("127.0.0.1").port(0)
        .protocol(new Nfs4Protocol(StateConfig.defaults().withGracePeriod(Duration.ZERO)))
        .export("/two", two, ExportOptions.parseClients(
            "127.0.0.1(rw,insecure,no_root_squash) 127.0.0.2(ro,insecure,no_root_squash)"))
        .export(new Export("/srv/data/long", "/short", new InMemoryFileSystem(), Fixture.RW))
        .export("/sync", sync.backend, ExportOptions.parseClients("*(rw,insecure,sync)"))
        .export("/async", async.backend, ExportOptions.parseClients("*(rw,insecure,async)"))
        .build();
    server.start();
    client = new TcpClient(server.port(), 0, 0);
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop();
  }

  private static void createFile(NfsFileSystem fs, String name) throws NfsException {
    Caller root = Caller.of(0, 0);
    fs.create(root, fs.root(), name, CreateMode.GUARDED, SetAttributes.mode(0666), 0);
  }

  private static Compound at(String... path) {
    Compound c = Compound.v40().putrootfh();
    for (String name : path) {
      c = c.lookup(name);
    }
    return c;
  }

  private Compound.WriteReply write(String export, int stable) {
    Reply r = client.call(at(export, "f").write(Stateid.ANONYMOUS, 0, stable, new byte[] {1, 2}));
    assertEquals(Nfs4Status.OK, r.status(), "WRITE on " + export);
    return r.last().value();
  }

  @Test
  void eachClientGetsItsOwnOptions() throws Exception {
    assertEquals(Nfs4Status.OK, client.call(at("two", "f")
        .write(Stateid.ANONYMOUS, 0, FILE_SYNC, new byte[] {1})).status(), "rw for 127.0.0.1");
    try (TcpClient second = new TcpClient(server.port(), "127.0.0.2", 0, 0)) {
      assertEquals(Nfs4Status.OK, second.call(at("two", "f").getattr()).status());
      assertEquals(Nfs4Status.ROFS, second.call(at("two", "f")
          .write(Stateid.ANONYMOUS, 0, FILE_SYNC, new byte[] {1})).status(), "ro for 127.0.0.2");
    }
    try (TcpClient third = new TcpClient(server.port(), "127.0.0.3", 0, 0)) {
      assertEquals(Nfs4Status.NOENT, third.call(at("two")).status(),
          "an export that does not admit the client is not in its namespace");
    }
  }

  @Test
  void anAliasLeadsToTheExportLikeItsPath() {
    byte[] byPath = client.call(at("srv", "data", "long").getfh()).last().value();
    Reply byAlias = client.call(at("short").getfh());
    assertEquals(Nfs4Status.OK, byAlias.status());
    assertArrayEquals(byPath, byAlias.last().value(), "the export's root, not a pseudo directory");
    assertEquals(Nfs4Status.OK, client.call(at("short").mkdir("made-via-alias",
        dev.jnfs.v4.testing.Attrs.set())).status());
    assertEquals(Nfs4Status.OK, client.call(at("srv", "data", "long", "made-via-alias")).status());
  }

  @Test
  void syncMakesAnUnstableWriteFileSyncBeforeTheReply() {
    Compound.WriteReply w = write("sync", UNSTABLE);
    assertEquals(FILE_SYNC, w.committed());
    assertEquals(List.of(Stability.FILE_SYNC), sync.writes, "the backend was asked for FILE_SYNC");
    int commits = sync.commits.get();
    assertEquals(Nfs4Status.OK, client.call(at("sync", "f").commit(0, 0)).status());
    assertEquals(commits + 1, sync.commits.get(), "COMMIT still reaches the backend");
  }

  @Test
  void asyncAnswersWhatWasAskedWithoutForcing() {
    Compound.WriteReply w = write("async", FILE_SYNC);
    assertEquals(FILE_SYNC, w.committed());
    assertEquals(List.of(Stability.UNSTABLE), async.writes);
    int commits = async.commits.get();
    assertEquals(Nfs4Status.OK, client.call(at("async", "f").commit(0, 0)).status());
    assertEquals(commits, async.commits.get(), "COMMIT answered without the backend");
  }

  @Test
  void exportsComeAndGoWhileTheConnectionStays() throws Exception {
    NfsFileSystem fs = new InMemoryFileSystem();
    createFile(fs, "kept");
    assertEquals(Nfs4Status.NOENT, client.call(at("late")).status());
    server.addExport("/late", fs, ExportOptions.parseClients("*(rw,insecure)"));
    Reply found = client.call(at("late", "kept").getfh());
    assertEquals(Nfs4Status.OK, found.status());
    byte[] file = found.last().value();

    assertTrue(server.removeExport("/late"));
    Reply stale = client.call(Compound.v40().putfh(file).getattr());
    assertEquals(Nfs4Status.STALE, stale.status(), "PUTFH of a removed export's handle");
    assertEquals(Nfs4Status.NOENT, client.call(at("late")).status());

    server.addExport("/late", fs, ExportOptions.parseClients("*(ro,insecure)"));
    assertEquals(Nfs4Status.OK, client.call(Compound.v40().putfh(file).getattr()).status(),
        "added again: the old handle works");
    assertEquals(Nfs4Status.ROFS, client.call(Compound.v40().putfh(file)
        .write(Stateid.ANONYMOUS, 0, FILE_SYNC, new byte[] {1})).status(), "with the new options");
    assertEquals(Nfs4Status.OK, client.call(at("sync", "f").getattr()).status(),
        "the other exports were served throughout");
  }
}
