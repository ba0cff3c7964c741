package dev.jnfs.v4.state;

import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.state.ClientRecordStore.StableClient;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which clients may reclaim state after a restart, kept in a {@link ClientRecordStore} (RFC
 * 8881 §8.4.3, RFC 7530 §9.6.3.4). Used by {@link Leases} under the state lock.
 *
 * <ul>
 *   <li>At start-up the clients the store recorded are those that may reclaim; no other.
 *   <li>A client is recorded in this instance before it can hold state it would reclaim after
 *       a restart: a 4.0 client at its first OPEN or LOCK (RFC 7530 §9.6.3.4 lets the server
 *       count a lease as established at the first OPEN, and a 4.0 client must reclaim only
 *       what it held at the end of that lease); a 4.1 client at its global RECLAIM_COMPLETE,
 *       or at its first new OPEN or LOCK when it had none (after an rca_one_fs
 *       RECLAIM_COMPLETE, or after its state was revoked). A 4.1 client that only reclaims is
 *       not recorded again: if the grace period ends before its RECLAIM_COMPLETE, its set of
 *       locks may be incomplete, and RFC 8881 §8.4.3's second edge condition forbids it to
 *       reclaim after a later restart.
 *   <li>A client whose state goes (lease expired, state revoked, client restarted, client ID
 *       destroyed) is forgotten before its locks are released, the first edge condition of
 *       RFC 8881 §8.4.3: another client may then take conflicting locks.
 *   <li>The end of the grace period forgets the previous instance's clients not recorded
 *       again.
 * </ul>
 *
 * Without stable storage ({@link ClientRecordStore#isDurable()} false) nothing is known, and
 * any client may reclaim during the grace period, trusting it, as Linux knfsd does without a
 * recovery directory; the grace period then ends early once every client present has
 * finished reclaiming.
 */
final class StableClients {
  private static final Logger LOG = LoggerFactory.getLogger(StableClients.class);

  private final ClientRecordStore store;
  private final boolean durable;
  /** Clients of the previous instance that may still reclaim. */
  private final Set<StableClient> reclaimable = new HashSet<>();
  /** Of those, the 4.1 clients that have sent a global RECLAIM_COMPLETE. */
  private final Set<StableClient> completed = new HashSet<>();
  private boolean graceEnded;

  /**
   * Loads the previous instance's records; damaged records leave no client able to reclaim.
   *
   * @param store the store, owned from now on
   */
  StableClients(ClientRecordStore store) {
    this.store = store;
    this.durable = store.isDurable();
    if (!durable) {
      LOG.info("no state directory: after a restart, any NFSv4 client may reclaim state during the grace period");
      return;
    }
    try {
      reclaimable.addAll(store.load());
    } catch (IOException e) {
      LOG.warn("NFSv4 client records unreadable; no client may reclaim state", e);
    }
    LOG.info("{} NFSv4 clients may reclaim state", reclaimable.size());
  }

  /** @return whether the server knows who may reclaim (it has stable storage) */
  boolean durable() {
    return durable;
  }

  /**
   * @return whether the grace period can end at once: with stable storage, when no client of
   *     the previous instance may reclaim
   */
  boolean nothingToReclaim() {
    return durable && reclaimable.isEmpty();
  }

  /** @return whether the client may reclaim state (RFC 8881 §8.4.3) */
  boolean mayReclaim(ClientRecord c) {
    return !durable || reclaimable.contains(StableClient.of(c));
  }

  /**
   * With stable storage: whether every client that may reclaim has said it finished, which
   * only 4.1 clients can (4.0 has no RECLAIM_COMPLETE, so with any 4.0 client recorded the
   * grace period runs its length, as in Linux knfsd).
   *
   * @return whether the grace period may end early
   */
  boolean allReclaimed() {
    for (StableClient c : reclaimable) {
      if (c.minorVersion() == 0 || !completed.contains(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Records a client before it gets state it could reclaim after a restart; a 4.1 client that
   * sent its global RECLAIM_COMPLETE counts as finished reclaiming.
   *
   * @param c the client
   * @param reclaimComplete whether this is its global RECLAIM_COMPLETE
   * @throws Nfs4Exception SERVERFAULT when the record cannot be made stable
   */
  void record(ClientRecord c, boolean reclaimComplete) throws Nfs4Exception {
    StableClient key = StableClient.of(c);
    if (reclaimComplete && reclaimable.contains(key)) {
      completed.add(key);
    }
    if (c.recorded) {
      return;
    }
    try {
      store.add(key);
    } catch (IOException e) {
      LOG.warn("cannot record NFSv4 client {}", key, e);
      throw new Nfs4Exception(Nfs4Status.SERVERFAULT, "client record not stable");
    }
    c.recorded = true;
  }

  /**
   * Forgets a client whose state goes, before its locks are released: it may no longer
   * reclaim, now or after a restart.
   *
   * @param c the client, confirmed
   */
  void forget(ClientRecord c) {
    StableClient key = StableClient.of(c);
    reclaimable.remove(key);
    completed.remove(key);
    c.recorded = false;
    try {
      store.remove(key);
    } catch (IOException e) {
      LOG.warn("cannot forget NFSv4 client {}; it may reclaim after a restart", key, e);
    }
  }

  /**
   * Ends the grace period for the records: the previous instance's clients not recorded again
   * are forgotten. Done once; to be done before any new lock is granted after grace.
   *
   * @throws Nfs4Exception SERVERFAULT when the change cannot be made stable (tried again next
   *     time)
   */
  void endGrace() throws Nfs4Exception {
    if (graceEnded) {
      return;
    }
    try {
      store.endGrace();
    } catch (IOException e) {
      LOG.warn("cannot drop the NFSv4 client records of the previous instance", e);
      throw new Nfs4Exception(Nfs4Status.SERVERFAULT, "client records not stable");
    }
    graceEnded = true;
    reclaimable.clear();
    completed.clear();
  }

  /** Closes the store. */
  void close() {
    try {
      store.close();
    } catch (IOException e) {
      LOG.warn("closing the NFSv4 client records failed", e);
    }
  }
}
