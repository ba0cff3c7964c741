package dev.jnfs.localfs;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the sorted listings of recently listed directories, so paging through a large
 * directory scans it once instead of once per page. A listing is reused only while the
 * directory's version (modification and change time, and the count of changes made through
 * this backend) is unchanged and for at most a short time, which bounds how long a change
 * made by another program within one timestamp tick can go unseen. Thread-safe.
 */
final class ListingCache {
  private static final int MAX_DIRECTORIES = 64;
  private static final long MAX_AGE_NANOS = 2_000_000_000L;

  /**
   * What a listing was made from.
   *
   * @param mtime the directory's modification time
   * @param ctime the directory's change time
   * @param changes the backend's change count for the directory
   */
  record Version(Instant mtime, Instant ctime, long changes) {}

  private record Cached(Version version, List<DirectoryLister.Listed> listing, long madeAt) {}

  private final Map<Long, Cached> entries = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Cached> eldest) {
      return size() > MAX_DIRECTORIES;
    }
  };

  /** @return the cached listing of the directory at that version, or null */
  synchronized List<DirectoryLister.Listed> get(long directory, Version version, long now) {
    Cached e = entries.get(directory);
    if (e == null || !e.version.equals(version) || now - e.madeAt > MAX_AGE_NANOS) {
      return null;
    }
    return e.listing;
  }

  synchronized void put(long directory, Version version, List<DirectoryLister.Listed> listing, long madeAt) {
    entries.put(directory, new Cached(version, listing, madeAt));
  }
}
