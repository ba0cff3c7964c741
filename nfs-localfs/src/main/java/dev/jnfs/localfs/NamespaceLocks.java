package dev.jnfs.localfs;

import dev.jnfs.spi.NfsException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The locks that keep the disk and the id index in step while the namespace changes.
 *
 * <p>Operations on one name (CREATE, MKDIR, SYMLINK, MKNOD, REMOVE, RMDIR) only exclude each
 * other when they touch the same directory entry: they share the tree lock and hold the stripe
 * of their (directory, folded name). Operations that move objects or change objects reachable
 * under several names (RENAME, LINK, SETATTR, REMOVE of a hard-linked file) hold the tree lock
 * exclusively. Creates and removes of different names therefore run in parallel, so their
 * system calls (and the file system's journal commits) overlap instead of queueing.
 *
 * <p>Never take {@link #exclusive} while holding {@link #forName}: the tree lock cannot be
 * upgraded.
 */
final class NamespaceLocks {
  private static final int STRIPES = 64;

  private final ReentrantReadWriteLock tree = new ReentrantReadWriteLock();
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

  NamespaceLocks() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** Work done under a lock. */
  interface Locked<T> {
    T run() throws NfsException;
  }

  /** Runs an action that changes only the entry {@code foldedName} of {@code directory}. */
  <T> T forName(long directory, String foldedName, Locked<T> action) throws NfsException {
    ReentrantLock stripe = stripes[Math.floorMod(Long.hashCode(directory) * 31 + foldedName.hashCode(), STRIPES)];
    tree.readLock().lock();
    try {
      stripe.lock();
      try {
        return action.run();
      } finally {
        stripe.unlock();
      }
    } finally {
      tree.readLock().unlock();
    }
  }

  /** Runs an action while no other namespace change runs. */
  <T> T exclusive(Locked<T> action) throws NfsException {
    tree.writeLock().lock();
    try {
      return action.run();
    } finally {
      tree.writeLock().unlock();
    }
  }
}
