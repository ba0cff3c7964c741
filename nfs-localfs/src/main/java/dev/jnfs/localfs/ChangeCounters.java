package dev.jnfs.localfs;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many changes this backend made to each object, added to its ctime so that the change
 * attribute moves even when a change lands within the file system's timestamp tick (and so
 * that a kept directory listing is dropped after a change through NFS).
 *
 * <p>A fixed table of counters indexed by a hash of the id: no map, no boxed keys, bounded
 * memory, one array read per attribute set. Objects sharing a counter see each other's
 * changes as their own, a spurious change that costs a client one revalidation of its cache
 * (RFC 8881 section 5.8.1.4 asks only that it tell whether the object was modified); a
 * counter never goes back. Thread-safe.
 */
final class ChangeCounters {
  private static final int SLOT_BITS = 16;

  private final AtomicLongArray counts = new AtomicLongArray(1 << SLOT_BITS);
  /** Changes of all objects, counted after the object's own counter. */
  private final AtomicLong total = new AtomicLong();

  /** Counts a change of the object. */
  void bump(long id) {
    counts.incrementAndGet(slot(id));
    total.incrementAndGet();
  }

  /**
   * @return the changes counted for all objects: while it is what it was, {@link #get} gives
   *     for every object what it gave then
   */
  long total() {
    return total.get();
  }

  /** @return the changes counted for the object (and those sharing its counter) */
  long get(long id) {
    return counts.get(slot(id));
  }

  private static int slot(long id) {
    return (int) ((id * 0x9E3779B97F4A7C15L) >>> (64 - SLOT_BITS));
  }
}
