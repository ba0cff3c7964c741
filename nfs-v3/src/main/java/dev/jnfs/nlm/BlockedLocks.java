package dev.jnfs.nlm;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.FileKey;
import dev.jnfs.lock.LockType;
import dev.jnfs.spi.Owner;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The blocking LOCK requests that met a conflict and were answered BLOCKED, per file, in the
 * order they came. Retried when the lock manager says a file's locks changed; a request the
 * client sends again replaces its earlier copy. Thread-safe.
 */
final class BlockedLocks {

  /**
   * One waiting request, with what the GRANTED callback needs.
   *
   * @param host the client's address in text
   * @param address the client's address
   * @param version the NLM version the request came in
   * @param file the file
   * @param owner the lock owner
   * @param type read or write
   * @param range the bytes
   * @param lock the request's nlm4_lock, echoed in the callback
   */
  record Waiter(String host, InetAddress address, int version, FileKey file, Owner owner, LockType type,
      ByteRange range, NlmXdr.Lock lock) {

    boolean sameRequest(Owner o, ByteRange r) {
      return owner.equals(o) && range.equals(r);
    }
  }

  private final Map<FileKey, List<Waiter>> waiting = new HashMap<>();

  /** Queues a request, replacing an earlier copy of it. */
  synchronized void add(Waiter waiter) {
    List<Waiter> list = waiting.computeIfAbsent(waiter.file(), f -> new ArrayList<>());
    list.removeIf(w -> w.sameRequest(waiter.owner(), waiter.range()));
    list.add(waiter);
  }

  /** @return whether a request of the owner for exactly these bytes was waiting; it no longer is */
  synchronized boolean cancel(FileKey file, Owner owner, ByteRange range) {
    List<Waiter> list = waiting.get(file);
    boolean removed = list != null && list.removeIf(w -> w.sameRequest(owner, range));
    dropIfEmpty(file, list);
    return removed;
  }

  /** Drops the owner's waiting requests that overlap the bytes (an UNLOCK of them). */
  synchronized void cancelOverlapping(FileKey file, Owner owner, ByteRange range) {
    List<Waiter> list = waiting.get(file);
    if (list != null) {
      list.removeIf(w -> w.owner().equals(owner) && w.range().overlaps(range));
      dropIfEmpty(file, list);
    }
  }

  /** Drops every waiting request of a host. */
  synchronized void cancelHost(String host) {
    waiting.values().forEach(list -> list.removeIf(w -> w.host().equals(host)));
    waiting.values().removeIf(List::isEmpty);
  }

  /** @return whether any request waits on the file */
  synchronized boolean hasWaiters(FileKey file) {
    return waiting.containsKey(file);
  }

  /** @return a snapshot of the requests waiting on the file, oldest first */
  synchronized List<Waiter> waiters(FileKey file) {
    List<Waiter> list = waiting.get(file);
    return list == null ? List.of() : List.copyOf(list);
  }

  /** Removes one request after it was granted. @return whether it was still waiting */
  synchronized boolean remove(Waiter waiter) {
    List<Waiter> list = waiting.get(waiter.file());
    boolean removed = list != null && list.remove(waiter);
    dropIfEmpty(waiter.file(), list);
    return removed;
  }

  private void dropIfEmpty(FileKey file, List<Waiter> list) {
    if (list != null && list.isEmpty()) {
      waiting.remove(file);
    }
  }
}
