package dev.jnfs.v4.state;

import dev.jnfs.lock.LockManager;
import dev.jnfs.lock.ShareReservation;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.OpenContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;
import java.nio.ByteBuffer;
import java.util.ArrayList;

/**
 * Opens (RFC 7530 §9.9 to §9.11 and §16.16, RFC 8881 §9.7 to §9.9 and §18.16):
 * open-owners, granting an open with its share reservation, OPEN_CONFIRM, OPEN_DOWNGRADE and
 * CLOSE. Each change tells the lock manager and the backend. Runs under the state lock.
 */
final class OpenTable {
  private final Object lock;
  private final Leases leases;
  private final LockManager lockManager;
  private final BackendOpens backend;
  private final StateRelease release;
  private final DelegationIndex delegations;

  OpenTable(Object lock, Leases leases, LockManager lockManager, BackendOpens backend, StateRelease release,
      DelegationIndex delegations) {
    this.delegations = delegations;
    this.lock = lock;
    this.leases = leases;
    this.lockManager = lockManager;
    this.backend = backend;
    this.release = release;
  }

  /**
   * Finds or makes the open-owner of an OPEN. In 4.0 a new owner, or one never confirmed
   * (whose earlier opens are then dropped, as knfsd does, unless the OPEN is a retransmission
   * of its last one), needs OPEN_CONFIRM.
   *
   * @param client the client
   * @param name the owner's name
   * @param seqid the OPEN's seqid (4.0)
   * @param reclaim whether the OPEN reclaims (CLAIM_PREVIOUS): a new 4.0 owner is then taken
   *     as confirmed, as knfsd does — the client confirmed it before the restart, and the Linux
   *     client, whose reclaim asks for no file handle, could not send OPEN_CONFIRM (RFC 7530
   *     §9.1.9 lets a server that knows confirmation is not required skip it)
   * @return the owner
   */
  OpenOwner openOwner(ClientRecord client, byte[] name, int seqid, boolean reclaim) {
    synchronized (lock) {
      ByteBuffer key = ByteBuffer.wrap(name.clone());
      OpenOwner owner = client.openOwners.get(key);
      if (owner != null && client.minorVersion == 0 && !owner.confirmed) {
        ReplyRecord last = owner.lastReply();
        if (last != null && last.seqid() == seqid) {
          return owner; // a retransmission of the unconfirmed OPEN: replayed from the cache
        }
        for (OpenState o : new ArrayList<>(owner.opens.values())) {
          release.forget(o);
        }
        client.openOwners.remove(key);
        owner = null;
      }
      if (owner == null) {
        owner = new OpenOwner(client, name, client.minorVersion > 0 || reclaim, leases.now());
        client.openOwners.put(key, owner);
      }
      return owner;
    }
  }

  /**
   * Grants an open: adds (or, for an owner's second OPEN of the file, upgrades) its share
   * reservation and tells the backend: of the new open, or of the changed modes.
   *
   * @param owner the open-owner
   * @param file the file
   * @param wanted the access and denial asked for
   * @param caller who opens, for the backend
   * @return the open stateid and whether it needs OPEN_CONFIRM
   * @throws Nfs4Exception SHARE_DENIED, also when the owner's own open of the file conflicts
   * @throws NfsException the backend's refusal of the open
   */
  OpenGrant grantOpen(OpenOwner owner, OpenFile file, ShareReservation wanted, Caller caller)
      throws Nfs4Exception, NfsException {
    synchronized (lock) {
      OpenState existing = owner.opens.get(file);
      if (existing != null && conflicts(existing.share, wanted)) {
        throw new Nfs4Exception(Nfs4Status.SHARE_DENIED, "the owner's own open of the file conflicts");
      }
      ShareReservation granted;
      try {
        granted = lockManager.openShare(file.key(), owner.id, wanted);
      } catch (NfsException e) {
        throw new Nfs4Exception(e.status().nfs4Code(), "share reservation conflicts");
      }
      OpenState open = existing;
      if (open != null) {
        changeModes(open, granted);
        open.accessModesUsed |= 1 << wanted.access();
        open.denyModesUsed |= 1 << wanted.deny();
        open.bump();
      } else {
        OpenContext context = new OpenContext(granted.access(), granted.deny(), owner.id);
        try {
          backend.open(file, caller, context);
        } catch (NfsException | RuntimeException e) {
          lockManager.releaseShare(file.key(), owner.id);
          throw e;
        }
        ClientRecord c = owner.client;
        open = new OpenState(c, c.newStateIndex(), file, owner, granted, context);
        delegations.openerChanged(open, 1);
        if ((granted.access() & ShareReservation.WRITE) != 0) {
          delegations.writerChanged(open, 1);
        }
        c.states.put(open.index, open);
        owner.opens.put(file, open);
      }
      return new OpenGrant(open.stateid(), !owner.confirmed);
    }
  }

