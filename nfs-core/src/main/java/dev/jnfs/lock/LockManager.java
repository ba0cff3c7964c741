package dev.jnfs.lock;

import dev.jnfs.spi.NfsException;
import java.util.List;
import java.util.Optional;

/**
 * Share reservations and byte-range locks on files, shared by the protocols that have them
 * (NFSv4 OPEN/LOCK, NLM). A file and an owner are opaque keys compared with {@code equals}: the
 * protocol chooses them (an NFSv4 open-owner or lock-owner, an NLM owner handle). Locks are
 * advisory: they constrain other lock and open requests, never READ or WRITE by themselves.
 *
 * <p>The server uses {@link LocalLockManager} unless given another implementation, e.g. one
 * that also takes locks in the backing store so local processes see them. Implementations
 * are thread-safe.
 */
public interface LockManager {

  /**
   * Adds a share reservation for an owner on a file. When the owner already holds one on the
   * file, the two are combined (an OPEN upgrade, RFC 7530 §16.16.5).
   *
   * @param file the file
   * @param owner who opens
   * @param wanted the access and denial asked for
   * @return the owner's reservation on the file after the call
   * @throws NfsException SHARE_DENIED when another owner's reservation denies the access
   *     asked for or holds access the request would deny
   */
  ShareReservation openShare(Object file, Object owner, ShareReservation wanted) throws NfsException;

  /**
   * Reduces an owner's share reservation (OPEN_DOWNGRADE).
   *
   * @param file the file
   * @param owner the owner
   * @param to the new reservation, a subset of the current one
   * @throws NfsException INVAL when {@code to} is not a subset of the held reservation or
   *     none is held
   */
  void downgradeShare(Object file, Object owner, ShareReservation to) throws NfsException;

  /**
   * Drops an owner's share reservation on a file (CLOSE); nothing happens if none is held.
   *
   * @param file the file
   * @param owner the owner
   */
  void releaseShare(Object file, Object owner);

  /**
   * @param file the file
   * @param owner the owner
   * @return the owner's reservation on the file, if any
   */
  Optional<ShareReservation> share(Object file, Object owner);

  /**
   * Whether some reservation on the file denies the given access; used for I/O that carries
   * no open (NFSv4's special stateids, NFSv3).
   *
   * @param file the file
   * @param access {@link ShareReservation#READ} or {@link ShareReservation#WRITE}
   * @return true if an opener denies that access
   */
  boolean isDenied(Object file, int access);

  /**
   * Takes, upgrades or downgrades a byte-range lock. Within {@code range}, the owner's own
   * locks are replaced by one of {@code type} (POSIX semantics); adjacent or overlapping
   * locks of the owner with the same type are merged.
   *
   * @param file the file
   * @param owner the lock owner
   * @param type read or write
   * @param range the bytes
   * @return empty when granted; otherwise one conflicting lock of another owner, and nothing
   *     changed
   */
  Optional<HeldLock> lock(Object file, Object owner, LockType type, ByteRange range);

  /**
   * Tests whether a lock could be granted, without taking it (LOCKT).
   *
   * @param file the file
   * @param owner the would-be owner (its own locks never conflict)
   * @param type read or write
   * @param range the bytes
   * @return empty if it could be granted, else one conflicting lock
   */
  Optional<HeldLock> test(Object file, Object owner, LockType type, ByteRange range);

  /**
   * Releases an owner's locks within a range, splitting a lock that extends beyond it.
   * Unlocking bytes that are not locked is not an error.
   *
   * @param file the file
   * @param owner the lock owner
   * @param range the bytes
   */
  void unlock(Object file, Object owner, ByteRange range);

  /**
   * Releases all of an owner's locks on a file.
   *
   * @param file the file
   * @param owner the lock owner
   */
  void releaseLocks(Object file, Object owner);

  /**
   * @param file the file
   * @param owner the lock owner
   * @return whether the owner holds any byte-range lock on the file
   */
  boolean holdsLocks(Object file, Object owner);

  /**
   * @param file the file
   * @return a snapshot of every byte-range lock on the file, ordered by offset
   */
  List<HeldLock> locks(Object file);
}
