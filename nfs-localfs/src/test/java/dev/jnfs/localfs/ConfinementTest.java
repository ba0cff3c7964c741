package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.Fixture.assertStatus;
import static dev.jnfs.localfs.LocalFileSystemTest.content;
import static dev.jnfs.localfs.LocalFileSystemTest.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.TimeUpdate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Nothing outside the export's root is reachable, whatever the names and symlinks. */
class ConfinementTest {
  private Fixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void dotDotAtTheRootStaysAtTheRoot(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle up = fs.lookup(ROOT, fs.root(), "..").handle();
    assertEquals(fs.root(), up);
    assertEquals(fs.root(), fs.lookup(ROOT, up, "..").handle());
    assertStatus(NfsStatus.INVAL, () -> fs.lookup(ROOT, fs.root(), "../etc"));
    assertStatus(NfsStatus.INVAL, () -> fs.lookup(ROOT, fs.root(), "/etc"));
    assertStatus(NfsStatus.INVAL, () -> fs.lookup(ROOT, fs.root(), "a\0b"));
    assertStatus(NfsStatus.INVAL,
        () -> fs.create(ROOT, fs.root(), "../escape", CreateMode.GUARDED, SetAttributes.NONE, 0));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void symlinksOutsideAreReturnedAsSymlinks(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    Path outsideDir = fx.root.getParent().resolve("outside-" + System.nanoTime());
    Files.createDirectories(outsideDir);
    try {
      Files.writeString(outsideDir.resolve("secret"), "outside data");
      Files.createSymbolicLink(fx.root.resolve("relative"), fx.root.getFileSystem().getPath("..", outsideDir.getFileName().toString()));
      Files.createSymbolicLink(fx.root.resolve("absolute"), outsideDir);
      Files.createSymbolicLink(fx.root.resolve("file"), outsideDir.resolve("secret"));
      LocalFileSystem fs = fx.fs;
      for (String name : new String[] {"relative", "absolute", "file"}) {
        FileEntry e = fs.lookup(ROOT, fs.root(), name);
        assertEquals(FileType.SYMLINK, e.attributes().type(), name);
        assertStatus(NfsStatus.NOTDIR, () -> fs.lookup(ROOT, e.handle(), "secret"));
        assertStatus(NfsStatus.INVAL, () -> fs.read(ROOT, e.handle(), 0, ByteBuffer.allocate(64)));
        assertStatus(NfsStatus.NOTDIR, () -> fs.readdir(ROOT, e.handle(), 0, 0, 10, true));
        assertStatus(NfsStatus.NOTDIR,
            () -> fs.create(ROOT, e.handle(), "planted", CreateMode.GUARDED, SetAttributes.NONE, 0));
      }
      for (DirectoryEntry e : fs.readdir(ROOT, fs.root(), 0, 0, 10, true).entries()) {
        assertEquals(FileType.SYMLINK, e.attributes().type(), e.name());
      }
      assertTrue(fs.readlink(ROOT, fs.lookup(ROOT, fs.root(), "file").handle()).endsWith("secret"));
      assertEquals(false, Files.exists(outsideDir.resolve("planted")));
    } finally {
      Files.deleteIfExists(outsideDir.resolve("secret"));
      Files.deleteIfExists(outsideDir);
    }
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void aDirectoryReplacedByASymlinkGoesStale(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    Path outsideDir = fx.root.getParent().resolve("outside-" + System.nanoTime());
    Files.createDirectories(outsideDir);
    try {
      Files.writeString(outsideDir.resolve("secret"), "outside data");
      FileHandle dir = fs.mkdir(ROOT, fs.root(), "dir", null).handle();
      file(fs, dir, "inside", "x");
      // another program swaps the directory for a symlink to somewhere outside
      Files.move(fx.root.resolve("dir"), fx.root.resolve("dir.old"));
      Files.createSymbolicLink(fx.root.resolve("dir"), outsideDir);
      assertStatus(NfsStatus.STALE, () -> fs.lookup(ROOT, dir, "secret"));
      assertStatus(NfsStatus.STALE, () -> fs.readdir(ROOT, dir, 0, 0, 10, true));
      assertStatus(NfsStatus.STALE,
          () -> fs.create(ROOT, dir, "planted", CreateMode.GUARDED, SetAttributes.NONE, 0));
      assertEquals(false, Files.exists(outsideDir.resolve("planted")));
    } finally {
      Files.deleteIfExists(outsideDir.resolve("secret"));
      Files.deleteIfExists(outsideDir);
    }
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void anAncestorMovedOutAndReplacedByASymlinkToItGoesStale(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    Path outside = fx.root.getParent().resolve("outside-" + System.nanoTime());
    Files.createDirectories(outside);
    try {
      FileHandle dir = fs.mkdir(ROOT, fs.root(), "dir", null).handle();
      FileHandle sub = fs.mkdir(ROOT, dir, "sub", null).handle();
      FileHandle f = file(fs, sub, "f", "sentinel");
      // another program moves the tree out of the export and leaves a symlink to where it went:
      // the objects below keep their identity, but their paths now lead outside
      Files.move(fx.root.resolve("dir"), outside.resolve("moved"));
      Files.createSymbolicLink(fx.root.resolve("dir"), outside.resolve("moved"));
      Path sentinel = outside.resolve("moved").resolve("sub").resolve("f");
      assertStatus(NfsStatus.STALE, () -> fs.read(ROOT, f, 0, ByteBuffer.allocate(64)));
      assertStatus(NfsStatus.STALE,
          () -> fs.write(ROOT, f, 0, ByteBuffer.wrap(new byte[] {'X'}), Stability.FILE_SYNC));
      assertStatus(NfsStatus.STALE, () -> fs.setattr(ROOT, f, SetAttributes.size(0), null));
      assertStatus(NfsStatus.STALE, () -> fs.getattr(ROOT, f));
      assertStatus(NfsStatus.STALE, () -> fs.lookup(ROOT, sub, "f"));
      assertStatus(NfsStatus.STALE, () -> fs.readdir(ROOT, sub, 0, 0, 10, true));
      assertStatus(NfsStatus.STALE,
          () -> fs.create(ROOT, sub, "planted", CreateMode.GUARDED, SetAttributes.NONE, 0));
      assertStatus(NfsStatus.STALE, () -> fs.mkdir(ROOT, sub, "planted-dir", null));
      assertStatus(NfsStatus.STALE, () -> fs.remove(ROOT, sub, "f"));
      assertStatus(NfsStatus.STALE, () -> fs.rename(ROOT, sub, "f", fs.root(), "taken"));
      assertStatus(NfsStatus.STALE, () -> fs.rename(ROOT, fs.root(), "dir", sub, "planted"));
      assertEquals("sentinel", Files.readString(sentinel), "the file outside is unchanged");
      assertEquals(false, Files.exists(sentinel.resolveSibling("planted")));
      assertEquals(false, Files.exists(sentinel.resolveSibling("planted-dir")));
      assertEquals(false, Files.exists(fx.root.resolve("taken")));
      // the symlink itself is what the export now holds, returned as a symlink
      assertEquals(FileType.SYMLINK, fs.lookup(ROOT, fs.root(), "dir").attributes().type());
    } finally {
      Files.deleteIfExists(fx.root.resolve("dir"));
      try (var walk = Files.walk(outside)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * The window the resolver's checks leave: a directory swapped for a symlink after the
   * handle was resolved and before the file is opened. Opening walks from the root without
   * following any symlink, so it fails instead of reaching outside.
   */
  @ParameterizedTest
  @EnumSource(value = Fixture.Env.class, names = {"JIMFS_UNIX", "REAL_DIRECTORY"})
  void filesAreReachedWithoutFollowingASymlinkAnywhereInTheirPath(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    Path outside = fx.root.getParent().resolve("outside-" + System.nanoTime());
    Files.createDirectories(outside);
    try {
      Path sentinel = Files.writeString(outside.resolve("f"), "sentinel");
      Files.createDirectories(fx.root.resolve("real"));
      Files.writeString(fx.root.resolve("real").resolve("f"), "inside");
      Files.createSymbolicLink(fx.root.resolve("dir"), outside);
      ConfinedFiles files = new ConfinedFiles(fx.root, null);
      java.util.Set<java.nio.file.OpenOption> read =
          java.util.Set.of(java.nio.file.StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      java.util.Set<java.nio.file.OpenOption> create = java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
          () -> files.open(fx.root.resolve("dir").resolve("f"), read).close());
      org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
          () -> files.open(fx.root.resolve("dir").resolve("planted"), create).close());
      org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
          () -> files.open(fx.root.resolve("dir"), read).close());
      // nor listed, removed or renamed through it
      org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
          () -> files.openDirectory(fx.root.resolve("dir")).close());
      org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
          () -> files.openDirectory(fx.root.resolve("dir").resolve("sub")).close());
      try (var listed = files.openDirectory(fx.root.resolve("real"))) {
        assertEquals(java.util.List.of("f"),
            java.util.stream.StreamSupport.stream(listed.spliterator(), false)
                .map(p -> p.getFileName().toString()).toList());
      }
      org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
          () -> files.delete(fx.root.resolve("dir").resolve("f"), false));
      org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
          () -> files.move(fx.root.resolve("dir").resolve("f"), fx.root.resolve("real").resolve("stolen")));
      org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
          () -> files.move(fx.root.resolve("real").resolve("f"), fx.root.resolve("dir").resolve("planted")));
      assertEquals(false, Files.exists(fx.root.resolve("real").resolve("stolen")));
      assertEquals(false, Files.exists(outside.resolve("planted")));
      assertEquals("sentinel", Files.readString(sentinel));
      // the same walk renames, opens and removes what is really below the root
      files.move(fx.root.resolve("real").resolve("f"), fx.root.resolve("real").resolve("g"));
      files.move(fx.root.resolve("real").resolve("g"), fx.root.resolve("f"));
      files.move(fx.root.resolve("f"), fx.root.resolve("real").resolve("f"));
      try (var ch = files.open(fx.root.resolve("real").resolve("f"), read)) {
        assertEquals(6, ch.size());
      }
      files.delete(fx.root.resolve("real").resolve("f"), false);
      files.delete(fx.root.resolve("real"), true);
      assertEquals(false, Files.exists(fx.root.resolve("real")));
    } finally {
      Files.deleteIfExists(fx.root.resolve("dir"));
      Files.deleteIfExists(outside.resolve("f"));
      Files.deleteIfExists(outside.resolve("planted"));
      Files.deleteIfExists(outside);
    }
  }

  /**
   * Every name below {@code dir} with its type, size, times (access time of files only:
   * listing a directory may touch its own) and, where the provider has them, permissions and
   * owner; symlinks not followed.
   */
  static List<String> snapshot(Path dir) throws IOException {
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    try (Stream<Path> walk = Files.walk(dir)) {
      List<String> out = new ArrayList<>();
      for (Path p : walk.sorted().toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String line = dir.relativize(p) + " " + AttributeAccess.typeOf(a) + " " + a.size() + " m="
            + a.lastModifiedTime() + (a.isDirectory() ? "" : " a=" + a.lastAccessTime());
        if (posix) {
          PosixFileAttributes px = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          line += " " + PosixFilePermissions.toString(px.permissions()) + " " + px.owner() + ":" + px.group();
        }
        out.add(line);
      }
      return out;
    }
  }

  /**
   * A directory above handles already given out is moved out of the export and replaced by a
   * symlink to its new place: the objects keep their identity, only their path leads out.
   * Making, linking, changing and reading attributes through it answer STALE (NOTSUPP where
   * the provider cannot make the object at all), and nothing outside changes.
   */
  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void makingChangingAndReadingThroughASwappedDirectoryTouchesNothingOutside(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    Path outside = fx.root.getParent().resolve("outside-" + System.nanoTime());
    Files.createDirectories(outside);
    try {
      FileHandle tree = fs.mkdir(ROOT, fs.root(), "tree", null).handle();
      FileHandle sub = fs.mkdir(ROOT, tree, "sub", null).handle();
      FileHandle g = file(fs, sub, "g", "sentinel");
      FileHandle inside = file(fs, fs.root(), "inside", "x");
      FileHandle link = fs.capabilities().contains(dev.jnfs.spi.Capability.SYMLINKS)
          ? fs.symlink(ROOT, sub, "l", "target", SetAttributes.NONE).handle() : null;
      Files.move(fx.root.resolve("tree"), outside.resolve("moved"));
      Files.createSymbolicLink(fx.root.resolve("tree"), outside.resolve("moved"));
      List<String> before = snapshot(outside);

      assertStatus(NfsStatus.STALE, () -> fs.mkdir(ROOT, sub, "planted-dir", null));
      assertStaleOrNotsupp(() -> fs.symlink(ROOT, sub, "planted-link", "/etc/passwd", SetAttributes.NONE));
      assertStaleOrNotsupp(
          () -> fs.mknod(ROOT, sub, "planted-fifo", FileType.FIFO, SetAttributes.NONE, DeviceNumber.NONE));
      assertStaleOrNotsupp(() -> fs.link(ROOT, inside, sub, "planted-hardlink"));
      assertStaleOrNotsupp(() -> fs.link(ROOT, g, fs.root(), "stolen"));
      Instant epoch = Instant.ofEpochSecond(1);
      for (FileHandle object : List.of(g, sub)) {
        assertStatus(NfsStatus.STALE, () -> fs.setattr(ROOT, object, SetAttributes.mode(0777), null));
        assertStatus(NfsStatus.STALE, () -> fs.setattr(ROOT, object,
            new SetAttributes(null, 4321, 4321, null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED), null));
        assertStatus(NfsStatus.STALE, () -> fs.setattr(ROOT, object, new SetAttributes(null, null, null, null,
            new TimeUpdate.ClientTime(epoch), new TimeUpdate.ClientTime(epoch)), null));
        assertStatus(NfsStatus.STALE, () -> fs.getattr(ROOT, object));
      }
      assertStatus(NfsStatus.STALE, () -> fs.setattr(ROOT, g, SetAttributes.size(0), null));
      assertStatus(NfsStatus.STALE, () -> fs.lookup(ROOT, sub, "g"));
      assertStatus(NfsStatus.STALE, () -> fs.readdir(ROOT, sub, 0, 0, 10, true));
      if (link != null) {
        assertStatus(NfsStatus.STALE, () -> fs.readlink(ROOT, link));
      }

      assertEquals(before, snapshot(outside));
      assertEquals(false, Files.exists(fx.root.resolve("stolen"), LinkOption.NOFOLLOW_LINKS));
    } finally {
      Files.deleteIfExists(fx.root.resolve("tree"));
      try (var walk = Files.walk(outside)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * The window the handle checks leave, closed at the system calls themselves: whatever the
   * disk looks like when a call is made, one that would pass through a symlink in place of a
   * directory fails (ELOOP, answered STALE) instead of acting outside, with {@code openat2}
   * and with the walk one component at a time that older kernels get. The same calls work on
   * what really is below the root.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void nativeCallsNeverPassASymlinkOnTheWay(boolean openat2) throws Exception {
    NativeFiles natives = NativeFiles.of(java.nio.file.FileSystems.getDefault()).orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(natives != null, "no native calls on this JVM or system");
    fx = Fixture.of(Fixture.Env.REAL_DIRECTORY);
    Path outside = fx.root.getParent().resolve("outside-" + System.nanoTime());
    Files.createDirectories(outside.resolve("sub"));
    try (NativeFiles.Confined confined = natives.confine(fx.root)) {
      if (!openat2) {
        java.lang.reflect.Field beneath = confined.getClass().getDeclaredField("resolvesBeneath");
        beneath.setAccessible(true);
        beneath.setBoolean(confined, false);
      }
      Files.writeString(outside.resolve("f"), "sentinel");
      Files.createSymbolicLink(outside.resolve("outlink"), Path.of("secret-target"));
      Path real = Files.createDirectories(fx.root.resolve("real").resolve("deeper"));
      Path inside = Files.writeString(real.resolve("inside"), "x");
      Files.createSymbolicLink(fx.root.resolve("dir"), outside);
      Files.createSymbolicLink(real.resolve("dir"), outside);
      List<String> before = snapshot(outside);
      for (Path dir : List.of(fx.root.resolve("dir"), real.resolve("dir"))) {
        Path f = dir.resolve("f");
        Path planted = dir.resolve("planted");
        Path deep = dir.resolve("sub").resolve("planted");
        List<org.junit.jupiter.api.function.Executable> calls = List.of(
            () -> confined.stat(f),
            () -> confined.statAll(dir, List.of("f")),
            () -> confined.statAll(dir.resolve("sub"), List.of("f")),
            () -> confined.makeDirectory(planted, 0755),
            () -> confined.makeDirectory(deep, 0755),
            () -> confined.makeSymlink(planted, "/etc/passwd"),
            () -> confined.readLink(dir.resolve("outlink")),
            () -> confined.makeLink(inside, planted),
            () -> confined.makeLink(f, real.resolve("stolen")),
            () -> confined.makeNode(planted, 0010644, 0),
            () -> confined.changeMode(f, 0777),
            () -> confined.changeOwner(f, 4321, 4321),
            () -> confined.changeTimes(f, Instant.EPOCH, Instant.EPOCH),
            () -> confined.changeMode(dir.resolve("sub"), 0777),
            () -> confined.seek(f, 0, true),
            () -> confined.allocate(f, 0, 1 << 20),
            () -> confined.punchHole(f, 0, 4096),
            () -> confined.cloneRange(f, 0, inside, 0, 0),
            () -> confined.cloneRange(inside, 0, f, 0, 0));
        for (var call : calls) {
          ErrnoException e = org.junit.jupiter.api.Assertions.assertThrows(ErrnoException.class, call, dir.toString());
          assertEquals(ErrnoException.ELOOP, e.errno(), e.getMessage());
          assertEquals(NfsStatus.STALE, Errors.statusOf(e));
        }
        // the symlink itself, last in its path, is changed itself or refused, never followed
        org.junit.jupiter.api.Assertions.assertThrows(ErrnoException.class, () -> confined.changeMode(dir, 0700));
        confined.changeTimes(dir, Instant.EPOCH, Instant.EPOCH);
        assertEquals(FileType.SYMLINK,
            AttributeAccess.typeOfMode(confined.stat(dir).mode()));
      }
      assertEquals(before, snapshot(outside));
      assertEquals(false, Files.exists(real.resolve("stolen"), LinkOption.NOFOLLOW_LINKS));

      // below the root they do what they say
      confined.makeDirectory(real.resolve("made"), 0700);
      confined.makeSymlink(real.resolve("link"), "inside");
      confined.makeLink(inside, real.resolve("hard"));
      confined.makeNode(real.resolve("fifo"), 0010600, 0);
      confined.changeMode(inside, 0640);
      confined.changeOwner(inside, 4321, 4322);
      confined.changeTimes(inside, Instant.ofEpochSecond(7), null);
      assertEquals(0, confined.seek(inside, 0, true));
      NativeFiles.Stat st = confined.stat(inside);
      assertEquals(0100640, st.mode());
      assertEquals(4321, st.uid());
      assertEquals(4322, st.gid());
      assertEquals(2, st.nlink());
      assertEquals(Instant.ofEpochSecond(7), st.atime());
      assertTrue(st.mtime().isAfter(Instant.ofEpochSecond(7)), "an omitted time stays");
      assertEquals(FileType.DIRECTORY, AttributeAccess.typeOfMode(confined.stat(real.resolve("made")).mode()));
      assertEquals(FileType.FIFO, AttributeAccess.typeOfMode(confined.stat(real.resolve("fifo")).mode()));
      assertEquals("inside", confined.readLink(real.resolve("link")));
      assertEquals(FileType.DIRECTORY, AttributeAccess.typeOfMode(confined.stat(fx.root).mode()));
      NativeFiles.Stat[] listed = confined.statAll(real, List.of("inside", "gone", "hard"));
      assertEquals(st.ino(), listed[0].ino());
      assertEquals(null, listed[1]);
      assertEquals(st.ino(), listed[2].ino());
      assertStatusOf(java.nio.file.FileAlreadyExistsException.class, () -> confined.makeDirectory(inside, 0700));
      assertStatusOf(java.nio.file.NoSuchFileException.class, () -> confined.stat(real.resolve("gone")));
      assertStatusOf(java.nio.file.NoSuchFileException.class,
          () -> confined.makeDirectory(real.resolve("gone").resolve("x"), 0700));
      // names that would climb out are refused before any call
      assertStatusOf(IOException.class, () -> confined.stat(real.resolve("..").resolve("..").resolve("etc")));
      assertStatusOf(IOException.class, () -> confined.makeDirectory(outside.resolve("planted"), 0700));
    } finally {
      try (var walk = Files.walk(outside)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void assertStatusOf(Class<? extends IOException> type, org.junit.jupiter.api.function.Executable call) {
    org.junit.jupiter.api.Assertions.assertThrows(type, call);
  }

  private static void assertStaleOrNotsupp(org.junit.jupiter.api.function.Executable call) {
    NfsException e = org.junit.jupiter.api.Assertions.assertThrows(NfsException.class, call);
    assertTrue(e.status() == NfsStatus.STALE || e.status() == NfsStatus.NOTSUPP, e.status() + ": " + e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void forgedHandlesReachNothing(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle inside = file(fs, fs.root(), "inside", "x");
    java.util.Random random = new java.util.Random(18);
    for (int i = 0; i < 200; i++) {
      byte[] bytes = new byte[1 + random.nextInt(40)];
      random.nextBytes(bytes);
      assertStatus(NfsStatus.BADHANDLE, () -> fs.getattr(ROOT, FileHandle.of(bytes)));
    }
    // this export's format and instance, with ids never issued or past the last one
    byte[] ours = inside.toBytes();
    for (long id : new long[] {0, -1, Long.MAX_VALUE, 1L << 40, 9999}) {
      byte[] b = ours.clone();
      for (int k = 0; k < 8; k++) {
        b[9 + k] = (byte) (id >>> (56 - 8 * k));
      }
      FileHandle forged = FileHandle.of(b);
      NfsException e = org.junit.jupiter.api.Assertions.assertThrows(NfsException.class,
          () -> fs.read(ROOT, forged, 0, ByteBuffer.allocate(8)));
      assertTrue(e.status() == NfsStatus.BADHANDLE || e.status() == NfsStatus.STALE, e.status() + "");
    }
    // a valid handle of another export: the same ids, another index
    Path otherRoot = fx.root.getParent().resolve("other-" + System.nanoTime());
    Files.createDirectories(otherRoot);
    try (LocalFileSystem other = LocalFileSystem.of(otherRoot)) {
      FileHandle foreign = file(other, other.root(), "inside", "foreign");
      assertStatus(NfsStatus.BADHANDLE, () -> fs.read(ROOT, foreign, 0, ByteBuffer.allocate(8)));
      assertStatus(NfsStatus.BADHANDLE, () -> fs.getattr(ROOT, other.root()));
      assertStatus(NfsStatus.BADHANDLE,
          () -> fs.create(ROOT, other.root(), "planted", CreateMode.GUARDED, SetAttributes.NONE, 0));
      assertStatus(NfsStatus.BADHANDLE, () -> other.read(ROOT, inside, 0, ByteBuffer.allocate(8)));
    } finally {
      try (var walk = Files.walk(otherRoot)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    assertEquals(false, Files.exists(fx.root.resolve("planted")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"CON", "con", "Nul.txt", "prn.tar.gz", "AUX", "COM1", "lpt9.log", "COM\u00b9", "a:b",
      "stream::$DATA", "a<b", "a>b", "a\"b", "a|b", "a?b", "a*b", "a\\b", "trailing.", "trailing ", "ctl\u0001"})
  void windowsInvalidNamesAreBadNames(String name) throws Exception {
    fx = Fixture.of(Fixture.Env.JIMFS_WINDOWS);
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "ok.txt", "x");
    assertStatus(NfsStatus.BADNAME, () -> fs.create(ROOT, fs.root(), name, CreateMode.GUARDED, SetAttributes.NONE, 0));
    assertStatus(NfsStatus.BADNAME, () -> fs.mkdir(ROOT, fs.root(), name, null));
    assertStatus(NfsStatus.BADNAME, () -> fs.lookup(ROOT, fs.root(), name));
    assertStatus(NfsStatus.BADNAME, () -> fs.rename(ROOT, fs.root(), "ok.txt", fs.root(), name));
    assertStatus(NfsStatus.BADNAME, () -> fs.link(ROOT, f, fs.root(), name));
    assertStatus(NfsStatus.BADNAME, () -> fs.symlink(ROOT, fs.root(), name, "ok.txt", SetAttributes.NONE));
    assertEquals(NfsStatus.BADNAME.nfs3Code(), NfsStatus.INVAL.nfs3Code());
  }

  @Test
  void unixAllowsNamesWindowsForbids() throws Exception {
    fx = Fixture.of(Fixture.Env.JIMFS_UNIX);
    LocalFileSystem fs = fx.fs;
    for (String name : new String[] {"CON", "a:b", "trailing.", "a\\b", "what?"}) {
      FileHandle h = file(fs, fs.root(), name, name);
      assertEquals(name, content(fs, h));
    }
  }

  @Test
  void longWindowsPathsWork() throws Exception {
    fx = Fixture.of(Fixture.Env.JIMFS_WINDOWS);
    LocalFileSystem fs = fx.fs;
    FileHandle dir = fs.root();
    for (int i = 0; i < 6; i++) {
      dir = fs.mkdir(ROOT, dir, ("level" + i + "-").repeat(8), null).handle();
    }
    FileHandle deep = file(fs, dir, "x".repeat(200), "deep");
    assertTrue(fx.root.toString().length() + 6 * 57 + 200 > 260);
    assertEquals("deep", content(fs, deep));
    assertEquals(deep, fs.lookup(ROOT, dir, "x".repeat(200)).handle());
  }
}
