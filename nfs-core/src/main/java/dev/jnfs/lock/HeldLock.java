package dev.jnfs.lock;

/**
 * One byte-range lock held by an owner, as a conflict query reports it.
 *
 * @param owner the opaque identity of the lock's owner, as given to {@link LockManager#lock}
 * @param type read or write
 * @param range the bytes it covers
 */
public record HeldLock(Object owner, LockType type, ByteRange range) {}
