package dev.jnfs.v4.state;

import dev.jnfs.lock.LockManager;
import dev.jnfs.lock.ShareReservation;
import java.nio.ByteBuffer;

/**
 * Gives back what open and lock states hold: their share reservations and byte-range locks
 * in the lock manager and their opens in the backend; stops asynchronous copies; and forgets
 * what is left with nothing.
 * Called with the state lock held.
 */
final class StateRelease {
  private final LockManager lockManager;
  private final BackendOpens backend;
  private final DelegationIndex delegations;

  StateRelease(LockManager lockManager, BackendOpens backend, DelegationIndex delegations) {
    this.delegations = delegations;
    this.lockManager = lockManager;
    this.backend = backend;
  }

  /**
   * Releases what a state holds in the lock manager and the backend (for an open, also what
   * its lock states hold), and unlinks it from its owner. The states stay in their client's
   * table; the caller removes them or marks them revoked. Releasing twice does nothing.
   */
  void release(StateObject s) {
    if (s.released) {
      return;
    }
    s.released = true;
    if (s instanceof OpenState o) {
      for (LockState l : o.lockStates) {
        release(l);
      }
      lockManager.releaseShare(o.file.key(), o.owner.id);
      delegations.openerChanged(o, -1);
      if ((o.share.access() & ShareReservation.WRITE) != 0) {
        delegations.writerChanged(o, -1);
      }
      o.owner.opens.remove(o.file, o);
      backend.close(o);
    } else if (s instanceof LockState l) {
      lockManager.releaseLocks(l.file.key(), l.owner.id);
      l.owner.locks.remove(l.file, l);
    } else if (s instanceof Delegation d) {
      delegations.remove(d);
    } else if (s instanceof CopyState c) {
      c.cancelled = true; // its worker stops before the next chunk and reports nothing
    }
  }

  /** Releases an open and removes it and its lock states from the client's table. */
  void forget(OpenState o) {
    release(o);
    for (LockState l : o.lockStates) {
      o.client.states.remove(l.index);
    }
    o.client.states.remove(o.index);
  }

  /**
   * Forgets a 4.1 lock-owner without lock states: 4.1 has no RELEASE_LOCKOWNER, so owners
   * would otherwise pile up for the client's lifetime (4.0 owners carry a seqid and wait for
   * RELEASE_LOCKOWNER).
   */
  void forgetIfIdle(LockOwner owner) {
    if (owner.client.minorVersion > 0 && owner.locks.isEmpty()) {
      owner.client.lockOwners.remove(ByteBuffer.wrap(owner.name), owner);
    }
  }
}