  /**
   * Whether an owner's new OPEN conflicts with its own open of the file. An owner's opens of
   * one file are one open whose reservation grows, but the share reservation semantics still
   * hold among them (RFC 7530 §9.9 and §16.16.5, RFC 8881 §9.7): the access asked for must
   * not be denied by the existing open, nor the deny asked for cover its access.
   */
  private static boolean conflicts(ShareReservation held, ShareReservation wanted) {
    return (held.deny() & wanted.access()) != 0 || (wanted.deny() & held.access()) != 0;
  }

  /**
   * OPEN_CONFIRM (RFC 7530 §16.18): confirms a new 4.0 open-owner.
   *
   * @param open the open the stateid names, its seqid already checked
   * @return the new stateid
   * @throws Nfs4Exception BAD_STATEID when the owner is already confirmed
   */
  Stateid confirmOpen(OpenState open) throws Nfs4Exception {
    synchronized (lock) {
      if (open.owner.confirmed) {
        throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "open-owner already confirmed");
      }
      open.owner.confirmed = true;
      open.bump();
      return open.stateid();
    }
  }

  /**
   * OPEN_DOWNGRADE (RFC 7530 §16.19, RFC 8881 §18.18).
   *
   * @param open the open, its stateid checked
   * @param to the reduced access and denial
   * @return the new stateid
   * @throws Nfs4Exception INVAL when {@code to} is not a subset of the open or uses a mode no
   *     OPEN of the owner asked for
   */
  Stateid downgradeOpen(OpenState open, ShareReservation to) throws Nfs4Exception {
    synchronized (lock) {
      if (!to.isSubsetOf(open.share) || (open.accessModesUsed & (1 << to.access())) == 0
          || (open.denyModesUsed & (1 << to.deny())) == 0) {
        throw new Nfs4Exception(Nfs4Status.INVAL, "not a downgrade to a mode opened with");
      }
      try {
        lockManager.downgradeShare(open.file.key(), open.owner.id, to);
      } catch (NfsException e) {
        throw new Nfs4Exception(Nfs4Status.INVAL, e.getMessage());
      }
      changeModes(open, to);
      open.accessModesUsed &= subsetsOf(to.access());
      open.denyModesUsed &= subsetsOf(to.deny());
      open.bump();
      return open.stateid();
    }
  }

  private static int subsetsOf(int mode) {
    int bits = 0;
    for (int m = 0; m <= 3; m++) {
      if ((m & ~mode) == 0) {
        bits |= 1 << m;
      }
    }
    return bits;
  }

  /**
   * CLOSE (RFC 7530 §16.2, RFC 8881 §18.2): drops the open and, as knfsd does, the locks of
   * lock states derived from it. In 4.0 the closed open stays known so a retransmitted CLOSE
   * can be answered from the owner's reply cache; its stateid is otherwise BAD_STATEID.
   *
   * @param open the open, its stateid checked
   * @return the stateid to return
   */
  Stateid close(OpenState open) {
    synchronized (lock) {
      release.release(open);
      for (LockState l : open.lockStates) {
        open.client.states.remove(l.index);
        release.forgetIfIdle(l.owner);
      }
      open.bump();
      Stateid result = open.stateid();
      if (open.client.minorVersion == 0) {
        open.closed = true;
        OpenState previous = open.owner.lastClosed;
        if (previous != null && previous != open) {
          open.client.states.remove(previous.index);
        }
        open.owner.lastClosed = open;
      } else {
        open.client.states.remove(open.index);
        if (open.owner.opens.isEmpty()) {
          open.client.openOwners.remove(ByteBuffer.wrap(open.owner.name), open.owner);
        }
        result = Stateid.INVALID;
      }
      return result;
    }
  }

  /** Gives an open its new modes and tells the backend (an OPEN upgrade, OPEN_DOWNGRADE). */
  private void changeModes(OpenState open, ShareReservation share) {
    boolean wrote = (open.share.access() & ShareReservation.WRITE) != 0;
    boolean writes = (share.access() & ShareReservation.WRITE) != 0;
    if (wrote != writes) {
      delegations.writerChanged(open, writes ? 1 : -1);
    }
    open.share = share;
    if (open.context.access() == share.access() && open.context.deny() == share.deny()) {
      return;
    }
    open.context = open.context.withModes(share.access(), share.deny());
    backend.changed(open);
  }
}
