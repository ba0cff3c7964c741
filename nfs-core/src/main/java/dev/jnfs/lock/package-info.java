/**
 * Share reservations and byte-range locks, shared by the protocols that have them (NFSv4
 * OPEN and LOCK now, NLM later), behind an interface an embedder may replace.
 *
 * <p>{@link dev.jnfs.lock.LockManager} is the contract: what it keys on ({@link
 * dev.jnfs.lock.FileKey}, {@link dev.jnfs.spi.Owner}), what the server guarantees about its
 * calls and what an implementation promises. {@link dev.jnfs.lock.LocalLockManager} keeps
 * everything in memory and is the default. {@link dev.jnfs.lock.ShareReservation} is an
 * open's access and denial, {@link dev.jnfs.lock.LockType} and {@link
 * dev.jnfs.lock.ByteRange} describe a lock, {@link dev.jnfs.lock.HeldLock} reports one.
 *
 * <p>Ranges follow NFS: an unsigned offset and length, a length of all ones meaning "to the
 * end of the file", and a zero length or an end past 2^64 - 1 rejected with INVAL ({@link
 * dev.jnfs.lock.ByteRange#of}). Locking follows POSIX: an owner's new lock replaces its own
 * locks in the range (upgrade, downgrade), unlocking part of a lock splits it, and touching
 * locks of one owner and type merge. A conflict names the holder, so NFSv4 can answer
 * LOCK4denied. Locks are advisory: nothing here stops a READ or WRITE.
 *
 * <p>Every type here is thread-safe: the records and enum are immutable, the lock managers
 * are safe for concurrent use.
 */
package dev.jnfs.lock;
