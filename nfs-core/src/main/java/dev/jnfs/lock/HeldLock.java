package dev.jnfs.lock;

import dev.jnfs.spi.Owner;

/**
 * One byte-range lock held by an owner, as a conflict or a listing reports it. Immutable.
 *
 * @param owner the lock's owner, as given to {@link LockManager#lock}
 * @param type read or write
 * @param range the bytes it covers
 */
public record HeldLock(Owner owner, LockType type, ByteRange range) {}
