package dev.jnfs.nlm;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.FileKey;
import dev.jnfs.lock.HeldLock;
import dev.jnfs.lock.LockManager;
import dev.jnfs.lock.LockType;
import dev.jnfs.lock.ShareReservation;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.Owner;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the NLM procedures do, apart from their encoding: each takes a decoded request and
 * answers an {@link Outcome} with an NLM4 status, which {@link NlmProgram} encodes for the
 * call's version. Locks go to the server's {@link LockManager} (so they meet NFSv4's), hosts
 * to {@link MonitoredHosts}, waiting requests to {@link BlockedLocks}. Thread-safe.
 */
final class LockService {
  private static final Logger log = LoggerFactory.getLogger(LockService.class);

  /**
   * An answer: a status and, for a denied TEST, the conflicting lock.
   *
   * @param status the NLM4 status
   * @param holder the conflicting lock, or null
   */
  record Outcome(int status, HeldLock holder) {
    static Outcome of(int status) {
      return new Outcome(status, null);
    }
  }

  private final FileResolver files;
  private final ServerContext context;
  private final LockManager locks;
  private final MonitoredHosts hosts;
  private final BlockedLocks blocked = new BlockedLocks();
  private final GrantedCallbacks callbacks;
  private final Executor background;
  private final long graceEndNanos;
  private final Object retrying = new Object();

  LockService(ServerContext context, MonitoredHosts hosts, GrantedCallbacks callbacks, Executor background) {
    this.files = new FileResolver(context);
    this.context = context;
    this.locks = context.lockManager();
    this.hosts = hosts;
    this.callbacks = callbacks;
    this.background = background;
    Duration grace = hosts.previousHosts().isEmpty() ? Duration.ZERO : context.lockGracePeriod();
    this.graceEndNanos = System.nanoTime() + grace.toNanos();
    locks.addReleaseListener(this::released);
  }

  /** @return whether the grace period after a restart still runs */
  boolean inGrace() {
    return System.nanoTime() - graceEndNanos < 0;
  }

  Outcome test(RpcCall call, boolean exclusive, NlmXdr.Lock lock) {
    try {
      FileKey file = files.resolve(call, lock.fileHandle());
      ByteRange range = range(lock);
      Owner owner = owner(call, lock);
      refuseInGrace(false);
      Optional<HeldLock> conflict = locks.test(file, owner, type(exclusive), range);
      return conflict.map(h -> new Outcome(NlmXdr.DENIED, h)).orElse(Outcome.of(NlmXdr.GRANTED));
    } catch (NlmRefusal r) {
      return refused(call, "TEST", r);
    }
  }

  /**
   * LOCK and NM_LOCK. Only reclaims are granted during the grace period and only then (as the
   * Linux server does); a new lock on a file an NFSv4 client holds a delegation of answers
   * DENIED_GRACE_PERIOD while the delegation is recalled, so the client tries again; a blocking
   * request that meets a conflict waits in {@link BlockedLocks}.
   * A lock whose host cannot be saved in the hosts file is given back and answers
   * DENIED_NOLOCKS.
   */
  Outcome lock(RpcCall call, boolean block, boolean exclusive, NlmXdr.Lock lock, boolean reclaim) {
    try {
      FileKey file = files.resolve(call, lock.fileHandle());
      ByteRange range = range(lock);
      Owner owner = owner(call, lock);
      refuseInGrace(reclaim);
      if (reclaim && !inGrace()) {
        throw new NlmRefusal(NlmXdr.DENIED_GRACE_PERIOD, "reclaim outside the grace period");
      }
      if (!reclaim && !context.delegationRecalls().recallBeforeChange(file)) {
        // an NFSv4 delegation's holder may lock locally (RFC 8881 §10.4): it goes first, and
        // the client tries again as it does in a grace period
        throw new NlmRefusal(NlmXdr.DENIED_GRACE_PERIOD, "an NFSv4 delegation is being recalled");
      }
      String host = host(call);
      Optional<HeldLock> conflict = locks.lock(file, owner, type(exclusive), range);
      if (conflict.isEmpty()) {
        if (!hosts.hold(host, file, owner)) {
          locks.unlock(file, owner, range);
          return Outcome.of(NlmXdr.DENIED_NOLOCKS);
        }
        blocked.cancel(file, owner, range);
        return Outcome.of(NlmXdr.GRANTED);
      }
      if (!block) {
        return Outcome.of(NlmXdr.DENIED);
      }
      blocked.add(new BlockedLocks.Waiter(host, call.remoteAddress().getAddress(), call.version(), file, owner,
          type(exclusive), range, lock));
      // the conflict may have gone between the attempt and the queueing
      released(file);
      return Outcome.of(NlmXdr.BLOCKED);
    } catch (NlmRefusal r) {
      return refused(call, "LOCK", r);
    }
  }

  /**
   * A GRANTED callback received: this server holds no client-side locks, so it is DENIED,
   * unless it is this server's own callback come back to it (see {@link GrantedCallbacks}).
   */
  Outcome granted(byte[] cookie) {
    return Outcome.of(callbacks.isOwn(cookie) ? NlmXdr.GRANTED : NlmXdr.DENIED);
  }

  /** CANCEL: withdraws a waiting blocking request; DENIED when none was waiting. */
  Outcome cancel(RpcCall call, NlmXdr.Lock lock) {
    try {
      FileKey file = files.resolve(call, lock.fileHandle());
      ByteRange range = range(lock);
      Owner owner = owner(call, lock);
      refuseInGrace(false);
      return Outcome.of(blocked.cancel(file, owner, range) ? NlmXdr.GRANTED : NlmXdr.DENIED);
    } catch (NlmRefusal r) {
      return refused(call, "CANCEL", r);
    }
  }

  /** UNLOCK: releases the bytes; unlocking what is not locked is granted, as POSIX has it. */
  Outcome unlock(RpcCall call, NlmXdr.Lock lock) {
    try {
      FileKey file = files.resolve(call, lock.fileHandle());
      ByteRange range = range(lock);
      Owner owner = owner(call, lock);
      refuseInGrace(false);
      blocked.cancelOverlapping(file, owner, range);
      locks.unlock(file, owner, range);
      if (!locks.holdsLocks(file, owner)) {
        hosts.released(host(call), file, owner);
      }
      return Outcome.of(NlmXdr.GRANTED);
    } catch (NlmRefusal r) {
      return refused(call, "UNLOCK", r);
    }
  }

  /** SHARE: a DOS share reservation, as an NFSv4 OPEN's (the same lock manager table). */
  Outcome share(RpcCall call, NlmXdr.Lock share, int mode, int access, boolean reclaim) {
    try {
      FileKey file = files.resolve(call, share.fileHandle());
      Owner owner = owner(call, share);
      refuseInGrace(reclaim);
      if (access < 1 || access > 3 || mode < 0 || mode > 3) {
        throw new NlmRefusal(NlmXdr.FAILED, "share access " + access + " mode " + mode);
      }
      try {
        locks.openShare(file, owner, new ShareReservation(access, mode));
      } catch (NfsException e) {
        return Outcome.of(NlmXdr.DENIED);
      }
      if (!hosts.hold(host(call), file, owner)) {
        locks.releaseShare(file, owner);
        return Outcome.of(NlmXdr.DENIED_NOLOCKS);
      }
      return Outcome.of(NlmXdr.GRANTED);
    } catch (NlmRefusal r) {
      return refused(call, "SHARE", r);
    }
  }

  /** UNSHARE: drops the owner's reservation; granted when there was none. */
  Outcome unshare(RpcCall call, NlmXdr.Lock share) {
    try {
      FileKey file = files.resolve(call, share.fileHandle());
      Owner owner = owner(call, share);
      refuseInGrace(false);
      locks.releaseShare(file, owner);
      if (!locks.holdsLocks(file, owner)) {
        hosts.released(host(call), file, owner);
      }
      return Outcome.of(NlmXdr.GRANTED);
    } catch (NlmRefusal r) {
      return refused(call, "UNSHARE", r);
    }
  }

  /**
   * Releases every lock, share and waiting request of a host: FREE_ALL, or SM_NOTIFY from a
   * client that restarted.
   *
   * @param host the client's address in text
   */
  void releaseHost(String host) {
    blocked.cancelHost(host);
    Map<FileKey, Set<Owner>> held = hosts.forget(host);
    for (Map.Entry<FileKey, Set<Owner>> e : held.entrySet()) {
      for (Owner owner : e.getValue()) {
        locks.releaseLocks(e.getKey(), owner);
        locks.releaseShare(e.getKey(), owner);
      }
    }
    log.debug("NLM: released {} files of host {}", held.size(), host);
  }

  /**
   * The lock manager's release listener: retries the file's waiting requests off this thread.
   * Once the server stopped (a lock manager may outlive it), there is nothing to retry.
   */
  private void released(FileKey file) {
    if (blocked.hasWaiters(file)) {
      try {
        background.execute(() -> retry(file));
      } catch (RejectedExecutionException stopped) {
        log.debug("NLM stopped: no retry of the requests waiting on {}", file);
      }
    }
  }

  private void retry(FileKey file) {
    synchronized (retrying) {
      for (BlockedLocks.Waiter w : blocked.waiters(file)) {
        if (locks.lock(file, w.owner(), w.type(), w.range()).isPresent()) {
          continue;
        }
        if (!blocked.remove(w)) {
          // cancelled while it was being granted
          locks.unlock(file, w.owner(), w.range());
          continue;
        }
        if (!hosts.hold(w.host(), file, w.owner())) {
          // the client's next LOCK hears of it
          locks.unlock(file, w.owner(), w.range());
          continue;
        }
        callbacks.granted(w, () -> {
          locks.unlock(file, w.owner(), w.range());
          if (!locks.holdsLocks(file, w.owner())) {
            hosts.released(w.host(), file, w.owner());
          }
        });
      }
    }
  }

  private static ByteRange range(NlmXdr.Lock lock) throws NlmRefusal {
    ByteRange range = lock.range();
    if (range == null) {
      throw new NlmRefusal(NlmXdr.FBIG, "range beyond 2^64");
    }
    return range;
  }

  /** @throws NlmRefusal FAILED when the owner handle is too long to make an owner of */
  private static Owner owner(RpcCall call, NlmXdr.Lock lock) throws NlmRefusal {
    String host = host(call);
    if (host.length() > NlmOwners.MAX_HOST || lock.ownerHandle().length > NlmOwners.MAX_OWNER_HANDLE) {
      throw new NlmRefusal(NlmXdr.FAILED, "owner handle of " + lock.ownerHandle().length + " bytes");
    }
    return NlmOwners.owner(host, lock.svid(), lock.ownerHandle());
  }

  private void refuseInGrace(boolean reclaim) throws NlmRefusal {
    if (!reclaim && inGrace()) {
      throw new NlmRefusal(NlmXdr.DENIED_GRACE_PERIOD, "grace period");
    }
  }

  private static Outcome refused(RpcCall call, String procedure, NlmRefusal r) {
    log.debug("NLM {} from {}: status {} ({})", procedure, call.remoteAddress(), r.status, r.getMessage());
    return Outcome.of(r.status);
  }

  private static LockType type(boolean exclusive) {
    return exclusive ? LockType.WRITE : LockType.READ;
  }

  /** @return the client as NLM identifies it: its IP address in text, never its caller name */
  static String host(RpcCall call) {
    InetAddress address = call.remoteAddress().getAddress();
    return address.getHostAddress();
  }
}
