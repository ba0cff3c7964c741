package dev.jnfs.memory;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The entries of one directory, found by name and listed in insertion order.
 *
 * <p>Each entry gets a sequence number from a per-directory counter that only grows; an entry
 * renamed within the directory is a new entry. A listing cookie is that number plus {@link
 * #COOKIE_BASE} (so never 0, 1 or 2), and resuming after a cookie lists the entries with a
 * higher number. Adding and removing entries therefore never moves another entry across a
 * cookie: an entry present throughout a listing is returned exactly once. Not thread-safe: the
 * owning inode's lock guards it.
 */
final class DirectoryContent {
  /** Added to sequence numbers to form cookies; 0, 1 and 2 are reserved. */
  static final long COOKIE_BASE = 3;

  /** One name in the directory. */
  record Entry(String name, Inode inode, long sequence) {
    long cookie() {
      return sequence + COOKIE_BASE;
    }
  }

  private final Map<String, Entry> byName = new HashMap<>();
  private final TreeMap<Long, Entry> bySequence = new TreeMap<>();
  private long nextSequence;

  Inode get(String name) {
    Entry entry = byName.get(name);
    return entry == null ? null : entry.inode();
  }

  boolean isEmpty() {
    return byName.isEmpty();
  }

  int size() {
    return byName.size();
  }

  void add(String name, Inode inode) {
    Entry entry = new Entry(name, inode, nextSequence++);
    Entry previous = byName.put(name, entry);
    if (previous != null) {
      bySequence.remove(previous.sequence());
    }
    bySequence.put(entry.sequence(), entry);
  }

  Inode remove(String name) {
    Entry entry = byName.remove(name);
    if (entry == null) {
      return null;
    }
    bySequence.remove(entry.sequence());
    return entry.inode();
  }

  /**
   * @param cookie 0 to start, else a cookie this directory gave out
   * @return whether listing can resume after that cookie
   */
  boolean canResume(long cookie) {
    return cookie < COOKIE_BASE || cookie - COOKIE_BASE < nextSequence;
  }

  /**
   * Lists up to {@code max} entries after {@code cookie}, and one more to tell whether the
   * listing ends (the extra one is not returned).
   *
   * @param cookie where to resume (below {@link #COOKIE_BASE}: from the start)
   * @param max the most entries
   * @param page receives the entries
   * @return whether no entries follow those added to {@code page}
   */
  boolean list(long cookie, int max, List<Entry> page) {
    Map<Long, Entry> rest =
        cookie < COOKIE_BASE ? bySequence : bySequence.tailMap(cookie - COOKIE_BASE, false);
    Iterator<Entry> it = rest.values().iterator();
    int taken = 0;
    while (taken < max && it.hasNext()) {
      page.add(it.next());
      taken++;
    }
    return !it.hasNext();
  }
}
