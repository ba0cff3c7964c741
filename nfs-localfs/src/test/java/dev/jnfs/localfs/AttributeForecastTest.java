package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.LocalFileSystemTest.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.spi.FileHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalFileSystem#readsAttributesWithoutBlocking} says yes exactly where GETATTR,
 * ACCESS and LOOKUP would answer from kept attributes ({@link KeptAttributes}): the server
 * then runs them on its network thread, so a yes where the file system is read would put a
 * disk wait there.
 */
class AttributeForecastTest {
  private Fixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private LocalFileSystem watchedExport() throws IOException {
    assumeTrue(NativeFiles.of(FileSystems.getDefault()).isPresent(), "no native calls here");
    fx = Fixture.of(Fixture.Env.REAL_DIRECTORY);
    assumeTrue(KeptAttributes.watchable(Files.getFileStore(fx.root).type()), "not a local disk file system");
    return fx.fs;
  }

  @Test
  void aFileIsForecastOnceItsAttributesAreKeptAndThenReadsNothing() throws Exception {
    LocalFileSystem fs = watchedExport();
    FileHandle f = file(fs, fs.root(), "f", "x");
    assertFalse(fs.readsAttributesWithoutBlocking(f), "never read: its directory is not watched");
    fs.getattr(ROOT, f);
    assertFalse(fs.readsAttributesWithoutBlocking(f), "read once: still not watched");
    fs.getattr(ROOT, f);

    assertTrue(fs.readsAttributesWithoutBlocking(f));
    long reads = fs.attributeReads();
    fs.getattr(ROOT, f);
    fs.access(ROOT, f, 0x3f);
    fs.lookup(ROOT, fs.root(), "f");
    assertEquals(reads, fs.attributeReads(), "the forecast held: no file was read");
  }

  @Test
  void aReadThatMayMoveTheAccessTimeEndsTheForecast() throws Exception {
    LocalFileSystem fs = watchedExport();
    assumeTrue(AccessTimes.modeOfMount(fx.root) != AccessTimes.Mode.NEVER, "reads never move access times here");
    FileHandle f = file(fs, fs.root(), "f", "some content"); // written after made: atime <= mtime
    fs.getattr(ROOT, f);
    fs.getattr(ROOT, f);
    assertTrue(fs.readsAttributesWithoutBlocking(f));

    fs.read(ROOT, f, 0, ByteBuffer.allocate(4)); // moves the access time unless under noatime: forgotten

    assertFalse(fs.readsAttributesWithoutBlocking(f));
  }

  @Test
  void aChangeByAnotherProgramEndsTheForecastOnceItsEventIsRead() throws Exception {
    LocalFileSystem fs = watchedExport();
    FileHandle f = file(fs, fs.root(), "f", "x");
    FileHandle g = file(fs, fs.root(), "g", "y");
    fs.getattr(ROOT, f);
    fs.getattr(ROOT, f);
    fs.getattr(ROOT, g);
    assertTrue(fs.readsAttributesWithoutBlocking(f));

    Files.writeString(fx.root.resolve("f"), "longer");
    fs.getattr(ROOT, g); // reads the queued events, which name f

    assertFalse(fs.readsAttributesWithoutBlocking(f));
    assertEquals(6, fs.getattr(ROOT, f).size());
    assertTrue(fs.readsAttributesWithoutBlocking(f), "kept again once read after the change");
  }

  @Test
  void aDirectoryIsForecastForLookupsOnceItIsWatched() throws Exception {
    LocalFileSystem fs = watchedExport();
    FileHandle d = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    file(fs, d, "f", "x");
    assertFalse(fs.readsAttributesWithoutBlocking(d));
    fs.lookup(ROOT, d, "f");
    fs.lookup(ROOT, d, "f"); // the second read of one of its entries watches it

    assertTrue(fs.readsAttributesWithoutBlocking(d));
    long reads = fs.attributeReads();
    fs.lookup(ROOT, d, "f");
    assertEquals(reads, fs.attributeReads(), "the entry was kept");
    assertFalse(fs.readsAttributesWithoutBlocking(fs.root()), "no entry of the root was read twice");
  }

  @Test
  void objectsBelowTheRootsDirectoriesAreNeverForecast() throws Exception {
    LocalFileSystem fs = watchedExport();
    FileHandle a = fs.mkdir(ROOT, fs.root(), "a", null).handle();
    FileHandle b = fs.mkdir(ROOT, a, "b", null).handle();
    FileHandle f = file(fs, b, "f", "x");
    for (int i = 0; i < 3; i++) {
      fs.getattr(ROOT, f);
      fs.lookup(ROOT, b, "f");
      fs.lookup(ROOT, a, "b");
      fs.getattr(ROOT, b);
    }

    assertFalse(fs.readsAttributesWithoutBlocking(f), "read by the walk from the root");
    assertFalse(fs.readsAttributesWithoutBlocking(b));
    assertTrue(fs.readsAttributesWithoutBlocking(a), "right below the root, and watched");
  }

  @Test
  void unknownMalformedAndRemovedObjectsAreNotForecast() throws Exception {
    LocalFileSystem fs = watchedExport();
    FileHandle f = file(fs, fs.root(), "f", "x");
    fs.getattr(ROOT, f);
    fs.getattr(ROOT, f);
    fs.remove(ROOT, fs.root(), "f");

    assertFalse(fs.readsAttributesWithoutBlocking(f));
    assertFalse(fs.readsAttributesWithoutBlocking(FileHandle.of(new byte[] {1, 2, 3})));
    byte[] unknown = fs.root().toBytes();
    unknown[unknown.length - 1] ^= 0x7f;
    assertFalse(fs.readsAttributesWithoutBlocking(FileHandle.of(unknown)));
  }

  @Test
  void withoutAChangeWatchNothingIsForecast() throws Exception {
    fx = Fixture.of(Fixture.Env.JIMFS_UNIX);
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "f", "x");
    for (int i = 0; i < 3; i++) {
      fs.getattr(ROOT, f);
    }
    assertFalse(fs.readsAttributesWithoutBlocking(f));
    assertFalse(fs.readsAttributesWithoutBlocking(fs.root()));
  }
}
