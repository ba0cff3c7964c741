package dev.jnfs.memory;

import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One object of the in-memory file system: its attributes and its content (file data,
 * directory entries or symlink target).
 *
 * <p>Every mutable field, and a directory's entries, are guarded by {@link #lock}. A thread holding more than one inode
 * lock took them in increasing fileid order ({@link InodeLocks}), so lock waits never form a
 * cycle. The access time alone is volatile: reads update it under the shared lock.
 *
 * <p>Attributes are read without the lock while nothing changed since they were last read
 * under it: a snapshot taken under the lock is published, and releasing the write lock, under
 * which every other attribute changes, withdraws it; a snapshot whose access time is no longer
 * the current one is not used. A listing of many entries or a stream of GETATTRs thus reads
 * attributes with two volatile loads, not a lock acquisition each.
 */
final class Inode {
  /** The size and allocation a directory reports. */
  static final long DIRECTORY_SIZE = 4096;

  final long fileid;
  final FileType type;
  final ReentrantReadWriteLock lock = new AttributeLock(this);
  /** The attributes last read under the lock, while still current; else null. */
  private volatile FileAttributes published;

  /** For regular files: the data; else null. */
  final FileContent content;
  /** For directories: the entries; else null. */
  final DirectoryContent entries;
  /** For symlinks: the target; else null. */
  final String target;
  /** The target's length in UTF-8 bytes, for symlinks. */
  private final long targetLength;
  /** The handle naming this object. */
  final FileHandle handle;
  /** For regular files made by an EXCLUSIVE create: the client's verifier; else null. */
  final Long exclusiveVerifier;
  /** For block and character devices: the device number; else NONE. */
  final DeviceNumber rdev;

  int mode;
  int uid;
  int gid;
  int nlink;
  Instant mtime;
  Instant ctime;
  volatile Instant atime;
  long change;
  /**
   * For directories: the parent (the root is its own parent). Guarded by this directory's lock
   * and changed only by a rename between directories, under the file system's rename lock.
   */
  Inode parent;
  /** Opens not yet closed; an unlinked file lives on while this is above zero. */
  int openCount;
  /** The extended attributes, made when the first is set; else null. */
  ExtendedAttributes xattrs;
  /** Set once the object is gone: its handle answers STALE from then on. */
  boolean dead;

  Inode(
      FileHandle handle,
      long fileid,
      FileType type,
      int mode,
      int uid,
      int gid,
      Instant now,
      DeviceNumber rdev,
      String target,
      Long exclusiveVerifier) {
    this.handle = handle;
    this.fileid = fileid;
    this.type = type;
    this.mode = mode & 07777;
    this.uid = uid;
    this.gid = gid;
    this.rdev = rdev;
    this.target = target;
    this.targetLength = target == null ? 0 : target.getBytes(StandardCharsets.UTF_8).length;
    this.exclusiveVerifier = exclusiveVerifier;
    this.content = type == FileType.REGULAR ? new FileContent() : null;
    this.entries = type == FileType.DIRECTORY ? new DirectoryContent() : null;
    this.nlink = type == FileType.DIRECTORY ? 2 : 1;
    this.atime = now;
    this.mtime = now;
    this.ctime = now;
    this.change = 1;
  }

  boolean isDirectory() {
    return type == FileType.DIRECTORY;
  }

  /**
   * Records a metadata change: ctime moves to {@code now} and the change attribute advances.
   * Caller holds the write lock.
   */
  void changed(Instant now) {
    ctime = now;
    change++;
  }

  /** Records a data or directory-content change: mtime and ctime move, change advances. */
  void modified(Instant now) {
    mtime = now;
    changed(now);
  }

  /**
   * @throws NfsException STALE once the object is gone; caller holds the lock
   */
  void checkAlive() throws NfsException {
    if (dead) {
      throw new NfsException(NfsStatus.STALE, "object " + fileid + " no longer exists");
    }
  }

  /**
   * Snapshots the attributes; caller holds the lock (shared or exclusive).
   *
   * @param fsid the file system's id
   */
  FileAttributes attributes(long fsid) {
    long size;
    long used;
    switch (type) {
      case REGULAR -> {
        size = content.size();
        used = content.allocated();
      }
      case DIRECTORY -> {
        size = DIRECTORY_SIZE;
        used = DIRECTORY_SIZE;
      }
      case SYMLINK -> {
        size = targetLength;
        used = 0;
      }
      default -> {
        size = 0;
        used = 0;
      }
    }
    return new FileAttributes(
        type, mode, nlink, uid, gid, size, used, rdev, fsid, fileid, atime, mtime, ctime, change);
  }

  /**
   * Answers the attributes: the published snapshot while it is current, else a snapshot taken
   * under the shared lock. Answers the last attributes of an object that is gone.
   *
   * @param fsid the file system's id
   */
  FileAttributes readAttributes(long fsid) {
    FileAttributes current = published;
    if (current != null && current.atime() == atime) {
      return current;
    }
    lock.readLock().lock();
    try {
      return publish(fsid);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * {@link #readAttributes} of an object that must still exist.
   *
   * @param fsid the file system's id
   * @throws NfsException STALE once the object is gone
   */
  FileAttributes readLiveAttributes(long fsid) throws NfsException {
    FileAttributes current = published;
    if (current != null && current.atime() == atime) {
      return current; // published while alive, and not withdrawn since: still alive
    }
    lock.readLock().lock();
    try {
      checkAlive();
      return publish(fsid);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Snapshots the attributes and publishes them while the object lives; caller holds the lock. */
  private FileAttributes publish(long fsid) {
    FileAttributes snapshot = attributes(fsid);
    if (!dead) {
      published = snapshot;
    }
    return snapshot;
  }

  /**
   * The inode's lock: releasing its write lock withdraws the published attributes, before
   * another thread can take the lock and see the changes made under it.
   */
  private static final class AttributeLock extends ReentrantReadWriteLock {
    private final WriteLock writeLock;

    AttributeLock(Inode inode) {
      writeLock =
          new WriteLock(this) {
            @Override
            public void unlock() {
              inode.published = null;
              super.unlock();
            }
          };
    }

    @Override
    public WriteLock writeLock() {
      return writeLock;
    }
  }
}
