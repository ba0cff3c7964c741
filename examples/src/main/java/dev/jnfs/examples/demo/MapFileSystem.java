package dev.jnfs.examples.demo;

import dev.jnfs.spi.*;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.*;

/**
 * A writable file system held in a {@link Map} from file id to object: the sample of a
 * complete read-write backend. Regular files and directories with POSIX permissions; no hard
 * links, symlinks or special files (the SPI's defaults answer NOTSUPP for those). A handle is
 * the object's file id ({@link FileHandle#ofId}); ids are never reused, so the handle of a
 * removed object stays STALE. Data lives on the heap; directories always have 2 links.
 *
 * <p>Thread-safe: every method holds the instance's monitor, so each call is atomic with
 * respect to all others (simple rather than fast).
 */
public final class MapFileSystem implements NfsFileSystem {
  /** File ids double as directory cookies, which must not be 0, 1 or 2. */
  private static final long ROOT_ID = 3;
  private static final int MAX_SIZE = Integer.MAX_VALUE - 8;
  private static final FsProperties PROPERTIES =
      new FsProperties(MAX_SIZE, 255, 1, Duration.ofNanos(1), false, true, true);

  private final Map<Long, Node> nodes = new HashMap<>();
  private long lastId = ROOT_ID, lastChange;

  /** One file or directory. */
  private static final class Node {
    long id, parent, change, verifier; // verifier: of the EXCLUSIVE create that made the file
    FileType type;
    int mode, uid, gid, size;
    Instant atime, mtime, ctime;
    byte[] data = new byte[0]; // a file's bytes: the first size of them
    String name; // in its parent
    final Map<String, Node> entries = new HashMap<>(); // a directory's, by name
  }

  /** Creates an empty file system: a root directory owned by the superuser, mode 0755. */
  public MapFileSystem() {
    add(Caller.of(0, 0), null, null, FileType.DIRECTORY, SetAttributes.mode(0755), 0755);
  }

  @Override
  public FileHandle root() {
    return FileHandle.ofId(ROOT_ID);
  }

  @Override
  public FsProperties properties() {
    return PROPERTIES;
  }

  @Override
  public synchronized FileAttributes getattr(Caller caller, FileHandle handle) throws NfsException {
    return attributes(node(handle));
  }

  @Override
  public synchronized FileAttributes setattr(
      Caller c, FileHandle handle, SetAttributes changes, Instant guardCtime) throws NfsException {
    Node n = node(handle);
    check(guardCtime == null || guardCtime.equals(n.ctime), NfsStatus.NOT_SYNC);
    changes.checkPermission(c, attributes(n));
    Long size = changes.size();
    check(size == null || n.type != FileType.DIRECTORY, NfsStatus.ISDIR);
    check(size == null || size <= MAX_SIZE, NfsStatus.FBIG);
    touch(n, size != null);
    resize(n, size != null ? size.intValue() : n.size);
    n.mode = changes.mode() != null ? changes.mode() & 07777 : n.mode;
    n.uid = changes.uid() != null ? changes.uid() : n.uid;
    n.gid = changes.gid() != null ? changes.gid() : n.gid;
    n.atime = time(changes.atime(), n.atime);
    n.mtime = time(changes.mtime(), n.mtime);
    return attributes(n);
  }

  @Override
  public synchronized FileEntry lookup(Caller c, FileHandle d, String name) throws NfsException {
    Node dir = node(d, true);
    check(may(c, dir, Access.LOOKUP), NfsStatus.ACCES);
    Node n = name.equals(".") ? dir : name.equals("..") ? nodes.get(dir.parent) : dir.entries.get(name);
    check(n != null, NfsStatus.NOENT);
    return entry(n);
  }

  @Override
  public synchronized int access(Caller c, FileHandle handle, int requested) throws NfsException {
    return Access.grantedByMode(c, attributes(node(handle)), requested);
  }

  @Override
  public synchronized ReadResult read(Caller c, FileHandle handle, long offset, ByteBuffer dst)
      throws NfsException {
    Node n = node(handle, false);
    check(may(c, n, Access.READ) || c.uid() == n.uid && (n.mode & 0100) != 0, NfsStatus.ACCES);
    int count = (int) Math.max(0, Math.min(dst.remaining(), n.size - offset));
    dst.put(n.data, (int) Math.min(offset, n.size), count);
    return new ReadResult(count, offset + count >= n.size);
  }

