package dev.jnfs.localfs;

import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** Conversions between instants, file times and nanosecond counts. */
final class Times {
  private Times() {}

  static long toNanos(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (ArithmeticException e) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE;
    }
  }

  static Instant fromNanos(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  static Instant of(FileTime t) {
    return t == null ? Instant.EPOCH : t.toInstant();
  }
}
