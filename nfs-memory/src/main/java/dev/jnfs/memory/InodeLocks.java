package dev.jnfs.memory;

import java.util.Arrays;

/**
 * Exclusive locks on several inodes at once, taken in increasing fileid order so two threads
 * never wait on each other; closing releases them. Null and repeated inodes are skipped.
 */
final class InodeLocks implements AutoCloseable {
  private final Inode[] held;

  private InodeLocks(Inode[] held) {
    this.held = held;
  }

  /**
   * Locks the given inodes for writing.
   *
   * @param inodes the inodes, possibly null or repeated
   * @return the held locks, to close
   */
  static InodeLocks writeLock(Inode... inodes) {
    Inode[] distinct = new Inode[inodes.length];
    int count = 0;
    for (Inode inode : inodes) {
      if (inode == null) {
        continue;
      }
      int at = count;
      while (at > 0 && distinct[at - 1].fileid > inode.fileid) {
        at--;
      }
      if (at > 0 && distinct[at - 1] == inode) {
        continue;
      }
      System.arraycopy(distinct, at, distinct, at + 1, count - at);
      distinct[at] = inode;
      count++;
    }
    distinct = Arrays.copyOf(distinct, count);
    int locked = 0;
    try {
      for (Inode inode : distinct) {
        inode.lock.writeLock().lock();
        locked++;
      }
    } catch (RuntimeException | Error e) {
      for (int i = locked - 1; i >= 0; i--) {
        distinct[i].lock.writeLock().unlock();
      }
      throw e;
    }
    return new InodeLocks(distinct);
  }

  @Override
  public void close() {
    for (int i = held.length - 1; i >= 0; i--) {
      held[i].lock.writeLock().unlock();
    }
  }
}
