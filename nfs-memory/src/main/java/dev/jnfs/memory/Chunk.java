package dev.jnfs.memory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One piece of file data, which files may share after a clone: its bytes are written in place
 * only while one file holds it; a file writing into a shared chunk gets its own copy first.
 * The capacity it takes is released when the last file lets go of it. The holder count is
 * atomic because the sharing files are guarded by different inode locks.
 */
final class Chunk {
  final byte[] bytes;
  private final AtomicInteger holders = new AtomicInteger(1);

  Chunk(byte[] bytes) {
    this.bytes = bytes;
  }

  /** @return whether another file holds this chunk too */
  boolean isShared() {
    return holders.get() > 1;
  }

  /** @return this chunk, now held by one more file */
  Chunk share() {
    holders.incrementAndGet();
    return this;
  }

  /** One file lets go; the last one gives the capacity back. */
  void release(SpaceAccount space) {
    if (holders.decrementAndGet() == 0) {
      space.releaseBytes(bytes.length);
    }
  }
}
