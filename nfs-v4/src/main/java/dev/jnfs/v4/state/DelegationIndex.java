package dev.jnfs.v4.state;

import dev.jnfs.lock.FileKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The delegations in force, by file, and which clients have each file open, and open for
 * writing (what decides whether a write or a read delegation may be granted); changed under
 * the state lock, the counts of delegations also read without it (the quick "no delegation
 * anywhere" tests of operations that might conflict).
 */
final class DelegationIndex {
  private final Map<FileKey, List<Delegation>> byFile = new HashMap<>();
  /** Per file, per client, how many of its opens have write access. */
  private final Map<FileKey, Map<ClientRecord, Integer>> writers = new HashMap<>();
  /** Per file, per client, how many opens it has. */
  private final Map<FileKey, Map<ClientRecord, Integer>> openers = new HashMap<>();
  private volatile int count;
  private volatile int writeCount;

  /** @return how many delegations are in force */
  int count() {
    return count;
  }

  /** @return how many write delegations are in force */
  int writeCount() {
    return writeCount;
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
    count(writers, open, delta);
  }

  /**
   * Records that an open was made or went.
   *
   * @param open the open
   * @param delta +1 when it was made, -1 when it went
   */
  void openerChanged(OpenState open, int delta) {
    count(openers, open, delta);
  }

  private static void count(Map<FileKey, Map<ClientRecord, Integer>> counts, OpenState open, int delta) {
    Map<ClientRecord, Integer> byClient = counts.computeIfAbsent(open.file.key(), f -> new HashMap<>(2));
    byClient.merge(open.client, delta, (a, b) -> a + b == 0 ? null : a + b);
    if (byClient.isEmpty()) {
      counts.remove(open.file.key());
    }
  }

  /** @return whether a client other than {@code client} has the file open for writing */
  boolean openedForWritingByOthers(ClientRecord client, FileKey file) {
    return byOthers(writers, client, file);
  }

  /** @return whether a client other than {@code client} has the file open at all */
  boolean openedByOthers(ClientRecord client, FileKey file) {
    return byOthers(openers, client, file);
  }

  private static boolean byOthers(Map<FileKey, Map<ClientRecord, Integer>> counts, ClientRecord client,
      FileKey file) {
    Map<ClientRecord, Integer> byClient = counts.get(file);
    return byClient != null && (byClient.size() > 1 || !byClient.containsKey(client));
  }

  /** @return the write delegation another client than {@code client} holds on the file, or null */
  Delegation writeDelegationOfOthers(ClientRecord client, FileKey file) {
    List<Delegation> list = byFile.get(file);
    if (list != null) {
      for (Delegation d : list) {
        if (d.write && d.client != client) {
          return d;
        }
      }
    }
    return null;
  }

  void add(Delegation d) {
    byFile.computeIfAbsent(d.file.key(), f -> new ArrayList<>(2)).add(d);
    count++;
    if (d.write) {
      writeCount++;
    }
    d.client.delegationCount++;
  }

  /** Removes a delegation; nothing happens if it is not in force. */
  void remove(Delegation d) {
    List<Delegation> list = byFile.get(d.file.key());
    if (list != null && list.remove(d)) {
      count--;
      if (d.write) {
        writeCount--;
      }
      d.client.delegationCount--;
      if (list.isEmpty()) {
        byFile.remove(d.file.key());
      }
    }
  }
}