  @Override
  public synchronized WriteResult write(Caller c, FileHandle handle, long offset, ByteBuffer data,
      Stability stability) throws NfsException {
    Node n = node(handle, false);
    check(c.uid() == n.uid || may(c, n, Access.MODIFY), NfsStatus.ACCES);
    int count = data.remaining();
    check(offset + count <= MAX_SIZE, NfsStatus.FBIG);
    resize(n, Math.max(n.size, (int) offset + count));
    data.get(n.data, (int) offset, count);
    touch(n, true);
    return new WriteResult(count, Stability.FILE_SYNC); // as stable as the heap gets
  }

  @Override
  public synchronized void commit(Caller c, FileHandle h, long offset, long n) throws NfsException {
    node(h); // writes are never unstable: nothing to do but check the handle
  }

  @Override
  public synchronized FileEntry create(Caller c, FileHandle directory, String name,
      CreateMode mode, SetAttributes attributes, long verifier) throws NfsException {
    Node dir = writableDirectory(c, directory, name);
    Node n = dir.entries.get(name);
    if (n != null) {
      boolean replay = mode == CreateMode.EXCLUSIVE && verifier != 0 && n.verifier == verifier;
      check(mode == CreateMode.UNCHECKED || replay, NfsStatus.EXIST);
      check(n.type != FileType.DIRECTORY, NfsStatus.ISDIR);
      if (!replay && attributes.size() != null) { // UNCHECKED: truncate the file as asked
        setattr(c, FileHandle.ofId(n.id), SetAttributes.size(attributes.size()), null);
      }
      return entry(n);
    }
    n = add(c, dir, name, FileType.REGULAR, attributes, 0644);
    n.verifier = mode == CreateMode.EXCLUSIVE ? verifier : 0;
    resize(n, attributes.size() == null ? 0 : (int) Math.min(MAX_SIZE, attributes.size()));
    return entry(n);
  }

  @Override
  public synchronized FileEntry mkdir(Caller c, FileHandle directory, String name,
      SetAttributes attributes) throws NfsException {
    Node dir = writableDirectory(c, directory, name);
    check(!dir.entries.containsKey(name), NfsStatus.EXIST);
    return entry(add(c, dir, name, FileType.DIRECTORY, attributes, 0755));
  }

  @Override
  public void remove(Caller c, FileHandle directory, String name) throws NfsException {
    delete(c, directory, name, false);
  }

  @Override
  public void rmdir(Caller c, FileHandle directory, String name) throws NfsException {
    delete(c, directory, name, true);
  }

  private synchronized void delete(Caller c, FileHandle directory, String name, boolean isDir)
      throws NfsException {
    Node dir = writableDirectory(c, directory, name);
    Node n = child(c, dir, name);
    check((n.type == FileType.DIRECTORY) == isDir, isDir ? NfsStatus.NOTDIR : NfsStatus.ISDIR);
    check(n.entries.isEmpty(), NfsStatus.NOTEMPTY);
    unlink(dir, n);
    nodes.remove(n.id);
  }

  @Override
  public synchronized void rename(Caller c, FileHandle fromDirectory, String fromName,
      FileHandle toDirectory, String toName) throws NfsException {
    Node from = writableDirectory(c, fromDirectory, fromName);
    Node to = writableDirectory(c, toDirectory, toName);
    Node n = child(c, from, fromName);
    for (long up = to.id; n.type == FileType.DIRECTORY && up != ROOT_ID; up = nodes.get(up).parent) {
      check(up != n.id, NfsStatus.INVAL); // a directory cannot move into its own subtree
    }
    if (to.entries.containsKey(toName)) {
      Node target = child(c, to, toName);
      if (target == n) {
        return;
      }
      check(n.type == FileType.DIRECTORY || target.type != FileType.DIRECTORY, NfsStatus.ISDIR);
      check(n.type != FileType.DIRECTORY || target.type == FileType.DIRECTORY, NfsStatus.NOTDIR);
      check(target.entries.isEmpty(), NfsStatus.NOTEMPTY);
      unlink(to, target);
      nodes.remove(target.id);
    }
    unlink(from, n);
    link(to, toName, n);
    touch(n, false);
  }

  @Override
  public synchronized DirectoryPage readdir(Caller c, FileHandle directory, long cookie,
      long verifier, int maxEntries, boolean withAttributes) throws NfsException {
    Node dir = node(directory, true);
    check(may(c, dir, Access.READ), NfsStatus.ACCES);
    List<Node> next = dir.entries.values().stream().filter(n -> n.id > cookie) // id = cookie
        .sorted(Comparator.comparingLong(n -> n.id)).limit(maxEntries + 1L).toList();
    return new DirectoryPage(next.stream().limit(maxEntries).map(n -> new DirectoryEntry(n.name,
        n.id, n.id, withAttributes ? FileHandle.ofId(n.id) : null,
        withAttributes ? attributes(n) : null)).toList(), next.size() <= maxEntries, 0);
  }

