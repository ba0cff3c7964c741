package dev.jnfs.rpc.testing;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client that keeps calling a server while a test attacks it: a NULL call (procedure 0)
 * every 100 ms on a connection of its own, each of which must be answered within a bound.
 * Meanwhile it samples the heap in use and the direct buffers, and reports their maximum, so
 * that a test can show the attack neither starved other clients nor grew the server's memory.
 */
public final class WellBehavedClient implements AutoCloseable {
  private static final long PERIOD_MILLIS = 100;

  private final String name;
  private final long boundMillis;
  private final RpcTestClient client;
  private final int program;
  private final int version;
  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final long heapBefore;
  private volatile boolean stop;
  private volatile int answered;
  private volatile long slowestMillis;
  private volatile long heapPeak;
  private volatile long directPeak;

  /**
   * Connects and starts calling.
   *
   * @param name what the test does, for the report
   * @param server the server
   * @param program a program the server serves
   * @param version a version of it
   * @param boundMillis how long a call may take to be answered
   * @throws IOException if the client cannot connect
   */
  public WellBehavedClient(
      String name, InetSocketAddress server, int program, int version, long boundMillis)
      throws IOException {
    this.name = name;
    this.boundMillis = boundMillis;
    this.program = program;
    this.version = version;
    System.gc();
    this.heapBefore = heapUsed();
    this.client = RpcTestClient.connect(server);
    this.thread = Thread.ofPlatform().daemon().name("well-behaved-" + name).start(this::run);
  }

  private void run() {
    while (!stop) {
      sample();
      long start = System.nanoTime();
      try {
        if (!client.call(program, version, 0, new byte[0]).isSuccess()) {
          throw new AssertionError("NULL call refused");
        }
      } catch (IOException | RuntimeException | AssertionError e) {
        failure.compareAndSet(null, e);
        return;
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      slowestMillis = Math.max(slowestMillis, millis);
      answered++;
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Takes a sample of the heap and direct memory in use; also usable from the test. */
  public void sample() {
    heapPeak = Math.max(heapPeak, heapUsed());
    directPeak = Math.max(directPeak, directUsed());
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long directUsed() {
    long used = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        used += pool.getMemoryUsed();
      }
    }
    return used;
  }

  /** @return the highest heap use sampled, in bytes */
  public long heapPeak() {
    return heapPeak;
  }

  /** @return the highest use of direct buffers sampled, in bytes */
  public long directPeak() {
    return directPeak;
  }

  /**
   * Stops calling, prints the report and checks every call was answered in time.
   *
   * @throws AssertionError if a call failed or took longer than the bound
   */
  @Override
  public void close() throws IOException, InterruptedException {
    stop = true;
    thread.join(RpcTestClient.TIMEOUT_MILLIS + 1000);
    sample();
    client.close();
    System.out.printf(
        "hostile client test %s: %d calls of the well-behaved client answered, slowest %d ms;"
            + " heap %d MiB before, peak %d MiB; direct buffers peak %d MiB%n",
        name, answered, slowestMillis, heapBefore >> 20, heapPeak >> 20, directPeak >> 20);
    if (failure.get() != null) {
      throw new AssertionError(name + ": the well-behaved client failed", failure.get());
    }
    if (slowestMillis > boundMillis) {
      throw new AssertionError(
          name + ": a call of the well-behaved client took " + slowestMillis + " ms");
    }
    if (answered == 0) {
      throw new AssertionError(name + ": the well-behaved client got no answer");
    }
  }
}
