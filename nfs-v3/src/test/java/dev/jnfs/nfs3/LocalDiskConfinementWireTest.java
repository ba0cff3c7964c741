package dev.jnfs.nfs3;

import static dev.jnfs.nfs3.Nfs3OverRpcTest.ROOT;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.args;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.mount;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile NFSv3 client against a local-directory export: forged handles, names that try to
 * climb out, symlinks that point out, and directories another program swaps for symlinks
 * between the client's LOOKUP and its next call. Next to the export lies a directory with a
 * sentinel file; after every attack its content is the same, nothing was read back from it and
 * nothing was created beside it.
 */
class LocalDiskConfinementWireTest {
  private static final int NFS = Nfs3Program.PROGRAM;
  private static final int OK = 0;
  private static final int STALE = 70;
  private static final int BADHANDLE = 10001;
  private static final int NF3LNK = 5;
  private static final int NF3FIFO = 7;
  private static final String SECRET = "sentinel outside the export";

  @TempDir Path tmp;
  private Path exported;
  private Path outside;
  private RunningServer server;
  private RpcTestClient client;
  private byte[] root;

  @BeforeEach
  void start() throws IOException {
    exported = Files.createDirectory(tmp.resolve("exported"));
    outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("f"), SECRET);
    Path other = Files.createDirectory(tmp.resolve("other"));
    ExportOptions rw = ExportOptions.DEFAULT.with("rw,insecure,no_root_squash");
    server = RunningServer.start(false,
        new Export("/disk", null, LocalFileSystem.of(exported), rw),
        new Export("/other", null, LocalFileSystem.of(other), rw));
    client = RpcTestClient.connect(server.nfsAddress());
    root = mount(client, "/disk");
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.close();
    // nothing reached the sentinel's directory
    assertEquals(SECRET, Files.readString(outside.resolve("f")));
    try (Stream<Path> names = Files.list(outside)) {
      assertEquals(List.of(outside.resolve("f")), names.toList().stream()
          .filter(p -> !p.getFileName().toString().equals("moved")).toList());
    }
  }

  private XdrDecoder call(int procedure, Consumer<XdrEncoder> args) throws IOException {
    return client.call(NFS, 3, procedure, ROOT, args(args)).decoder();
  }

  private static Consumer<XdrEncoder> dirop(byte[] dir, String name) {
    return e -> {
      e.writeOpaque(dir);
      Nfs3Replies.name(e, name);
    };
  }

  /** LOOKUP: the status, and on OK the handle and the object's type. */
  private record Found(int status, byte[] handle, int type) {}

  private Found lookup(byte[] dir, String name) throws IOException {
    XdrDecoder d = call(Nfs3Program.LOOKUP, dirop(dir, name));
    int status = d.readInt();
    if (status != OK) {
      return new Found(status, null, -1);
    }
    byte[] handle = d.readOpaque(64);
    Nfs3Replies.Fattr attrs = Nfs3Replies.postOp(d);
    return new Found(status, handle, attrs == null ? -1 : attrs.type());
  }

  private byte[] handleOf(byte[] dir, String name) throws IOException {
    Found f = lookup(dir, name);
    assertEquals(OK, f.status(), name);
    return f.handle();
  }

  private int mkdir(byte[] dir, String name) throws IOException {
    return call(Nfs3Program.MKDIR, dirop(dir, name).andThen(Nfs3Replies::noSattr)).readInt();
  }

  private int create(byte[] dir, String name) throws IOException {
    return call(Nfs3Program.CREATE, dirop(dir, name).andThen(e -> {
      e.writeInt(0);
      Nfs3Replies.noSattr(e);
    })).readInt();
  }

  /** READ of 64 bytes: the status, and on OK the data. */
  private record Read(int status, byte[] data) {}

  private Read read(byte[] file) throws IOException {
    XdrDecoder d = call(Nfs3Program.READ, e -> e.writeOpaque(file).writeHyper(0).writeInt(64));
    int status = d.readInt();
    Nfs3Replies.postOp(d);
    if (status != OK) {
      return new Read(status, null);
    }
    d.readInt(); // count
    d.readBoolean(); // eof
    return new Read(status, d.readOpaque(64));
  }

  private int write(byte[] file) throws IOException {
    return call(Nfs3Program.WRITE, e -> e.writeOpaque(file).writeHyper(0).writeInt(5).writeInt(2)
        .writeOpaque("owned".getBytes())).readInt();
  }

  private int readdir(byte[] dir) throws IOException {
    return call(Nfs3Program.READDIR, e -> e.writeOpaque(dir).writeHyper(0).writeHyper(0).writeInt(4096))
        .readInt();
  }

  private int truncate(byte[] file) throws IOException {
    return call(Nfs3Program.SETATTR, e -> {
      e.writeOpaque(file);
      Nfs3Replies.sizeSattr(e, 0);
      e.writeBoolean(false);
    }).readInt();
  }

  private int remove(byte[] dir, String name) throws IOException {
    return call(Nfs3Program.REMOVE, dirop(dir, name)).readInt();
  }

  private int rename(byte[] fromDir, String from, byte[] toDir, String to) throws IOException {
    return call(Nfs3Program.RENAME, dirop(fromDir, from).andThen(dirop(toDir, to))).readInt();
  }

  @Test
  void namesThatClimbOutStayInside() throws Exception {
    Found up = lookup(root, "..");
    if (up.status() == OK) {
      assertArrayEquals(root, up.handle(), "'..' of the root is the root");
    }
    for (String name : new String[] {"../outside/f", "../outside", "/etc/passwd", "a/../../outside",
        "f\0", "..\0x"}) {
      assertNotEquals(OK, lookup(root, name).status(), name);
      assertNotEquals(OK, create(root, name), name);
      assertNotEquals(OK, mkdir(root, name), name);
    }
    assertNotEquals(OK, create(root, ".."));
    assertNotEquals(OK, create(root, "."));
    assertNotEquals(OK, mkdir(root, ".."));
    assertEquals(OK, create(root, "inside"));
    assertNotEquals(OK, rename(root, "inside", root, "../outside/moved-in"));
  }

  @Test
  void symlinksPointingOutAreNeverFollowed() throws Exception {
    Files.createSymbolicLink(exported.resolve("dirlink"), outside);
    Files.createSymbolicLink(exported.resolve("filelink"), outside.resolve("f"));
    Files.createSymbolicLink(exported.resolve("relative"), Path.of("..", "outside", "f"));
    for (String name : new String[] {"dirlink", "filelink", "relative"}) {
      Found link = lookup(root, name);
      assertEquals(OK, link.status());
      assertEquals(NF3LNK, link.type(), name + " is answered as the symlink it is");
      assertNotEquals(OK, read(link.handle()).status(), name);
      assertNotEquals(OK, write(link.handle()), name);
      assertNotEquals(OK, truncate(link.handle()), name);
      assertNotEquals(OK, lookup(link.handle(), "f").status(), name);
      assertNotEquals(OK, readdir(link.handle()), name);
      assertNotEquals(OK, create(link.handle(), "planted"), name);
      assertNotEquals(OK, mkdir(link.handle(), "planted"), name);
      assertNotEquals(OK, remove(link.handle(), "f"), name);
    }
    // a symlink moved over by RENAME moves the link, not what it points to
    assertEquals(OK, rename(root, "filelink", root, "renamed"));
    assertEquals(NF3LNK, lookup(root, "renamed").type());
    assertEquals(OK, remove(root, "renamed"));
    assertEquals(SECRET, Files.readString(outside.resolve("f")));
  }

  @Test
  void aDirectorySwappedForASymlinkAfterLookupLeadsNowhere() throws Exception {
    assertEquals(OK, mkdir(root, "dir"));
    byte[] dir = handleOf(root, "dir");
    assertEquals(OK, create(dir, "f"));
    byte[] file = handleOf(dir, "f");
    // another program swaps the directory for a symlink to the sentinel's directory, whose
    // file has the same name
    Files.move(exported.resolve("dir"), exported.resolve("dir.old"));
    Files.createSymbolicLink(exported.resolve("dir"), outside);
    assertEquals(STALE, readdir(dir));
    assertEquals(STALE, lookup(dir, "f").status());
    assertEquals(STALE, create(dir, "planted"));
    assertEquals(STALE, mkdir(dir, "planted"));
    assertEquals(STALE, remove(dir, "f"));
    assertEquals(STALE, rename(dir, "f", root, "stolen"));
    assertEquals(STALE, read(file).status());
    assertEquals(STALE, write(file));
    assertEquals(STALE, truncate(file));
  }

  @Test
  void aDirectoryMovedOutAndReplacedByASymlinkToItLeadsNowhere() throws Exception {
    assertEquals(OK, mkdir(root, "tree"));
    byte[] tree = handleOf(root, "tree");
    assertEquals(OK, mkdir(tree, "sub"));
    byte[] sub = handleOf(tree, "sub");
    assertEquals(OK, create(sub, "g"));
    byte[] g = handleOf(sub, "g");
    assertEquals(OK, write(g));
    // moved out of the export whole: the objects keep their identity, their paths lead out
    Files.move(exported.resolve("tree"), outside.resolve("moved"));
    Files.createSymbolicLink(exported.resolve("tree"), outside.resolve("moved"));
    Path g2 = outside.resolve("moved").resolve("sub").resolve("g");
    assertEquals(STALE, read(g).status(), "its bytes are outside now");
    assertEquals(STALE, truncate(g));
    assertEquals(STALE, create(sub, "planted"));
    assertEquals(STALE, readdir(sub));
    assertEquals(STALE, remove(sub, "g"));
    assertEquals("owned", Files.readString(g2));
    assertEquals(false, Files.exists(g2.resolveSibling("planted")));
  }

  private int setattr(byte[] object, Consumer<XdrEncoder> sattr) throws IOException {
    return call(Nfs3Program.SETATTR, e -> {
      e.writeOpaque(object);
      sattr.accept(e);
      e.writeBoolean(false);
    }).readInt();
  }

  /** A sattr3 giving the owner and group (RFC 1813 section 2.6, sattr3). */
  private static void ownerSattr(XdrEncoder e, int uid, int gid) {
    e.writeBoolean(false).writeBoolean(true).writeInt(uid).writeBoolean(true).writeInt(gid).writeBoolean(false);
    e.writeInt(2).writeInt(1).writeInt(0); // atime SET_TO_CLIENT_TIME, 1 s past the epoch
    e.writeInt(2).writeInt(1).writeInt(0); // mtime likewise
  }

  private int symlink(byte[] dir, String name, String target) throws IOException {
    return call(Nfs3Program.SYMLINK, dirop(dir, name).andThen(Nfs3Replies::noSattr)
        .andThen(e -> Nfs3Replies.name(e, target))).readInt();
  }

  private int mknodFifo(byte[] dir, String name) throws IOException {
    return call(Nfs3Program.MKNOD, dirop(dir, name).andThen(e -> e.writeInt(NF3FIFO))
        .andThen(Nfs3Replies::noSattr)).readInt();
  }

  private int link(byte[] file, byte[] dir, String name) throws IOException {
    return call(Nfs3Program.LINK, e -> e.writeOpaque(file).writeOpaque(dir)
        .writeOpaque(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))).readInt();
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
              java.nio.file.LinkOption.NOFOLLOW_LINKS);
          boolean directory = Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
          return dir.relativize(p) + " " + Integer.toOctalString((Integer) a.get("mode")) + " " + a.get("uid")
              + ":" + a.get("gid") + " " + a.get("size") + " m=" + a.get("lastModifiedTime") + " c="
              + a.get("ctime") + (directory ? "" : " a=" + a.get("lastAccessTime"));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
  }

  /**
   * The directory above handles the client holds is swapped for a symlink to its new place
   * outside: each object keeps its identity, so only a walk that refuses symlinks tells that
   * the path leads out. Every call that makes, links or changes an object, and every
   * attribute read, answers STALE, and nothing outside changes: no new name, the same mode,
   * owner, size and times.
   */
  @Test
  void makingChangingAndReadingThroughASwappedDirectoryTouchesNothingOutside() throws Exception {
    assertEquals(OK, mkdir(root, "tree"));
    byte[] tree = handleOf(root, "tree");
    assertEquals(OK, mkdir(tree, "sub"));
    byte[] sub = handleOf(tree, "sub");
    assertEquals(OK, create(sub, "g"));
    byte[] g = handleOf(sub, "g");
    assertEquals(OK, write(g));
    assertEquals(OK, create(root, "inside"));
    byte[] inside = handleOf(root, "inside");
    Files.move(exported.resolve("tree"), outside.resolve("moved"));
    Files.createSymbolicLink(exported.resolve("tree"), outside.resolve("moved"));
    List<String> before = snapshot(outside);

    assertEquals(STALE, mkdir(sub, "planted-dir"));
    assertEquals(STALE, symlink(sub, "planted-link", "/etc/passwd"));
    assertEquals(STALE, mknodFifo(sub, "planted-fifo"));
    assertEquals(STALE, link(inside, sub, "planted-link"), "no name of an inside file outside");
    assertEquals(STALE, link(g, root, "stolen"), "no name of an outside file inside");
    for (byte[] object : new byte[][] {g, sub}) {
      assertEquals(STALE, setattr(object, e -> Nfs3Replies.modeSattr(e, 0777)));
      assertEquals(STALE, setattr(object, e -> ownerSattr(e, 4321, 4321)));
      assertEquals(STALE, call(Nfs3Program.GETATTR, e -> e.writeOpaque(object)).readInt());
    }
    assertEquals(STALE, truncate(g));
    assertEquals(STALE, lookup(sub, "g").status());
    assertEquals(STALE, call(Nfs3Program.READDIRPLUS,
        e -> e.writeOpaque(sub).writeHyper(0).writeHyper(0).writeInt(4096).writeInt(8192)).readInt());

    assertEquals(before, snapshot(outside));
    assertEquals(false, Files.exists(exported.resolve("stolen"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void forgedHandlesReachNothing() throws Exception {
    Random random = new Random(18);
    for (int i = 0; i < 100; i++) {
      byte[] forged = new byte[1 + random.nextInt(64)];
      random.nextBytes(forged);
      int status = call(Nfs3Program.GETATTR, e -> e.writeOpaque(forged)).readInt();
      assertEquals(true, status == BADHANDLE || status == STALE, "status " + status);
    }
    // a real handle of the other export, relabelled with this export's id: the format is
    // valid, the backend's instance is not
    byte[] otherRoot = mount(client, "/other");
    assertEquals(OK, create(otherRoot, "theirs"));
    byte[] theirs = handleOf(otherRoot, "theirs");
    byte[] relabelled = theirs.clone();
    System.arraycopy(root, 0, relabelled, 0, 5);
    assertEquals(BADHANDLE, read(relabelled).status());
    assertEquals(BADHANDLE, write(relabelled));
    // this export's own format with ids never issued
    byte[] inside = handleOf(root, ".");
    for (long id : new long[] {0, 1 << 20, Long.MAX_VALUE, -1}) {
      byte[] b = inside.clone();
      for (int k = 0; k < 8; k++) {
        b[b.length - 8 + k] = (byte) (id >>> (56 - 8 * k));
      }
      int status = read(b).status();
      assertEquals(true, status == BADHANDLE || status == STALE, "status " + status);
    }
  }
}
