package dev.jnfs.v4.state;

import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases and the grace period (RFC 7530 §9.5 and §9.6.2, RFC 8881 §8.3 and §8.4.2). Time
 * comes from an injected {@link InstantSource}, so lease expiry and the end of grace can be
 * tested without waiting. Expired leases are found lazily: at most once a second, the first
 * call after that looks for clients whose lease ran out. A 4.0 client whose lease expired is
 * forgotten with all its state; a 4.1 client loses its opens and locks (the stateids answer
 * EXPIRED until freed) and keeps its sessions for a while, so SEQUENCE can tell it with
 * SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED. The grace period ends at its configured length or
 * once every client that may reclaim has finished reclaiming; which clients may reclaim, and
 * when a client is recorded as one that may after a later restart, is {@link StableClients}'s
 * to say.
 */
final class Leases {
  private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

  /** A 4.1 client with expired state is forgotten after this many further leases of silence. */
  private static final int REVOKED_CLIENT_LEASES = 4;

  private final Object lock;
  private final StateConfig config;
  private final InstantSource clock;
  private final ClientTable clients;
  private final StateRelease release;
  private final StableClients stable;
  private final Instant graceEnd;
  private volatile boolean graceEndedEarly;
  private volatile Instant lastSweep;

  Leases(Object lock, StateConfig config, InstantSource clock, ClientTable clients, StateRelease release,
      StableClients stable) {
    this.lock = lock;
    this.config = config;
    this.clock = clock;
    this.clients = clients;
    this.release = release;
    this.stable = stable;
    Instant now = clock.instant();
    this.graceEnd = now.plus(config.gracePeriod());
    this.lastSweep = now;
    if (stable.nothingToReclaim() && config.gracePeriod().isPositive()) {
      // no client held state before the restart: none can have anything to reclaim
      LOG.info("no NFSv4 client may reclaim state; no grace period");
      graceEndedEarly = true;
    }
  }

  /** @return the current time */
  Instant now() {
    return clock.instant();
  }

  /** @return whether the server is in its grace period (RFC 7530 §9.6.2) */
  boolean inGrace() {
    return !graceEndedEarly && now().isBefore(graceEnd);
  }

  /** @return whether the client's lease ran out before {@code now} */
  boolean expired(ClientRecord c, Instant now) {
    return now.isAfter(c.lastRenewal.plus(config.leaseTime()));
  }

  /** Renews a client's lease. */
  void renew(ClientRecord c) {
    c.lastRenewal = now();
  }

  /** Runs {@link #sweep} from a method that does not hold the lock, when one is due. */
  void maybeSweep() {
    if (!now().isBefore(lastSweep.plusSeconds(1))) {
      synchronized (lock) {
        sweep();
      }
    }
  }

  /** Looks for expired leases, at most once a second. Called with the lock held. */
  void sweep() {
    Instant now = now();
    if (now.isBefore(lastSweep.plusSeconds(1))) {
      return;
    }
    lastSweep = now;
    try {
      endGraceIfOver();
    } catch (Nfs4Exception e) {
      // logged; tried again by the next sweep or new lock
    }
    for (ClientRecord c : clients.all()) {
      if (!expired(c, now)) {
        dropUnconfirmedOwners(c, now);
        continue;
      }
      if (!c.confirmed || c.minorVersion == 0) {
        LOG.debug("lease of {} expired; forgetting it", c);
        clients.purge(c);
      } else if (now.isAfter(c.lastRenewal.plus(config.leaseTime().multipliedBy(REVOKED_CLIENT_LEASES + 1)))
          && !anySessionBusy(c)) {
        LOG.debug("{} silent for {} leases; forgetting it", c, REVOKED_CLIENT_LEASES + 1);
        clients.purge(c);
      } else if (c.hasState() && !anySessionBusy(c)) {
        LOG.debug("lease of {} expired; revoking its state", c);
        revokeAll(c);
      }
    }
  }

  /**
   * Drops 4.0 open-owners never confirmed within a lease (RFC 7530 §16.18.5), with the opens
   * and share reservations their unconfirmed OPEN made.
   */
  private void dropUnconfirmedOwners(ClientRecord c, Instant now) {
    if (c.minorVersion != 0) {
      return;
    }
    for (OpenOwner o : new ArrayList<>(c.openOwners.values())) {
      if (!o.confirmed && now.isAfter(o.created.plus(config.leaseTime()))) {
        LOG.debug("{}: open-owner never confirmed; dropping it", c);
        for (OpenState open : new ArrayList<>(o.opens.values())) {
          release.forget(open);
        }
        c.openOwners.remove(ByteBuffer.wrap(o.name), o);
      }
    }
  }

