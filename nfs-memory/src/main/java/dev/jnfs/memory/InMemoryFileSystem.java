package dev.jnfs.memory;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.FsProperties;
import dev.jnfs.spi.FsStat;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.OpenContext;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.WriteResult;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A file system held in memory: the backend an embedded server uses when nothing else is
 * configured, and a reference implementation of the {@link NfsFileSystem} contract.
 *
 * <p>It has regular files, directories, symbolic links, hard links and special files (FIFOs,
 * sockets, devices). File data is sparse: it is kept in chunks of 64 KiB that exist only where
 * data was written or space allocated, so a hole costs nothing and {@code used} counts only
 * allocated chunks. SEEK finds data and holes by chunk, DEALLOCATE drops the chunks a range
 * covers whole, COPY keeps the source's holes, and CLONE shares chunks copy-on-write: a clone
 * costs no capacity until one of the files writes into a shared chunk. Objects carry extended
 * attributes (up to 64 KiB a value), which count against the capacity too. The
 * whole file system is bounded by a capacity in bytes of data and a number of objects, beyond
 * which writes and creates fail with NOSPC. Nothing survives the JVM: writes answer {@link
 * Stability#FILE_SYNC} because memory is the only storage there is.
 *
 * <p>Permissions are checked as POSIX does (owner, group, other; the superuser passes all but
 * the execute check of a file without execute bits; the sticky bit restricts removal; a
 * directory with the set-group-id bit passes its group to new entries). Times are kept to the
 * nanosecond and every ctime is distinct, so a guarded SETATTR works reliably. Access times
 * follow "relatime": a read updates atime only when it is older than the last change or a day
 * old.
 *
 * <p>Thread-safe: each object has its own read-write lock, objects are found through a
 * concurrent map, and operations touching several objects lock them in fileid order. Reads and
 * GETATTRs only take shared locks (attributes unchanged since they were last read need none),
 * and no method blocks on anything but these locks, so {@link #isNonBlocking()} is true.
 *
 * <p>The root directory belongs to uid 0 and gid 0 with mode {@code 01777} (like {@code /tmp})
 * unless the builder says otherwise, so that squashed and ordinary clients can create entries
 * out of the box while not removing each other's.
 *
 * <pre>{@code
 * NfsFileSystem fs = InMemoryFileSystem.builder().capacityBytes(1L << 30).maxFiles(100_000).build();
 * }</pre>
 */
public final class InMemoryFileSystem implements NfsFileSystem {
  /** The largest file size: offsets beyond it answer FBIG. */
  public static final long MAX_FILE_SIZE = Long.MAX_VALUE - FileContent.CHUNK_SIZE;

  /** The most hard links one object may have. */
  public static final int MAX_LINKS = 65_535;

  private static final long ROOT_FILEID = 1;
  private static final Duration ATIME_REFRESH = Duration.ofDays(1);
  private static final FsProperties PROPERTIES =
      new FsProperties(
          MAX_FILE_SIZE, Names.MAX_LENGTH, MAX_LINKS, Duration.ofNanos(1), false, true, true);
  private static final Set<Capability> CAPABILITIES =
      Set.copyOf(
          EnumSet.of(
              Capability.HARD_LINKS,
              Capability.SYMLINKS,
              Capability.SPECIAL_FILES,
              Capability.SPARSE_FILES,
              Capability.SEEK,
              Capability.ALLOCATE,
              Capability.DEALLOCATE,
              Capability.COPY,
              Capability.CLONE,
              Capability.XATTRS));

  private final ConcurrentHashMap<Long, Inode> inodes = new ConcurrentHashMap<>();
  private final AtomicLong nextFileid = new AtomicLong(ROOT_FILEID);
  private final HandleCodec handles;
  private final long fsid;
  private final long cookieVerifier;
  private final SpaceAccount space;
  private final MonotonicClock clock;
  private final Clock wallClock;
  private final Inode root;
  private final FileHandle rootHandle;
  /** Held by renames between two directories, so that parent pointers stay put. */
  private final ReentrantLock crossDirectoryRename = new ReentrantLock();

  /** Makes a file system with the defaults of {@link #builder()}. */
  public InMemoryFileSystem() {
    this(builder());
  }

  private InMemoryFileSystem(Builder builder) {
    SecureRandom random = new SecureRandom();
    long generation = random.nextLong();
    this.handles = new HandleCodec(generation);
    this.fsid = builder.fsid != null ? builder.fsid : generation & Long.MAX_VALUE;
    this.cookieVerifier = (generation >>> 1) | 1;
    this.space = new SpaceAccount(builder.capacityBytes, builder.maxFiles);
    this.wallClock = builder.clock;
    this.clock = new MonotonicClock(builder.clock);
    Instant now = clock.now();
    long fileid = nextFileid.getAndIncrement();
    this.root =
        new Inode(
            handles.encode(fileid),
            fileid,
            FileType.DIRECTORY,
            builder.rootMode,
            builder.rootUid,
            builder.rootGid,
            now,
            DeviceNumber.NONE,
            null,
            null);
    root.parent = root;
    inodes.put(fileid, root);
    space.forceReserveFile();
    this.rootHandle = root.handle;
  }

  /** @return a builder for a configured file system */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings of an {@link InMemoryFileSystem}; each has a default. */
  public static final class Builder {
    private long capacityBytes = Runtime.getRuntime().maxMemory() / 2;
    private long maxFiles = 1_000_000;
    private int rootMode = 01777;
    private int rootUid = 0;
    private int rootGid = 0;
    private Long fsid;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * @param bytes the most bytes of file data held; default half the JVM's maximum heap
     * @return this builder
     */
    public Builder capacityBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("capacity must not be negative: " + bytes);
      }
      this.capacityBytes = bytes;
      return this;
    }

    /**
     * @param files the most objects (the root included); default 1,000,000
     * @return this builder
     */
    public Builder maxFiles(long files) {
      if (files < 1) {
        throw new IllegalArgumentException("at least the root must fit: " + files);
      }
      this.maxFiles = files;
      return this;
    }

    /**
     * @param mode the root directory's permission bits; default {@code 01777}
     * @return this builder
     */
    public Builder rootMode(int mode) {
      this.rootMode = mode & 07777;
      return this;
    }

    /**
     * @param uid the root directory's owner; default 0
     * @param gid the root directory's group; default 0
     * @return this builder
     */
    public Builder rootOwner(int uid, int gid) {
      this.rootUid = uid;
      this.rootGid = gid;
      return this;
    }

    /**
     * @param fsid the file-system id reported in attributes; default a random number
     * @return this builder
     */
    public Builder fsid(long fsid) {
      this.fsid = fsid;
      return this;
    }

    /**
     * @param clock the source of timestamps; default the system clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = java.util.Objects.requireNonNull(clock);
      return this;
    }

    /** @return a new, empty file system with these settings */
    public InMemoryFileSystem build() {
      return new InMemoryFileSystem(this);
    }
  }

  // ---------------------------------------------------------------------------------------
  // properties

  @Override
  public FileHandle root() {
    return rootHandle;
  }

  @Override
  public FsProperties properties() {
    return PROPERTIES;
  }

  /** @return true: no method waits for anything but short in-memory locks */
  @Override
  public boolean isNonBlocking() {
    return true;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  // ---------------------------------------------------------------------------------------
  // attributes

  @Override
  public FileAttributes getattr(Caller caller, FileHandle handle) throws NfsException {
    return resolve(handle).readLiveAttributes(fsid);
  }

  @Override
  public FileAttributes setattr(
      Caller caller, FileHandle handle, SetAttributes changes, Instant guardCtime)
      throws NfsException {
    Inode inode = resolve(handle);
    inode.lock.writeLock().lock();
    try {
      inode.checkAlive();
      if (guardCtime != null && !guardCtime.equals(inode.ctime)) {
        throw new NfsException(NfsStatus.NOT_SYNC, "ctime guard " + guardCtime + " != " + inode.ctime);
      }
      AttributeRules.check(caller, inode, changes);
      AttributeRules.apply(caller, inode, changes, clock.now(), space);
      return inode.attributes(fsid);
    } finally {
      inode.lock.writeLock().unlock();
    }
  }

  @Override
  public int access(Caller caller, FileHandle handle, int requested) throws NfsException {
    Inode inode = resolve(handle);
    inode.lock.readLock().lock();
    try {
      inode.checkAlive();
      return Permissions.access(caller, inode, requested);
    } finally {
      inode.lock.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------------------------------
  // names

  @Override
  public FileEntry lookup(Caller caller, FileHandle directory, String name) throws NfsException {
    Inode dir = resolveDirectory(directory);
    Names.checkLength(name);
    Inode child;
    FileAttributes dirAttributes;
    dir.lock.readLock().lock();
    try {
      dir.checkAlive();
      Permissions.require(caller, dir, Permissions.EXECUTE);
      dirAttributes = dir.attributes(fsid);
      child = switch (name) {
        case "." -> dir;
        case ".." -> dir.parent;
        default -> dir.entries.get(name);
      };
    } finally {
      dir.lock.readLock().unlock();
    }
    if (child == null) {
      throw new NfsException(NfsStatus.NOENT, name);
    }
    FileAttributes attributes = child.readAttributes(fsid);
    return new FileEntry(child.handle, attributes, dirAttributes);
  }

  @Override
  public String readlink(Caller caller, FileHandle handle) throws NfsException {
    Inode inode = resolve(handle);
    if (inode.type != FileType.SYMLINK) {
      throw new NfsException(NfsStatus.INVAL, "not a symlink: " + inode.type);
    }
    inode.lock.readLock().lock();
    try {
      inode.checkAlive();
      return inode.target;
    } finally {
      inode.lock.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------------------------------
  // data

  @Override
  public ReadResult read(Caller caller, FileHandle handle, long offset, ByteBuffer destination)
      throws NfsException {
    Inode inode = resolveRegular(handle);
    if (offset < 0) {
      throw new NfsException(NfsStatus.INVAL, "negative offset " + offset);
    }
    inode.lock.readLock().lock();
    try {
      inode.checkAlive();
      if (!Permissions.mayReadData(caller, inode)) {
        throw new NfsException(NfsStatus.ACCES, caller + " may not read " + inode.fileid);
      }
      int count = inode.content.read(offset, destination);
      boolean eof = offset + count >= inode.content.size();
      touchAtime(inode);
      return new ReadResult(count, eof, inode.attributes(fsid));
    } finally {
      inode.lock.readLock().unlock();
    }
  }

  /** Relatime: refresh atime when it predates the last change or is a day old. */
  private void touchAtime(Inode inode) {
    Instant atime = inode.atime;
    if (atime.compareTo(inode.ctime) <= 0
        || atime.plus(ATIME_REFRESH).isBefore(wallClock.instant())) {
      inode.atime = clock.now();
    }
  }

  @Override
  public WriteResult write(
      Caller caller, FileHandle handle, long offset, ByteBuffer data, Stability stability)
      throws NfsException {
    Inode inode = resolveRegular(handle);
    int count = data.remaining();
    if (offset < 0) {
      throw new NfsException(NfsStatus.INVAL, "negative offset " + offset);
    }
    if (offset > MAX_FILE_SIZE - count) {
      throw new NfsException(NfsStatus.FBIG, "write beyond " + MAX_FILE_SIZE);
    }
    inode.lock.writeLock().lock();
    try {
      inode.checkAlive();
      if (!Permissions.mayWriteData(caller, inode)) {
        throw new NfsException(NfsStatus.ACCES, caller + " may not write " + inode.fileid);
      }
      FileAttributes before = inode.attributes(fsid);
      inode.content.write(offset, data, space);
      if (!caller.isRoot()) {
        AttributeRules.clearSetIds(inode);
      }
      inode.modified(clock.now());
      return new WriteResult(count, Stability.FILE_SYNC, before);
    } finally {
      inode.lock.writeLock().unlock();
    }
  }

  /** Nothing to do: every write is already as durable as memory gets. */
  @Override
  public void commit(Caller caller, FileHandle handle, long offset, long count)
      throws NfsException {
    Inode inode = resolve(handle);
    inode.lock.readLock().lock();
    try {
      inode.checkAlive();
    } finally {
      inode.lock.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------------------------------
  // making entries

  @Override
  public FileEntry create(
      Caller caller,
      FileHandle directory,
      String name,
      CreateMode mode,
      SetAttributes attributes,
      long verifier)
      throws NfsException {
    Inode dir = resolveDirectory(directory);
    Names.checkNewOrRemoved(name);
    AttributeRules.checkInitial(caller, attributes);
    Inode existing;
    dir.lock.writeLock().lock();
    try {
      dir.checkAlive();
      requireModifiable(caller, dir);
      existing = dir.entries.get(name);
      if (existing == null) {
        Long exclusive = mode == CreateMode.EXCLUSIVE ? verifier : null;
        return insert(
            caller, dir, name, FileType.REGULAR, attributes, 0644, DeviceNumber.NONE, null, exclusive);
      }
    } finally {
      dir.lock.writeLock().unlock();
    }
    return reuseExisting(caller, existing, name, mode, attributes, verifier);
  }

  /** CREATE of a name that exists: EXCLUSIVE replay or UNCHECKED open, else EXIST. */
  private FileEntry reuseExisting(
      Caller caller,
      Inode existing,
      String name,
      CreateMode mode,
      SetAttributes attributes,
      long verifier)
      throws NfsException {
    switch (mode) {
      case GUARDED -> throw new NfsException(NfsStatus.EXIST, name);
      case EXCLUSIVE -> {
        if (existing.exclusiveVerifier == null || existing.exclusiveVerifier != verifier) {
          throw new NfsException(NfsStatus.EXIST, name + " exists, verifier differs");
        }
        return new FileEntry(existing.handle, existing.readAttributes(fsid));
      }
      case UNCHECKED -> {
        if (existing.isDirectory()) {
          throw new NfsException(NfsStatus.ISDIR, name);
        }
        if (existing.type != FileType.REGULAR) {
          throw new NfsException(NfsStatus.EXIST, name + " is a " + existing.type);
        }
        FileHandle handle = existing.handle;
        // Like knfsd, an UNCHECKED create of an existing file applies only the size.
        FileAttributes after =
            attributes.size() == null
                ? existing.readAttributes(fsid)
                : setattr(caller, handle, SetAttributes.size(attributes.size()), null);
        return new FileEntry(handle, after);
      }
    }
    throw new AssertionError(mode);
  }

  @Override
  public FileEntry mkdir(Caller caller, FileHandle directory, String name, SetAttributes attributes)
      throws NfsException {
    return make(caller, directory, name, FileType.DIRECTORY, attributes, 0755, DeviceNumber.NONE, null);
  }

  @Override
  public FileEntry symlink(
      Caller caller, FileHandle directory, String name, String target, SetAttributes attributes)
      throws NfsException {
    return make(caller, directory, name, FileType.SYMLINK, attributes, 0777, DeviceNumber.NONE, target);
  }

  @Override
  public FileEntry mknod(
      Caller caller,
      FileHandle directory,
      String name,
      FileType type,
      SetAttributes attributes,
      DeviceNumber device)
      throws NfsException {
    boolean isDevice = type == FileType.BLOCK_DEVICE || type == FileType.CHAR_DEVICE;
    if (!isDevice && type != FileType.FIFO && type != FileType.SOCKET) {
      throw new NfsException(NfsStatus.BADTYPE, "mknod of a " + type);
    }
    if (isDevice && !caller.isRoot()) {
      throw new NfsException(NfsStatus.PERM, "only the superuser makes devices");
    }
    DeviceNumber rdev = isDevice && device != null ? device : DeviceNumber.NONE;
    return make(caller, directory, name, type, attributes, 0644, rdev, null);
  }

  /** MKDIR, SYMLINK and MKNOD: a new name that must not exist. */
  private FileEntry make(
      Caller caller,
      FileHandle directory,
      String name,
      FileType type,
      SetAttributes attributes,
      int defaultMode,
      DeviceNumber rdev,
      String target)
      throws NfsException {
    Inode dir = resolveDirectory(directory);
    Names.checkNewOrRemoved(name);
    AttributeRules.checkInitial(caller, attributes);
    dir.lock.writeLock().lock();
    try {
      dir.checkAlive();
      requireModifiable(caller, dir);
      if (dir.entries.get(name) != null) {
        throw new NfsException(NfsStatus.EXIST, name);
      }
      return insert(caller, dir, name, type, attributes, defaultMode, rdev, target, null);
    } finally {
      dir.lock.writeLock().unlock();
    }
  }

  /**
   * Makes a new object and enters it under {@code name}; the directory's write lock is held and
   * the name is free. The new object is unreachable until the lock is released, so it is
   * initialised without its own lock.
   */
  private FileEntry insert(
      Caller caller,
      Inode dir,
      String name,
      FileType type,
      SetAttributes attributes,
      int defaultMode,
      DeviceNumber rdev,
      String target,
      Long exclusiveVerifier)
      throws NfsException {
    if (attributes.size() != null && attributes.size() > MAX_FILE_SIZE) {
      throw new NfsException(NfsStatus.FBIG, "size " + attributes.size());
    }
    space.reserveFile();
    Instant now = clock.now();
    boolean inheritGroup = (dir.mode & Permissions.SET_GID) != 0;
    int mode = attributes.mode() != null ? attributes.mode() & 07777 : defaultMode;
    int gid = attributes.gid() != null ? attributes.gid() : inheritGroup ? dir.gid : caller.gid();
    if (type == FileType.DIRECTORY && inheritGroup) {
      mode |= Permissions.SET_GID;
    } else if (!caller.isRoot() && !caller.inGroup(gid)) {
      mode &= ~Permissions.SET_GID;
    }
    int uid = attributes.uid() != null ? attributes.uid() : caller.uid();
    long fileid = nextFileid.getAndIncrement();
    Inode inode =
        new Inode(
            handles.encode(fileid), fileid, type, mode, uid, gid, now, rdev, target, exclusiveVerifier);
    if (type == FileType.REGULAR && attributes.size() != null) {
      inode.content.truncate(attributes.size(), space);
    }
    inode.atime = AttributeRules.timeOf(attributes.atime(), now, now);
    inode.mtime = AttributeRules.timeOf(attributes.mtime(), now, now);
    if (type == FileType.DIRECTORY) {
      inode.parent = dir;
      dir.nlink++;
    }
    inodes.put(inode.fileid, inode);
    dir.entries.add(name, inode);
    dir.modified(now);
    return new FileEntry(inode.handle, inode.attributes(fsid));
  }

  @Override
  public FileAttributes link(Caller caller, FileHandle file, FileHandle directory, String name)
      throws NfsException {
    Inode inode = resolve(file);
    Inode dir = resolveDirectory(directory);
    if (inode.isDirectory()) {
      throw new NfsException(NfsStatus.ISDIR, "hard link to a directory");
    }
    Names.checkNewOrRemoved(name);
    try (InodeLocks locks = InodeLocks.writeLock(dir, inode)) {
      dir.checkAlive();
      inode.checkAlive();
      requireModifiable(caller, dir);
      if (dir.entries.get(name) != null) {
        throw new NfsException(NfsStatus.EXIST, name);
      }
      if (inode.nlink == 0) {
        throw new NfsException(NfsStatus.STALE, "object " + inode.fileid + " was removed");
      }
      if (inode.nlink >= MAX_LINKS) {
        throw new NfsException(NfsStatus.MLINK, "object " + inode.fileid + " has " + inode.nlink);
      }
      Instant now = clock.now();
      dir.entries.add(name, inode);
      dir.modified(now);
      inode.nlink++;
      inode.changed(now);
      return inode.attributes(fsid);
    }
  }

  // ---------------------------------------------------------------------------------------
  // removing and renaming

  @Override
  public void remove(Caller caller, FileHandle directory, String name) throws NfsException {
    unlink(caller, directory, name, false);
  }

  @Override
  public void rmdir(Caller caller, FileHandle directory, String name) throws NfsException {
    unlink(caller, directory, name, true);
  }

  private void unlink(Caller caller, FileHandle directory, String name, boolean wantDirectory)
      throws NfsException {
    Inode dir = resolveDirectory(directory);
    Names.checkNewOrRemoved(name);
    while (true) {
      Inode child = peek(caller, dir, name);
      if (child == null) {
        throw new NfsException(NfsStatus.NOENT, name);
      }
      if (wantDirectory && !child.isDirectory()) {
        throw new NfsException(NfsStatus.NOTDIR, name);
      }
      if (!wantDirectory && child.isDirectory()) {
        throw new NfsException(NfsStatus.ISDIR, name);
      }
      try (InodeLocks locks = InodeLocks.writeLock(dir, child)) {
        dir.checkAlive();
        if (dir.entries.get(name) != child) {
          continue; // the name changed between looking and locking
        }
        requireModifiable(caller, dir);
        Permissions.requireStickyOwnership(caller, dir, child);
        if (wantDirectory && !child.entries.isEmpty()) {
          throw new NfsException(NfsStatus.NOTEMPTY, name);
        }
        Instant now = clock.now();
        dir.entries.remove(name);
        dir.modified(now);
        dropLink(dir, child, now);
        return;
      }
    }
  }

  /**
   * Takes one name away from {@code child}, whose entry in {@code dir} was just removed; both
   * write locks are held. The object goes when its last name does (a file stays while open).
   */
  private void dropLink(Inode dir, Inode child, Instant now) {
    if (child.isDirectory()) {
      dir.nlink--;
      child.nlink = 0;
    } else {
      child.nlink--;
    }
    child.changed(now);
    if (child.nlink == 0 && (child.openCount == 0 || child.isDirectory())) {
      destroy(child);
    }
  }

  /** Frees an object that has no name and is not open; its write lock is held. */
  private void destroy(Inode inode) {
    inode.dead = true;
    inodes.remove(inode.fileid);
    if (inode.content != null) {
      inode.content.release(space);
    }
    if (inode.xattrs != null) {
      inode.xattrs.release(space);
    }
    space.releaseFile();
  }

  @Override
  public void rename(
      Caller caller, FileHandle fromDirectory, String fromName, FileHandle toDirectory, String toName)
      throws NfsException {
    Inode from = resolveDirectory(fromDirectory);
    Inode to = resolveDirectory(toDirectory);
    Names.checkNewOrRemoved(fromName);
    Names.checkNewOrRemoved(toName);
    boolean crossDirectory = from != to;
    if (crossDirectory) {
      crossDirectoryRename.lock();
    }
    try {
      renameLocked(caller, from, fromName, to, toName, crossDirectory);
    } finally {
      if (crossDirectory) {
        crossDirectoryRename.unlock();
      }
    }
  }

  private void renameLocked(
      Caller caller, Inode from, String fromName, Inode to, String toName, boolean crossDirectory)
      throws NfsException {
    while (true) {
      Inode source = peek(caller, from, fromName);
      if (source == null) {
        throw new NfsException(NfsStatus.NOENT, fromName);
      }
      Inode target = peek(caller, to, toName);
      if (source == target) {
        return; // POSIX: two names of one object, nothing to do
      }
      if (crossDirectory && source.isDirectory() && isSelfOrAncestor(source, to)) {
        throw new NfsException(NfsStatus.INVAL, "cannot move a directory into itself");
      }
      try (InodeLocks locks = InodeLocks.writeLock(from, to, source, target)) {
        from.checkAlive();
        to.checkAlive();
        if (from.entries.get(fromName) != source || to.entries.get(toName) != target) {
          continue; // the names changed between looking and locking
        }
        requireModifiable(caller, from);
        requireModifiable(caller, to);
        Permissions.requireStickyOwnership(caller, from, source);
        if (target != null) {
          Permissions.requireStickyOwnership(caller, to, target);
        }
        if (crossDirectory && source.isDirectory()) {
          Permissions.require(caller, source, Permissions.WRITE); // its ".." changes
        }
        if (target != null) {
          checkReplaceable(source, target, toName);
        }
        Instant now = clock.now();
        from.entries.remove(fromName);
        if (target != null) {
          to.entries.remove(toName);
          dropLink(to, target, now);
        }
        to.entries.add(toName, source);
        if (crossDirectory && source.isDirectory()) {
          from.nlink--;
          to.nlink++;
          source.parent = to;
        }
        source.changed(now);
        from.modified(now);
        to.modified(now);
        return;
      }
    }
  }

  private static void checkReplaceable(Inode source, Inode target, String toName)
      throws NfsException {
    if (source.isDirectory() && !target.isDirectory()) {
      throw new NfsException(NfsStatus.NOTDIR, toName + " is not a directory");
    }
    if (!source.isDirectory() && target.isDirectory()) {
      throw new NfsException(NfsStatus.ISDIR, toName + " is a directory");
    }
    if (target.isDirectory() && !target.entries.isEmpty()) {
      throw new NfsException(NfsStatus.NOTEMPTY, toName);
    }
  }

  /**
   * Whether {@code directory} is {@code ancestor} or lies below it. Parent pointers only change
   * under {@link #crossDirectoryRename}, which the caller holds.
   */
  private boolean isSelfOrAncestor(Inode ancestor, Inode directory) {
    for (Inode d = directory; ; d = d.parent) {
      if (d == ancestor) {
        return true;
      }
      if (d == root || d.parent == null) {
        return false;
      }
    }
  }

  /** Looks a name up under the directory's shared lock; needs search permission. */
  private static Inode peek(Caller caller, Inode dir, String name) throws NfsException {
    dir.lock.readLock().lock();
    try {
      dir.checkAlive();
      Permissions.require(caller, dir, Permissions.EXECUTE);
      return dir.entries.get(name);
    } finally {
      dir.lock.readLock().unlock();
    }
  }

  /** Adding or removing entries needs write and search permission on the directory. */
  private static void requireModifiable(Caller caller, Inode dir) throws NfsException {
    Permissions.require(caller, dir, Permissions.WRITE | Permissions.EXECUTE);
  }

  // ---------------------------------------------------------------------------------------
  // listing and figures

  /**
   * Lists entries after {@code cookie}. Cookies are per-directory insertion numbers, so they
   * survive any change; the verifier is constant and the one given is ignored. BAD_COOKIE only
   * for a cookie this directory never gave out.
   */
  @Override
  public DirectoryPage readdir(
      Caller caller,
      FileHandle directory,
      long cookie,
      long verifier,
      int maxEntries,
      boolean withAttributes)
      throws NfsException {
    Inode dir = resolveDirectory(directory);
    List<DirectoryContent.Entry> found = new ArrayList<>(Math.min(Math.max(maxEntries, 1), 1024));
    boolean eof;
    dir.lock.readLock().lock();
    try {
      dir.checkAlive();
      Permissions.require(caller, dir, Permissions.READ);
      if (!dir.entries.canResume(cookie)) {
        throw new NfsException(NfsStatus.BAD_COOKIE, "cookie " + cookie + " was never given out");
      }
      eof = dir.entries.list(cookie, Math.max(maxEntries, 1), found);
    } finally {
      dir.lock.readLock().unlock();
    }
    List<DirectoryEntry> page = new ArrayList<>(found.size());
    for (DirectoryContent.Entry e : found) {
      Inode child = e.inode();
      if (withAttributes) {
        page.add(
            new DirectoryEntry(
                e.name(), child.fileid, e.cookie(), child.handle, child.readAttributes(fsid)));
      } else {
        page.add(new DirectoryEntry(e.name(), child.fileid, e.cookie(), null, null));
      }
    }
    return new DirectoryPage(page, eof, cookieVerifier);
  }

  @Override
  public FsStat fsstat(Caller caller, FileHandle handle) throws NfsException {
    Inode inode = resolve(handle);
    inode.lock.readLock().lock();
    try {
      inode.checkAlive();
    } finally {
      inode.lock.readLock().unlock();
    }
    long freeBytes = Math.max(0, space.capacityBytes() - space.usedBytes());
    long freeFiles = Math.max(0, space.maxFiles() - space.files());
    return new FsStat(
        space.capacityBytes(), freeBytes, freeBytes, space.maxFiles(), freeFiles, freeFiles);
  }

  // ---------------------------------------------------------------------------------------
  // sparse files, server-side copy and clone

  /** Chunks present are data, chunks missing holes; the file ends in its virtual hole. */
  @Override
  public long seek(Caller caller, FileHandle handle, long offset, boolean data)
      throws NfsException {
    Inode inode = resolveRegular(handle);
    inode.lock.readLock().lock();
    try {
      inode.checkAlive();
      if (!Permissions.mayReadData(caller, inode)) {
        throw new NfsException(NfsStatus.ACCES, caller + " may not read " + inode.fileid);
      }
      if (offset < 0 || offset >= inode.content.size()) {
        throw new NfsException(NfsStatus.NXIO, "offset " + offset + " at or past the end");
      }
      return inode.content.seek(offset, data);
    } finally {
      inode.lock.readLock().unlock();
    }
  }

  /** Allocates whole chunks over the range (zeros where there was a hole). */
  @Override
  public FileAttributes allocate(Caller caller, FileHandle handle, long offset, long length)
      throws NfsException {
    Inode inode = writableRange(caller, handle, offset, length);
    try {
      if (length > space.capacityBytes()) {
        throw new NfsException(NfsStatus.NOSPC, "cannot allocate " + length + " bytes");
      }
      inode.content.allocate(offset, length, space);
      inode.modified(clock.now());
      return inode.attributes(fsid);
    } finally {
      inode.lock.writeLock().unlock();
    }
  }

  /** Drops the chunks the range covers whole and zeroes the rest of it. */
  @Override
  public FileAttributes deallocate(Caller caller, FileHandle handle, long offset, long length)
      throws NfsException {
    Inode inode = writableRange(caller, handle, offset, length);
    try {
      inode.content.deallocate(offset, length, space);
      inode.modified(clock.now());
      return inode.attributes(fsid);
    } finally {
      inode.lock.writeLock().unlock();
    }
  }

  /**
   * Resolves a regular file, checks a range and write permission, and returns it with its write
   * lock held.
   */
  private Inode writableRange(Caller caller, FileHandle handle, long offset, long length)
      throws NfsException {
    Inode inode = resolveRegular(handle);
    if (offset < 0 || length <= 0) {
      throw new NfsException(NfsStatus.INVAL, "range " + offset + "+" + length);
    }
    if (offset > MAX_FILE_SIZE - length) {
      throw new NfsException(NfsStatus.FBIG, "range beyond " + MAX_FILE_SIZE);
    }
    inode.lock.writeLock().lock();
    try {
      inode.checkAlive();
      if (!Permissions.mayWriteData(caller, inode)) {
        throw new NfsException(NfsStatus.ACCES, caller + " may not write " + inode.fileid);
      }
      return inode;
    } catch (NfsException | RuntimeException e) {
      inode.lock.writeLock().unlock();
      throw e;
    }
  }

  /** Copies the bytes, keeping the source's holes as holes; the source is not changed. */
  @Override
  public long copy(Caller caller, FileHandle source, long sourceOffset, FileHandle destination,
      long destinationOffset, long count, Stability stability) throws NfsException {
    Inode from = resolveRegular(source);
    Inode to = resolveRegular(destination);
    try (InodeLocks locks = InodeLocks.writeLock(from, to)) {
      long n = checkTransfer(caller, from, sourceOffset, to, destinationOffset, count);
      if (n > 0) {
        to.content.copyFrom(from.content, sourceOffset, destinationOffset, n, space);
        if (!caller.isRoot()) {
          AttributeRules.clearSetIds(to);
        }
        to.modified(clock.now());
      }
      return n;
    }
  }

  /**
   * Shares the source's chunks: both offsets must be multiples of 64 KiB, and so must the count
   * unless the range ends at the source's end (INVAL otherwise).
   */
  @Override
  public void clone(Caller caller, FileHandle source, long sourceOffset, FileHandle destination,
      long destinationOffset, long count) throws NfsException {
    Inode from = resolveRegular(source);
    Inode to = resolveRegular(destination);
    try (InodeLocks locks = InodeLocks.writeLock(from, to)) {
      long n = checkTransfer(caller, from, sourceOffset, to, destinationOffset, count);
      long mask = FileContent.CHUNK_SIZE - 1;
      if ((sourceOffset & mask) != 0 || (destinationOffset & mask) != 0
          || ((n & mask) != 0 && sourceOffset + n != from.content.size())) {
        throw new NfsException(NfsStatus.INVAL, "clone range not aligned to "
            + FileContent.CHUNK_SIZE + " bytes");
      }
      if (n > 0) {
        FileContent.cloneRange(from.content, sourceOffset, to.content, destinationOffset, n, space);
        to.modified(clock.now());
      }
    }
  }

  /**
   * The checks COPY and CLONE share, with both write locks held: permissions, the source range
   * within the source, no overlap within one file, the destination within the largest size.
   *
   * @return the bytes to transfer (a count of 0 resolved to the source's end)
   */
  private static long checkTransfer(Caller caller, Inode from, long sourceOffset, Inode to,
      long destinationOffset, long count) throws NfsException {
    from.checkAlive();
    to.checkAlive();
    if (!Permissions.mayReadData(caller, from)) {
      throw new NfsException(NfsStatus.ACCES, caller + " may not read " + from.fileid);
    }
    if (!Permissions.mayWriteData(caller, to)) {
      throw new NfsException(NfsStatus.ACCES, caller + " may not write " + to.fileid);
    }
    long size = from.content.size();
    if (sourceOffset < 0 || destinationOffset < 0 || count < 0 || sourceOffset > size) {
      throw new NfsException(NfsStatus.INVAL, "source offset " + sourceOffset + " past " + size);
    }
    long n = count == 0 ? size - sourceOffset : Math.min(count, size - sourceOffset);
    if (destinationOffset > MAX_FILE_SIZE - n) {
      throw new NfsException(NfsStatus.FBIG, "destination beyond " + MAX_FILE_SIZE);
    }
    if (from == to
        && sourceOffset < destinationOffset + n && destinationOffset < sourceOffset + n) {
      throw new NfsException(NfsStatus.INVAL, "overlapping ranges in one file");
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------
  // extended attributes

  /** Needs read permission on the object. */
  @Override
  public byte[] getxattr(Caller caller, FileHandle handle, String name) throws NfsException {
    Inode inode = resolve(handle);
    inode.lock.readLock().lock();
    try {
      inode.checkAlive();
      Permissions.require(caller, inode, Permissions.READ);
      if (inode.xattrs == null) {
        throw new NfsException(NfsStatus.NOXATTR, name);
      }
      return inode.xattrs.get(name);
    } finally {
      inode.lock.readLock().unlock();
    }
  }

  /** Needs write permission on the object (or to own it); values up to 64 KiB. */
  @Override
  public FileAttributes setxattr(Caller caller, FileHandle handle, String name, byte[] value,
      XattrMode mode) throws NfsException {
    Inode inode = resolve(handle);
    inode.lock.writeLock().lock();
    try {
      inode.checkAlive();
      requireXattrWrite(caller, inode);
      if (inode.xattrs == null) {
        inode.xattrs = new ExtendedAttributes();
      }
      inode.xattrs.set(name, value, mode, space);
      inode.changed(clock.now());
      return inode.attributes(fsid);
    } finally {
      inode.lock.writeLock().unlock();
    }
  }

  /** Needs read permission on the object; names in their sorted order. */
  @Override
  public List<String> listxattrs(Caller caller, FileHandle handle) throws NfsException {
    Inode inode = resolve(handle);
    inode.lock.readLock().lock();
    try {
      inode.checkAlive();
      Permissions.require(caller, inode, Permissions.READ);
      return inode.xattrs == null ? List.of() : inode.xattrs.names();
    } finally {
      inode.lock.readLock().unlock();
    }
  }

  /** Needs write permission on the object (or to own it). */
  @Override
  public FileAttributes removexattr(Caller caller, FileHandle handle, String name)
      throws NfsException {
    Inode inode = resolve(handle);
    inode.lock.writeLock().lock();
    try {
      inode.checkAlive();
      requireXattrWrite(caller, inode);
      if (inode.xattrs == null) {
        throw new NfsException(NfsStatus.NOXATTR, name);
      }
      inode.xattrs.remove(name, space);
      inode.changed(clock.now());
      return inode.attributes(fsid);
    } finally {
      inode.lock.writeLock().unlock();
    }
  }

  private static void requireXattrWrite(Caller caller, Inode inode) throws NfsException {
    if (!Permissions.isOwnerOrRoot(caller, inode)) {
      Permissions.require(caller, inode, Permissions.WRITE);
    }
  }

  // ---------------------------------------------------------------------------------------
  // open state

  /** Counts the open, so that a file removed while open lives until its last close. */
  @Override
  public void open(Caller caller, FileHandle handle, OpenContext open) throws NfsException {
    boolean write = open.writable();
    Inode inode = resolve(handle);
    inode.lock.writeLock().lock();
    try {
      inode.checkAlive();
      boolean allowed =
          write ? Permissions.mayWriteData(caller, inode) : Permissions.mayReadData(caller, inode);
      if (inode.type == FileType.REGULAR && !allowed) {
        throw new NfsException(NfsStatus.ACCES, caller + " may not open " + inode.fileid);
      }
      inode.openCount++;
    } finally {
      inode.lock.writeLock().unlock();
    }
  }

  @Override
  public void close(FileHandle handle, OpenContext open) {
    long fileid = handles.decode(handle);
    Inode inode = fileid < 0 ? null : inodes.get(fileid);
    if (inode == null) {
      return;
    }
    inode.lock.writeLock().lock();
    try {
      if (inode.dead || inode.openCount == 0) {
        return;
      }
      inode.openCount--;
      if (inode.openCount == 0 && inode.nlink == 0) {
        destroy(inode);
      }
    } finally {
      inode.lock.writeLock().unlock();
    }
  }

  // ---------------------------------------------------------------------------------------
  // handles

  private Inode resolve(FileHandle handle) throws NfsException {
    long fileid = handles.decode(handle);
    if (fileid < 0) {
      throw new NfsException(NfsStatus.BADHANDLE, "not a handle of this file system: " + handle);
    }
    Inode inode = inodes.get(fileid);
    if (inode == null) {
      if (fileid < nextFileid.get()) {
        throw new NfsException(NfsStatus.STALE, "object " + fileid + " no longer exists");
      }
      throw new NfsException(NfsStatus.BADHANDLE, "object " + fileid + " never existed");
    }
    return inode;
  }

  private Inode resolveDirectory(FileHandle handle) throws NfsException {
    Inode inode = resolve(handle);
    if (!inode.isDirectory()) {
      throw new NfsException(NfsStatus.NOTDIR, "object " + inode.fileid + " is a " + inode.type);
    }
    return inode;
  }

  private Inode resolveRegular(FileHandle handle) throws NfsException {
    Inode inode = resolve(handle);
    if (inode.isDirectory()) {
      throw new NfsException(NfsStatus.ISDIR, "object " + inode.fileid + " is a directory");
    }
    if (inode.type != FileType.REGULAR) {
      throw new NfsException(NfsStatus.INVAL, "object " + inode.fileid + " is a " + inode.type);
    }
    return inode;
  }
}
