package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.LocalFileSystemTest.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A handle resolved while renames through the backend move its directory back and forth
 * always reaches its object: a resolve made without the lock while a move ran is made again
 * under it, never answered STALE from a path the move changed under it.
 */
class ResolveDuringMovesTest {
  private Fixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void getattrDuringRenamesOfItsDirectoryNeverFails() throws Exception {
    fx = Fixture.of(Fixture.Env.REAL_DIRECTORY);
    LocalFileSystem fs = fx.fs;
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "a", null).handle();
    FileHandle f = file(fs, dir, "f", "content");
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger moves = new AtomicInteger();
    CompletableFuture<Void> mover = CompletableFuture.runAsync(() -> {
      try {
        while (!done.get()) {
          fs.rename(ROOT, fs.root(), "a", fs.root(), "b");
          fs.rename(ROOT, fs.root(), "b", fs.root(), "a");
          moves.addAndGet(2);
        }
      } catch (NfsException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      long end = System.nanoTime() + 1_000_000_000L;
      int reads = 0;
      while (System.nanoTime() < end || moves.get() < 100) {
        assertEquals(7, fs.getattr(ROOT, f).size());
        reads++;
      }
      assertTrue(reads > 100, "reads: " + reads);
    } finally {
      done.set(true);
      mover.join();
    }
  }
}
