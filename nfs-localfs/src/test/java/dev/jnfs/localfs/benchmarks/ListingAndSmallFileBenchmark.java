package dev.jnfs.localfs.benchmarks;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The SPI calls behind the two workloads of a local-directory export that cost the most per
 * object: READDIRPLUS of a large directory (the directory's attributes, then pages of entries
 * with handles and attributes, as the NFSv3 and NFSv4 listings ask them) and small-file
 * creation (CREATE GUARDED, one 4 KiB FILE_SYNC WRITE, REMOVE).
 *
 * <p>{@code readdirplus} lists a directory whose entries the index already knows, as a
 * client listing it again does; {@code readdirplusFirst} lists a fresh copy of it each time,
 * so every entry gets its id then.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ListingAndSmallFileBenchmark {
  /** About what a 128 KiB READDIRPLUS reply holds. */
  private static final int PAGE = 512;

  /** How many entries the listed directory has. */
  @Param("10000")
  public int entries;

  private Path root;
  /** The process's own user, as the owner of what the benchmark makes. */
  private Caller caller;
  private LocalFileSystem fs;
  private FileHandle listed;
  private FileHandle files;
  private final AtomicLong names = new AtomicLong();

  /** A per-thread 4 KiB block to write. */
  @State(Scope.Thread)
  public static class Block {
    final ByteBuffer data = ByteBuffer.allocateDirect(4096);
  }

  /** A directory made anew before each listing, so that the index does not know its entries. */
  @State(Scope.Thread)
  public static class FreshDirectory {
    private int made;
    FileHandle handle;

    /**
     * Makes it.
     *
     * @param bench the benchmark's state
     * @throws IOException if it cannot be made
     * @throws NfsException if the backend fails
     */
    @Setup(Level.Invocation)
    public void make(ListingAndSmallFileBenchmark bench) throws IOException, NfsException {
      String name = "fresh-" + made++;
      bench.fill(Files.createDirectory(bench.root.resolve(name)));
      handle = bench.fs.lookup(bench.caller, bench.fs.root(), name).handle();
    }
  }

  /**
   * Makes the directory to list and the one to create files in.
   *
   * @throws IOException if the directories cannot be made
   * @throws NfsException if the backend fails
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException, NfsException {
    root = Files.createTempDirectory("jnfs-bench");
    Path big = Files.createDirectory(root.resolve("big"));
    fill(big);
    Files.createDirectory(root.resolve("files"));
    caller = Caller.of((Integer) Files.getAttribute(root, "unix:uid"), (Integer) Files.getAttribute(root, "unix:gid"));
    fs = LocalFileSystem.of(root);
    listed = fs.lookup(caller, fs.root(), "big").handle();
    files = fs.lookup(caller, fs.root(), "files").handle();
    listAll(listed);
  }

  private void fill(Path directory) throws IOException {
    for (int i = 0; i < entries; i++) {
      Files.write(directory.resolve("file-" + i), new byte[i % 7 == 0 ? 100 : 0]);
    }
  }

  /**
   * Removes everything.
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

  private long listAll(FileHandle directory) throws NfsException {
    long sum = fs.getattr(caller, directory).fileid();
    long cookie = 0;
    long verifier = 0;
    while (true) {
      DirectoryPage page = fs.readdir(caller, directory, cookie, verifier, PAGE, true);
      for (DirectoryEntry e : page.entries()) {
        sum += e.attributes().size() + e.handle().length();
        cookie = e.cookie();
      }
      verifier = page.verifier();
      if (page.eof()) {
        return sum;
      }
    }
  }

  /**
   * @return a sum over the listing, so that nothing is optimised away
   * @throws NfsException if the backend fails
   */
  @Benchmark
  @Threads(1)
  public long readdirplus() throws NfsException {
    return listAll(listed);
  }

  /**
   * @param fresh a directory not listed before
   * @return a sum over the listing
   * @throws NfsException if the backend fails
   */
  @Benchmark
  @Threads(1)
  public long readdirplusFirst(FreshDirectory fresh) throws NfsException {
    return listAll(fresh.handle);
  }

  /**
   * @param block the data to write
   * @return the write's count
   * @throws NfsException if the backend fails
   */
  @Benchmark
  @Threads(4)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int smallFile(Block block) throws NfsException {
    String name = "f" + names.incrementAndGet();
    FileHandle file = fs.create(caller, files, name, CreateMode.GUARDED, SetAttributes.NONE, 0).handle();
    block.data.clear();
    int count = fs.write(caller, file, 0, block.data, Stability.FILE_SYNC).count();
    fs.remove(caller, files, name);
    return count;
  }
}
