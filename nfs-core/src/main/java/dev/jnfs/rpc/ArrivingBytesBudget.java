package dev.jnfs.rpc;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The direct memory that the connections of one endpoint may set aside, together, for large
 * fragments whose mark has arrived but whose bytes are still arriving
 * ({@link RecordMarkingDecoder} collects such a fragment into a buffer of its announced
 * length). Without a bound, a client could open many connections and send nothing but a mark
 * announcing a fragment of the maximum record size on each, and hold that much memory per
 * connection for four bytes. A fragment that does not fit in the budget is cumulated as its
 * bytes arrive instead, which costs memory only for bytes really received. Thread-safe.
 */
final class ArrivingBytesBudget {
  /** The default budget: 64 records of 1 MiB. */
  static final long DEFAULT_BYTES = 64L << 20;

  private final long maxBytes;
  private final AtomicLong reserved = new AtomicLong();

  /** @param maxBytes how many bytes may be set aside at once */
  ArrivingBytesBudget(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative");
    }
    this.maxBytes = maxBytes;
  }

  /**
   * @param bytes the length of a fragment about to be collected
   * @return whether it fits; if so, the bytes are set aside until {@link #release}
   */
  boolean tryReserve(int bytes) {
    for (;;) {
      long now = reserved.get();
      if (now + bytes > maxBytes) {
        return false;
      }
      if (reserved.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /** @param bytes bytes set aside by {@link #tryReserve}, now given back */
  void release(int bytes) {
    reserved.addAndGet(-bytes);
  }

  /** @return the bytes set aside now */
  long reserved() {
    return reserved.get();
  }
}