  private static boolean anySessionBusy(ClientRecord c) {
    for (Session s : c.sessions.values()) {
      if (s.isBusy()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Takes away a client's opens and locks; the stateids remain, answering EXPIRED. The client
   * is first forgotten by the stable records (RFC 8881 §8.4.3, the first edge condition).
   */
  private void revokeAll(ClientRecord c) {
    stable.forget(c);
    List<StateObject> live = new ArrayList<>();
    for (StateObject s : c.states.values()) {
      if (!s.released) {
        live.add(s);
      }
    }
    for (StateObject s : live) {
      release.release(s);
      s.revoked = true;
    }
    c.stateRevoked = true;
  }

  /**
   * Checks an OPEN or LOCK against the grace period (RFC 7530 §9.6.2, RFC 8881 §8.4.2).
   *
   * @param client the client
   * @param reclaim whether it reclaims state (CLAIM_PREVIOUS, LOCK reclaim)
   * @throws Nfs4Exception GRACE for a new request in grace, or at any time from a 4.1 client
   *     that has not sent RECLAIM_COMPLETE; NO_GRACE for a reclaim outside the grace period,
   *     after the client finished reclaiming, or from a client the stable records do not know
   *     (RFC 8881 §8.4.3, RFC 7530 §9.6.3.4.3 allow NO_GRACE there); SERVERFAULT when the
   *     client's record cannot be made stable. A 4.0 client's first new request counts as the
   *     end of its reclaims and, without stable records, may end the grace period, letting
   *     the request through. The client is recorded before it gets the state ({@link
   *     StableClients}).
   */
  void checkGrace(ClientRecord client, boolean reclaim) throws Nfs4Exception {
    checkGrace(client, reclaim, true);
  }

  /**
   * As {@link #checkGrace(ClientRecord, boolean)}, for an operation that obtains no lock
   * (LOCKT) when {@code newLock} is false: only the grace period refuses it.
   */
  void checkGrace(ClientRecord client, boolean reclaim, boolean newLock) throws Nfs4Exception {
    synchronized (lock) {
      boolean grace = inGrace();
      if (reclaim) {
        if (!grace || client.reclaimComplete) {
          throw new Nfs4Exception(Nfs4Status.NO_GRACE, "reclaim outside the grace period");
        }
        if (!stable.mayReclaim(client)) {
          throw new Nfs4Exception(Nfs4Status.NO_GRACE, "no state recorded before the restart");
        }
        if (client.minorVersion == 0) {
          stable.record(client, false);
        }
        return;
      }
      if (newLock && client.minorVersion > 0 && !client.reclaimComplete && !client.fileSystemReclaimComplete) {
        // RFC 8881 §18.51.3: a client with a new client ID sends RECLAIM_COMPLETE before its
        // first non-reclaim OPEN or LOCK, whether or not the server is in its grace period
        throw new Nfs4Exception(Nfs4Status.GRACE, "no RECLAIM_COMPLETE before new state");
      }
      if (grace && client.minorVersion == 0 && !client.reclaimComplete) {
        // 4.0 has no RECLAIM_COMPLETE: a client recovers its state before it asks for new
        // state, so its first new request says it has finished reclaiming
        client.reclaimComplete = true;
        endGraceIfAllReclaimed();
        grace = inGrace();
      }
      if (grace) {
        throw new Nfs4Exception(Nfs4Status.GRACE, "in grace period");
      }
      endGraceIfOver();
      if (newLock) {
        stable.record(client, false);
      }
    }
  }

  /**
   * Once the grace period is over, has the stable records forget the previous instance's
   * clients that did not come back; before any new lock is granted. Called with the lock held.
   *
   * @throws Nfs4Exception SERVERFAULT when that cannot be made stable
   */
  private void endGraceIfOver() throws Nfs4Exception {
    if (!inGrace()) {
      stable.endGrace();
    }
  }

  /**
   * Ends the grace period early once every client that may reclaim has finished: with stable
   * records, every recorded client of the previous instance has sent RECLAIM_COMPLETE (so
   * never while a 4.0 client is recorded, as 4.0 has no such operation); without them, every
   * confirmed client present has finished (RECLAIM_COMPLETE in 4.1, a first new OPEN or LOCK
   * in 4.0), trusting that no other had state.
   */
  private void endGraceIfAllReclaimed() {
    if (graceEndedEarly) {
      return;
    }
    if (stable.durable() ? !stable.allReclaimed() : !clients.allConfirmedReclaimed()) {
      return;
    }
    if (inGrace()) {
      LOG.info("all clients finished reclaiming; ending the grace period early");
    }
    graceEndedEarly = true;
    try {
      stable.endGrace();
    } catch (Nfs4Exception e) {
      // logged; tried again by the next sweep or new lock
    }
  }

  /**
   * RECLAIM_COMPLETE (RFC 8881 §18.51). A global one records the client as holding state in
   * this instance ({@link StableClients}) and ends the grace period early once every client
   * that may reclaim has finished reclaiming.
   *
   * @param client the client
   * @param oneFs rca_one_fs (a per-file-system completion: the client may take new state, the
   *     grace period is not ended by it)
   * @throws Nfs4Exception COMPLETE_ALREADY; SERVERFAULT when the record cannot be made stable
   */
  void reclaimComplete(ClientRecord client, boolean oneFs) throws Nfs4Exception {
    synchronized (lock) {
      if (oneFs) {
        client.fileSystemReclaimComplete = true;
        return;
      }
      if (client.reclaimComplete) {
        throw new Nfs4Exception(Nfs4Status.COMPLETE_ALREADY, "RECLAIM_COMPLETE already done");
      }
      stable.record(client, true);
      client.reclaimComplete = true;
      endGraceIfAllReclaimed();
    }
  }
}
