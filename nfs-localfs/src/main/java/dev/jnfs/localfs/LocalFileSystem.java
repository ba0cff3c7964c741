package dev.jnfs.localfs;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DeviceNumber;
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
import dev.jnfs.spi.OpenContext;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

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
 * <p>On Linux with JDK 22 or later, a local disk file system and the platform's provider,
 * {@link #readdir} with attributes gives those of a regular file or symlink with one link as
 * read at an earlier listing when no {@code inotify} event has named it since, and for one
 * second at most: a change {@code inotify} does not report (a write through another program's
 * shared memory mapping, a hard link made to the file from another directory) shows within
 * that second. Every other call reads attributes anew.
 *
 * <h2>Data</h2>
 *
 * Reads and writes are positional on cached {@link FileChannel}s ({@link ChannelCache}).
 * UNSTABLE writes stay in the OS's buffers until COMMIT; DATA_SYNC and FILE_SYNC writes are
 * forced before returning. Writes past the end leave holes. {@link #readRegion} offers the
 * channel for zero-copy sends.
 *
 * <h2>Holes, space, copy, clone and extended attributes</h2>
 *
 * On Linux with JDK 22 or later and the platform's provider, {@link #seek}, {@link #allocate},
 * {@link #deallocate} and {@link #clone} are the file system's own {@code lseek}
 * SEEK_DATA/SEEK_HOLE, {@code fallocate} and {@code FICLONERANGE}, and {@code used} is the
 * file's real block count; {@link #capabilities()} lists those the export's file system has
 * (a probe at start; CLONE only where it reflinks, and a clone never turns into a copy).
 * Elsewhere they are absent and answer NOTSUPP. {@link #copy} works on every provider ({@code
 * copy_file_range} on Linux). The xattr calls use the provider's user-defined attribute view
 * where the file store supports it ({@code user.*} on Linux); only regular files and
 * directories hold attributes, as on Linux.
 *
 * <p>Thread-safe. Creates and removes of different names run concurrently; rename, link,
 * setattr and the removal of a hard-linked file exclude all other namespace changes of the
 * instance; reads, writes and lookups run concurrently with everything. Call
 * {@link #close()} when done: it closes channels and writes the index.
 */
public final class LocalFileSystem implements NfsFileSystem, AutoCloseable {
  private static final int MAX_NAME_BYTES = 255;

  private final HandleCodec handles;
  private final FsProperties properties;
  private final Set<Capability> capabilities;
  private final PersistentIdIndex index;
  private final ChannelCache channels;
  private final AttributeChanges attributeChanges;
  private final FileData fileData;
  private final ObjectCreation creation;
  private final RemoveAndRename removal;
  private final DirectoryReads directories;
  private final HolesAndSpace holesAndSpace;
  private final ServerSideCopy serverSideCopy;
  private final ExtendedAttributes extendedAttributes;
  private final ExportState state;
  private final ScheduledExecutorService sweeper;
  /** The native calls confined to the root (holding its descriptor), or null. */
  private final NativeFiles.Confined confined;
  private final KeptAttributes keptAttributes;

  private LocalFileSystem(Builder b) throws IOException {
    Path root = b.root;
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("export root is not a directory: " + root);
    }
    Path stateDirectory = b.stateDirectory != null ? b.stateDirectory : root.resolve(".jnfs");
    requireStateOutsideTheTree(root, stateDirectory);
    Files.createDirectories(stateDirectory);
    ProviderTraits traits = ProviderTraits.probe(root, stateDirectory, b.windowsNames);
    NativeFiles nativeFiles = NativeFiles.of(root.getFileSystem()).orElse(null);
    Set<Capability> nativeCapabilities = nativeFiles == null
        ? Set.of() : NativeProbe.capabilities(nativeFiles, root, stateDirectory);
    this.confined = nativeFiles == null ? null : nativeFiles.confine(root);
    AttributeAccess attributes = new AttributeAccess(traits, b.defaultUid, b.defaultGid, b.defaultFileMode,
        b.defaultDirectoryMode, nativeFiles, confined);
    Snapshot rootAttrs = attributes.read(root);
    Node rootNode = Node.fresh(PersistentIdIndex.ROOT_ID, PersistentIdIndex.ROOT_ID, "", FileType.DIRECTORY,
        rootAttrs.key(), rootAttrs.birth());
    this.index = PersistentIdIndex.open(stateDirectory, traits::fold, rootNode);
    this.handles = new HandleCodec(index.instance());
    this.keptAttributes = new KeptAttributes(changeWatch(attributes, root), attributes::readAll, attributes::read,
        System::nanoTime);
    ObjectResolver resolver = new ObjectResolver(root, index, attributes, keptAttributes, traits, handles);
    NameRules names = new NameRules(MAX_NAME_BYTES, traits.windowsNames());
    ConfinedFiles files = new ConfinedFiles(root, confined);
    this.channels =
        new ChannelCache(
            b.maxOpenChannels, b.channelIdleTime.toNanos(), b.writeBehindBytes, System::nanoTime,
            files::open, confined == null ? null : confined::probePageCache);
    this.sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread t = new Thread(task, "jnfs-localfs-idle-channels");
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(1, Math.min(b.channelIdleTime.toMillis(), 10_000));
    sweeper.scheduleWithFixedDelay(channels::closeIdle, period, period, TimeUnit.MILLISECONDS);
    Path stateParent = stateDirectory.toAbsolutePath().normalize().getParent();
    String hiddenName = stateParent != null && stateParent.equals(root.toAbsolutePath().normalize())
        ? traits.fold(stateDirectory.getFileName().toString()) : null;
    this.state = new ExportState(root, traits, index, attributes, resolver, handles, names, channels, files,
        hiddenName, index.instance() & Long.MAX_VALUE);
    this.attributeChanges = new AttributeChanges(state);
    this.fileData = new FileData(state, AccessTimes.of(root));
    SpecialNodes specialNodes = new SpecialNodes(confined);
    this.creation = new ObjectCreation(state, attributeChanges, specialNodes);
    this.removal = new RemoveAndRename(state);
    this.directories = new DirectoryReads(state, keptAttributes);
    this.holesAndSpace = new HolesAndSpace(state, confined);
    this.serverSideCopy = new ServerSideCopy(state, confined);
    this.extendedAttributes = new ExtendedAttributes(state);
    this.properties = new FsProperties(Long.MAX_VALUE, MAX_NAME_BYTES, traits.hardLinks() ? 65_000 : 1,
        traits.windowsNames() ? Duration.ofNanos(100) : Duration.ofNanos(1), traits.caseInsensitive(), true, true);
    EnumSet<Capability> caps = EnumSet.noneOf(Capability.class);
    if (traits.hardLinks()) {
      caps.add(Capability.HARD_LINKS);
    }
    if (traits.symlinks()) {
      caps.add(Capability.SYMLINKS);
    }
    if (specialNodes.supported(root.getFileSystem())) {
      caps.add(Capability.SPECIAL_FILES);
    }
    caps.addAll(nativeCapabilities);
    caps.add(Capability.COPY);
    if (ExtendedAttributes.supported(root)) {
      caps.add(Capability.XATTRS);
    }
    this.capabilities = Set.copyOf(caps);
  }

  /**
   * @return the watch that lets listings, GETATTR, ACCESS and LOOKUP give attributes read
   *     before, where reads are confined native calls and every change to the export's file
   *     system raises an event here ({@link KeptAttributes#watchable}); else null
   */
  private NativeFiles.ChangeWatch changeWatch(AttributeAccess attributes, Path root) {
    if (confined == null || !attributes.confinesReads()) {
      return null;
    }
    try {
      return KeptAttributes.watchable(Files.getFileStore(root).type()) ? confined.watchChanges() : null;
    } catch (IOException e) {
      LoggerFactory.getLogger(LocalFileSystem.class)
          .debug("no change watch, listings read every entry's attributes: {}", e.toString());
      return null;
    }
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
    private long writeBehindBytes = 32L << 20;

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
     * Data written UNSTABLE stays in the operating system's buffers until a COMMIT forces it
     * to disk. Once this many bytes of one file wait, they start going to disk in the
     * background, so that a client streaming a large file finds little left to write when it
     * commits: the disk works while the network brings the rest. It never makes data stable
     * earlier than the protocol promises, only sooner.
     *
     * @param bytes how many unstable bytes of one file start a write-behind; 0 turns it off;
     *     default 32 MiB
     * @return this builder
     */
    public Builder writeBehind(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("bytes must not be negative");
      }
      this.writeBehindBytes = bytes;
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

  // ---------------------------------------------------------------- operations

  /**
   * True where the attributes are kept ({@link KeptAttributes}): an object in the export's
   * root or a directory right below it whose attributes were read since its last change, or
   * such a directory when it is watched. GETATTR, ACCESS and LOOKUP then read one queue of
   * change events and answer from memory.
   */
  @Override
  public boolean readsAttributesWithoutBlocking(FileHandle handle) {
    return state.resolver.findsKept(handle);
  }

  /**
   * True where a file read through this backend before still has its channel open and the
   * range is in the operating system's page cache ({@code cachestat}, Linux 6.5 and later):
   * the READ then resolves an object whose directories are in memory (an open file holds
   * them) and copies from memory.
   */
  @Override
  public boolean readsDataWithoutBlocking(FileHandle handle, long offset, int count) {
    long id;
    try {
      id = handles.decode(handle);
    } catch (NfsException e) {
      return false;
    }
    return channels.holdsInMemory(id, offset, count);
  }

  @Override
  public FileAttributes getattr(Caller caller, FileHandle handle) throws NfsException {
    return attributeChanges.getattr(caller, handle);
  }

  @Override
  public FileAttributes setattr(Caller caller, FileHandle handle, SetAttributes changes, Instant guardCtime)
      throws NfsException {
    return attributeChanges.setattr(caller, handle, changes, guardCtime);
  }

  @Override
  public int access(Caller caller, FileHandle handle, int requested) throws NfsException {
    return attributeChanges.access(caller, handle, requested);
  }

  @Override
  public FileEntry lookup(Caller caller, FileHandle directory, String name) throws NfsException {
    return directories.lookup(caller, directory, name);
  }

  @Override
  public String readlink(Caller caller, FileHandle handle) throws NfsException {
    return directories.readlink(caller, handle);
  }

  @Override
  public DirectoryPage readdir(Caller caller, FileHandle directory, long cookie, long verifier, int maxEntries,
      boolean withAttributes) throws NfsException {
    return directories.readdir(caller, directory, cookie, verifier, maxEntries, withAttributes);
  }

  @Override
  public ReadResult read(Caller caller, FileHandle handle, long offset, ByteBuffer destination) throws NfsException {
    return fileData.read(caller, handle, offset, destination);
  }

  @Override
  public Optional<FileRegionSource> readRegion(Caller caller, FileHandle handle, long offset, int count)
      throws NfsException {
    return fileData.readRegion(caller, handle, offset, count);
  }

  @Override
  public WriteResult write(Caller caller, FileHandle handle, long offset, ByteBuffer data, Stability stability)
      throws NfsException {
    return fileData.write(caller, handle, offset, data, stability);
  }

  @Override
  public void commit(Caller caller, FileHandle handle, long offset, long count) throws NfsException {
    fileData.commit(caller, handle, offset, count);
  }

  @Override
  public void open(Caller caller, FileHandle handle, OpenContext open) throws NfsException {
    fileData.open(caller, handle, open.writable());
  }

  @Override
  public void close(FileHandle handle, OpenContext open) {
    fileData.close(handle);
  }

  @Override
  public FileEntry create(Caller caller, FileHandle directory, String name, CreateMode mode,
      SetAttributes attributes, long verifier) throws NfsException {
    return creation.create(caller, directory, name, mode, attributes, verifier);
  }

  @Override
  public FileEntry mkdir(Caller caller, FileHandle directory, String name, SetAttributes attributes)
      throws NfsException {
    return creation.mkdir(caller, directory, name, attributes);
  }

  @Override
  public FileEntry symlink(Caller caller, FileHandle directory, String name, String target,
      SetAttributes attributes) throws NfsException {
    return creation.symlink(caller, directory, name, target, attributes);
  }

  @Override
  public FileEntry mknod(Caller caller, FileHandle directory, String name, FileType type,
      SetAttributes attributes, DeviceNumber device) throws NfsException {
    return creation.mknod(caller, directory, name, type, attributes, device);
  }

  @Override
  public FileAttributes link(Caller caller, FileHandle file, FileHandle directory, String name)
      throws NfsException {
    return creation.link(caller, file, directory, name);
  }

  @Override
  public void remove(Caller caller, FileHandle directory, String name) throws NfsException {
    removal.remove(caller, directory, name);
  }

  @Override
  public void rmdir(Caller caller, FileHandle directory, String name) throws NfsException {
    removal.rmdir(caller, directory, name);
  }

  @Override
  public void rename(Caller caller, FileHandle fromDirectory, String fromName, FileHandle toDirectory,
      String toName) throws NfsException {
    removal.rename(caller, fromDirectory, fromName, toDirectory, toName);
  }

  @Override
  public FsStat fsstat(Caller caller, FileHandle handle) throws NfsException {
    state.resolver.resolve(handle);
    try {
      FileStore store = Files.getFileStore(state.root);
      long files = 1L << 32; // java.nio does not report inode counts
      return new FsStat(store.getTotalSpace(), store.getUnallocatedSpace(), store.getUsableSpace(),
          files, files, files);
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  // ---------------------------------------------------------------- NFSv4.2 and xattrs

  @Override
  public long seek(Caller caller, FileHandle handle, long offset, boolean data) throws NfsException {
    requireCapability(Capability.SEEK);
    return holesAndSpace.seek(caller, handle, offset, data);
  }

  @Override
  public FileAttributes allocate(Caller caller, FileHandle handle, long offset, long length) throws NfsException {
    requireCapability(Capability.ALLOCATE);
    return holesAndSpace.allocate(caller, handle, offset, length);
  }

  @Override
  public FileAttributes deallocate(Caller caller, FileHandle handle, long offset, long length)
      throws NfsException {
    requireCapability(Capability.DEALLOCATE);
    return holesAndSpace.deallocate(caller, handle, offset, length);
  }

  @Override
  public long copy(Caller caller, FileHandle source, long sourceOffset, FileHandle destination,
      long destinationOffset, long count, Stability stability) throws NfsException {
    return serverSideCopy.copy(caller, source, sourceOffset, destination, destinationOffset, count, stability);
  }

  @Override
  public void clone(Caller caller, FileHandle source, long sourceOffset, FileHandle destination,
      long destinationOffset, long count) throws NfsException {
    requireCapability(Capability.CLONE);
    serverSideCopy.cloneRange(caller, source, sourceOffset, destination, destinationOffset, count);
  }

  @Override
  public byte[] getxattr(Caller caller, FileHandle handle, String name) throws NfsException {
    requireCapability(Capability.XATTRS);
    return extendedAttributes.getxattr(caller, handle, name);
  }

  @Override
  public FileAttributes setxattr(Caller caller, FileHandle handle, String name, byte[] value, XattrMode mode)
      throws NfsException {
    requireCapability(Capability.XATTRS);
    return extendedAttributes.setxattr(caller, handle, name, value, mode);
  }

  @Override
  public List<String> listxattrs(Caller caller, FileHandle handle) throws NfsException {
    requireCapability(Capability.XATTRS);
    return extendedAttributes.listxattrs(caller, handle);
  }

  @Override
  public FileAttributes removexattr(Caller caller, FileHandle handle, String name) throws NfsException {
    requireCapability(Capability.XATTRS);
    return extendedAttributes.removexattr(caller, handle, name);
  }

  /** A capability absent here answers NOTSUPP, as the SPI's defaults do. */
  private void requireCapability(Capability capability) throws NfsException {
    if (!capabilities.contains(capability)) {
      throw new NfsException(NfsStatus.NOTSUPP, capability.name());
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
    sweeper.shutdownNow();
    channels.close();
    index.close();
    state.files.close();
    keptAttributes.close();
    if (confined != null) {
      confined.close();
    }
  }

  /**
   * @return how many objects' attributes listings, GETATTR and LOOKUP read from the file
   *     system so far, beyond those {@link KeptAttributes} gave (for tests)
   */
  long attributeReads() {
    return keptAttributes.entriesRead();
  }

  /** @return the export's state, for tests that change what the index keeps directly */
  ExportState state() {
    return state;
  }

  /** @return whether a channel of the object is cached open (for tests) */
  boolean isChannelOpen(FileHandle handle) throws NfsException {
    return channels.isOpen(handles.decode(handle));
  }
}
