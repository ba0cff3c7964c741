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
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
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
