package dev.jnfs.localfs;

import dev.jnfs.localfs.ObjectResolver.Resolved;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileRegionSource;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.FsProperties;
import dev.jnfs.spi.FsStat;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.TimeUpdate;
import dev.jnfs.spi.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link NfsFileSystem} over a directory of any {@code java.nio.file} provider: a local
 * disk on Linux, macOS or Windows, or an in-memory provider such as jimfs.
 *
 * <h2>Handles</h2>
 *
 * Every object gets a 64-bit id from a crash-safe index kept in the state directory (by
 * default the hidden folder {@code .jnfs} in the export's root, which LOOKUP and READDIR never
 * show). Handles (17 bytes) hold that id, so they stay valid across restarts and across
 * renames made through NFS. Each use checks that the object at the id's path is still the
 * same one (type, file key, birth time); an object deleted, or replaced by another program,
 * answers STALE, never another object's data. Ids are never reused.
 *
 * <h2>Confinement</h2>
 *
 * Names are single components checked by {@link NameRules}; ".." at the root is the root;
 * symlinks are never followed ({@code NOFOLLOW_LINKS} everywhere), so nothing outside the
 * root can be reached. Where Windows naming rules apply, names Windows cannot hold answer
 * {@link NfsStatus#BADNAME}.
 *
 * <h2>Attributes and permissions</h2>
 *
 * POSIX mode, uid, gid and nlink come from the "unix" view where there is one; elsewhere see
 * {@link AttributeAccess} for the mapping (configurable default owner and modes, DOS
 * read-only flag). Whatever the provider cannot store (an owner the unprivileged server
 * cannot set, a mode on a DOS-style provider) is kept in the index. Permission checks are
 * made here against the {@link Caller}, never left to the OS: the server may run as root.
 *
 * <h2>Data</h2>
 *
 * Reads and writes are positional on cached {@link FileChannel}s ({@link ChannelCache}).
 * UNSTABLE writes stay in the OS's buffers until COMMIT; DATA_SYNC and FILE_SYNC writes are
 * forced before returning. Writes past the end leave holes. {@link #readRegion} offers the
 * channel for zero-copy sends.
 *
 * <p>Thread-safe. Operations that change the namespace (create, remove, rename, link, setattr)
 * are serialized within one instance; reads, writes and lookups run concurrently. Call
 * {@link #close()} when done: it closes channels and writes the index.
 */
public final class LocalFileSystem implements NfsFileSystem, AutoCloseable {
  private static final int MAX_NAME_BYTES = 255;

  private final Path root;
  private final ProviderTraits traits;
  private final PersistentIdIndex index;
  private final AttributeAccess attributes;
  private final ObjectResolver resolver;
  private final HandleCodec handles;
  private final NameRules names;
  private final ChannelCache channels;
  private final String hiddenName;
  private final long fsid;
  private final FsProperties properties;
  private final Set<Capability> capabilities;
  private final Object namespaceLock = new Object();
  private final ConcurrentHashMap<Long, AtomicLong> changeCounters = new ConcurrentHashMap<>();
  private final ListingCache listings = new ListingCache();

  private LocalFileSystem(Builder b) throws IOException {
    this.root = b.root;
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("export root is not a directory: " + root);
    }
    Path state = b.stateDirectory != null ? b.stateDirectory : root.resolve(".jnfs");
    requireStateOutsideTheTree(root, state);
    Files.createDirectories(state);
    this.traits = ProviderTraits.probe(root, state, b.windowsNames);
    this.attributes = new AttributeAccess(traits, b.defaultUid, b.defaultGid, b.defaultFileMode, b.defaultDirectoryMode);
    Snapshot rootAttrs = attributes.read(root);
    Node rootNode = Node.fresh(PersistentIdIndex.ROOT_ID, PersistentIdIndex.ROOT_ID, "", FileType.DIRECTORY,
        rootAttrs.key(), rootAttrs.birth());
    this.index = PersistentIdIndex.open(state, traits::fold, rootNode);
    this.handles = new HandleCodec(index.instance());
    this.resolver = new ObjectResolver(root, index, attributes, traits, handles);
    this.names = new NameRules(MAX_NAME_BYTES, traits.windowsNames());
    this.channels = new ChannelCache(b.maxOpenChannels, b.channelIdleTime.toNanos(), System::nanoTime);
    Path stateParent = state.toAbsolutePath().normalize().getParent();
    this.hiddenName = stateParent != null && stateParent.equals(root.toAbsolutePath().normalize())
        ? traits.fold(state.getFileName().toString()) : null;
    this.fsid = index.instance() & Long.MAX_VALUE;
    this.properties = new FsProperties(Long.MAX_VALUE, MAX_NAME_BYTES, traits.hardLinks() ? 65_000 : 1,
        traits.windowsNames() ? Duration.ofNanos(100) : Duration.ofNanos(1), traits.caseInsensitive(), true, true);
    EnumSet<Capability> caps = EnumSet.noneOf(Capability.class);
    if (traits.hardLinks()) {
      caps.add(Capability.HARD_LINKS);
    }
    if (traits.symlinks()) {
      caps.add(Capability.SYMLINKS);
    }
    this.capabilities = Set.copyOf(caps);
  }

  /**
   * The state directory is either a direct child of the root (then hidden from clients) or
   * outside the exported tree, so clients can never reach the index.
   */
  private static void requireStateOutsideTheTree(Path root, Path state) throws IOException {
    if (!state.getFileSystem().equals(root.getFileSystem())) {
      return;
    }
    Path absoluteRoot = root.toAbsolutePath().normalize();
    Path absoluteState = state.toAbsolutePath().normalize();
    if (absoluteState.equals(absoluteRoot)) {
      throw new IOException("the state directory cannot be the export root");
    }
    if (absoluteState.startsWith(absoluteRoot) && !absoluteRoot.equals(absoluteState.getParent())) {
      throw new IOException("the state directory must be a direct child of the root or outside it: " + state);
    }
  }

  /**
   * Serves a directory with default settings: state in {@code root/.jnfs}, files without
   * POSIX attributes owned by uid/gid 0 with modes 0644 and 0755.
   *
   * @param root the export's root directory
   * @return the file system
   * @throws IOException if the root or the state directory cannot be used
   */
  public static LocalFileSystem of(Path root) throws IOException {
    return builder(root).build();
  }

  /**
   * @param root the export's root directory
   * @return a builder for a file system serving it
   */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** Settings of a {@link LocalFileSystem}. */
  public static final class Builder {
    private final Path root;
    private Path stateDirectory;
    private int defaultUid;
    private int defaultGid;
    private int defaultFileMode = 0644;
    private int defaultDirectoryMode = 0755;
    private Boolean windowsNames;
    private int maxOpenChannels = 256;
    private Duration channelIdleTime = Duration.ofSeconds(30);

    private Builder(Path root) {
      this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * @param directory where the id index lives; default {@code root/.jnfs} (hidden from
     *     clients). Elsewhere it must not be inside the export.
     * @return this builder
     */
    public Builder stateDirectory(Path directory) {
      this.stateDirectory = directory;
      return this;
    }

    /**
     * @param uid the owner reported for objects on providers without numeric owners
     * @return this builder
     */
    public Builder defaultUid(int uid) {
      this.defaultUid = uid;
      return this;
    }

    /**
     * @param gid the group reported for objects on providers without numeric groups
     * @return this builder
     */
    public Builder defaultGid(int gid) {
      this.defaultGid = gid;
      return this;
    }

    /**
     * @param mode the permission bits reported for files on providers without POSIX modes
     * @return this builder
     */
    public Builder defaultFileMode(int mode) {
      this.defaultFileMode = mode & 07777;
      return this;
    }

    /**
     * @param mode the permission bits reported for directories on providers without POSIX modes
     * @return this builder
     */
    public Builder defaultDirectoryMode(int mode) {
      this.defaultDirectoryMode = mode & 07777;
      return this;
    }

    /**
     * @param windows whether Windows naming rules apply; by default they do when the
     *     provider's separator is a backslash
     * @return this builder
     */
    public Builder windowsNames(boolean windows) {
      this.windowsNames = windows;
      return this;
    }

    /**
     * @param max how many file channels stay open at most (least recently used are closed)
     * @return this builder
     */
    public Builder maxOpenChannels(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("max must be positive");
      }
      this.maxOpenChannels = max;
      return this;
    }

    /**
     * @param idle how long an unused channel stays open
     * @return this builder
     */
    public Builder channelIdleTime(Duration idle) {
      this.channelIdleTime = Objects.requireNonNull(idle);
      return this;
    }

    /**
     * @return the file system
     * @throws IOException if the root or the state directory cannot be used
     */
    public LocalFileSystem build() throws IOException {
      return new LocalFileSystem(this);
    }
  }

  // ---------------------------------------------------------------- properties

  @Override
  public FileHandle root() {
    return handles.encode(PersistentIdIndex.ROOT_ID);
  }

  @Override
  public FsProperties properties() {
    return properties;
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  // ---------------------------------------------------------------- attributes

  @Override
  public FileAttributes getattr(Caller caller, FileHandle handle) throws NfsException {
    Resolved r = resolver.resolve(handle);
    return toNfs(r.id(), r.attrs());
  }

  @Override
  public FileAttributes setattr(Caller caller, FileHandle handle, SetAttributes changes, Instant guardCtime)
      throws NfsException {
    synchronized (namespaceLock) {
      Resolved r = resolver.resolve(handle);
      Snapshot s = r.attrs();
      if (guardCtime != null && !guardCtime.equals(s.ctime())) {
        throw new NfsException(NfsStatus.NOT_SYNC, "ctime guard does not match");
      }
      checkSetattr(caller, s, changes);
      applyAttributes(r, changes);
      return toNfs(r.id(), refresh(r.id()).attrs());
    }
  }

  private void checkSetattr(Caller caller, Snapshot s, SetAttributes c) throws NfsException {
    boolean owner = PermissionCheck.ownsOrRoot(caller, s);
    if (c.size() != null) {
      if (s.type() == FileType.DIRECTORY) {
        throw new NfsException(NfsStatus.ISDIR, "size of a directory");
      }
      if (s.type() != FileType.REGULAR) {
        throw new NfsException(NfsStatus.INVAL, "size of a " + s.type());
      }
      if (c.size() < 0) {
        throw new NfsException(NfsStatus.INVAL, "negative size");
      }
      PermissionCheck.require(caller, s, PermissionCheck.WRITE);
    }
    if (c.mode() != null && !owner) {
      throw new NfsException(NfsStatus.PERM, "only the owner may change the mode");
    }
    if (c.uid() != null && !caller.isRoot() && !(owner && c.uid() == s.uid())) {
      throw new NfsException(NfsStatus.PERM, "only the superuser may change the owner");
    }
    if (c.gid() != null && !caller.isRoot() && !(owner && (caller.inGroup(c.gid()) || c.gid() == s.gid()))) {
      throw new NfsException(NfsStatus.PERM, "may not change the group");
    }
    for (TimeUpdate t : List.of(c.atime(), c.mtime())) {
      if (t instanceof TimeUpdate.ClientTime && !owner) {
        throw new NfsException(NfsStatus.PERM, "only the owner may set times");
      }
      if (t instanceof TimeUpdate.ServerTime && !owner && !PermissionCheck.holds(caller, s, PermissionCheck.WRITE)) {
        throw new NfsException(NfsStatus.ACCES, "no write permission to touch");
      }
    }
  }

  /** Applies checked changes; called with the namespace lock held. */
  private void applyAttributes(Resolved r, SetAttributes c) throws NfsException {
    Node node = r.node();
    Path path = r.path();
    try {
      if (c.size() != null) {
        resize(r, c.size());
      }
      int mode = node.mode();
      int uid = node.uid();
      int gid = node.gid();
      boolean indexChanged = false;
      if (c.mode() != null) {
        int m = c.mode() & 07777;
        mode = attributes.writeMode(path, m, r.attrs().type()) ? -1 : m;
        indexChanged = true;
      }
      if (c.uid() != null || c.gid() != null) {
        if (attributes.writeOwner(path, c.uid(), c.gid())) {
          uid = c.uid() != null ? -1 : uid;
          gid = c.gid() != null ? -1 : gid;
        } else {
          uid = c.uid() != null ? c.uid() : uid;
          gid = c.gid() != null ? c.gid() : gid;
        }
        indexChanged = true;
      }
      Instant atime = timeOf(c.atime());
      Instant mtime = timeOf(c.mtime());
      if (atime != null || mtime != null) {
        attributes.writeTimes(path, atime, mtime);
      }
      boolean anything = !c.isEmpty();
      if (indexChanged || (anything && !traits.unixView())) {
        Node updated = node.withOwnership(mode, uid, gid,
            traits.unixView() ? node.metaCtime() : Times.toNanos(Instant.now()));
        index.update(updated, true);
        node = updated;
      }
      if (anything) {
        bumpChange(node.id());
      }
      // Setting an early mtime moves the birth time on some systems (macOS): follow it.
      Snapshot after = attributes.read(path);
      if (after.birth() != node.birth() && after.type() == node.type()
          && Objects.equals(after.key(), node.key())) {
        index.update(node.withIdentity(after.key(), after.birth()), false);
      }
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  private void resize(Resolved r, long size) throws IOException {
    try (ChannelCache.Lease lease = channels.acquire(r.id(), r.path(), true)) {
      FileChannel ch = lease.channel();
      long current = ch.size();
      if (size < current) {
        ch.truncate(size);
      } else if (size > current) {
        // One byte at the new end; everything between stays a hole.
        ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
      }
    }
  }

  private static Instant timeOf(TimeUpdate t) {
    if (t instanceof TimeUpdate.ClientTime ct) {
      return ct.time();
    }
    if (t instanceof TimeUpdate.ServerTime) {
      return Instant.now();
    }
    return null;
  }

  @Override
  public int access(Caller caller, FileHandle handle, int requested) throws NfsException {
    Resolved r = resolver.resolve(handle);
    return PermissionCheck.access(caller, r.attrs(), requested);
  }

  // ---------------------------------------------------------------- names

  @Override
  public FileEntry lookup(Caller caller, FileHandle directory, String name) throws NfsException {
    return resolver.withStablePaths(() -> lookupNow(caller, directory, name));
  }

  private FileEntry lookupNow(Caller caller, FileHandle directory, String name) throws NfsException {
    Resolved dir = directory(directory);
    PermissionCheck.require(caller, dir.attrs(), PermissionCheck.EXECUTE);
    if (".".equals(name)) {
      return entry(dir);
    }
    if ("..".equals(name)) {
      return entry(resolver.resolve(dir.node().parent()));
    }
    names.checkExisting(name);
    if (isHidden(dir, name)) {
      throw new NfsException(NfsStatus.NOENT, name);
    }
    Path path = resolver.child(dir.path(), name);
    Snapshot s = readExisting(path, name);
    Node node = resolver.bind(dir.id(), path, name, s, false);
    return new FileEntry(handles.encode(node.id()), toNfs(node.id(), s.withOverrides(node)));
  }

  @Override
  public String readlink(Caller caller, FileHandle handle) throws NfsException {
    Resolved r = resolver.resolve(handle);
    if (r.attrs().type() != FileType.SYMLINK) {
      throw new NfsException(NfsStatus.INVAL, "not a symlink");
    }
    if (r.node().linkTarget() != null) {
      return r.node().linkTarget();
    }
    try {
      String target = Files.readSymbolicLink(r.path()).toString();
      return traits.windowsNames() ? target.replace('\\', '/') : target;
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  // ---------------------------------------------------------------- data

  @Override
  public ReadResult read(Caller caller, FileHandle handle, long offset, ByteBuffer destination) throws NfsException {
    Resolved r = regularFile(handle);
    requireRead(caller, r.attrs());
    if (offset < 0) {
      throw new NfsException(NfsStatus.INVAL, "negative offset");
    }
    try (ChannelCache.Lease lease = channels.acquire(r.id(), r.path(), false)) {
      FileChannel ch = lease.channel();
      int count = 0;
      long position = offset;
      while (destination.hasRemaining()) {
        int n = ch.read(destination, position);
        if (n < 0) {
          break;
        }
        count += n;
        position += n;
      }
      return new ReadResult(count, position >= ch.size());
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  @Override
  public Optional<FileRegionSource> readRegion(Caller caller, FileHandle handle, long offset, int count)
      throws NfsException {
    Resolved r = regularFile(handle);
    requireRead(caller, r.attrs());
    if (offset < 0 || count < 0) {
      throw new NfsException(NfsStatus.INVAL, "negative offset or count");
    }
    ChannelCache.Lease lease;
    try {
      lease = channels.acquire(r.id(), r.path(), false);
    } catch (IOException e) {
      throw Errors.map(e);
    }
    try {
      long size = lease.channel().size();
      int n = (int) Math.max(0, Math.min(count, size - offset));
      return Optional.of(new ChannelRegion(lease, offset, n, offset + n >= size));
    } catch (IOException e) {
      lease.close();
      throw Errors.map(e);
    }
  }

  /** A cached channel's range, released when the server is done with it. */
  private record ChannelRegion(ChannelCache.Lease lease, long position, int count, boolean eof)
      implements FileRegionSource {
    @Override
    public FileChannel channel() {
      return lease.channel();
    }

    @Override
    public void close() {
      lease.close();
    }
  }

  @Override
  public WriteResult write(Caller caller, FileHandle handle, long offset, ByteBuffer data, Stability stability)
      throws NfsException {
    Resolved r = regularFile(handle);
    if (!PermissionCheck.ownsOrRoot(caller, r.attrs())) {
      PermissionCheck.require(caller, r.attrs(), PermissionCheck.WRITE);
    }
    if (offset < 0) {
      throw new NfsException(NfsStatus.INVAL, "negative offset");
    }
    if (offset > Long.MAX_VALUE - data.remaining()) {
      throw new NfsException(NfsStatus.FBIG, "write past the largest file size");
    }
    try (ChannelCache.Lease lease = channels.acquire(r.id(), r.path(), true)) {
      FileChannel ch = lease.channel();
      int count = 0;
      long position = offset;
      while (data.hasRemaining()) {
        int n = ch.write(data, position);
        count += n;
        position += n;
      }
      if (stability != Stability.UNSTABLE) {
        ch.force(stability == Stability.FILE_SYNC);
        index.sync();
      }
      bumpChange(r.id());
      return new WriteResult(count, stability);
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  @Override
  public void commit(Caller caller, FileHandle handle, long offset, long count) throws NfsException {
    Resolved r = regularFile(handle);
    try (ChannelCache.Lease lease = channels.acquire(r.id(), r.path(), false)) {
      lease.channel().force(true);
      index.sync();
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  @Override
  public void open(Caller caller, FileHandle handle, boolean write) throws NfsException {
    Resolved r = regularFile(handle);
    if (write) {
      if (!PermissionCheck.ownsOrRoot(caller, r.attrs())) {
        PermissionCheck.require(caller, r.attrs(), PermissionCheck.WRITE);
      }
    } else {
      requireRead(caller, r.attrs());
    }
    try {
      channels.pin(r.id(), r.path(), write);
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  @Override
  public void close(FileHandle handle) {
    try {
      channels.unpin(handles.decode(handle));
    } catch (NfsException e) {
      // not one of ours: nothing was opened
    }
  }

  // ---------------------------------------------------------------- making objects

  @Override
  public FileEntry create(Caller caller, FileHandle directory, String name, CreateMode mode,
      SetAttributes attributes, long verifier) throws NfsException {
    synchronized (namespaceLock) {
      return createLocked(caller, directory, name, mode, attributes, verifier);
    }
  }

  private FileEntry createLocked(Caller caller, FileHandle directory, String name, CreateMode mode,
      SetAttributes attributes, long verifier) throws NfsException {
    names.checkNew(name);
    Resolved dir = writableDirectory(caller, directory, name);
    Path path = resolver.child(dir.path(), name);
    SetAttributes attrs = attributes == null ? SetAttributes.NONE : attributes;
    if (mode != CreateMode.EXCLUSIVE) {
      checkInitialOwnership(caller, attrs);
    }
    synchronized (namespaceLock) {
      Snapshot existing = readIfExists(path);
      if (existing != null) {
        return createOverExisting(caller, dir, path, name, existing, mode, attrs, verifier);
      }
      try {
        Files.newByteChannel(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            StandardOpenOption.SPARSE, LinkOption.NOFOLLOW_LINKS)).close();
      } catch (IOException e) {
        throw Errors.map(e);
      }
      boolean exclusive = mode == CreateMode.EXCLUSIVE;
      Node node = made(caller, dir, path, name, FileType.REGULAR, exclusive ? SetAttributes.NONE : attrs, 0644,
          exclusive ? verifier : null);
      return entry(resolver.resolve(node.id()));
    }
  }

  private FileEntry createOverExisting(Caller caller, Resolved dir, Path path, String name, Snapshot existing,
      CreateMode mode, SetAttributes attrs, long verifier) throws NfsException {
    Node node = resolver.bind(dir.id(), path, name, existing, false);
    switch (mode) {
      case GUARDED -> throw new NfsException(NfsStatus.EXIST, name);
      case EXCLUSIVE -> {
        if (existing.type() == FileType.REGULAR && node.hasVerifier() && node.verifier() == verifier) {
          return entry(resolver.resolve(node.id())); // a retransmitted EXCLUSIVE create
        }
        throw new NfsException(NfsStatus.EXIST, name);
      }
      default -> {
        if (existing.type() == FileType.DIRECTORY) {
          throw new NfsException(NfsStatus.ISDIR, name);
        }
        if (existing.type() != FileType.REGULAR) {
          throw new NfsException(NfsStatus.EXIST, name);
        }
        Resolved r = resolver.resolve(node.id());
        if (attrs.size() != null) {
          SetAttributes size = SetAttributes.size(attrs.size());
          checkSetattr(caller, r.attrs(), size);
          applyAttributes(r, size);
        }
        return entry(resolver.resolve(node.id()));
      }
    }
  }

  @Override
  public FileEntry mkdir(Caller caller, FileHandle directory, String name, SetAttributes attributes)
      throws NfsException {
    synchronized (namespaceLock) {
      return mkdirLocked(caller, directory, name, attributes);
    }
  }

  private FileEntry mkdirLocked(Caller caller, FileHandle directory, String name, SetAttributes attributes)
      throws NfsException {
    names.checkNew(name);
    Resolved dir = writableDirectory(caller, directory, name);
    Path path = resolver.child(dir.path(), name);
    SetAttributes attrs = attributes == null ? SetAttributes.NONE : withoutSize(attributes);
    checkInitialOwnership(caller, attrs);
    synchronized (namespaceLock) {
      try {
        Files.createDirectory(path);
      } catch (IOException e) {
        throw Errors.map(e);
      }
      Node node = made(caller, dir, path, name, FileType.DIRECTORY, attrs, 0755, null);
      return entry(resolver.resolve(node.id()));
    }
  }

  @Override
  public FileEntry symlink(Caller caller, FileHandle directory, String name, String target,
      SetAttributes attributes) throws NfsException {
    synchronized (namespaceLock) {
      return symlinkLocked(caller, directory, name, target, attributes);
    }
  }

  private FileEntry symlinkLocked(Caller caller, FileHandle directory, String name, String target,
      SetAttributes attributes) throws NfsException {
    if (!traits.symlinks()) {
      throw new NfsException(NfsStatus.NOTSUPP, "symlinks are not supported here");
    }
    names.checkNew(name);
    if (target == null || target.isEmpty() || target.indexOf(0) >= 0) {
      throw new NfsException(NfsStatus.INVAL, "empty symlink target");
    }
    Resolved dir = writableDirectory(caller, directory, name);
    Path path = resolver.child(dir.path(), name);
    SetAttributes attrs = attributes == null ? SetAttributes.NONE
        : new SetAttributes(null, attributes.uid(), attributes.gid(), null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED);
    checkInitialOwnership(caller, attrs);
    synchronized (namespaceLock) {
      Path onDisk = SymlinkTargets.toProviderPath(root.getFileSystem(), target);
      try {
        Files.createSymbolicLink(path, onDisk);
      } catch (UnsupportedOperationException e) {
        throw new NfsException(NfsStatus.NOTSUPP, "symlinks are not supported here");
      } catch (IOException e) {
        throw Errors.map(e);
      }
      Node node = made(caller, dir, path, name, FileType.SYMLINK, attrs, 0777, null);
      if (!onDisk.toString().equals(target)) {
        // the provider normalised the target: the index keeps it verbatim
        node = index.get(node.id()).withLinkTarget(target);
        index.update(node, true);
      }
      return entry(resolver.resolve(node.id()));
    }
  }

  @Override
  public FileEntry mknod(Caller caller, FileHandle directory, String name, FileType type,
      SetAttributes attributes, DeviceNumber device) throws NfsException {
    if (type == FileType.REGULAR || type == FileType.DIRECTORY || type == FileType.SYMLINK) {
      throw new NfsException(NfsStatus.BADTYPE, "mknod of a " + type);
    }
    throw new NfsException(NfsStatus.NOTSUPP, "java.nio cannot make special files");
  }

  @Override
  public FileAttributes link(Caller caller, FileHandle file, FileHandle directory, String name)
      throws NfsException {
    synchronized (namespaceLock) {
      return linkLocked(caller, file, directory, name);
    }
  }

  private FileAttributes linkLocked(Caller caller, FileHandle file, FileHandle directory, String name)
      throws NfsException {
    if (!traits.hardLinks()) {
      throw new NfsException(NfsStatus.NOTSUPP, "hard links are not supported here");
    }
    names.checkNew(name);
    Resolved target = resolver.resolve(file);
    if (target.attrs().type() == FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.ISDIR, "hard link to a directory");
    }
    Resolved dir = writableDirectory(caller, directory, name);
    Path path = resolver.child(dir.path(), name);
    synchronized (namespaceLock) {
      try {
        Files.createLink(path, target.path());
      } catch (UnsupportedOperationException e) {
        throw new NfsException(NfsStatus.NOTSUPP, "hard links are not supported here");
      } catch (IOException e) {
        throw Errors.map(e);
      }
      index.update(target.node().withAliases(list -> {
        list.add(new Node.Location(dir.id(), name));
        return list;
      }), !traits.unixView());
      bumpChange(target.id());
      bumpChange(dir.id());
      return toNfs(target.id(), refresh(target.id()).attrs());
    }
  }

  /** The owner or group a new object is given must be the caller's own unless it is root. */
  private static void checkInitialOwnership(Caller caller, SetAttributes attrs) throws NfsException {
    if (caller.isRoot()) {
      return;
    }
    if (attrs.uid() != null && attrs.uid() != caller.uid()) {
      throw new NfsException(NfsStatus.PERM, "only the superuser may give a new object away");
    }
    if (attrs.gid() != null && !caller.inGroup(attrs.gid())) {
      throw new NfsException(NfsStatus.PERM, "not a member of the group");
    }
  }

  private static SetAttributes withoutSize(SetAttributes a) {
    return new SetAttributes(a.mode(), a.uid(), a.gid(), null, a.atime(), a.mtime());
  }

  /**
   * Records a new object, gives it its owner (the caller unless the initial attributes name
   * another; the group of a set-group-id directory) and mode, then applies initial size and
   * times.
   */
  private Node made(Caller caller, Resolved dir, Path path, String name, FileType type, SetAttributes initial,
      int defaultMode, Long verifier) throws NfsException {
    try {
      Snapshot s = attributes.read(path);
      Node node = index.mint(dir.id(), name, type, s.key(), s.birth(), false);
      int uid = initial.uid() != null ? initial.uid() : caller.uid();
      int gid = initial.gid() != null ? initial.gid()
          : (dir.attrs().mode() & 02000) != 0 ? dir.attrs().gid() : caller.gid();
      int mode = initial.mode() != null && type != FileType.SYMLINK ? initial.mode() & 07777 : defaultMode;
      boolean ownerOnDisk = attributes.writeOwner(path, uid, gid);
      boolean modeOnDisk = type == FileType.SYMLINK || attributes.writeMode(path, mode, type);
      node = node.withOwnership(modeOnDisk ? -1 : mode, ownerOnDisk ? -1 : uid, ownerOnDisk ? -1 : gid,
          traits.unixView() ? Node.NO_TIME : Times.toNanos(Instant.now()));
      if (verifier != null) {
        node = node.withVerifier(verifier);
      }
      // The id is safe without forcing (ids are reserved durably; a lost record means STALE);
      // what only the index knows (owner, mode, verifier) is forced.
      index.update(node, !ownerOnDisk || !modeOnDisk || verifier != null);
      bumpChange(dir.id());
      SetAttributes rest = new SetAttributes(null, null, null, initial.size(), initial.atime(), initial.mtime());
      if (!rest.isEmpty()) {
        applyAttributes(resolver.resolve(node.id()), rest);
        node = index.get(node.id());
      }
      return node;
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  // ---------------------------------------------------------------- removing and renaming

  @Override
  public void remove(Caller caller, FileHandle directory, String name) throws NfsException {
    unlink(caller, directory, name, false);
  }

  @Override
  public void rmdir(Caller caller, FileHandle directory, String name) throws NfsException {
    unlink(caller, directory, name, true);
  }

  private void unlink(Caller caller, FileHandle directory, String name, boolean wantDirectory) throws NfsException {
    synchronized (namespaceLock) {
      unlinkLocked(caller, directory, name, wantDirectory);
    }
  }

  private void unlinkLocked(Caller caller, FileHandle directory, String name, boolean wantDirectory)
      throws NfsException {
    if (".".equals(name) || "..".equals(name)) {
      throw new NfsException(NfsStatus.INVAL, "cannot remove '" + name + "'");
    }
    names.checkExisting(name);
    Resolved dir = directory(directory);
    PermissionCheck.require(caller, dir.attrs(), PermissionCheck.WRITE | PermissionCheck.EXECUTE);
    if (isHidden(dir, name)) {
      throw new NfsException(NfsStatus.NOENT, name);
    }
    Path path = resolver.child(dir.path(), name);
    synchronized (namespaceLock) {
      Snapshot s = readExisting(path, name);
      if (wantDirectory && s.type() != FileType.DIRECTORY) {
        throw new NfsException(NfsStatus.NOTDIR, name);
      }
      if (!wantDirectory && s.type() == FileType.DIRECTORY) {
        throw new NfsException(NfsStatus.ISDIR, name);
      }
      Node node = resolver.bind(dir.id(), path, name, s, false);
      PermissionCheck.requireMayUnlink(caller, dir.attrs(), s.withOverrides(node));
      channels.invalidate(node.id());
      try {
        Files.delete(path);
      } catch (IOException e) {
        throw Errors.map(e);
      }
      forgetName(node, dir.id(), name, s);
      bumpChange(dir.id());
    }
  }

  /**
   * Updates the index after a name of an object was removed or replaced: drops that name, and
   * the object itself when it was its last.
   */
  private void forgetName(Node node, long dir, String name, Snapshot before) {
    Node rest = node.withoutName(dir, name, traits::fold);
    if (rest == node) {
      if (before.nlinkKnown() && before.nlink() <= 1) {
        dropNode(node.id());
      }
      return;
    }
    if (rest != null) {
      index.update(rest, false);
    } else if (!(before.nlinkKnown() && before.nlink() > 1 && before.type() != FileType.DIRECTORY)) {
      dropNode(node.id());
    }
    // else: other links the index does not know of; a LOOKUP of one finds the object again
  }

  private void dropNode(long id) {
    channels.invalidate(id);
    index.remove(id, false);
    changeCounters.remove(id);
  }

  @Override
  public void rename(Caller caller, FileHandle fromDirectory, String fromName, FileHandle toDirectory,
      String toName) throws NfsException {
    synchronized (namespaceLock) {
      renameLocked(caller, fromDirectory, fromName, toDirectory, toName);
    }
  }

  private void renameLocked(Caller caller, FileHandle fromDirectory, String fromName, FileHandle toDirectory,
      String toName) throws NfsException {
    if (".".equals(fromName) || "..".equals(fromName)) {
      throw new NfsException(NfsStatus.INVAL, "cannot rename '" + fromName + "'");
    }
    names.checkExisting(fromName);
    names.checkNew(toName);
    Resolved from = directory(fromDirectory);
    Resolved to = directory(toDirectory);
    PermissionCheck.require(caller, from.attrs(), PermissionCheck.WRITE | PermissionCheck.EXECUTE);
    PermissionCheck.require(caller, to.attrs(), PermissionCheck.WRITE | PermissionCheck.EXECUTE);
    if (isHidden(from, fromName)) {
      throw new NfsException(NfsStatus.NOENT, fromName);
    }
    if (isHidden(to, toName)) {
      throw new NfsException(NfsStatus.ACCES, "reserved name");
    }
    Path fromPath = resolver.child(from.path(), fromName);
    Path toPath = resolver.child(to.path(), toName);
    synchronized (namespaceLock) {
      Snapshot s = readExisting(fromPath, fromName);
      Node node = resolver.bind(from.id(), fromPath, fromName, s, false);
      PermissionCheck.requireMayUnlink(caller, from.attrs(), s.withOverrides(node));
      boolean sameDirectory = from.id() == to.id();
      if (sameDirectory && fromName.equals(toName)) {
        return;
      }
      if (s.type() == FileType.DIRECTORY) {
        requireNotInside(node.id(), to.node());
      }
      Snapshot t = readIfExists(toPath);
      Node replaced = null;
      if (t != null) {
        Node targetNode = resolver.bind(to.id(), toPath, toName, t, false);
        if (targetNode.id() == node.id()) {
          if (sameDirectory && traits.fold(fromName).equals(traits.fold(toName))) {
            renameCaseOnly(node, from.id(), fromPath, toPath, toName);
          }
          return; // the same object (or another hard link of it): nothing to do
        }
        if (s.type() == FileType.DIRECTORY && t.type() != FileType.DIRECTORY) {
          throw new NfsException(NfsStatus.NOTDIR, toName);
        }
        if (s.type() != FileType.DIRECTORY && t.type() == FileType.DIRECTORY) {
          throw new NfsException(NfsStatus.ISDIR, toName);
        }
        PermissionCheck.requireMayUnlink(caller, to.attrs(), t.withOverrides(targetNode));
        replaced = targetNode;
        channels.invalidate(targetNode.id());
      }
      resolver.lockForMove();
      try {
        move(fromPath, toPath);
        if (replaced != null) {
          forgetName(replaced, to.id(), toName, t);
        }
        index.update(renamed(node, from.id(), fromName, to.id(), toName), false);
      } finally {
        resolver.unlockMove();
      }
      bumpChange(from.id());
      bumpChange(to.id());
      bumpChange(node.id());
    }
  }

  /** @return the node with the name {@code from} replaced by {@code to} */
  private Node renamed(Node node, long fromDir, String fromName, long toDir, String toName) {
    int at = node.indexOfName(fromDir, fromName, traits::fold);
    if (at == -1) {
      return node.movedTo(toDir, toName);
    }
    return node.withAliases(list -> {
      if (at >= 0) {
        list.set(at, new Node.Location(toDir, toName));
      } else {
        list.add(new Node.Location(toDir, toName));
      }
      return list;
    });
  }

  private void requireNotInside(long movedId, Node target) throws NfsException {
    Node n = target;
    for (int depth = 0; depth < 4096; depth++) {
      if (n.id() == movedId) {
        throw new NfsException(NfsStatus.INVAL, "cannot move a directory into itself");
      }
      if (n.id() == PersistentIdIndex.ROOT_ID) {
        return;
      }
      n = index.get(n.parent());
      if (n == null) {
        throw new NfsException(NfsStatus.STALE, "target directory lost its parent");
      }
    }
  }

  /** Changes only the case of a name, through a temporary name (some providers ignore it). */
  private void renameCaseOnly(Node node, long dir, Path fromPath, Path toPath, String toName) throws NfsException {
    Path temporary = fromPath.resolveSibling(".jnfs-rename-" + node.id() + "-" + System.nanoTime());
    resolver.lockForMove();
    try {
      move(fromPath, temporary);
      move(temporary, toPath);
      index.update(renamed(node, dir, fromPath.getFileName().toString(), dir, toName), false);
    } finally {
      resolver.unlockMove();
    }
    bumpChange(dir);
  }

  private static void move(Path from, Path to) throws NfsException {
    try {
      try {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
      }
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  // ---------------------------------------------------------------- listing

  @Override
  public DirectoryPage readdir(Caller caller, FileHandle directory, long cookie, long verifier, int maxEntries,
      boolean withAttributes) throws NfsException {
    return resolver.withStablePaths(() -> readdirNow(caller, directory, cookie, maxEntries, withAttributes));
  }

  private DirectoryPage readdirNow(Caller caller, FileHandle directory, long cookie, int maxEntries,
      boolean withAttributes) throws NfsException {
    Resolved dir = directory(directory);
    PermissionCheck.require(caller, dir.attrs(), PermissionCheck.READ);
    AtomicLong changes = changeCounters.get(dir.id());
    ListingCache.Version version =
        new ListingCache.Version(dir.attrs().mtime(), dir.attrs().ctime(), changes == null ? 0 : changes.get());
    long now = System.nanoTime();
    List<DirectoryLister.Listed> all = listings.get(dir.id(), version, now);
    if (all == null) {
      try {
        all = DirectoryLister.list(dir.path(), name -> isHidden(dir, name));
      } catch (IOException e) {
        throw Errors.map(e);
      }
      listings.put(dir.id(), version, all, now);
    }
    int from = DirectoryLister.resumeIndex(all, cookie);
    List<DirectoryEntry> entries = new ArrayList<>(Math.min(Math.max(1, maxEntries), all.size() - from));
    int i = from;
    for (; i < all.size() && entries.size() < Math.max(1, maxEntries); i++) {
      DirectoryLister.Listed listed = all.get(i);
      Path path = dir.path().resolve(listed.name());
      Snapshot s;
      try {
        s = attributes.read(path);
      } catch (NoSuchFileException e) {
        continue; // removed since the listing was read
      } catch (IOException e) {
        throw Errors.map(e);
      }
      Node node = resolver.bind(dir.id(), path, listed.name(), s, true);
      if (withAttributes) {
        entries.add(new DirectoryEntry(listed.name(), node.id(), listed.cookie(), handles.encode(node.id()),
            toNfs(node.id(), s.withOverrides(node))));
      } else {
        entries.add(new DirectoryEntry(listed.name(), node.id(), listed.cookie(), null, null));
      }
    }
    return new DirectoryPage(entries, i >= all.size(), fsid | 1);
  }

  @Override
  public FsStat fsstat(Caller caller, FileHandle handle) throws NfsException {
    resolver.resolve(handle);
    try {
      FileStore store = Files.getFileStore(root);
      long files = 1L << 32; // java.nio does not report inode counts
      return new FsStat(store.getTotalSpace(), store.getUnallocatedSpace(), store.getUsableSpace(),
          files, files, files);
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Closes all cached channels and writes the id index. Handles stay valid for a new instance
   * over the same root and state directory.
   *
   * @throws IOException if the index cannot be written
   */
  @Override
  public void close() throws IOException {
    channels.close();
    index.close();
  }

  /** @return whether a channel of the object is cached open (for tests) */
  boolean isChannelOpen(FileHandle handle) throws NfsException {
    return channels.isOpen(handles.decode(handle));
  }

  // ---------------------------------------------------------------- helpers

  private Resolved directory(FileHandle handle) throws NfsException {
    Resolved r = resolver.resolve(handle);
    if (r.attrs().type() != FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.NOTDIR, "not a directory");
    }
    return r;
  }

  private Resolved writableDirectory(Caller caller, FileHandle handle, String newName) throws NfsException {
    Resolved dir = directory(handle);
    PermissionCheck.require(caller, dir.attrs(), PermissionCheck.WRITE | PermissionCheck.EXECUTE);
    if (isHidden(dir, newName)) {
      throw new NfsException(NfsStatus.ACCES, "reserved name");
    }
    return dir;
  }

  private Resolved regularFile(FileHandle handle) throws NfsException {
    Resolved r = resolver.resolve(handle);
    FileType type = r.attrs().type();
    if (type == FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.ISDIR, "a directory");
    }
    if (type != FileType.REGULAR) {
      throw new NfsException(NfsStatus.INVAL, "not a regular file");
    }
    return r;
  }

  private static void requireRead(Caller caller, Snapshot s) throws NfsException {
    if (PermissionCheck.holds(caller, s, PermissionCheck.READ)) {
      return;
    }
    if (caller.uid() == s.uid() && PermissionCheck.holds(caller, s, PermissionCheck.EXECUTE)) {
      return;
    }
    throw new NfsException(NfsStatus.ACCES, "no read permission");
  }

  private boolean isHidden(Resolved dir, String name) {
    return hiddenName != null && dir.id() == PersistentIdIndex.ROOT_ID && traits.fold(name).equals(hiddenName);
  }

  private Snapshot readExisting(Path path, String name) throws NfsException {
    try {
      return attributes.read(path);
    } catch (NoSuchFileException e) {
      throw new NfsException(NfsStatus.NOENT, name);
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  private Snapshot readIfExists(Path path) throws NfsException {
    try {
      return attributes.read(path);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  private Resolved refresh(long id) throws NfsException {
    return resolver.resolve(id);
  }

  private FileEntry entry(Resolved r) {
    return new FileEntry(handles.encode(r.id()), toNfs(r.id(), r.attrs()));
  }

  private void bumpChange(long id) {
    changeCounters.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
    if (changeCounters.size() > 100_000) {
      changeCounters.clear();
    }
  }

  private FileAttributes toNfs(long id, Snapshot s) {
    AtomicLong counter = changeCounters.get(id);
    long change = Times.toNanos(s.ctime()) + (counter == null ? 0 : counter.get());
    return new FileAttributes(s.type(), s.mode(), s.nlink(), s.uid(), s.gid(), s.size(), s.size(), s.rdev(),
        fsid, id, s.atime(), s.mtime(), s.ctime(), change);
  }
}
