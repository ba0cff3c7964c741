package dev.jnfs.lock;

import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.Owner;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Share reservations and byte-range locks on files, shared by the protocols that have them
 * (NFSv4 OPEN and LOCK; NLM's LOCK and SHARE for NFSv3, whose owners have a client id whose
 * high 32 bits are 0, which no NFSv4 client id has). An embedder replaces the default {@link
 * LocalLockManager} through {@code NfsServer.Builder.lockManager}, for instance with one that
 * also takes the locks in the backing store so that local processes see them, or one shared
 * by several servers.
 *
 * <h2>Keys</h2>
 *
 * A file is a {@link FileKey} (export id and backend handle); an owner is an {@link Owner}
 * (the server's client id and the client's name for the owner). Share reservations are held
 * by open-owners and byte-range locks by lock-owners: the two never meet, as reservations and
 * locks are separate tables. An owner's own reservations and locks never conflict with each
 * other.
 *
 * <h2>Semantics</h2>
 *
 * Reservations follow RFC 7530 §9.9 and RFC 8881 §9.7: an open is refused when another
 * owner denies the access asked for or holds access the request denies. Locks follow POSIX
 * as NFSv4 asks (RFC 7530 §9.2 and §9.3, RFC 8881 §9.2 and §9.3): a new lock replaces the owner's own locks in
 * its range (an upgrade or a downgrade), unlocking part of a lock splits it, and touching
 * locks of one owner and type may merge. Locks are advisory: they constrain other lock and
 * open requests, never a READ or WRITE by themselves; the server never asks an
 * implementation whether I/O may proceed, except through {@link #isDenied} for I/O that
 * carries no open.
 *
 * <h2>What the server guarantees</h2>
 *
 * <ul>
 *   <li>Calls come from worker threads, never from a network event loop, and may arrive
 *       concurrently for the same file and for different files.
 *   <li>Each NFSv4 state change calls the lock manager while holding the server's NFSv4 state
 *       lock, so for one server the calls that change state arrive one at a time; an
 *       implementation shared by several servers, or by NLM, still sees concurrent calls.
 *   <li>Ranges are valid ({@link ByteRange#isValid}) and share masks well-formed before they
 *       are passed.
 *   <li>Every reservation granted by {@link #openShare} is given back with {@link
 *       #releaseShare}, and every owner's locks with {@link #unlock} or {@link #releaseLocks},
 *       when the open is closed, the owner released, or the client's lease expires. Nothing
 *       is given back when the server stops: a new server instance starts from nothing.
 * </ul>
 *
 * <h2>What implementations promise</h2>
 *
 * Implementations are thread-safe. Calls return quickly and never block waiting for a
 * conflicting lock to go away (NFSv4's blocking lock types are polled by the client): they
 * answer with the conflict instead. They must not call back into the server. A runtime
 * exception thrown from a call fails the client's request with a server fault.
 */
public interface LockManager {

  /**
   * Adds a share reservation for an owner on a file (OPEN). When the owner already holds one
   * on the file, the two are combined (an OPEN upgrade, RFC 7530 §16.16.5).
   *
   * @param file the file
   * @param owner the open-owner
   * @param wanted the access and denial asked for
   * @return the owner's reservation on the file after the call
   * @throws NfsException SHARE_DENIED when another owner's reservation denies the access
   *     asked for or holds access the request would deny; nothing changed
   */
  ShareReservation openShare(FileKey file, Owner owner, ShareReservation wanted) throws NfsException;

  /**
   * Reduces an owner's share reservation (OPEN_DOWNGRADE).
   *
   * @param file the file
   * @param owner the open-owner
   * @param to the new reservation, a subset of the current one
   * @throws NfsException INVAL when {@code to} is not a subset of the held reservation or
   *     none is held; nothing changed
   */
  void downgradeShare(FileKey file, Owner owner, ShareReservation to) throws NfsException;

  /**
   * Drops an owner's share reservation on a file (CLOSE, or the end of the client's state);
   * nothing happens if none is held.
   *
   * @param file the file
   * @param owner the open-owner
   */
  void releaseShare(FileKey file, Owner owner);

  /**
   * @param file the file
   * @param owner the open-owner
   * @return the owner's reservation on the file, if any
   */
  Optional<ShareReservation> share(FileKey file, Owner owner);

  /**
   * Whether some reservation on the file denies the given access; asked for I/O that carries
   * no open (NFSv4's anonymous stateid).
   *
   * @param file the file
   * @param access {@link ShareReservation#READ} or {@link ShareReservation#WRITE}
   * @return true if an opener denies that access
   */
  boolean isDenied(FileKey file, int access);

  /**
   * Takes, upgrades or downgrades a byte-range lock (LOCK). Within {@code range}, the owner's
   * own locks are replaced by one of {@code type}; adjacent or overlapping locks of the owner
   * with the same type may be merged.
   *
   * @param file the file
   * @param owner the lock-owner
   * @param type read or write
   * @param range the bytes
   * @return empty when granted; otherwise one conflicting lock of another owner, and nothing
   *     changed
   */
  Optional<HeldLock> lock(FileKey file, Owner owner, LockType type, ByteRange range);

  /**
   * Tests whether a lock could be granted, without taking it (LOCKT). The owner may hold no
   * state at all.
   *
   * @param file the file
   * @param owner the would-be lock-owner (its own locks never conflict)
   * @param type read or write
   * @param range the bytes
   * @return empty if it could be granted, else one conflicting lock
   */
  Optional<HeldLock> test(FileKey file, Owner owner, LockType type, ByteRange range);

  /**
   * Releases an owner's locks within a range (LOCKU), splitting a lock that extends beyond
   * it. Unlocking bytes that are not locked is not an error.
   *
   * @param file the file
   * @param owner the lock-owner
   * @param range the bytes
   */
  void unlock(FileKey file, Owner owner, ByteRange range);

  /**
   * Releases all of an owner's locks on a file (CLOSE of the open they came from, the end of
   * the lock state or of the client's state).
   *
   * @param file the file
   * @param owner the lock-owner
   */
  void releaseLocks(FileKey file, Owner owner);

  /**
   * @param file the file
   * @param owner the lock-owner
   * @return whether the owner holds any byte-range lock on the file (asked before
   *     RELEASE_LOCKOWNER and FREE_STATEID, which must fail while locks remain)
   */
  boolean holdsLocks(FileKey file, Owner owner);

  /**
   * @param file the file
   * @return a snapshot of every byte-range lock on the file, ordered by offset
   */
  List<HeldLock> locks(FileKey file);

  /**
   * Asks to be told when byte-range locks on a file may have become free, so that a protocol
   * with blocking locks (NLM) can retry the requests it queued for that file. After each
   * {@link #lock} that changed an owner's locks, {@link #unlock} and {@link #releaseLocks},
   * the listener is called with the file, on the thread that made the change and after the
   * change is visible; it must return quickly, must not block, and may be called when nothing
   * was actually freed. Listeners cannot be removed; they live as long as the lock manager.
   *
   * <p>The default does nothing: with a lock manager that does not tell, blocked NLM requests
   * are granted only when the client sends them again (the Linux client does every 30
   * seconds).
   *
   * @param listener called with the file whose locks changed
   */
  default void addReleaseListener(Consumer<FileKey> listener) {}
}