  @Override
  public synchronized FsStat fsstat(Caller c, FileHandle handle) throws NfsException {
    node(handle);
    Runtime r = Runtime.getRuntime();
    long free = r.maxMemory() - r.totalMemory() + r.freeMemory(), files = MAX_SIZE - nodes.size();
    return new FsStat(r.maxMemory(), free, free, MAX_SIZE, files, files); // heap and ids
  }

  private Node node(FileHandle handle) throws NfsException {
    long id = FileHandle.toId(handle);
    check(id >= ROOT_ID && id <= lastId, NfsStatus.BADHANDLE);
    return Optional.ofNullable(nodes.get(id)).orElseThrow(() -> new NfsException(NfsStatus.STALE));
  }
  /** The object of a handle, which must be a directory or must not be one. */
  private Node node(FileHandle handle, boolean directory) throws NfsException {
    Node n = node(handle);
    check((n.type == FileType.DIRECTORY) == directory, directory ? NfsStatus.NOTDIR : NfsStatus.ISDIR);
    return n;
  }
  /** A directory the caller may add entries to or remove them from, and a valid name. */
  private Node writableDirectory(Caller c, FileHandle directory, String name) throws NfsException {
    Node dir = node(directory, true);
    check(!name.equals(".") && !name.equals(".."), NfsStatus.INVAL);
    check(name.getBytes(StandardCharsets.UTF_8).length <= PROPERTIES.maxNameLength(), NfsStatus.NAMETOOLONG);
    check(may(c, dir, Access.MODIFY | Access.LOOKUP), NfsStatus.ACCES);
    return dir;
  }
  /** An entry the caller may remove or rename (in a sticky directory: if it owns either). */
  private Node child(Caller c, Node dir, String name) throws NfsException {
    Node n = Optional.ofNullable(dir.entries.get(name)).orElseThrow(() -> new NfsException(NfsStatus.NOENT));
    check((dir.mode & 01000) == 0 || c.isRoot() || c.uid() == dir.uid || c.uid() == n.uid,
        NfsStatus.ACCES);
    return n;
  }
  /** Makes an object in {@code dir} (the root if null), owned as the caller may ask. */
  private Node add(Caller c, Node dir, String name, FileType type, SetAttributes a, int mode) {
    Node n = new Node();
    n.id = dir == null ? ROOT_ID : ++lastId;
    n.parent = n.id;
    n.type = type;
    n.mode = (a.mode() == null ? mode : a.mode()) & 07777;
    n.uid = a.uid() != null && c.isRoot() ? a.uid() : c.uid();
    n.gid = a.gid() != null && (c.isRoot() || c.inGroup(a.gid())) ? a.gid() : c.gid();
    touch(n, true);
    n.atime = n.ctime;
    nodes.put(n.id, n);
    if (dir != null) {
      link(dir, name, n);
    }
    return n;
  }
  private void link(Node dir, String name, Node n) {
    dir.entries.put(name, n);
    n.name = name;
    n.parent = dir.id;
    touch(dir, true);
  }
  private void unlink(Node dir, Node n) {
    dir.entries.remove(n.name);
    touch(dir, true);
  }
  /** Marks a change of attributes, or with {@code data} also of contents. */
  private void touch(Node n, boolean data) {
    n.ctime = Instant.now();
    n.mtime = data ? n.ctime : n.mtime;
    n.change = ++lastChange;
  }
  private static void resize(Node n, int size) {
    if (size > n.data.length) { // doubling, so that appending costs amortized constant time
      n.data = Arrays.copyOf(n.data, (int) Math.min(MAX_SIZE, Math.max(size, 2L * n.data.length)));
    }
    Arrays.fill(n.data, Math.min(size, n.size), n.size, (byte) 0); // cut bytes never come back
    n.size = size;
  }
  private static boolean may(Caller c, Node n, int access) {
    return Access.grantedByMode(c, attributes(n), access) == access;
  }
  private static Instant time(TimeUpdate t, Instant old) {
    return t instanceof TimeUpdate.ClientTime client ? client.time()
        : t instanceof TimeUpdate.ServerTime ? Instant.now() : old;
  }
  private static void check(boolean condition, NfsStatus otherwise) throws NfsException {
    if (!condition) {
      throw new NfsException(otherwise);
    }
  }
  private FileEntry entry(Node n) {
    return new FileEntry(FileHandle.ofId(n.id), attributes(n));
  }
  private static FileAttributes attributes(Node n) {
    return FileAttributes.builder(n.type, n.id).mode(n.mode).owner(n.uid, n.gid).size(n.size)
        .atime(n.atime).mtime(n.mtime).ctime(n.ctime).change(n.change).build();
  }
}
