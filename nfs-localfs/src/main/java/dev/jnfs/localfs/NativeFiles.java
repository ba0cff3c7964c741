package dev.jnfs.localfs;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The Linux system calls {@code java.nio} has no word for: finding data and holes
 * ({@code lseek} with SEEK_DATA and SEEK_HOLE), reserving and punching space ({@code
 * fallocate}), sharing storage between files ({@code FICLONERANGE}), the blocks a file
 * really uses and every other stat field in one call ({@code statx}); and, through {@link
 * Confined}, making, changing and reading objects relative to directories reached from the
 * export's root without following a symlink, and watching such directories for changes
 * ({@link ChangeWatch}, {@code inotify}). Each call on file data opens the file anew (by
 * its path here, relative to its directory through {@link Confined}; never following a
 * last-component symlink) and closes it again, so no JDK
 * internals are needed to reach a channel's descriptor. Failures are {@link
 * ErrnoException}s carrying the errno.
 *
 * <p>The implementation, {@code LinuxNativeFiles}, uses the Foreign Function &amp; Memory API
 * (final in JDK 22) and lives in {@code META-INF/versions/22} of the multi-release jar: on
 * JDK 21, on other systems, with another NIO provider than the platform's, or when the JVM
 * denies native access, {@link #of} finds none and the capabilities that need it are absent.
 *
 * <p>Thread-safe.
 */
interface NativeFiles {
  /** Where the JDK 22 implementation is looked for. */
  String IMPLEMENTATION = "dev.jnfs.localfs.LinuxNativeFiles";

  /**
   * Finds the next data or hole at or after {@code offset}, as {@code lseek} does.
   *
   * @return where it begins; for data, -1 when none follows (ENXIO below the size)
   * @throws ErrnoException ENXIO when {@code offset} is at or past the end
   */
  long seek(Path file, long offset, boolean data) throws IOException;

  /** Reserves storage for a range, growing the file to its end ({@code fallocate} mode 0). */
  void allocate(Path file, long offset, long length) throws IOException;

  /** Turns a range into a hole, keeping the size (PUNCH_HOLE with KEEP_SIZE). */
  void punchHole(Path file, long offset, long length) throws IOException;

  /**
   * Makes a range of {@code destination} share the storage of {@code source} ({@code
   * FICLONERANGE}); {@code length} 0 means up to the end of the source.
   *
   * @throws ErrnoException EOPNOTSUPP or EXDEV where the file system cannot, EINVAL for ranges
   *     not aligned to its blocks
   */
  void cloneRange(Path source, long sourceOffset, Path destination, long destinationOffset, long length)
      throws IOException;

  /** @return the bytes of storage a file uses (its 512-byte blocks), not following a symlink */
  long allocatedBytes(Path file) throws IOException;

  /**
   * What {@code statx} reports of an object: everything a {@link Snapshot} is made of, in one
   * system call (the JDK's attribute read is a {@code statx} too, but the block count needs a
   * second one).
   *
   * @param mode st_mode, type bits included
   * @param nlink st_nlink
   * @param uid st_uid
   * @param gid st_gid
   * @param size st_size (for a symlink, its target's length)
   * @param blocks st_blocks, in 512-byte units; -1 when the file system keeps no block count
   * @param rdev st_rdev, as {@link #deviceNumber} lays it out
   * @param dev st_dev, laid out the same way
   * @param ino st_ino
   * @param atime the access time
   * @param mtime the modification time
   * @param ctime the status change time
   * @param birth the creation time, or null when the file system keeps none for it
   */
  record Stat(int mode, int nlink, int uid, int gid, long size, long blocks, long rdev, long dev, long ino,
      Instant atime, Instant mtime, Instant ctime, Instant birth) {}

  /**
   * Reads an object's status without following a symlink.
   *
   * @throws java.nio.file.NoSuchFileException when it does not exist, {@link
   *     java.nio.file.AccessDeniedException} and {@link java.nio.file.NotDirectoryException} as
   *     {@code java.nio} throws them; else an {@link ErrnoException}
   */
  Stat stat(Path path) throws IOException;

  /**
   * Reads the status of names of one directory, relative to that directory opened once
   * ({@code O_PATH}, not following a symlink in its place), so each costs one {@code statx} on
   * one component instead of a walk of the whole path.
   *
   * @return one per name, in the same order; null for a name that no longer exists
   * @throws IOException as {@link #stat} does, for the directory or any name
   */
  Stat[] statAll(Path directory, List<String> names) throws IOException;

  /**
   * Opens the calls that reach only objects below {@code root}: see {@link Confined}.
   *
   * @param root the export's root directory, itself not a symlink
   * @throws IOException when it cannot be opened
   */
  Confined confine(Path root) throws IOException;

  /**
   * System calls on the objects below one root directory, each made relative to the
   * directory holding its object, that directory reached from the root (held open for the
   * export's life) without following a symlink anywhere: {@code openat2} with {@code
   * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS} where the kernel has it (Linux 5.6 and later), else
   * one {@code openat(O_PATH | O_NOFOLLOW | O_DIRECTORY)} per component. The last component
   * is never followed either ({@code AT_SYMLINK_NOFOLLOW}, or calls that do not follow it).
   * So a directory that another program replaces by a symlink to elsewhere, even between the
   * server's checks and the call, makes the call fail instead of acting outside the root.
   *
   * <p>Paths are given whole, below the root (the root itself only to {@link #stat}).
   * Failures: a directory on the way that is a symlink or no directory is an {@link
   * ErrnoException} ELOOP (the handle's object is no longer where the export has it: STALE);
   * ENOENT, EACCES and EEXIST are the {@code java.nio} exceptions {@code NoSuchFileException},
   * {@code AccessDeniedException} and {@code FileAlreadyExistsException}; the rest are
   * {@link ErrnoException}s.
   *
   * <p>Thread-safe. {@link #close} releases the root's descriptor.
   */
  /** Tells whether ranges of one open file's data are in the page cache. Thread-safe. */
  interface PageCacheProbe extends AutoCloseable {
    /**
     * @return whether every page of the range is in memory now, so that reading it waits for
     *     no disk; false when that cannot be told (the range reaches past the end of the file,
     *     the probe is closed, the call failed)
     */
    boolean holds(long offset, long length);

    /** Closes the file; {@link #holds} answers false from then on. */
    @Override
    void close();
  }

  interface Confined extends java.io.Closeable {
    /** Reads an object's status ({@code statx} relative to its directory). */
    Stat stat(Path path) throws IOException;

    /**
     * Reads the status of names of one directory, reached once, as {@link NativeFiles#statAll}
     * does.
     *
     * @return one per name, in the same order; null for a name that no longer exists
     */
    Stat[] statAll(Path directory, List<String> names) throws IOException;

    /** As {@link NativeFiles#seek}, the file opened relative to its directory. */
    long seek(Path file, long offset, boolean data) throws IOException;

    /**
     * Opens a regular file (read-only, relative to its directory) to ask later which of its
     * data is in memory ({@code cachestat}, Linux 6.5 and later); the caller closes it.
     *
     * @return the probe, or null where the kernel has no {@code cachestat} or refuses it
     */
    PageCacheProbe probePageCache(Path file) throws IOException;

    /** As {@link NativeFiles#allocate}, the file opened relative to its directory. */
    void allocate(Path file, long offset, long length) throws IOException;

    /** As {@link NativeFiles#punchHole}, the file opened relative to its directory. */
    void punchHole(Path file, long offset, long length) throws IOException;

    /** As {@link NativeFiles#cloneRange}, both files opened relative to their directories. */
    void cloneRange(Path source, long sourceOffset, Path destination, long destinationOffset, long length)
        throws IOException;

    /** Makes a directory ({@code mkdirat}); the process's umask applies to {@code mode}. */
    void makeDirectory(Path path, int mode) throws IOException;

    /**
     * Removes a name ({@code unlinkat}, with {@code AT_REMOVEDIR} for a directory).
     *
     * @param directory whether the name is a directory
     * @throws java.nio.file.DirectoryNotEmptyException when that directory has entries
     */
    void remove(Path path, boolean directory) throws IOException;

    /** Makes a symlink holding {@code target} verbatim ({@code symlinkat}). */
    void makeSymlink(Path path, String target) throws IOException;

    /**
     * Reads a symlink's content ({@code readlinkat}), decoded as UTF-8.
     *
     * @throws ErrnoException EINVAL when it is not a symlink
     */
    String readLink(Path path) throws IOException;

    /** Makes {@code path} another name of {@code existing}, not following it ({@code linkat}, no flags). */
    void makeLink(Path existing, Path path) throws IOException;

    /** @return whether {@link #makeNode} can be called (the C library has {@code mknodat}) */
    boolean makesNodes();

    /**
     * Makes a FIFO, socket or device node ({@code mknodat}); the process's umask applies to
     * the permission bits.
     *
     * @param mode the type bits ({@code S_IFIFO}, {@code S_IFSOCK}, {@code S_IFBLK}, {@code
     *     S_IFCHR}) and permission bits
     * @param device the device number as {@link NativeFiles#deviceNumber} builds it; 0 for
     *     other nodes
     * @throws ErrnoException EPERM when the process may not make devices, and the other
     *     errors of mknod(2)
     */
    void makeNode(Path path, int mode, long device) throws IOException;

    /**
     * Sets the permission bits ({@code fchmodat} with {@code AT_SYMLINK_NOFOLLOW}).
     *
     * @throws ErrnoException EOPNOTSUPP when the object is a symlink
     */
    void changeMode(Path path, int mode) throws IOException;

    /** Sets owner and group, -1 leaving one as it is ({@code fchownat}, {@code AT_SYMLINK_NOFOLLOW}). */
    void changeOwner(Path path, int uid, int gid) throws IOException;

    /**
     * Sets access and modification times, null leaving one as it is ({@code utimensat} with
     * {@code AT_SYMLINK_NOFOLLOW}: a FIFO is not opened).
     */
    void changeTimes(Path path, Instant atime, Instant mtime) throws IOException;

    /**
     * Opens a watch on changes to directories below the root ({@code inotify_init1} with
     * {@code IN_NONBLOCK | IN_CLOEXEC}), to be closed by the caller.
     *
     * @throws ErrnoException EMFILE when the user's inotify instances are used up
     */
    ChangeWatch watchChanges() throws IOException;

    @Override
    void close() throws IOException;
  }

  /**
   * Linux {@code inotify} on directories below a root: tells which names of a watched
   * directory saw a change to their object or to the name itself, so that attributes read
   * before can be trusted until then. The kernel queues an event inside the system call that
   * makes the change, after the change, so a {@link #drain} begun after a change completed
   * reports it. What it cannot report: writes through a shared memory mapping (they update the
   * modification time with no event), changes to an object's link count made through another
   * directory (the event goes to the object's own watchers only), and changes made by other
   * hosts to a network file system. Reads are not watched: the access times they move are
   * not reported.
   *
   * <p>Thread-safe. {@link #close} releases the inotify descriptor and all its watches.
   */
  interface ChangeWatch extends java.io.Closeable {
    /**
     * A directory being watched.
     *
     * @param descriptor the watch descriptor the events carry
     * @param device the directory's st_dev, laid out as {@link #deviceNumber} does
     * @param inode the directory's st_ino
     */
    record Watched(int descriptor, long device, long inode) {}

    /**
     * Watches a directory ({@code inotify_add_watch} on the directory reached as {@link
     * Confined} reaches one, never following a symlink) for changes to its entries' data and
     * attributes ({@code IN_ATTRIB}, {@code IN_MODIFY}, {@code IN_CLOSE_WRITE}; not reads,
     * {@code IN_ACCESS}, which would queue an event per read), to its names ({@code IN_CREATE}, {@code IN_DELETE}, {@code IN_MOVED_FROM},
     * {@code IN_MOVED_TO}) and to itself ({@code IN_DELETE_SELF}, {@code IN_MOVE_SELF}); names
     * already unlinked report nothing ({@code IN_EXCL_UNLINK}). Watching a directory again
     * gives the same descriptor.
     *
     * @param directory the root or a directory below it
     * @throws ErrnoException ENOSPC when the user's watches are used up, ELOOP as {@link
     *     Confined} says, and the other errors of inotify_add_watch(2)
     */
    Watched watch(Path directory) throws IOException;

    /** Stops watching ({@code inotify_rm_watch}); a descriptor no longer watched is ignored. */
    void unwatch(int descriptor) throws IOException;

    /**
     * Reads every event queued so far without blocking, and reports each to {@code changes} in
     * the order the kernel queued them.
     */
    void drain(Changes changes) throws IOException;

    /** Where {@link #drain} reports events. */
    interface Changes {
      /**
       * A name of a watched directory saw a change: its object's data or attributes changed, or
       * the name was made, removed or renamed.
       *
       * @param made whether the name was made ({@code IN_CREATE}): perhaps a new link to an
       *     object another name of the directory has, whose link count then changed too
       */
      void entry(int descriptor, String name, boolean made);

      /**
       * The watched directory's own data or attributes changed (its access time after a
       * listing, say, or its mode).
       */
      void itself(int descriptor);

      /** The watched directory was removed, moved or unmounted, or its watch ended. */
      void directory(int descriptor);

      /** The kernel's queue overflowed ({@code IN_Q_OVERFLOW}): events were lost. */
      void overflow();
    }
  }

  /** @return the {@code dev_t} of a major and minor number, laid out as glibc's makedev does */
  static long deviceNumber(int major, int minor) {
    long ma = Integer.toUnsignedLong(major);
    long mi = Integer.toUnsignedLong(minor);
    return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
  }

  /** @return the major number of a {@code dev_t} (glibc's major) */
  static int major(long device) {
    return (int) (((device >>> 32) & 0xfffff000L) | ((device >>> 8) & 0xfffL));
  }

  /** @return the minor number of a {@code dev_t} (glibc's minor) */
  static int minor(long device) {
    return (int) (((device >>> 12) & 0xffffff00L) | (device & 0xffL));
  }

  /**
   * Finds the native calls for a provider.
   *
   * @return them, or empty where they cannot serve (see the type's comment)
   */
  static Optional<NativeFiles> of(FileSystem fileSystem) {
    if (fileSystem != FileSystems.getDefault()
        || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
        || Runtime.version().feature() < 22) {
      return Optional.empty();
    }
    try {
      Class<?> type = Class.forName(IMPLEMENTATION);
      return Optional.of((NativeFiles) type.getDeclaredConstructor().newInstance());
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      // not in this jar's view (class path without the JDK 22 classes), another architecture,
      // or native access denied
      LoggerFactory.getLogger(NativeFiles.class)
          .info("native file calls unavailable, SEEK/ALLOCATE/DEALLOCATE/CLONE and socket and device nodes are off: {}", e.toString());
      return Optional.empty();
    }
  }
}
