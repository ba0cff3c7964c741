/**
 * Share reservations and byte-range locks, shared by the protocols that have them (NFSv4
 * OPEN and LOCK now, NLM later).
 *
 * <p>{@link dev.jnfs.lock.LockManager} is the contract; {@link dev.jnfs.lock.LocalLockManager}
 * keeps everything in memory and is the default. Files and owners are opaque keys chosen by
 * the protocol. Ranges follow NFS: an unsigned offset and length, a length of all ones
 * meaning "to the end of the file", and a zero length or an end past 2^64 - 1 rejected with
 * INVAL ({@link dev.jnfs.lock.ByteRange#of}). Locking follows POSIX: an owner's new lock
 * replaces its own locks in the range (upgrade, downgrade), unlocking part of a lock splits
 * it, and touching locks of one owner and type merge. A conflict names the holder, so NFSv4
 * can answer LOCK4denied. Locks are advisory: nothing here stops a READ or WRITE.
 */
package dev.jnfs.lock;
