package dev.jnfs.v4.state;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.FileKey;
import dev.jnfs.lock.LockManager;
import dev.jnfs.lock.LockType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import dev.jnfs.xdr.XdrEncoder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 4.1 clients waiting for a blocking lock (RFC 8881 §9.6): a LOCK of type READW_LT or
 * WRITEW_LT that was denied is remembered, and once the lock manager reports a release on the
 * file ({@link LockManager#addReleaseListener}, whoever released: LOCKU, CLOSE, lease expiry,
 * RELEASE_LOCKOWNER, NLM, the embedder) and the request would no longer conflict, the waiting
 * client is sent CB_NOTIFY_LOCK (§20.11) on its back channel. The client then sends its LOCK
 * again; nothing is granted on its behalf, nor reserved for it.
 *
 * <p>Each waiter is told at most once, and forgotten when told, when its owner's LOCK is
 * tried again (and remembered anew if denied again), or a lease after its last denial. A
 * client waits for at most {@link #MAX_PER_CLIENT} requests at once; further ones are not
 * remembered (the client polls, as it must anyway). With a lock manager that does not report
 * releases, no notification is ever sent.
 *
 * <p>This table has its own monitor, taken briefly and never while calling out: the release
 * listener may run under the state lock, so the check against the lock manager and the
 * callback itself run on a virtual thread that holds neither lock.
 */
final class LockWaiters {
  private static final Logger LOG = LoggerFactory.getLogger(LockWaiters.class);
  /** CB_NOTIFY_LOCK's operation number (RFC 8881 §20.11). */
  static final int OP_CB_NOTIFY_LOCK = 13;
  /** How many blocked requests one client may wait on at once. */
  static final int MAX_PER_CLIENT = 64;

  private final LockManager lockManager;
  private final Leases leases;
  private final Duration lease;
  private final Map<FileKey, List<Waiter>> byFile = new HashMap<>();
  private final Map<ClientRecord, Integer> perClient = new HashMap<>();

  LockWaiters(LockManager lockManager, Leases leases, Duration lease) {
    this.lockManager = lockManager;
    this.leases = leases;
    this.lease = lease;
    lockManager.addReleaseListener(this::released);
  }

  /**
   * A denied blocking request.
   *
   * @param owner the lock-owner
   * @param file the file
   * @param fileHandle the file's NFSv4 handle, which the notification names
   * @param type the type asked for
   * @param range the bytes asked for
   * @param until when it is forgotten unless told or asked again
   */
  private record Waiter(LockOwner owner, FileKey file, byte[] fileHandle, LockType type, ByteRange range,
      Instant until) {}

  /**
   * Remembers a 4.1 client's denied blocking LOCK, replacing what its owner waited for on the
   * file.
   *
   * @param owner the lock-owner
   * @param file the file
   * @param fileHandle the file's NFSv4 handle
   * @param type read or write
   * @param range the bytes
   */
  void await(LockOwner owner, OpenFile file, byte[] fileHandle, LockType type, ByteRange range) {
    synchronized (this) {
      forget(owner, file);
      List<Waiter> waiters = byFile.computeIfAbsent(file.key(), k -> new ArrayList<>());
      Instant now = leases.now();
      waiters.removeIf(w -> w.until().isBefore(now) && dropped(w));
      if (perClient.getOrDefault(owner.client, 0) >= MAX_PER_CLIENT) {
        LOG.debug("{} waits for {} locks already: not notified of another", owner.client, MAX_PER_CLIENT);
      } else {
        waiters.add(new Waiter(owner, file.key(), fileHandle.clone(), type, range, now.plus(lease)));
        perClient.merge(owner.client, 1, Integer::sum);
      }
      if (waiters.isEmpty()) {
        byFile.remove(file.key());
        return;
      }
    }
    // the conflict may have gone between the denial and now, its release unheard
    if (lockManager.test(file.key(), owner.id, type, range).isEmpty()) {
      released(file.key());
    }
  }

  /**
   * Forgets what an owner waited for on a file: it is trying again (a LOCK), and its own grant
   * must not notify it.
   *
   * @param owner the lock-owner
   * @param file the file
   */
  synchronized void forget(LockOwner owner, OpenFile file) {
    List<Waiter> waiters = byFile.get(file.key());
    if (waiters != null) {
      waiters.removeIf(w -> w.owner() == owner && dropped(w));
      if (waiters.isEmpty()) {
        byFile.remove(file.key());
      }
    }
  }

  /** @return how many requests wait, for tests */
  synchronized int count() {
    return perClient.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Counts a waiter out of its client's; @return true, for {@code removeIf}. */
  private boolean dropped(Waiter w) {
    perClient.computeIfPresent(w.owner().client, (c, n) -> n > 1 ? n - 1 : null);
    return true;
  }

  /** The release listener: quick, never blocks; the rest runs on a virtual thread. */
  private void released(FileKey file) {
    synchronized (this) {
      if (!byFile.containsKey(file)) {
        return;
      }
    }
    Thread.ofVirtual().name("cb-notify-lock").start(() -> notifyFreed(file));
  }

  /** Tells each waiter of the file whose request would no longer conflict, once. */
  private void notifyFreed(FileKey file) {
    List<Waiter> candidates;
    synchronized (this) {
      List<Waiter> waiters = byFile.get(file);
      if (waiters == null) {
        return;
      }
      Instant now = leases.now();
      waiters.removeIf(w -> w.until().isBefore(now) && dropped(w));
      candidates = List.copyOf(waiters);
      if (waiters.isEmpty()) {
        byFile.remove(file);
      }
    }
    for (Waiter w : candidates) {
      if (lockManager.test(file, w.owner().id, w.type(), w.range()).isPresent() || !take(w)) {
        continue;
      }
      CallbackPath channel = w.owner().client.backChannel();
      if (channel == null) {
        LOG.debug("no back channel to notify {} of a freed lock", w.owner().client);
        continue;
      }
      try {
        channel.call(OP_CB_NOTIFY_LOCK, notifyArguments(w));
      } catch (BackChannel.CallbackFailure e) {
        LOG.debug("CB_NOTIFY_LOCK to {} failed: {}", w.owner().client, e.getMessage());
      }
    }
  }

  /** Removes a waiter to tell it; @return false when another thread told it, or it was forgotten. */
  private synchronized boolean take(Waiter w) {
    List<Waiter> waiters = byFile.get(w.file());
    if (waiters == null) {
      return false;
    }
    Iterator<Waiter> i = waiters.iterator();
    while (i.hasNext()) {
      if (i.next() == w) {
        i.remove();
        dropped(w);
        if (waiters.isEmpty()) {
          byFile.remove(w.file());
        }
        return true;
      }
    }
    return false;
  }

  /** CB_NOTIFY_LOCK4args: cnla_fh, and cnla_lock_owner (clientid and owner name). */
  private static byte[] notifyArguments(Waiter w) {
    ByteBuf buf = Unpooled.buffer();
    try {
      new XdrEncoder(buf).writeOpaque(w.fileHandle()).writeHyper(w.owner().client.clientId())
          .writeOpaque(w.owner().name);
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }
}
