package dev.jnfs.localfs;

import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the sorted listings of recently listed directories, so paging through a large
 * directory scans it once instead of once per page. A listing is reused only while the
 * directory's version (modification and change time, and the count of changes made through
 * this backend) is unchanged and for at most a short time.
 *
 * <p>File systems stamp times with a coarse clock (a kernel tick, several milliseconds), so a
 * change by another program within the tick of the directory's last change would leave its
 * times as they were. A listing is therefore kept only when the directory's times are older
 * than the clock before the listing was read by more than such a tick: any later change then
 * gets a later time. Listings of directories changed just before (the racy ones, as git calls
 * its index entries of files changed within the index's own timestamp) are read anew each time
 * until their times settle.
 *
 * <p>A listing also remembers, per name, the node the index gave the object found there
 * ({@link Listing#bound}), so that listing it again costs one lookup by id per entry (is the
 * node still the index's?) instead of a lookup by name and then by id; and the entry made of
 * it, given again while the node, the attributes instance read and the change count are all
 * unchanged. A page all of whose entries were so given again is itself kept ({@link
 * Listing#pages}) and given again as a whole while none of those inputs can have moved,
 * which three counts tell without a look at any entry. Thread-safe.
 */
final class ListingCache {
  private static final int MAX_DIRECTORIES = 64;
  private static final long MAX_AGE_NANOS = 2_000_000_000L;
  /** More than the coarsest timestamp clock in use (a tick at HZ=100 is 10 ms). */
  private static final Duration TIMESTAMP_GRANULARITY = Duration.ofMillis(50);

  /**
   * What a listing was made from.
   *
   * @param mtime the directory's modification time
   * @param ctime the directory's change time
   * @param changes the backend's change count for the directory
   */
  record Version(Instant mtime, Instant ctime, long changes) {}

  /**
   * A directory's entries in cookie order, with what was last found for each.
   *
   * @param entries the listed names
   * @param bound per entry, what was last found for it, or null; written by any reader (a
   *     {@link Bound} is immutable, so a racy slot shows a whole one or none) and trusted only
   *     while the index still holds its very node
   * @param kept per entry, the attributes {@link KeptAttributes#readAll} kept of it, found
   *     there again without a lookup by name; written and trusted as that method says
   * @param pages by the index of their first entry, pages with attributes made of entries given
   *     again, each trusted only while its counts are unchanged ({@link Page})
   */
  record Listing(List<DirectoryLister.Listed> entries, Bound[] bound, KeptAttributes.Kept[] kept,
      Map<Integer, Page> pages) {
    Listing(List<DirectoryLister.Listed> entries) {
      this(entries, new Bound[entries.size()], new KeptAttributes.Kept[entries.size()], new ConcurrentHashMap<>());
    }
  }

  /**
   * A page with attributes every entry of which was {@link Bound#entry} given again, and the
   * counts read before it was made: while all three are what they were, every entry would be
   * given again, so the page may be.
   *
   * @param maxEntries the most entries the page was asked for
   * @param page the page answered
   * @param nodesReplaced {@link PersistentIdIndex#nodesReplaced}: every bound node still the index's
   * @param changes {@link ChangeCounters#total}: every change count as it was
   * @param kept what {@link KeptAttributes#unchangedSince} checks: the very attributes kept
   */
  record Page(int maxEntries, DirectoryPage page, long nodesReplaced, long changes, KeptAttributes.AllKept kept) {}

  /**
   * What was found for a listed name, and what was made of it.
   *
   * @param id the object's id, {@code node.id()}: what checking the node needs, without reading it
   * @param node the node the index gave the object
   * @param verified the attributes {@code node} was checked against ({@link
   *     ObjectResolver#isCurrent}): the same instance given again needs no new check
   * @param change the backend's change count of the object when {@code entry} was made
   * @param entry the entry made from {@code node}, {@code verified} and {@code change} with
   *     attributes and handle, or null; valid again exactly while all three are
   */
  record Bound(long id, Node node, Snapshot verified, long change, DirectoryEntry entry) {}

  private record Cached(Version version, Listing listing, long madeAt) {}

  private final Map<Long, Cached> entries = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Cached> eldest) {
      return size() > MAX_DIRECTORIES;
    }
  };

  /** @return the cached listing of the directory at that version, or null */
  synchronized Listing get(long directory, Version version, long now) {
    Cached e = entries.get(directory);
    if (e == null || !e.version.equals(version) || now - e.madeAt > MAX_AGE_NANOS) {
      return null;
    }
    return e.listing;
  }

  /**
   * Keeps a listing unless it is racy.
   *
   * @param madeAt {@link System#nanoTime()} when the listing was asked for
   * @param clockBefore the wall clock read before the directory was read
   */
  synchronized void put(long directory, Version version, Listing listing, long madeAt,
      Instant clockBefore) {
    Instant settled = clockBefore.minus(TIMESTAMP_GRANULARITY);
    if (!version.mtime().isBefore(settled) || !version.ctime().isBefore(settled)) {
      entries.remove(directory); // changed within a tick of this read: a change now could go unseen
      return;
    }
    entries.put(directory, new Cached(version, listing, madeAt));
  }
}
