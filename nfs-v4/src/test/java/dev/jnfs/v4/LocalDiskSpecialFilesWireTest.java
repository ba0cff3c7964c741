package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Reply;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CREATE of NF4BLK, NF4CHR, NF4SOCK and NF4FIFO on a local-directory export makes the nodes on
 * the disk; GETATTR reports their type and rawdev as the disk holds them; devices need root
 * (PERM otherwise); READ of a device answers INVAL without the server opening it; REMOVE
 * deletes them.
 */
class LocalDiskSpecialFilesWireTest {
  private static final int NF4BLK = 3;
  private static final int NF4CHR = 4;
  private static final int NF4SOCK = 6;
  private static final int NF4FIFO = 7;

  @TempDir
  Path dir;
  private LocalFileSystem fs;
  private Fixture fx;

  @BeforeEach
  void start() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    fs = LocalFileSystem.of(dir);
    fx = Fixture.wire(List.of(new Export("/data", null, fs, Fixture.RW)));
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
    fs.close();
  }

  @Test
  void createMakesEveryKindOfNodeAndGetattrReportsItsTypeAndRawdev() throws Exception {
    assumeRoot();
    int[][] kinds = {{NF4BLK, 8, 1}, {NF4CHR, 1, 5}, {NF4SOCK, 0, 0}, {NF4FIFO, 0, 0}};
    for (int[] kind : kinds) {
      String name = "node" + kind[0];
      Reply created = fx.root().call(data().mknod(kind[0], name, kind[1], kind[2]).getattr(Fattr4.TYPE));
      assertEquals(Nfs4Status.OK, created.status(), Fixture.describe(created));
      assertEquals(kind[0], ((Attrs) created.last().value()).number(Fattr4.TYPE));

      Reply r = fx.root().call(data().lookup(name).getattr(Fattr4.TYPE, Fattr4.RAWDEV));
      assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
      Attrs attrs = r.last().value();
      assertEquals(kind[0], attrs.number(Fattr4.TYPE));
      assertArrayEquals(new long[] {kind[1], kind[2]}, (long[]) attrs.get(Fattr4.RAWDEV), name);
    }
    assertEquals(0x801L, ((Number) Files.getAttribute(dir.resolve("node3"), "unix:rdev", LinkOption.NOFOLLOW_LINKS))
        .longValue());

    for (int[] kind : kinds) {
      String name = "node" + kind[0];
      Reply removed = fx.root().call(data().remove(name));
      assertEquals(Nfs4Status.OK, removed.status(), Fixture.describe(removed));
      assertFalse(Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS));
    }
  }

  @Test
  void onlyRootMakesDevicesWhileAnyWriterMakesFifosAndSockets() throws Exception {
    assumeRoot();
    assertEquals(Nfs4Status.PERM, fx.user(1000).call(data().mknod(NF4CHR, "c", 1, 3)).status());
    assertEquals(Nfs4Status.PERM, fx.user(1000).call(data().mknod(NF4BLK, "b", 7, 0)).status());
    assertFalse(Files.exists(dir.resolve("c"), LinkOption.NOFOLLOW_LINKS));
    assertEquals(Nfs4Status.OK, fx.user(1000).call(data().mknod(NF4FIFO, "p", 0, 0)).status());
    assertEquals(Nfs4Status.OK, fx.user(1000).call(data().mknod(NF4SOCK, "s", 0, 0)).status());
    assertEquals(1000, Files.getAttribute(dir.resolve("s"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
    assertEquals(Nfs4Status.EXIST, fx.root().call(data().mknod(NF4CHR, "p", 1, 3)).status());
  }

  @Test
  void readOfADeviceNodeAnswersInvalWithoutReadingTheDevice() throws Exception {
    assumeRoot();
    // a node of /dev/zero: were it opened, READ would answer zeros
    assertEquals(Nfs4Status.OK, fx.root().call(data().mknod(NF4CHR, "zero", 1, 5)).status());
    Reply read = fx.root().call(data().lookup("zero").read(Stateid.ANONYMOUS, 0, 64));
    assertEquals(Nfs4Status.INVAL, read.status(), Fixture.describe(read));
  }

  @Test
  void nodesLookUpRenameLinkAndRefuseLookupp() throws Exception {
    assumeRoot();
    assertEquals(Nfs4Status.OK, fx.root().call(data().mknod(NF4CHR, "chr", 1, 3)).status());
    assertEquals(Nfs4Status.OK, fx.root().call(data().mknod(NF4FIFO, "fifo", 0, 0)).status());
    for (String name : List.of("chr", "fifo")) {
      Reply up = fx.root().call(data().lookup(name).lookupp());
      assertEquals(Nfs4Status.NOTDIR, up.status(), "LOOKUPP from " + name + ": " + Fixture.describe(up));
      Reply linked = fx.root().call(data().lookup(name).savefh().putrootfh().lookup("data")
          .link(name + "-link"));
      assertEquals(Nfs4Status.OK, linked.status(), Fixture.describe(linked));
      Reply renamed = fx.root().call(data().savefh().rename(name, name + "-renamed"));
      assertEquals(Nfs4Status.OK, renamed.status(), Fixture.describe(renamed));
      Reply attrs = fx.root().call(data().lookup(name + "-renamed").getattr(Fattr4.TYPE));
      assertEquals(Nfs4Status.OK, attrs.status(), Fixture.describe(attrs));
      assertFalse(Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS));
      assertTrue(Files.exists(dir.resolve(name + "-link"), LinkOption.NOFOLLOW_LINKS));
    }
  }

  private void assumeRoot() throws Exception {
    assumeTrue(((Number) Files.getAttribute(dir, "unix:uid")).intValue() == 0,
        "device nodes can only be made by a server running as root");
  }

  private static Compound data() {
    return Compound.v40().putrootfh().lookup("data");
  }
}
