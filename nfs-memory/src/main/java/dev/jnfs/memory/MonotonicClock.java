package dev.jnfs.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The file system's clock: wall-clock time in nanoseconds, made strictly increasing so that
 * two changes never share a ctime (a guarded SETATTR compares ctimes, RFC 1813 §3.3.2).
 */
final class MonotonicClock {
  private final Clock clock;
  private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

  MonotonicClock(Clock clock) {
    this.clock = clock;
  }

  /** @return a time later than every time this clock returned before */
  Instant now() {
    Instant wall = clock.instant();
    long wallNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
    long next = last.updateAndGet(previous -> Math.max(previous + 1, wallNanos));
    return Instant.ofEpochSecond(Math.floorDiv(next, 1_000_000_000L), Math.floorMod(next, 1_000_000_000L));
  }
}
