package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.Fixture.assertStatus;
import static dev.jnfs.localfs.LocalFileSystemTest.content;
import static dev.jnfs.localfs.LocalFileSystemTest.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.FileTimeSource;
import com.google.common.jimfs.Jimfs;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsStatus;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * READDIR with attributes reads a page's entries in one pass over the directory; what it
 * returns is what each entry's GETATTR returns, also after another program changed the
 * directory between two listings. On Linux the attributes come from one {@code statx}, which
 * must give what the JDK's attribute read gives.
 */
class ListingReadsTest {
  private Fixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /** Lists a directory completely, in pages of {@code page} entries. */
  private static Map<String, DirectoryEntry> listAll(LocalFileSystem fs, FileHandle dir, int page) throws Exception {
    Map<String, DirectoryEntry> all = new TreeMap<>();
    long cookie = 0;
    long verifier = 0;
    while (true) {
      DirectoryPage p = fs.readdir(ROOT, dir, cookie, verifier, page, true);
      for (DirectoryEntry e : p.entries()) {
        assertNull(all.put(e.name(), e), "listed twice: " + e.name());
        cookie = e.cookie();
      }
      verifier = p.verifier();
      if (p.eof()) {
        return all;
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void entriesCarryWhatGetattrAnswers(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    for (int i = 0; i < 25; i++) {
      file(fs, fs.root(), "f" + i, "x".repeat(i));
    }
    Map<String, DirectoryEntry> all = listAll(fs, fs.root(), 7);
    assertEquals(25, all.size());
    for (DirectoryEntry e : all.values()) {
      FileAttributes fromGetattr = fs.getattr(ROOT, e.handle());
      assertEquals(fromGetattr, e.attributes(), e.name());
      assertEquals(fromGetattr.fileid(), e.fileid());
    }
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void changesByAnotherProgramBetweenListingsAreSeen(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    Path onDisk = fx.root.resolve("d");
    for (String name : List.of("kept", "removed", "replaced", "renamed")) {
      file(fs, dir, name, name);
    }
    Map<String, DirectoryEntry> before = listAll(fs, dir, 2);
    assertEquals(4, before.size());
    Thread.sleep(20); // past the directory's timestamp granularity: its mtime changes below

    Files.delete(onDisk.resolve("removed"));
    Files.delete(onDisk.resolve("replaced"));
    Files.writeString(onDisk.resolve("replaced"), "another, longer file");
    Files.move(onDisk.resolve("renamed"), onDisk.resolve("moved"));
    Files.writeString(onDisk.resolve("added"), "new");

    Map<String, DirectoryEntry> after = listAll(fs, dir, 2);
    assertEquals(List.of("added", "kept", "moved", "replaced"), List.copyOf(after.keySet()));
    assertEquals(before.get("kept").fileid(), after.get("kept").fileid());
    // renamed behind the server's back: the same object, found under its new name
    assertEquals(before.get("renamed").fileid(), after.get("moved").fileid());
    assertEquals("renamed", content(fs, after.get("moved").handle()));
    // replaced behind the server's back: another object, with its own attributes
    DirectoryEntry replaced = after.get("replaced");
    assertNotEquals(before.get("replaced").fileid(), replaced.fileid());
    assertEquals("another, longer file".length(), replaced.attributes().size());
    assertEquals(replaced.attributes(), fs.getattr(ROOT, replaced.handle()));
    assertStatus(NfsStatus.STALE, () -> fs.getattr(ROOT, before.get("replaced").handle()));
    assertEquals(3, after.get("added").attributes().size());
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void aChangeByAnotherProgramRightAfterAListingIsSeenByTheNext(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    Path onDisk = fx.root.resolve("d");
    for (int i = 0; i < 30; i++) {
      int before = listAll(fs, dir, 100).size();
      // usually within the timestamp tick of the previous change: the directory's times stay
      Files.writeString(onDisk.resolve("f" + i), "x");
      assertEquals(before + 1, listAll(fs, dir, 100).size(), "after adding f" + i);
      Files.delete(onDisk.resolve("f" + i));
      assertEquals(before, listAll(fs, dir, 100).size(), "after removing f" + i);
      Files.writeString(onDisk.resolve("f" + i), "x");
    }
  }

  @Test
  void aChangeWithinTheDirectorysTimestampTickIsSeen() throws Exception {
    // a file system whose clock moves in 20 ms ticks, as the kernel's coarse clock does
    FileTimeSource ticks = () -> FileTime.fromMillis(System.currentTimeMillis() / 20 * 20);
    try (FileSystem coarse = Jimfs.newFileSystem(Configuration.unix().toBuilder().setFileTimeSource(ticks).build())) {
      Path root = Files.createDirectories(coarse.getPath("/export"));
      try (LocalFileSystem fs = LocalFileSystem.of(root)) {
        for (int i = 0; i < 30; i++) {
          int before = listAll(fs, fs.root(), 100).size();
          Files.writeString(root.resolve("f" + i), "x"); // mostly within the same tick
          assertEquals(before + 1, listAll(fs, fs.root(), 100).size(), "after adding f" + i);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void aFileRewrittenInPlaceIsListedWithItsNewAttributes(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "f", "short");
    assertEquals(5, listAll(fs, fs.root(), 10).get("f").attributes().size());
    Files.writeString(fx.root.resolve("f"), "a good deal longer");
    DirectoryEntry e = listAll(fs, fs.root(), 10).get("f");
    assertEquals(18, e.attributes().size());
    assertEquals(f, e.handle());
  }

  /** The native calls, where this JVM and system have them; else the test is skipped. */
  private static NativeFiles nativeFiles() {
    NativeFiles nativeFiles = NativeFiles.of(FileSystems.getDefault()).orElse(null);
    assumeTrue(nativeFiles != null, "no native calls here");
    return nativeFiles;
  }

  @Test
  void oneStatxGivesWhatTheJdkGives(@TempDir Path dir) throws Exception {
    NativeFiles nativeFiles = nativeFiles();
    ProviderTraits traits = ProviderTraits.probe(dir, Files.createDirectory(dir.resolve(".state")), null);
    assumeTrue(traits.unixView());
    AttributeAccess withNative = new AttributeAccess(traits, 0, 0, 0644, 0755, nativeFiles, null);
    AttributeAccess jdkOnly = new AttributeAccess(traits, 0, 0, 0644, 0755, null, null);
    Path data = Files.write(dir.resolve("data"), new byte[10_000]);
    Path empty = Files.createFile(dir.resolve("empty"));
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("a target"));
    Path fifo = dir.resolve("fifo");
    Fifos.make(fifo, 0640);
    for (Path p : List.of(data, empty, sub, link, fifo)) {
      Snapshot a = withNative.read(p);
      Snapshot b = jdkOnly.read(p);
      assertEquals(new Snapshot(b.type(), b.mode(), b.nlink(), b.uid(), b.gid(), b.size(), a.used(), b.rdev(),
          b.atime(), b.mtime(), b.ctime(), b.key(), b.birth(), b.nlinkKnown()), a, p.toString());
      assertNotNull(a.key());
    }
    assertTrue(withNative.read(data).used() >= 8192, "the blocks of a written file");
    List<Snapshot> all = withNative.readAll(dir, List.of("data", "gone", "sub", "link"));
    assertEquals(withNative.read(data), all.get(0));
    assertNull(all.get(1));
    assertEquals(withNative.read(sub), all.get(2));
    assertEquals(withNative.read(link), all.get(3));
    assertInstanceOf(NoSuchFileException.class, assertThrows(Exception.class, () -> withNative.read(dir.resolve("gone"))));
    assertArrayEquals(new NativeFiles.Stat[] {null}, nativeFiles.statAll(dir, List.of("gone")));
  }
}
