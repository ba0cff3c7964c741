package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.Fixture.assertStatus;
import static dev.jnfs.localfs.LocalFileSystemTest.content;
import static dev.jnfs.localfs.LocalFileSystemTest.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
