package dev.jnfs.v4.state;

import dev.jnfs.lock.LockManager;
import dev.jnfs.lock.ShareReservation;
import dev.jnfs.spi.OpenContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;

/**
 * Stateids (RFC 7530 §9.1.4, RFC 8881 §8.2): which open or lock a stateid names, whether its
 * seqid is current, whether it permits an I/O, TEST_STATEID and FREE_STATEID; and the 4.0
 * owners' seqid checks, under the same lock as the changes they order. Runs under the state
 * lock, except the I/O check on the path of every READ and WRITE, which reads only
 * concurrent maps and volatile fields.
 */
final class StateidTable {
  private final Object lock;
  private final ClientTable clients;
  private final Leases leases;
  private final LockManager lockManager;
  private final StateRelease release;

  StateidTable(Object lock, ClientTable clients, Leases leases, LockManager lockManager, StateRelease release) {
    this.lock = lock;
    this.clients = clients;
    this.leases = leases;
    this.lockManager = lockManager;
    this.release = release;
  }

  /**
   * Finds the state a stateid names, without checking its seqid.
   *
   * @param stateid the stateid
   * @param caller the 4.1 client of the session, or null in 4.0
   * @return the state (for a 4.0 closed open kept for replays: with {@code closed} set)
   * @throws Nfs4Exception BAD_STATEID (special, unknown, another client's), STALE_STATEID
   *     (another server instance), EXPIRED (lease gone, or revoked)
   */
  StateObject resolve(Stateid stateid, ClientRecord caller) throws Nfs4Exception {
    synchronized (lock) {
      leases.sweep();
      return lookup(stateid, caller);
    }
  }

