package dev.jnfs.rpc;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether the event loop that runs the current thread serves several connections that
 * pipeline calls while enough other event loops do too: then the cores are already shared among
 * connections, and running every non-blocking call of a read batch on the event loop costs less
 * than handing calls to workers (no thread wake-ups, one write and flush per batch).
 *
 * <p>A read batch that held more than one call counts as pipelining. The event loop is crowded
 * while batches of two different connections came within the last one or two periods of
 * {@value #PERIOD_MILLIS} ms, and at least as many event loops (of every server in the process)
 * as there are processors saw pipelined batches in that time. A connection that pipelines alone
 * on its event loop, or two that share one event loop while the others idle, keep handing calls
 * to workers, so that they can use several cores.
 *
 * <p>One instance per event loop thread ({@link #ofCurrentThread}); it is used only on that
 * thread, except for the time of its last pipelined batch, which the others read.
 */
final class EventLoopCrowding {
  /** The length of one observation period, in milliseconds. */
  static final long PERIOD_MILLIS = 10;

  /** The instances of the event loop threads alive, which count each other. */
  private static final Set<EventLoopCrowding> OF_THREADS = ConcurrentHashMap.newKeySet();
  private static final FastThreadLocal<EventLoopCrowding> OF_THREAD =
      new FastThreadLocal<>() {
        @Override
        protected EventLoopCrowding initialValue() {
          return new EventLoopCrowding(
              TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS),
              Runtime.getRuntime().availableProcessors(),
              OF_THREADS);
        }

        @Override
        protected void onRemoval(EventLoopCrowding crowding) {
          crowding.loops.remove(crowding);
        }
      };

  private final long periodNanos;
  /** How many event loops must see pipelined batches, this one included. */
  private final int loopsNeeded;
  /** The event loops that count each other, this one among them. */
  private final Set<EventLoopCrowding> loops;
  /** The connection whose pipelined batch was noted last. */
  private Object last;
  /** How many times a pipelined batch came from another connection than the one before. */
  private int switches;
  /** Whether the previous period saw two connections pipeline. */
  private boolean crowdedBefore;
  /** Whether enough other event loops saw pipelined batches, as counted at the period start. */
  private boolean othersBusy;
  private long periodStart = System.nanoTime();
  /** When this event loop noted a pipelined batch, to within half a period; read by others. */
  private volatile long pipelinedAt = periodStart - (1L << 62);

  /**
   * An event loop that is crowded as soon as two of its connections pipeline.
   *
   * @param periodNanos the length of one observation period
   */
  EventLoopCrowding(long periodNanos) {
    this(periodNanos, 1, ConcurrentHashMap.newKeySet());
  }

  /**
   * @param periodNanos the length of one observation period
   * @param loopsNeeded how many event loops, this one included, must see pipelined batches
   *     for it to be crowded
   * @param loops the event loops that count each other; this one joins them
   */
  EventLoopCrowding(long periodNanos, int loopsNeeded, Set<EventLoopCrowding> loops) {
    this.periodNanos = periodNanos;
    this.loopsNeeded = loopsNeeded;
    this.loops = loops;
    this.othersBusy = loopsNeeded <= 1;
    loops.add(this);
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
    if (now - pipelinedAt >= periodNanos / 2) {
      pipelinedAt = now;
    }
  }

  /**
   * @param now {@link System#nanoTime()}
   * @return whether two connections of this event loop pipelined lately, and enough event loops
   *     saw pipelined batches
   */
  boolean crowded(long now) {
    roll(now);
    return (switches > 0 || crowdedBefore) && othersBusy;
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
      if (loopsNeeded > 1) {
        othersBusy = busyLoops(now) >= loopsNeeded;
      }
    }
  }

  /** @return how many event loops noted a pipelined batch within the last two periods */
  private int busyLoops(long now) {
    int busy = 0;
    for (EventLoopCrowding loop : loops) {
      if (now - loop.pipelinedAt < 2 * periodNanos) {
        busy++;
      }
    }
    return busy;
  }
}
