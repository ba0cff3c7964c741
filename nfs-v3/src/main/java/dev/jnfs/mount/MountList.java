package dev.jnfs.mount;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mounts clients announced (MNT) and withdrew (UMNT, UMNTALL), which DUMP reports. As in
 * every implementation it is advisory: clients that vanish stay listed. Thread-safe.
 */
final class MountList {
  /**
   * One announced mount.
   *
   * @param host the client's address as text
   * @param path the path it mounted
   */
  record Mount(String host, String path) {}

  private final Set<Mount> mounts = ConcurrentHashMap.newKeySet();

  void add(String host, String path) {
    mounts.add(new Mount(host, path));
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
