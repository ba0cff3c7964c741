package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.LocalFileSystemTest.file;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.SetAttributes;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalFileSystem#readsDataWithoutBlocking} says yes only for a range of a file read
 * through the backend whose pages are all in the page cache: the server then runs the READ
 * on its network thread, so a yes for data on the disk would put a disk wait there.
 */
class DataForecastTest {
  private static final long GIB = 1L << 30;
  private Fixture fx;

  @BeforeEach
  void needsCachestat() throws Exception {
    NativeFiles natives = NativeFiles.of(FileSystems.getDefault()).orElse(null);
    assumeTrue(natives != null, "no native calls here");
    fx = Fixture.of(Fixture.Env.REAL_DIRECTORY);
    Path probed = fx.root.resolve("probed");
    java.nio.file.Files.writeString(probed, "x");
    try (NativeFiles.Confined confined = natives.confine(fx.root);
        NativeFiles.PageCacheProbe probe = confined.probePageCache(probed)) {
      assumeTrue(probe != null, "no cachestat in this kernel");
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void aRangeReadThroughTheBackendIsForecastAndNoneBefore() throws Exception {
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "f", "x".repeat(10_000));
    assertFalse(fs.readsDataWithoutBlocking(f, 0, 4096), "never read through the backend");

    fs.read(ROOT, f, 0, ByteBuffer.allocate(4096));

    assertTrue(fs.readsDataWithoutBlocking(f, 0, 4096));
    assertTrue(fs.readsDataWithoutBlocking(f, 4096, 4096), "written just now: in memory too");
    assertTrue(fs.readsDataWithoutBlocking(f, 100, 0));
    assertFalse(fs.readsDataWithoutBlocking(f, GIB, 4096), "past the end: no page to find");
  }

  @Test
  void pagesNeverTouchedAreNotForecastUntilRead() throws Exception {
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "sparse", "head");
    fs.setattr(ROOT, f, SetAttributes.size(GIB), null); // a hole, never in memory
    fs.read(ROOT, f, 0, ByteBuffer.allocate(4));
    long far = GIB - 2 * 4096;
    assertFalse(fs.readsDataWithoutBlocking(f, far, 4096));

    fs.read(ROOT, f, far, ByteBuffer.allocate(4096));

    assertTrue(fs.readsDataWithoutBlocking(f, far, 4096));
    assertFalse(fs.readsDataWithoutBlocking(f, far - 65536, 65536 + 4096), "only part of it was read");
  }

  @Test
  void removedUnknownAndMalformedFilesAreNotForecast() throws Exception {
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "f", "content");
    fs.read(ROOT, f, 0, ByteBuffer.allocate(7));
    assertTrue(fs.readsDataWithoutBlocking(f, 0, 7));

    fs.remove(ROOT, fs.root(), "f");

    assertFalse(fs.readsDataWithoutBlocking(f, 0, 7), "its channel and probe are closed");
    assertFalse(fs.readsDataWithoutBlocking(FileHandle.of(new byte[] {9}), 0, 1));
    assertFalse(fs.readsDataWithoutBlocking(fs.root(), 0, 1), "a directory is never read");
  }
}
