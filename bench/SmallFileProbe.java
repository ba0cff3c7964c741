import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the file system itself does on nfsbench's smallfile workload, with no protocol: THREADS
 * plain Java threads each repeat create (O_CREAT|O_EXCL), write 4 KiB, fsync, close and
 * unlink in DIR for SECONDS, and the total is printed as nfsbench prints its figures:
 *
 * <pre>
 *   java bench/SmallFileProbe.java DIR THREADS SECONDS [durable-create | durable]
 *   probe workload=smallfile threads=32 seconds=10 files=121290 files_per_s=12129 entries_per_s=12129
 * </pre>
 *
 * <p>With {@code durable-create} each file is also forced, with its directory, right after it is
 * made and before its data is written: what an NFSv3 server must do between CREATE and the
 * WRITE, since CREATE is synchronous (RFC 1813 section 1.6) and its reply comes first. With
 * {@code durable} the directory is forced after the unlink as well, as REMOVE is synchronous
 * too: every force a server keeping both promises makes, each thread on its own. Those
 * figures are the ceiling of such a server; the plain one is not reachable by it on a file
 * system where every {@code fsync} is a flush of the disk's cache.
 *
 * Run it on the file system the exported directory lives on, beside the servers' figures
 * (entries_per_s is the same number, under the key bench/compare.sh reads for smallfile).
 * Runs on any JDK from 11 on.
 */
public final class SmallFileProbe {
  private static final int BLOCK = 4096;

  private SmallFileProbe() {}

  public static void main(String[] args) throws Exception {
    boolean durableRemove = args.length == 4 && args[3].equals("durable");
    boolean durableCreate = durableRemove || args.length == 4 && args[3].equals("durable-create");
    if (args.length != 3 && !durableCreate) {
      System.err.println("usage: java bench/SmallFileProbe.java DIR THREADS SECONDS [durable-create | durable]");
      System.exit(2);
    }
    Path dir = Paths.get(args[0]);
    int threads = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    if (!Files.isDirectory(dir) || threads < 1 || seconds < 1) {
      System.err.println("DIR must be a directory, THREADS and SECONDS at least 1");
      System.exit(2);
    }
    LongAdder files = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    long pid = ProcessHandle.current().pid();
    for (int t = 0; t < threads; t++) {
      String prefix = "probe-" + pid + "-" + t + "-";
      Thread worker = new Thread(() -> {
        try {
          loop(dir, prefix, durableCreate, durableRemove, stop, files);
        } catch (IOException | RuntimeException e) {
          synchronized (failures) {
            failures.add(e);
          }
          stop.set(true);
        }
      }, "probe-" + t);
      workers.add(worker);
    }
    long start = System.nanoTime();
    for (Thread worker : workers) {
      worker.start();
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (!failures.isEmpty()) {
      System.out.println("probe workload=smallfile threads=" + threads + " FAILED " + failures.get(0));
      System.exit(1);
    }
    long done = files.sum();
    long perSecond = Math.round(done / elapsed);
    System.out.println("probe workload=smallfile threads=" + threads + " durable_create=" + durableCreate
        + " durable_remove=" + durableRemove
        + " seconds=" + seconds + " files=" + done
        + " files_per_s=" + perSecond + " entries_per_s=" + perSecond);
  }

  private static void loop(Path dir, String prefix, boolean durableCreate, boolean durableRemove,
      AtomicBoolean stop, LongAdder files) throws IOException {
    ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
    for (long n = 0; !stop.get(); n++) {
      Path file = dir.resolve(prefix + n);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        if (durableCreate) {
          ch.force(true);
          forceDirectory(dir);
        }
        block.clear();
        while (block.hasRemaining()) {
          ch.write(block);
        }
        ch.force(true);
      }
      Files.delete(file);
      if (durableRemove) {
        forceDirectory(dir);
      }
      files.increment();
    }
  }

  private static void forceDirectory(Path dir) throws IOException {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }
}
