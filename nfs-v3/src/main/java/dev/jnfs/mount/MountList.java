package dev.jnfs.mount;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mounts clients announced (MNT) and withdrew (UMNT, UMNTALL), which DUMP reports. As in
 * every implementation it is advisory: clients that vanish stay listed. It holds at most
 * {@link #MAX_MOUNTS} entries; mounts beyond that still work but are not listed, so no client
 * can grow it without bound. Thread-safe.
 */
final class MountList {
  /** The most mounts remembered. */
  static final int MAX_MOUNTS = 10_000;

  /**
   * One announced mount.
   *
   * @param host the client's address as text
   * @param path the path it mounted
   */
  record Mount(String host, String path) {}

  private final Set<Mount> mounts = ConcurrentHashMap.newKeySet();
  private final int capacity;

  MountList() {
    this(MAX_MOUNTS);
  }

  MountList(int capacity) {
    this.capacity = capacity;
  }

  /** Remembers a mount unless the list is full (the check is approximate under concurrency). */
  void add(String host, String path) {
    if (mounts.size() < capacity) {
      mounts.add(new Mount(host, path));
    }
  }

  void remove(String host, String path) {
    mounts.remove(new Mount(host, path));
  }

  void removeAll(String host) {
    mounts.removeIf(m -> m.host().equals(host));
  }

  List<Mount> snapshot() {
    return new ArrayList<>(mounts);
  }
}
