package dev.jnfs.localfs.benchmarks;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The backend's hot paths over a real temporary directory: GETATTR, LOOKUP of a known name,
 * 4 KiB READ into a direct buffer and 4 KiB UNSTABLE WRITE, each including the handle's
 * resolution and identity check.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LocalFileSystemBenchmark {
  private static final Caller CALLER = Caller.of(1000, 1000);
  private Path root;
  private LocalFileSystem fs;
  private FileHandle directory;
  private FileHandle file;

  /** A per-thread buffer. */
  @State(Scope.Thread)
  public static class Buffers {
    final ByteBuffer read = ByteBuffer.allocateDirect(4096);
    final ByteBuffer write = ByteBuffer.allocateDirect(4096);
  }

  /**
   * Makes a directory with a 1 MiB file.
   *
   * @throws IOException if the directory cannot be made
   * @throws NfsException if the backend fails
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException, NfsException {
    root = Files.createTempDirectory("jnfs-bench");
    fs = LocalFileSystem.of(root);
    Caller rootCaller = Caller.of(0, 0);
    directory = fs.mkdir(rootCaller, fs.root(), "d", new SetAttributes(0755, 1000, 1000, null,
        dev.jnfs.spi.TimeUpdate.UNCHANGED, dev.jnfs.spi.TimeUpdate.UNCHANGED)).handle();
    file = fs.create(CALLER, directory, "f", CreateMode.GUARDED, SetAttributes.NONE, 0).handle();
    fs.write(CALLER, file, 0, ByteBuffer.allocate(1 << 20), Stability.FILE_SYNC);
  }

  /**
   * Removes the directory.
   *
   * @throws IOException if it cannot be removed
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    fs.close();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * @return the file's attributes
   * @throws NfsException if the backend fails
   */
  @Benchmark
  @Threads(1)
  public FileAttributes getattr() throws NfsException {
    return fs.getattr(CALLER, file);
  }

  /**
   * @return the looked-up entry
   * @throws NfsException if the backend fails
   */
  @Benchmark
  @Threads(1)
  public FileEntry lookup() throws NfsException {
    return fs.lookup(CALLER, directory, "f");
  }

  /**
   * @param buffers the thread's buffers
   * @return the read's result
   * @throws NfsException if the backend fails
   */
  @Benchmark
  @Threads(1)
  public ReadResult read4k(Buffers buffers) throws NfsException {
    buffers.read.clear();
    return fs.read(CALLER, file, 65_536, buffers.read);
  }

  /**
   * @param buffers the thread's buffers
   * @return the write's result
   * @throws NfsException if the backend fails
   */
  @Benchmark
  @Threads(1)
  public WriteResult write4kUnstable(Buffers buffers) throws NfsException {
    buffers.write.clear();
    return fs.write(CALLER, file, 131_072, buffers.write, Stability.UNSTABLE);
  }

  /**
   * @param buffers the thread's buffers
   * @return the read's result
   * @throws NfsException if the backend fails
   */
  @Benchmark
  @Threads(2)
  public ReadResult read4kTwoThreads(Buffers buffers) throws NfsException {
    buffers.read.clear();
    return fs.read(CALLER, file, 65_536, buffers.read);
  }
}
