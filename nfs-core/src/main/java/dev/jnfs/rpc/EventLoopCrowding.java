package dev.jnfs.rpc;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether the event loop that runs the current thread serves several connections that
 * pipeline calls: then the cores are already shared among connections, and running every
 * non-blocking call of a read batch on the event loop costs less than handing calls to workers
 * (no thread wake-ups, one write and flush per batch).
 *
 * <p>A connection that pipelines alone on its event loop keeps handing calls to workers, so
 * that one connection can use several cores. A read batch that held more than one call counts
 * as pipelining; the event loop is crowded while batches of two different connections came
 * within the last one or two periods of {@value #PERIOD_MILLIS} ms.
 *
 * <p>One instance per event loop thread ({@link #ofCurrentThread}); it is used only on that
 * thread, so it needs no synchronisation.
 */
final class EventLoopCrowding {
  /** The length of one observation period, in milliseconds. */
  static final long PERIOD_MILLIS = 10;

  private static final FastThreadLocal<EventLoopCrowding> OF_THREAD =
      new FastThreadLocal<>() {
        @Override
        protected EventLoopCrowding initialValue() {
          return new EventLoopCrowding(TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS));
        }
      };

  private final long periodNanos;
  /** The connection whose pipelined batch was noted last. */
  private Object last;
  /** How many times a pipelined batch came from another connection than the one before. */
  private int switches;
  /** Whether the previous period saw two connections pipeline. */
  private boolean crowdedBefore;
  private long periodStart = System.nanoTime();

  /** @param periodNanos the length of one observation period */
  EventLoopCrowding(long periodNanos) {
    this.periodNanos = periodNanos;
  }

  /** @return the instance of the calling thread */
  static EventLoopCrowding ofCurrentThread() {
    return OF_THREAD.get();
  }

  /**
   * Notes a read batch of several calls.
   *
   * @param connection what identifies the connection (compared by identity)
   * @param now {@link System#nanoTime()}
   */
  void pipelined(Object connection, long now) {
    roll(now);
    if (connection != last) {
      if (last != null) {
        switches++;
      }
      last = connection;
    }
  }

  /**
   * @param now {@link System#nanoTime()}
   * @return whether two connections of this event loop pipelined lately
   */
  boolean crowded(long now) {
    roll(now);
    return switches > 0 || crowdedBefore;
  }

  private void roll(long now) {
    long elapsed = now - periodStart;
    if (elapsed >= periodNanos) {
      // a period with no batch at all in between ends what the one before it saw
      boolean recent = elapsed < 2 * periodNanos;
      crowdedBefore = switches > 0 && recent;
      if (!recent) {
        last = null;
      }
      switches = 0;
      periodStart = now;
    }
  }
}
