package dev.jnfs.rpc;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Workers that, having answered the only call in flight on their connection, stay awake for a
 * few microseconds in case the connection's next call arrives, and run it themselves.
 *
 * <p>A client that sends one call at a time waits for each reply before it sends the next, so
 * every call would otherwise wake a parked worker thread: on a virtual machine that wake-up
 * costs about as much as the call. A worker that waits by spinning takes the next call from the
 * network thread in a memory write instead. The wait is bounded, and so is the number of
 * workers waiting at once, so the CPU it costs is bounded too. A connection that pipelines
 * gets no warm worker: a worker does not wait, or stops waiting, as soon as another call of
 * its connection went to the executor while it ran or waited, and only a connection whose
 * last {@value #LONE_STREAK} calls were each alone gets one: a client that pipelines may have
 * a lone call in flight now and then, but while it reads its replies and sends new calls a
 * waiting worker would only take processor time from it. A client that keeps thinking longer
 * than the wait (one that decodes a large directory listing between calls, say) would make
 * one call in every streak cost a whole wait in vain: each wait in vain in a row doubles the
 * streak it takes to wait again, up to {@value #MAX_STREAK} calls, and a wait that gets its
 * call starts over.
 */
public final class WarmWorkers {
  /** Workers that never wait: every call goes to the executor. */
  public static final WarmWorkers NONE = new WarmWorkers(Duration.ZERO, 0);

  private static final Object WAITING = new Object();
  /** How many lone calls in a row make a connection worth waiting for. */
  static final int LONE_STREAK = 8;
  /** The longest streak of lone calls a connection whose waits were in vain must show. */
  static final int MAX_STREAK = 256;
  /** The mark of a call after which no worker waits. */
  static final long NO_WAIT = -1;

  private final long waitNanos;
  private final int maxWaiting;
  private final AtomicInteger waiting = new AtomicInteger();

  /**
   * @param wait how long a worker that answered a lone call waits for its connection's next
   *     call; {@link Duration#ZERO} for not at all
   * @param maxWaiting how many workers of the server may wait at once
   */
  public WarmWorkers(Duration wait, int maxWaiting) {
    if (wait.isNegative() || maxWaiting < 0) {
      throw new IllegalArgumentException("wait and maxWaiting must not be negative");
    }
    this.waitNanos = wait.toNanos();
    this.maxWaiting = maxWaiting;
  }

  /**
   * @param wait how long a worker waits for its connection's next call
   * @return warm workers of whom at most a quarter of the processors (at least one) wait at
   *     once
   */
  public static WarmWorkers sharingProcessors(Duration wait) {
    return new WarmWorkers(wait, Math.max(1, Runtime.getRuntime().availableProcessors() / 4));
  }

  /** @return whether workers wait at all */
  boolean enabled() {
    return waitNanos > 0 && maxWaiting > 0;
  }

  /**
   * @param <T> what a call is to the connection
   * @return a meeting point for the calls of one connection
   */
  <T> Handoff<T> newHandoff() {
    return new Handoff<>();
  }

  /**
   * Where the network thread hands one connection's next call to a waiting worker. Its state
   * is empty, {@code WAITING} while a worker waits, or the handed-over call until the worker
   * takes it.
   *
   * <p>A worker announces that it waits ({@link #expect}) before it writes its reply, so that
   * a client quicker than the worker still finds it waiting; then it spins ({@link #await}).
   *
   * @param <T> what a call is to the connection
   */
  final class Handoff<T> {
    private final AtomicReference<Object> state = new AtomicReference<>();
    /** How many calls went to the executor while others ran; written by the network thread. */
    private volatile long crowded;
    /** How many calls in a row were alone; on the network thread. */
    private int loneStreak;
    /** Set by a worker that waited in vain: the client thinks longer than the wait. */
    private volatile boolean waitedInVain;
    /**
     * How many lone calls in a row make this connection worth waiting for: {@link #LONE_STREAK},
     * doubled by each wait in vain in a row; written by the one worker that waits.
     */
    private volatile int streakNeeded = LONE_STREAK;

    private Handoff() {}

    /**
     * On the network thread, for each call about to run on a worker.
     *
     * @param alone whether the call is the only one of the connection in flight
     * @return the mark to give {@link #expect} once the call is answered, or {@link #NO_WAIT}
     *     when the connection is not worth waiting for
     */
    long admit(boolean alone) {
      if (waitedInVain) {
        // a client that pauses longer than the wait is worth waiting for only after another
        // streak of lone calls, so that its calls do not each cost a wait in vain
        waitedInVain = false;
        loneStreak = 0;
      }
      if (!alone) {
        loneStreak = 0;
        crowded = crowded + 1;
        return NO_WAIT;
      }
      if (loneStreak < streakNeeded) {
        loneStreak++;
        return NO_WAIT;
      }
      return crowded;
    }

    /** @return whether a worker waits for this connection's next call now */
    boolean hasWaitingWorker() {
      return state.get() == WAITING;
    }

    /**
     * On the network thread, for a call that could run there: handing it to a worker pays
     * when one waits for it, or when one may wait for the calls after it.
     *
     * @param mark what {@link #admit} returned for the call
     * @return whether to hand the call to a worker
     */
    boolean worthHandingOver(long mark) {
      return mark != NO_WAIT && (hasWaitingWorker() || waiting.get() < maxWaiting)
          && enabled();
    }

    /**
     * On the network thread.
     *
     * @param call the connection's next call, to run as a worker would
     * @return whether a waiting worker took it; if not, the caller runs it elsewhere
     */
    boolean offer(T call) {
      return state.get() == WAITING && state.compareAndSet(WAITING, call);
    }

    /**
     * On a worker about to write the reply to its connection's lone call: announces that it
     * will wait for the next call. Once this returns true the worker must call {@link #await}.
     *
     * @param mark what {@link #admit} returned for the lone call
     * @return whether the worker waits: not when waiting is off, the connection is not worth
     *     it, another worker already waits for it, or as many workers as allowed wait
     */
    boolean expect(long mark) {
      if (mark == NO_WAIT || !enabled() || crowded != mark) {
        return false;
      }
      if (waiting.incrementAndGet() > maxWaiting) {
        waiting.decrementAndGet();
        return false;
      }
      // one waiter per connection: a second one must not overwrite a call handed to the first
      if (!state.compareAndSet(null, WAITING)) {
        waiting.decrementAndGet();
        return false;
      }
      return true;
    }

    /**
     * Spins until the next call is handed over, the wait is over, the connection starts calls
     * beside it, or the worker is interrupted (the executor shuts down).
     *
     * @param mark what {@link #admit} returned for the lone call
     * @return the call handed over, which the worker runs; null if none came
     */
    @SuppressWarnings("unchecked")
    T await(long mark) {
      try {
        long deadline = System.nanoTime() + waitNanos;
        while (state.get() == WAITING) {
          boolean give =
              crowded != mark
                  || System.nanoTime() - deadline >= 0
                  || Thread.currentThread().isInterrupted();
          if (give && state.compareAndSet(WAITING, null)) {
            if (crowded == mark && !Thread.currentThread().isInterrupted()) {
              streakNeeded = Math.min(MAX_STREAK, streakNeeded * 2);
              waitedInVain = true;
            }
            return null;
          }
          Thread.onSpinWait();
        }
        streakNeeded = LONE_STREAK;
        return (T) state.getAndSet(null);
      } finally {
        waiting.decrementAndGet();
      }
    }
  }
}
