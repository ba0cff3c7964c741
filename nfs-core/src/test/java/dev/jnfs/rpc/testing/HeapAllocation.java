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

  /**
   * Runs {@code work}, and once more if it allocated more than {@code bound} bytes the first
   * time: the first run of a code path also pays for loading and initialising its classes,
   * which is not the work's own allocation.
   *
   * @param bound the bytes of heap the work may allocate
   * @param work what to measure; it must allow running twice
   * @return the bytes allocated by the last run
   */
  public static long settled(long bound, Runnable work) {
    long allocated = during(work);
    return allocated <= bound ? allocated : during(work);
  }
}
