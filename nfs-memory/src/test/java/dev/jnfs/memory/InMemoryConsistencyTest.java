package dev.jnfs.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.FsStat;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Threads run random namespace and data operations on a small tree at once; afterwards the
 * tree must be consistent: link counts match the names found, directory link counts match
 * their subdirectories, and the space and object counts match what is reachable. Only the
 * failures a lost race explains are accepted.
 */
class InMemoryConsistencyTest {
  private static final Caller ROOT = Caller.of(0, 0);
  private static final Set<NfsStatus> RACE_OUTCOMES =
      EnumSet.of(
          NfsStatus.NOENT, // the name went away meanwhile
          NfsStatus.EXIST,
          NfsStatus.ISDIR, // the name is (now) a directory: remove, link, write, truncate
          NfsStatus.NOTDIR,
          NfsStatus.NOTEMPTY,
          NfsStatus.STALE);

  private final InMemoryFileSystem fs = InMemoryFileSystem.builder().capacityBytes(1L << 30).build();

  @Test
  void randomConcurrentOperationsLeaveAConsistentTree() throws Exception {
    List<FileHandle> dirs = new ArrayList<>();
    for (String name : List.of("a", "b", "c", "d")) {
      dirs.add(fs.mkdir(ROOT, fs.root(), name, SetAttributes.NONE).handle());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long seed = 1000 + t;
        results.add(pool.submit(() -> churn(dirs, new Random(seed), 5000)));
      }
      for (Future<Integer> result : results) {
        result.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    checkConsistency();
  }

  /** Runs {@code operations} random operations; answers how many succeeded. */
  private int churn(List<FileHandle> dirs, Random random, int operations) throws Exception {
    int succeeded = 0;
    for (int i = 0; i < operations; i++) {
      FileHandle dir = dirs.get(random.nextInt(dirs.size()));
      FileHandle other = dirs.get(random.nextInt(dirs.size()));
      String name = (random.nextInt(4) == 0 ? "s" : "f") + random.nextInt(3);
      String otherName = (random.nextInt(4) == 0 ? "s" : "f") + random.nextInt(3);
      try {
        switch (random.nextInt(9)) {
          case 0, 1 -> fs.create(ROOT, dir, name, CreateMode.GUARDED, SetAttributes.NONE, 0);
          case 2 -> fs.remove(ROOT, dir, name);
          case 3 -> fs.link(ROOT, fs.lookup(ROOT, dir, name).handle(), other, otherName);
          case 4 -> fs.rename(ROOT, dir, name, other, otherName);
          case 5 -> {
            FileHandle f = fs.lookup(ROOT, dir, name).handle();
            byte[] data = new byte[1 + random.nextInt(100_000)];
            random.nextBytes(data);
            fs.write(ROOT, f, random.nextInt(200_000), ByteBuffer.wrap(data), Stability.UNSTABLE);
          }
          case 6 -> fs.setattr(ROOT, fs.lookup(ROOT, dir, name).handle(), SetAttributes.size(random.nextInt(150_000)), null);
          case 7 -> fs.mkdir(ROOT, dir, name, SetAttributes.NONE);
          default -> fs.rmdir(ROOT, dir, name);
        }
        succeeded++;
      } catch (NfsException e) {
        assertTrue(
            RACE_OUTCOMES.contains(e.status()), "unexpected " + e.status() + ": " + e.getMessage());
      }
    }
    return succeeded;
  }

  private void checkConsistency() throws Exception {
    Map<Long, Integer> namesPerObject = new HashMap<>();
    Map<Long, FileAttributes> attributes = new HashMap<>();
    Map<Long, Integer> subdirectories = new HashMap<>();
    List<FileHandle> pending = new ArrayList<>(List.of(fs.root()));
    Set<Long> visitedDirectories = new HashSet<>();
    FileAttributes rootAttributes = fs.getattr(ROOT, fs.root());
    attributes.put(rootAttributes.fileid(), rootAttributes);
    while (!pending.isEmpty()) {
      FileHandle dir = pending.removeLast();
      long dirId = fs.getattr(ROOT, dir).fileid();
      assertTrue(visitedDirectories.add(dirId), "directory " + dirId + " reached twice: a cycle or a second name");
      DirectoryPage page = fs.readdir(ROOT, dir, 0, 0, Integer.MAX_VALUE, true);
      assertTrue(page.eof());
      Set<String> names = new HashSet<>();
      for (DirectoryEntry e : page.entries()) {
        assertTrue(names.add(e.name()), "name listed twice: " + e.name());
        FileAttributes a = fs.getattr(ROOT, e.handle());
        assertEquals(a.fileid(), fs.lookup(ROOT, dir, e.name()).attributes().fileid());
        namesPerObject.merge(a.fileid(), 1, Integer::sum);
        attributes.put(a.fileid(), a);
        if (a.type() == FileType.DIRECTORY) {
          subdirectories.merge(dirId, 1, Integer::sum);
          assertEquals(dirId, fs.lookup(ROOT, e.handle(), "..").attributes().fileid(), "'..' of " + e.name());
          pending.add(e.handle());
        }
      }
    }
    long usedBytes = 0;
    for (FileAttributes a : attributes.values()) {
      if (a.type() == FileType.DIRECTORY) {
        assertEquals(2 + subdirectories.getOrDefault(a.fileid(), 0), a.nlink(), "directory " + a.fileid());
      } else {
        assertEquals(namesPerObject.get(a.fileid()), a.nlink(), "links of " + a.fileid());
        usedBytes += a.used();
      }
    }
    FsStat stat = fs.fsstat(ROOT, fs.root());
    assertEquals(attributes.size(), stat.totalFiles() - stat.freeFiles(), "objects counted");
    assertEquals(usedBytes, stat.totalBytes() - stat.freeBytes(), "bytes counted");
  }
}
