package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.Fixture.assertStatus;
import static dev.jnfs.localfs.LocalFileSystemTest.content;
import static dev.jnfs.localfs.LocalFileSystemTest.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Another program renames, deletes and creates files while clients hold handles: a handle
 * yields its own object's data or STALE, never another object's.
 */
class ExternalChangeTest {
  private Fixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /** Reads through a handle: its content, or "STALE". */
  private String readOrStale(FileHandle h) throws Exception {
    try {
      return content(fx.fs, h);
    } catch (NfsException e) {
      assertEquals(NfsStatus.STALE, e.status(), e.getMessage());
      return "STALE";
    }
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void inodeReuseAfterDeleteIsStale(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle old = file(fs, fs.root(), "f", "old file");
    for (int i = 0; i < 20; i++) {
      Path p = fx.root.resolve("f");
      Files.delete(p);
      Files.writeString(p, "new file " + i);
      assertStatus(NfsStatus.STALE, () -> fs.getattr(ROOT, old));
      assertEquals("STALE", readOrStale(old));
      FileHandle fresh = fs.lookup(ROOT, fs.root(), "f").handle();
      assertNotEquals(old, fresh);
      assertEquals("new file " + i, content(fs, fresh));
    }
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void swappedNamesNeverServeTheOtherFile(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle a = file(fs, fs.root(), "a", "content of a");
    FileHandle b = file(fs, fs.root(), "b", "content of b");
    Files.move(fx.root.resolve("a"), fx.root.resolve("tmp"));
    Files.move(fx.root.resolve("b"), fx.root.resolve("a"));
    Files.move(fx.root.resolve("tmp"), fx.root.resolve("b"));
    String viaA = readOrStale(a);
    String viaB = readOrStale(b);
    assertTrue(viaA.equals("content of a") || viaA.equals("STALE"), viaA);
    assertTrue(viaB.equals("content of b") || viaB.equals("STALE"), viaB);
    // fresh lookups find the objects under their new names
    assertEquals("content of a", content(fs, fs.lookup(ROOT, fs.root(), "b").handle()));
    assertEquals("content of b", content(fs, fs.lookup(ROOT, fs.root(), "a").handle()));
    // every provider tested here has file keys: the lookups re-found the objects, so the old
    // handles follow them to their new names
    assertEquals("content of a", content(fs, a));
    assertEquals("content of b", content(fs, b));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void renamedOnDiskThenFoundAgain(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    FileHandle f = file(fs, dir, "f", "data");
    Files.move(fx.root.resolve("d").resolve("f"), fx.root.resolve("moved"));
    assertEquals("STALE", readOrStale(f));
    FileHandle found = fs.lookup(ROOT, fs.root(), "moved").handle();
    assertEquals("data", content(fs, found));
    // with file keys the lookup recognised the object: the old handle is valid again
    assertEquals(f, found);
    assertEquals("data", content(fs, f));
    // a new file created on disk under the old name is a different object
    Files.writeString(fx.root.resolve("d").resolve("f"), "impostor");
    String viaOld = readOrStale(f);
    assertTrue(viaOld.equals("data") || viaOld.equals("STALE"), viaOld);
    assertEquals("impostor", content(fs, fs.lookup(ROOT, dir, "f").handle()));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void directoryDeletedOnDiskMakesChildrenStale(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    FileHandle f = file(fs, dir, "f", "data");
    Files.delete(fx.root.resolve("d").resolve("f"));
    Files.delete(fx.root.resolve("d"));
    Files.createDirectory(fx.root.resolve("d"));
    Files.writeString(fx.root.resolve("d").resolve("f"), "other");
    assertEquals("STALE", readOrStale(f));
    assertStatus(NfsStatus.STALE, () -> fs.readdir(ROOT, dir, 0, 0, 10, false));
    FileHandle newDir = fs.lookup(ROOT, fs.root(), "d").handle();
    assertEquals("other", content(fs, fs.lookup(ROOT, newDir, "f").handle()));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void filesCreatedOnDiskAreVisible(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    Files.createDirectories(fx.root.resolve("x").resolve("y"));
    Files.writeString(fx.root.resolve("x").resolve("y").resolve("z"), "made elsewhere");
    FileHandle x = fs.lookup(ROOT, fs.root(), "x").handle();
    FileHandle y = fs.lookup(ROOT, x, "y").handle();
    assertEquals("made elsewhere", content(fs, fs.lookup(ROOT, y, "z").handle()));
    assertEquals(1, fs.readdir(ROOT, y, 0, 0, 10, true).entries().size());
  }
}
