package dev.jnfs.v4.state;

import dev.jnfs.lock.FileKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The delegations in force, by file; changed under the state lock, its count also read
 * without it (the quick "no delegation anywhere" test of operations that might conflict).
 */
final class DelegationIndex {
  private final Map<FileKey, List<Delegation>> byFile = new HashMap<>();
  private volatile int count;

  /** @return how many delegations are in force */
  int count() {
    return count;
  }

  /** @return the delegations on a file (a copy) */
  List<Delegation> on(FileKey file) {
    List<Delegation> list = byFile.get(file);
    return list == null ? List.of() : new ArrayList<>(list);
  }

  void add(Delegation d) {
    byFile.computeIfAbsent(d.file.key(), f -> new ArrayList<>(2)).add(d);
    count++;
    d.client.delegationCount++;
  }

  /** Removes a delegation; nothing happens if it is not in force. */
  void remove(Delegation d) {
    List<Delegation> list = byFile.get(d.file.key());
    if (list != null && list.remove(d)) {
      count--;
      d.client.delegationCount--;
      if (list.isEmpty()) {
        byFile.remove(d.file.key());
      }
    }
  }
}
