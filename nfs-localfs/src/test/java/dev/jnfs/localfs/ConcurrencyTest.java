package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many threads at once: writers, creators and lookups of the same objects. */
class ConcurrencyTest {
  private static final int THREADS = 8;
  private Fixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static <T> List<T> inParallel(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(5, TimeUnit.MINUTES));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Fixture.Env.class, names = {"JIMFS_UNIX", "REAL_DIRECTORY"})
  void writersOfDisjointRangesOfOneFile(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle f = fs.create(ROOT, fs.root(), "shared", CreateMode.GUARDED, SetAttributes.NONE, 0).handle();
    int chunk = 4096;
    int chunksPerThread = 32;
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      tasks.add(() -> {
        for (int c = 0; c < chunksPerThread; c++) {
          long index = (long) c * THREADS + thread; // interleaved chunks
          byte[] data = new byte[chunk];
          java.util.Arrays.fill(data, (byte) (index % 251));
          fs.write(ROOT, f, index * chunk, ByteBuffer.wrap(data), Stability.UNSTABLE);
        }
        return null;
      });
    }
    inParallel(tasks);
    fs.commit(ROOT, f, 0, 0);
    long total = (long) THREADS * chunksPerThread;
    assertEquals(total * chunk, fs.getattr(ROOT, f).size());
    for (long index = 0; index < total; index++) {
      ByteBuffer b = ByteBuffer.allocate(chunk);
      fs.read(ROOT, f, index * chunk, b);
      byte[] expected = new byte[chunk];
      java.util.Arrays.fill(expected, (byte) (index % 251));
      assertArrayEquals(expected, b.array(), "chunk " + index);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Fixture.Env.class, names = {"JIMFS_WINDOWS", "REAL_DIRECTORY"})
  void writersOfDifferentFiles(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    List<Callable<FileHandle>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      tasks.add(() -> {
        FileHandle h = fs.create(ROOT, fs.root(), "file" + thread, CreateMode.GUARDED, SetAttributes.NONE, 0).handle();
        for (int k = 0; k < 100; k++) {
          fs.write(ROOT, h, k * 8L, ByteBuffer.allocate(8).putLong(0, thread * 1000L + k), Stability.UNSTABLE);
        }
        return h;
      });
    }
    List<FileHandle> handles = inParallel(tasks);
    for (int t = 0; t < THREADS; t++) {
      ByteBuffer b = ByteBuffer.allocate(800);
      fs.read(ROOT, handles.get(t), 0, b);
      for (int k = 0; k < 100; k++) {
        assertEquals(t * 1000L + k, b.getLong(k * 8));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void racingGuardedCreatesMakeOneFile(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    for (int round = 0; round < 20; round++) {
      String name = "contested" + round;
      List<Callable<NfsStatus>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        tasks.add(() -> {
          try {
            fs.create(ROOT, fs.root(), name, CreateMode.GUARDED, SetAttributes.NONE, 0);
            return null;
          } catch (NfsException e) {
            return e.status();
          }
        });
      }
      List<NfsStatus> outcomes = inParallel(tasks);
      assertEquals(1, outcomes.stream().filter(s -> s == null).count(), outcomes.toString());
      assertEquals(THREADS - 1, outcomes.stream().filter(s -> s == NfsStatus.EXIST).count(), outcomes.toString());
    }
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void racingLookupsOfAnUnknownFileAgreeOnOneHandle(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    for (int round = 0; round < 20; round++) {
      String name = "external" + round;
      Files.writeString(fx.root.resolve(name), "made by another program");
      List<Callable<FileHandle>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        tasks.add(() -> lookupHandle(fs, name));
      }
      Set<FileHandle> distinct = new HashSet<>(inParallel(tasks));
      assertEquals(1, distinct.size(), "one object, one handle");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Fixture.Env.class, names = {"JIMFS_UNIX", "JIMFS_WINDOWS", "REAL_DIRECTORY"})
  void createsWritesAndRemovesOfDistinctNamesRunTogether(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    int rounds = 25;
    List<Callable<List<FileHandle>>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      tasks.add(() -> {
        List<FileHandle> removed = new ArrayList<>();
        for (int k = 0; k < rounds; k++) {
          String name = "t" + thread + "-" + k;
          FileHandle h = fs.create(ROOT, fs.root(), name, CreateMode.GUARDED, SetAttributes.NONE, 0).handle();
          fs.write(ROOT, h, 0, ByteBuffer.allocate(8).putLong(0, thread * 1000L + k), Stability.FILE_SYNC);
          if (k % 2 == 0) {
            fs.remove(ROOT, fs.root(), name);
            removed.add(h);
          }
        }
        return removed;
      });
    }
    List<List<FileHandle>> removed = inParallel(tasks);
    for (int t = 0; t < THREADS; t++) {
      for (int k = 0; k < rounds; k++) {
        String name = "t" + t + "-" + k;
        if (k % 2 == 0) {
          assertEquals(false, Files.exists(fx.root.resolve(name)), name);
          String gone = name;
          assertEquals(NfsStatus.NOENT,
              org.junit.jupiter.api.Assertions.assertThrows(NfsException.class, () -> lookupHandle(fs, gone)).status());
        } else {
          ByteBuffer b = ByteBuffer.allocate(8);
          fs.read(ROOT, lookupHandle(fs, name), 0, b);
          assertEquals(t * 1000L + k, b.getLong(0), name);
        }
      }
      for (FileHandle h : removed.get(t)) {
        assertEquals(NfsStatus.STALE,
            org.junit.jupiter.api.Assertions.assertThrows(NfsException.class, () -> fs.getattr(ROOT, h)).status());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Fixture.Env.class, names = {"JIMFS_UNIX", "REAL_DIRECTORY"})
  void racingRemovesOfHardLinksKeepTheLastName(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    for (int round = 0; round < 5; round++) {
      FileHandle f = fs.create(ROOT, fs.root(), "orig" + round, CreateMode.GUARDED, SetAttributes.NONE, 0).handle();
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        String link = "link" + round + "-" + t;
        fs.link(ROOT, f, fs.root(), link);
        tasks.add(() -> {
          fs.remove(ROOT, fs.root(), link);
          return null;
        });
      }
      String original = "orig" + round;
      tasks.add(() -> {
        fs.remove(ROOT, fs.root(), original);
        return null;
      });
      String survivor = "survivor" + round;
      fs.link(ROOT, f, fs.root(), survivor);
      inParallel(tasks);
      assertEquals(f, lookupHandle(fs, survivor), "the remaining name is the same object");
      assertEquals(1, fs.getattr(ROOT, f).nlink());
      fs.remove(ROOT, fs.root(), survivor);
      assertEquals(NfsStatus.STALE,
          org.junit.jupiter.api.Assertions.assertThrows(NfsException.class, () -> fs.getattr(ROOT, f)).status());
    }
  }

  private static FileHandle lookupHandle(LocalFileSystem fs, String name) throws NfsException {
    return fs.lookup(ROOT, fs.root(), name).handle();
  }
}
