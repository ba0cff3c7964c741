package dev.jnfs.rpc;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the calls of one endpoint that were decoded and have not yet handed over their reply
 * (or been discarded), so that stopping can wait a bounded time for them. Thread-safe.
 */
final class InFlightCalls {
  private final AtomicInteger count = new AtomicInteger();
  private volatile boolean awaited;

  /** A call was decoded. */
  void begin() {
    count.incrementAndGet();
  }

  /** A call handed its reply to the transport, or was discarded. */
  void end() {
    if (count.decrementAndGet() == 0 && awaited) {
      synchronized (this) {
        notifyAll();
      }
    }
  }

  /** @return how many calls are in flight */
  int count() {
    return count.get();
  }

  /**
   * Waits until no call is in flight or the deadline passes.
   *
   * @param deadlineNanos a {@link System#nanoTime()} value
   * @return whether no call is in flight
   */
  boolean awaitNone(long deadlineNanos) throws InterruptedException {
    synchronized (this) {
      awaited = true;
      try {
        while (count.get() > 0) {
          long left = deadlineNanos - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
      } finally {
        awaited = false;
      }
    }
  }
}