  /** {@link #resolve} without the lock: reads only concurrent maps and volatile fields. */
  private StateObject lookup(Stateid stateid, ClientRecord caller) throws Nfs4Exception {
    if (stateid.isSpecial()) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "special stateid not allowed here");
    }
    int[] parts = StateIds.parts(stateid);
    if (parts[0] != clients.boot) {
      throw new Nfs4Exception(Nfs4Status.STALE_STATEID, "stateid of another server instance");
    }
    ClientRecord c = clients.get(parts[1]);
    if (caller != null && c != caller) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "stateid of another client");
    }
    if (c == null) {
      throw new Nfs4Exception(Nfs4Status.EXPIRED, "client lease expired");
    }
    StateObject s = c.states.get(parts[2]);
    if (s == null) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "unknown stateid");
    }
    if (s.revoked) {
      if (s instanceof Delegation && c.minorVersion > 0) {
        throw new Nfs4Exception(Nfs4Status.DELEG_REVOKED, "delegation revoked");
      }
      throw new Nfs4Exception(Nfs4Status.EXPIRED, "state revoked at lease expiry");
    }
    if (c.minorVersion == 0) {
      leases.renew(c);
    }
    return s;
  }

  /**
   * Checks a stateid's seqid against its state's (RFC 8881 §8.2.2): older is OLD_STATEID,
   * newer BAD_STATEID; 0 means "the current one" in 4.1.
   *
   * @param s the state
   * @param stateid the stateid presented
   * @throws Nfs4Exception OLD_STATEID, BAD_STATEID
   */
  static void checkSeqid(StateObject s, Stateid stateid) throws Nfs4Exception {
    if (s instanceof OpenState o && o.closed) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "open was closed");
    }
    if (stateid.seqid() == 0 && s.client.minorVersion > 0) {
      return;
    }
    int diff = stateid.seqid() - s.seqid;
    if (diff < 0) {
      throw new Nfs4Exception(Nfs4Status.OLD_STATEID, "old stateid");
    }
    if (diff > 0) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "stateid from the future");
    }
  }

  /**
   * Validates a stateid for READ, WRITE or a size change (RFC 7530 §9.1.4.4, RFC 8881
   * §8.2.3), as Linux knfsd does: the bypass stateid reads freely; special stateids are
   * refused in grace and checked against share denials (LOCKED); an open or lock stateid must
   * name this file, be current and, for writes, come from an open with write access or be a
   * write delegation's. Byte-range
   * locks are advisory and not checked. Runs without the state lock: it is on the path of
   * every READ and WRITE.
   *
   * @return the backend's context of the open the stateid names (for a lock stateid, the
   *     open it was made from), or null for a special stateid
   * @param caller the 4.1 client of the session, or null in 4.0
   * @param stateid the stateid
   * @param file the file
   * @param write whether the I/O writes (WRITE, SETATTR of the size)
   * @throws Nfs4Exception BAD_STATEID, STALE_STATEID, OLD_STATEID, EXPIRED, OPENMODE, GRACE,
   *     LOCKED
   */
  OpenContext checkIo(ClientRecord caller, Stateid stateid, OpenFile file, boolean write)
      throws Nfs4Exception {
    leases.maybeSweep();
    if (stateid.equals(Stateid.ANONYMOUS) || stateid.equals(Stateid.BYPASS)) {
      if (stateid.equals(Stateid.BYPASS) && !write) {
        return null;
      }
      if (leases.inGrace()) {
        throw new Nfs4Exception(Nfs4Status.GRACE, "I/O without an open in grace");
      }
      if (lockManager.isDenied(file.key(), write ? ShareReservation.WRITE : ShareReservation.READ)) {
        throw new Nfs4Exception(Nfs4Status.LOCKED, "an open denies this access");
      }
      return null;
    }
    StateObject s = lookup(stateid, caller);
    if (s instanceof CopyState) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "a copy stateid permits no I/O");
    }
    checkSeqid(s, stateid);
    if (!s.file.equals(file)) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "stateid of another file");
    }
    if (s instanceof Delegation d) {
      if (write && !d.write) {
        throw new Nfs4Exception(Nfs4Status.OPENMODE, "a read delegation does not allow writing");
      }
      return null;
    }
    OpenState open = s instanceof LockState l ? l.open : (OpenState) s;
    if (!open.owner.confirmed) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "open not confirmed");
    }
    if (write && (open.share.access() & ShareReservation.WRITE) == 0) {
      throw new Nfs4Exception(Nfs4Status.OPENMODE, "file not opened for writing");
    }
    return open.context;
  }

  /**
   * TEST_STATEID for one stateid (RFC 8881 §18.48).
   *
   * @param caller the session's client
   * @param stateid the stateid
   * @return the nfsstat4 the stateid would get
   */
  int testStateid(ClientRecord caller, Stateid stateid) {
    synchronized (lock) {
      try {
        StateObject s = resolve(stateid, caller);
        checkSeqid(s, stateid);
        return Nfs4Status.OK;
      } catch (Nfs4Exception e) {
        return e.status();
      }
    }
  }

  /**
   * FREE_STATEID (RFC 8881 §18.38): forgets a revoked stateid, or a lock stateid that holds
   * no locks.
   *
   * @param caller the session's client
   * @param stateid the stateid
   * @throws Nfs4Exception BAD_STATEID, LOCKS_HELD (locks remain, or an open: use CLOSE)
   */
  void freeStateid(ClientRecord caller, Stateid stateid) throws Nfs4Exception {
    synchronized (lock) {
      if (stateid.isSpecial()) {
        throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "special stateid");
      }
      int[] parts = StateIds.parts(stateid);
      if (parts[0] != clients.boot) {
        throw new Nfs4Exception(Nfs4Status.STALE_STATEID, "stateid of another server instance");
      }
      ClientRecord c = clients.get(parts[1]);
      StateObject s = c == caller && c != null ? c.states.get(parts[2]) : null;
      if (s == null) {
        throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "unknown stateid");
      }
      if (s.revoked) {
        c.states.remove(s.index);
        if (s instanceof Delegation d && d.revokedAfterRecall) {
          c.revokedDelegations--;
        }
        if (s instanceof LockState l) {
          l.open.lockStates.remove(l);
        }
        if (!c.hasRevokedState()) {
          c.stateRevoked = false;
        }
        return;
      }
      if (s instanceof OpenState) {
        throw new Nfs4Exception(Nfs4Status.LOCKS_HELD, "an open stateid is freed by CLOSE");
      }
      if (s instanceof Delegation) {
        throw new Nfs4Exception(Nfs4Status.LOCKS_HELD, "a delegation is freed by DELEGRETURN");
      }
      if (s instanceof CopyState) {
        // released by OFFLOAD_CANCEL or once the client has the outcome (RFC 7862 §4.8)
        throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "a copy stateid is not freed by FREE_STATEID");
      }
      LockState l = (LockState) s;
      if (lockManager.holdsLocks(l.file.key(), l.owner.id)) {
        throw new Nfs4Exception(Nfs4Status.LOCKS_HELD, "locks remain");
      }
      release.release(l);
      l.open.lockStates.remove(l);
      c.states.remove(l.index);
      release.forgetIfIdle(l.owner);
    }
  }

  /**
   * Checks a 4.0 owner's seqid under the state lock.
   *
   * @param owner the owner
   * @param seqid the request's seqid
   * @return NEW or REPLAY
   * @throws Nfs4Exception BAD_SEQID
   */
  StateOwner.SeqidCheck checkOwnerSeqid(StateOwner owner, int seqid) throws Nfs4Exception {
    synchronized (lock) {
      return owner.checkSeqid(seqid);
    }
  }

  /**
   * Records a 4.0 owner's reply under the state lock.
   *
   * @param owner the owner
   * @param reply the seqid and result
   */
  void recordReply(StateOwner owner, ReplyRecord reply) {
    synchronized (lock) {
      owner.recordReply(reply);
    }
  }

  /**
   * Checks the delegation stateid of an OPEN with CLAIM_DELEGATE_CUR or CLAIM_DELEG_CUR_FH
   * (RFC 8881 §18.16.3): a delegation the caller holds on the file.
   *
   * @param stateid the stateid presented as a delegation's
   * @param caller the 4.1 client of the session, or null in 4.0
   * @param file the file opened
   * @throws Nfs4Exception BAD_STATEID, STALE_STATEID, EXPIRED, DELEG_REVOKED
   */
  void checkDelegation(Stateid stateid, ClientRecord caller, OpenFile file) throws Nfs4Exception {
    synchronized (lock) {
      Delegation d = resolve(stateid, caller, Delegation.class);
      if (!d.file.equals(file)) {
        throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "delegation of another file");
      }
    }
  }

  /**
   * Finds the open or lock a stateid names for an operation that changes it, keeping a
   * retransmission's replay possible: the seqid is checked afterwards with {@link
   * #checkSeqid}, once the owner's seqid has been.
   *
   * @param stateid the stateid
   * @param caller the 4.1 client of the session, or null in 4.0
   * @param type the kind of state expected
   * @return the state
   * @throws Nfs4Exception as {@link #resolve}, and BAD_STATEID for the wrong kind
   */
  <T extends StateObject> T resolve(Stateid stateid, ClientRecord caller, Class<T> type)
      throws Nfs4Exception {
    synchronized (lock) {
      StateObject s = resolve(stateid, caller);
      if (!type.isInstance(s)) {
        throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "not an " + type.getSimpleName() + " stateid");
      }
      return type.cast(s);
    }
  }
}
