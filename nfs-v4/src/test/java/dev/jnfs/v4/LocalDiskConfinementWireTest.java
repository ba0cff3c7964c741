package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.server.NfsServer;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.TcpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile NFSv4 client against a local-directory export: forged handles, names that try to
 * climb out, symlinks that point out, and a directory another program swaps for a symlink
 * between LOOKUP and the next call. A sentinel file lies next to the export; it is never read
 * back nor changed, and nothing is created beside it.
 */
class LocalDiskConfinementWireTest {
  private static final String SECRET = "sentinel outside the export";
  private static final int NF4FIFO = 7;
  private static final byte[] OWNED = "owned".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  private Path exported;
  private Path outside;
  private NfsServer server;
  private TcpClient client;

  @BeforeEach
  void start() throws Exception {
    exported = Files.createDirectory(tmp.resolve("exported"));
    outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("f"), SECRET);
    Path other = Files.createDirectory(tmp.resolve("other"));
    Files.writeString(other.resolve("theirs"), "theirs");
    server = NfsServer.builder().bind("127.0.0.1").port(0)
        .protocol(new Nfs4Protocol(StateConfig.defaults().withGracePeriod(Duration.ZERO)))
        .export("/data", LocalFileSystem.of(exported), Fixture.RW)
        .export("/other", LocalFileSystem.of(other), Fixture.RW)
        .build();
    server.start();
    client = new TcpClient(server.port(), 0, 0);
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.stop();
    assertEquals(SECRET, Files.readString(outside.resolve("f")));
    try (Stream<Path> names = Files.list(outside)) {
      assertEquals(List.of(outside.resolve("f")), names.toList());
    }
  }

  private static Compound data() {
    return Compound.v40().putrootfh().lookup("data");
  }

  private int status(Compound c) {
    return client.call(c).status();
  }

  private byte[] handle(Compound c) {
    Reply r = client.call(c.getfh());
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    return r.last().value();
  }

  private static Compound write(Compound c) {
    return c.write(Stateid.ANONYMOUS, 0, 2, OWNED);
  }

  @Test
  void namesThatClimbOutStayInside() {
    for (String name : new String[] {"..", "../outside", "../outside/f", "/etc/passwd", "a/b", "f\0"}) {
      assertNotEquals(Nfs4Status.OK, status(data().lookup(name)), name);
      assertNotEquals(Nfs4Status.OK, status(data().mkdir(name, Attrs.set().mode(0755))), name);
    }
    // LOOKUPP from the export's root goes to the pseudo file system, which holds only exports
    byte[] pseudoRoot = handle(Compound.v40().putrootfh());
    assertArrayEquals(pseudoRoot, handle(data().lookupp()));
    assertEquals(Nfs4Status.NOENT, status(data().lookupp().lookup("outside")));
    assertEquals(Nfs4Status.NOENT, status(data().lookupp().lookup("exported")));
  }

  @Test
  void symlinksPointingOutAreNeverFollowed() throws Exception {
    Files.createSymbolicLink(exported.resolve("dirlink"), outside);
    Files.createSymbolicLink(exported.resolve("filelink"), outside.resolve("f"));
    Files.createSymbolicLink(exported.resolve("relative"), Path.of("..", "outside", "f"));
    for (String name : new String[] {"dirlink", "filelink", "relative"}) {
      assertNotEquals(Nfs4Status.OK, status(data().lookup(name).read(Stateid.ANONYMOUS, 0, 64)), name);
      assertNotEquals(Nfs4Status.OK, status(write(data().lookup(name))), name);
      assertNotEquals(Nfs4Status.OK, status(data().lookup(name).lookup("f")), name);
      assertNotEquals(Nfs4Status.OK, status(data().lookup(name).readdir(0, 0, 4096, 4096, Fattr4.TYPE)), name);
      assertNotEquals(Nfs4Status.OK, status(data().lookup(name).mkdir("planted", Attrs.set().mode(0755))), name);
      assertNotEquals(Nfs4Status.OK, status(data().lookup(name).remove("f")), name);
    }
    // READLINK answers the target; the server itself never goes there
    Reply r = client.call(data().lookup("filelink").readlink());
    assertEquals(Nfs4Status.OK, r.status());
  }

  @Test
  void aDirectorySwappedForASymlinkAfterLookupLeadsNowhere() throws Exception {
    Files.createDirectory(exported.resolve("dir"));
    Files.writeString(exported.resolve("dir").resolve("f"), "inside");
    byte[] dir = handle(data().lookup("dir"));
    byte[] file = handle(data().lookup("dir").lookup("f"));
    // another program swaps the directory for a symlink to the sentinel's directory, whose
    // file has the same name
    Files.move(exported.resolve("dir"), exported.resolve("dir.old"));
    Files.createSymbolicLink(exported.resolve("dir"), outside);
    Compound inDir = Compound.v40().putfh(dir);
    assertEquals(Nfs4Status.STALE, status(inDir.readdir(0, 0, 4096, 4096, Fattr4.TYPE)));
    assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(dir).lookup("f")));
    assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(dir).mkdir("planted", Attrs.set().mode(0755))));
    assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(dir).remove("f")));
    assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(file).read(Stateid.ANONYMOUS, 0, 64)));
    assertEquals(Nfs4Status.STALE, status(write(Compound.v40().putfh(file))));
  }

  @Test
  void aDirectoryMovedOutAndReplacedByASymlinkToItLeadsNowhere() throws Exception {
    Files.createDirectories(exported.resolve("tree").resolve("sub"));
    Files.writeString(exported.resolve("tree").resolve("sub").resolve("g"), "inside");
    byte[] sub = handle(data().lookup("tree").lookup("sub"));
    byte[] g = handle(data().lookup("tree").lookup("sub").lookup("g"));
    Path moved = tmp.resolve("moved");
    Files.move(exported.resolve("tree"), moved);
    Files.createSymbolicLink(exported.resolve("tree"), moved);
    assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(g).read(Stateid.ANONYMOUS, 0, 64)));
    assertEquals(Nfs4Status.STALE, status(write(Compound.v40().putfh(g))));
    assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(sub).mkdir("planted", Attrs.set().mode(0755))));
    assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(sub).readdir(0, 0, 4096, 4096, Fattr4.TYPE)));
    assertEquals("inside", Files.readString(moved.resolve("sub").resolve("g")));
    assertEquals(false, Files.exists(moved.resolve("sub").resolve("planted")));
  }

  /**
   * Every name below {@code dir} with its type, mode, owner, size and times (atime of files
   * only: listing a directory may touch its own), not following symlinks.
   */
  private static List<String> snapshot(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.sorted().map(p -> {
        try {
          var a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,lastAccessTime,ctime",
              LinkOption.NOFOLLOW_LINKS);
          boolean directory = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
          return dir.relativize(p) + " " + Integer.toOctalString((Integer) a.get("mode")) + " " + a.get("uid")
              + ":" + a.get("gid") + " " + a.get("size") + " m=" + a.get("lastModifiedTime") + " c="
              + a.get("ctime") + (directory ? "" : " a=" + a.get("lastAccessTime"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    }
  }

  /**
   * Handles taken before the directory above them moved out and a symlink to its new place
   * took its name: the objects keep their identity, only a walk that refuses symlinks sees that
   * their path leads out. CREATE of each kind, LINK both ways, SETATTR of mode, owner, group,
   * times and size, and GETATTR answer STALE; nothing outside changes.
   */
  @Test
  void makingChangingAndReadingThroughASwappedDirectoryTouchesNothingOutside() throws Exception {
    Files.createDirectories(exported.resolve("tree").resolve("sub"));
    Files.writeString(exported.resolve("tree").resolve("sub").resolve("g"), "inside");
    Files.writeString(exported.resolve("inside"), "inside");
    byte[] sub = handle(data().lookup("tree").lookup("sub"));
    byte[] g = handle(data().lookup("tree").lookup("sub").lookup("g"));
    byte[] inside = handle(data().lookup("inside"));
    byte[] root = handle(data());
    Path moved = tmp.resolve("moved");
    Files.move(exported.resolve("tree"), moved);
    Files.createSymbolicLink(exported.resolve("tree"), moved);
    List<String> before = snapshot(moved);

    Compound inSub = Compound.v40().putfh(sub);
    assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(sub).mkdir("planted", Attrs.set().mode(0755))));
    assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(sub).symlink("planted", "/etc/passwd")));
    assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(sub).mknod(NF4FIFO, "planted", 0, 0)));
    assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(inside).savefh().putfh(sub).link("planted")));
    assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(g).savefh().putfh(root).link("stolen")));
    for (byte[] object : new byte[][] {g, sub}) {
      assertEquals(Nfs4Status.STALE,
          status(Compound.v40().putfh(object).setattr(Stateid.ANONYMOUS, Attrs.set().mode(0777))));
      assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(object)
          .setattr(Stateid.ANONYMOUS, Attrs.set().owner("4321").group("4321"))));
      assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(object)
          .setattr(Stateid.ANONYMOUS, Attrs.set().mtime(Instant.ofEpochSecond(1)).atimeNow())));
      assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(object).getattr(Fattr4.TYPE, Fattr4.MODE)));
    }
    assertEquals(Nfs4Status.STALE, status(Compound.v40().putfh(g).setattr(Stateid.ANONYMOUS, Attrs.set().size(0))));
    assertEquals(Nfs4Status.STALE, status(inSub.lookup("g")));

    assertEquals(before, snapshot(moved));
    assertEquals(false, Files.exists(exported.resolve("stolen"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void forgedHandlesReachNothing() {
    Random random = new Random(18);
    for (int i = 0; i < 100; i++) {
      byte[] forged = new byte[1 + random.nextInt(128)];
      random.nextBytes(forged);
      int s = status(Compound.v40().putfh(forged).getattr(Fattr4.TYPE));
      assertTrue(s == Nfs4Status.BADHANDLE || s == Nfs4Status.STALE, "status " + s);
    }
    // a real handle of the other export, relabelled with this export's id
    byte[] ours = handle(data());
    byte[] theirs = handle(Compound.v40().putrootfh().lookup("other").lookup("theirs"));
    byte[] relabelled = theirs.clone();
    System.arraycopy(ours, 0, relabelled, 0, 5);
    assertEquals(Nfs4Status.BADHANDLE, status(Compound.v40().putfh(relabelled).read(Stateid.ANONYMOUS, 0, 64)));
    assertEquals(Nfs4Status.BADHANDLE, status(write(Compound.v40().putfh(relabelled))));
  }
}
