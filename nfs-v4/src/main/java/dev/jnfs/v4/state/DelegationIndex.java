package dev.jnfs.v4.state;

import dev.jnfs.lock.FileKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The delegations in force, by file, and which clients have each file open for writing (what
 * decides whether a read delegation may be granted); changed under the state lock, the count
 * of delegations also read without it (the quick "no delegation anywhere" test of operations
 * that might conflict).
 */
final class DelegationIndex {
  private final Map<FileKey, List<Delegation>> byFile = new HashMap<>();
  /** Per file, per client, how many of its opens have write access. */
  private final Map<FileKey, Map<ClientRecord, Integer>> writers = new HashMap<>();
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

  /**
   * Records that an open gained or lost write access.
   *
   * @param open the open
   * @param delta +1 when it gained it, -1 when it lost it (or went)
   */
  void writerChanged(OpenState open, int delta) {
    Map<ClientRecord, Integer> byClient = writers.computeIfAbsent(open.file.key(), f -> new HashMap<>(2));
    byClient.merge(open.client, delta, (a, b) -> a + b == 0 ? null : a + b);
    if (byClient.isEmpty()) {
      writers.remove(open.file.key());
    }
  }

  /** @return whether a client other than {@code client} has the file open for writing */
  boolean openedForWritingByOthers(ClientRecord client, FileKey file) {
    Map<ClientRecord, Integer> byClient = writers.get(file);
    return byClient != null && (byClient.size() > 1 || !byClient.containsKey(client));
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
