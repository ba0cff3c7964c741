package dev.jnfs.v4.state;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.HeldLock;
import dev.jnfs.lock.LockManager;
import dev.jnfs.lock.LockType;
import dev.jnfs.lock.ShareReservation;
import dev.jnfs.spi.Owner;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Optional;

/**
 * Byte-range locks (RFC 7530 §9.1 to §9.3 and §16.10 to §16.12, RFC 8881 §9.1 to §9.3 and
 * §18.10 to §18.12): lock-owners, the lock states made from opens, LOCK, LOCKT, LOCKU and
 * RELEASE_LOCKOWNER. The locks themselves live in the lock manager. Runs under the state
 * lock.
 */
final class LockTable {
  private final Object lock;
  private final LockManager lockManager;
  private final StateRelease release;

  LockTable(Object lock, LockManager lockManager, StateRelease release) {
    this.lock = lock;
    this.lockManager = lockManager;
    this.release = release;
  }

  /**
   * Finds or makes a lock-owner.
   *
   * @param client the client
   * @param name the owner's name
   * @return the owner
   */
  LockOwner lockOwner(ClientRecord client, byte[] name) {
    synchronized (lock) {
      return client.lockOwners.computeIfAbsent(ByteBuffer.wrap(name.clone()), k -> new LockOwner(client, name));
    }
  }

  /**
   * The lock state of a lock-owner on an open's file, made from that open if new (LOCK with
   * open_to_lock_owner4). Finding the owner and making the state is one step, so an owner
   * being forgotten concurrently cannot split into two.
   *
   * <p>A 4.0 lock-owner that already has a lock state for the file should use its lock
   * stateid, and RFC 7530 §16.10.5 answers BAD_SEQID otherwise. A client that comes back
   * through the open (after an open upgrade and downgrade, with all its locks unlocked) with
   * the lock-owner's next seqid is following its sequence, though: as knfsd does, the
   * existing lock state is used and the sequence goes on (§9.1.7).
   *
   * @param ownerName the lock-owner's name
   * @param open the open
   * @param lockSeqid the LOCK's lock_seqid (4.0)
   * @return the lock state
   * @throws Nfs4Exception BAD_SEQID when a 4.0 owner already has a lock state for the file and
   *     {@code lockSeqid} is not its next seqid
   */
  LockState lockStateFor(byte[] ownerName, OpenState open, int lockSeqid) throws Nfs4Exception {
    synchronized (lock) {
      return lockStateFor(lockOwner(open.client, ownerName), open, lockSeqid);
    }
  }

  /**
   * As {@link #lockStateFor(byte[], OpenState, int)}, for a lock-owner already found.
   *
   * @param owner the lock-owner
   * @param open the open
   * @param lockSeqid the LOCK's lock_seqid (4.0)
   * @return the lock state
   * @throws Nfs4Exception BAD_SEQID as above
   */
  LockState lockStateFor(LockOwner owner, OpenState open, int lockSeqid) throws Nfs4Exception {
    synchronized (lock) {
      LockState existing = owner.locks.get(open.file);
      if (existing != null) {
        if (owner.client.minorVersion == 0 && !owner.isNextSeqid(lockSeqid)) {
          throw new Nfs4Exception(Nfs4Status.BAD_SEQID, "lock-owner already has a lock stateid for the file");
        }
        return existing;
      }
      ClientRecord c = owner.client;
      LockState l = new LockState(c, c.newStateIndex(), open.file, owner, open);
      c.states.put(l.index, l);
      owner.locks.put(open.file, l);
      open.lockStates.add(l);
      return l;
    }
  }

  /**
   * Takes a byte-range lock (LOCK).
   *
   * @param state the lock state
   * @param type read or write
   * @param range the bytes
   * @return the new lock stateid
   * @throws Nfs4Exception OPENMODE (a write lock on a file not open for writing, a read lock
   *     on one not open for reading, as knfsd), DENIED with the holder
   */
  Stateid lock(LockState state, LockType type, ByteRange range) throws Nfs4Exception {
    synchronized (lock) {
      int needed = type == LockType.WRITE ? ShareReservation.WRITE : ShareReservation.READ;
      if ((state.open.share.access() & needed) == 0) {
        dropIfUnused(state);
        throw new Nfs4Exception(Nfs4Status.OPENMODE, "open mode does not allow this lock type");
      }
      Optional<HeldLock> conflict = lockManager.lock(state.file.key(), state.owner.id, type, range);
      if (conflict.isPresent()) {
        dropIfUnused(state);
        throw denied(conflict.get());
      }
      state.bump();
      return state.stateid();
    }
  }

  /** Forgets a lock state that was made for a LOCK that failed and holds nothing. */
  private void dropIfUnused(LockState state) {
    if (state.seqid == 0 && !lockManager.holdsLocks(state.file.key(), state.owner.id)) {
      release.release(state);
      state.open.lockStates.remove(state);
      state.client.states.remove(state.index);
    }
  }

  private static Nfs4Exception denied(HeldLock held) {
    LockDenied d = new LockDenied(held.range(), held.type(), held.owner().clientId(), held.owner().name());
    return new Nfs4Exception(Nfs4Status.DENIED, "lock conflict with " + held, d::encode);
  }

  /**
   * LOCKT (RFC 7530 §16.11).
   *
   * @param client the client asking
   * @param ownerName the would-be lock-owner
   * @param file the file
   * @param type read or write
   * @param range the bytes
   * @throws Nfs4Exception DENIED with the holder of a conflicting lock
   */
  void testLock(ClientRecord client, byte[] ownerName, OpenFile file, LockType type, ByteRange range)
      throws Nfs4Exception {
    synchronized (lock) {
      Optional<HeldLock> conflict = lockManager.test(file.key(), new Owner(client.clientId(), ownerName), type, range);
      if (conflict.isPresent()) {
        throw denied(conflict.get());
      }
    }
  }

  /**
   * LOCKU (RFC 7530 §16.12).
   *
   * @param state the lock state, its stateid checked
   * @param range the bytes to unlock
   * @return the new lock stateid
   */
  Stateid unlock(LockState state, ByteRange range) {
    synchronized (lock) {
      lockManager.unlock(state.file.key(), state.owner.id, range);
      state.bump();
      return state.stateid();
    }
  }

  /**
   * RELEASE_LOCKOWNER (RFC 7530 §16.37).
   *
   * @param client the client
   * @param name the lock-owner
   * @throws Nfs4Exception LOCKS_HELD while the owner holds a lock
   */
  void releaseLockOwner(ClientRecord client, byte[] name) throws Nfs4Exception {
    synchronized (lock) {
      LockOwner owner = client.lockOwners.get(ByteBuffer.wrap(name));
      if (owner == null) {
        return;
      }
      for (LockState l : owner.locks.values()) {
        if (lockManager.holdsLocks(l.file.key(), owner.id)) {
          throw new Nfs4Exception(Nfs4Status.LOCKS_HELD, "lock-owner holds locks");
        }
      }
      for (LockState l : new ArrayList<>(owner.locks.values())) {
        release.release(l);
        l.open.lockStates.remove(l);
        client.states.remove(l.index);
      }
      client.lockOwners.remove(ByteBuffer.wrap(name));
    }
  }
}
