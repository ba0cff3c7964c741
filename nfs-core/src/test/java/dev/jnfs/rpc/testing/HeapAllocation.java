package dev.jnfs.rpc.testing;

import java.lang.management.ManagementFactory;

/**
 * Measures how many bytes of heap the current thread allocates while it runs a piece of code,
 * so that a fuzz target can check a decoder allocates in proportion to its input and never in
 * proportion to a length the input merely declares.
 */
public final class HeapAllocation {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private HeapAllocation() {}

  /**
   * Runs {@code work} on the current thread.
   *
   * @param work what to measure; exceptions it throws pass through
   * @return the bytes of heap the thread allocated meanwhile
   */
  public static long during(Runnable work) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    work.run();
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }
}
