package dev.jnfs.nfs3;

import dev.jnfs.spi.Access;
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
import dev.jnfs.spi.FsStat;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.TimeUpdate;
import dev.jnfs.spi.WriteResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small, single-lock in-memory tree implementing the SPI for the NFSv3 program's unit tests:
 * POSIX-like permissions, stable directory cookies (creation order), exclusive-create
 * verifiers, and a hook to make any method fail with an unexpected exception.
 */
public final class TreeFileSystem implements NfsFileSystem {
  static final long FSID = 0x1234;

  /** When set, every method throws it (to test SERVERFAULT). */
  final AtomicReference<RuntimeException> fault = new AtomicReference<>();

  /** The objects {@link #readsAttributesWithoutBlocking} says yes for. */
  final Set<FileHandle> attributesInMemory = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** The files {@link #readsDataWithoutBlocking} says yes for, up to {@link #dataInMemoryUpTo}. */
  final Set<FileHandle> dataInMemory = java.util.concurrent.ConcurrentHashMap.newKeySet();
  volatile long dataInMemoryUpTo;

  private final Map<Long, Node> nodes = new HashMap<>();
  private final Node root;
  private long nextId = 1;
  private long nextSeq = 0;
  private long clock = 1_000_000_000L;
  private final Set<Capability> capabilities;

  private final class Node {
    final long id;
    final FileType type;
    int mode;
    int uid;
    int gid;
    int nlink = 1;
    byte[] data = new byte[0];
    int size;
    String target;
    DeviceNumber rdev = DeviceNumber.NONE;
    Node parent;
    long verifier;
    boolean hasVerifier;
    Instant atime;
    Instant mtime;
    Instant ctime;
    final TreeMap<Long, String> bySeq = new TreeMap<>();
    final Map<String, Long> seqOf = new HashMap<>();
    final Map<String, Node> children = new HashMap<>();

    Node(FileType type, int mode, Caller owner) {
      this.id = nextId++;
      this.type = type;
      this.mode = mode;
      this.uid = owner.uid();
      this.gid = owner.gid();
      Instant now = tick();
      atime = mtime = ctime = now;
      nodes.put(id, this);
      if (type == FileType.DIRECTORY) {
        nlink = 2;
      }
    }

    FileAttributes attributes() {
      long length = type == FileType.SYMLINK ? target.length() : type == FileType.DIRECTORY ? 4096 : size;
      return new FileAttributes(type, mode, nlink, uid, gid, length, length, rdev, FSID, id, atime,
          mtime, ctime, ctime.getEpochSecond() * 1_000_000_000L + ctime.getNano());
    }

    FileHandle handle() {
      return handleOf(id);
    }
  }

  /** A tree with every capability. */
  public TreeFileSystem() {
    this(EnumSet.allOf(Capability.class));
  }

  /** @param capabilities what the tree claims to support */
  public TreeFileSystem(Set<Capability> capabilities) {
    this.capabilities = Set.copyOf(capabilities);
    root = new Node(FileType.DIRECTORY, 0777, Caller.of(0, 0));
    root.parent = root;
  }

  private Instant tick() {
    clock += 1_000_001; // distinct times with nanoseconds
    return Instant.ofEpochSecond(clock / 1_000_000_000L, clock % 1_000_000_000L);
  }

  static FileHandle handleOf(long id) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (id >>> (56 - 8 * i));
    }
    return FileHandle.of(b);
  }

  private void checkFault() {
    RuntimeException e = fault.get();
    if (e != null) {
      throw e;
    }
  }

  private Node node(FileHandle h) throws NfsException {
    checkFault();
    if (h.length() != 8) {
      throw new NfsException(NfsStatus.BADHANDLE);
    }
    long id = 0;
    for (int i = 0; i < 8; i++) {
      id = id << 8 | (h.byteAt(i) & 0xFF);
    }
    if (id <= 0 || id >= nextId) {
      throw new NfsException(NfsStatus.BADHANDLE);
    }
    Node n = nodes.get(id);
    if (n == null) {
      throw new NfsException(NfsStatus.STALE);
    }
    return n;
  }

  private Node dir(FileHandle h) throws NfsException {
    Node n = node(h);
    if (n.type != FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.NOTDIR);
    }
    return n;
  }

  private static int granted(Caller c, Node n) {
    int bits;
    if (c.uid() == n.uid) {
      bits = n.mode >> 6 & 7;
    } else if (c.inGroup(n.gid)) {
      bits = n.mode >> 3 & 7;
    } else {
      bits = n.mode & 7;
    }
    if (c.isRoot()) {
      bits |= 6;
    }
    return bits;
  }

  private static void need(Caller c, Node n, int bits) throws NfsException {
    if ((granted(c, n) & bits) != bits) {
      throw new NfsException(NfsStatus.ACCES);
    }
  }

  private void checkNewName(Node dir, String name) throws NfsException {
    if (name.equals(".") || name.equals("..")) {
      throw new NfsException(NfsStatus.INVAL);
    }
    if (name.length() > 255) {
      throw new NfsException(NfsStatus.NAMETOOLONG);
    }
  }

  private void link(Node dir, String name, Node child) {
    long seq = nextSeq++;
    dir.children.put(name, child);
    dir.bySeq.put(seq, name);
    dir.seqOf.put(name, seq);
    dir.mtime = dir.ctime = tick();
    if (child.type == FileType.DIRECTORY) {
      child.parent = dir;
      dir.nlink++;
    }
  }

  private Node unlink(Node dir, String name) {
    Node child = dir.children.remove(name);
    dir.bySeq.remove(dir.seqOf.remove(name));
    dir.mtime = dir.ctime = tick();
    if (child.type == FileType.DIRECTORY) {
      dir.nlink--;
      child.nlink = 0;
    } else {
      child.nlink--;
      child.ctime = tick();
    }
    if (child.nlink <= 0 || child.type == FileType.DIRECTORY) {
      nodes.remove(child.id);
    }
    return child;
  }

  @Override
  public boolean readsAttributesWithoutBlocking(FileHandle handle) {
    return attributesInMemory.contains(handle);
  }

  @Override
  public boolean readsDataWithoutBlocking(FileHandle handle, long offset, int count) {
    return dataInMemory.contains(handle) && offset + count <= dataInMemoryUpTo;
  }

  @Override
  public FileHandle root() {
    return root.handle();
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public synchronized FileAttributes getattr(Caller caller, FileHandle handle) throws NfsException {
    return node(handle).attributes();
  }

  @Override
  public synchronized FileAttributes setattr(
      Caller caller, FileHandle handle, SetAttributes changes, Instant guardCtime) throws NfsException {
    Node n = node(handle);
    if (guardCtime != null && !guardCtime.equals(n.ctime)) {
      throw new NfsException(NfsStatus.NOT_SYNC);
    }
    boolean owner = caller.isRoot() || caller.uid() == n.uid;
    if ((changes.mode() != null || changes.gid() != null) && !owner) {
      throw new NfsException(NfsStatus.PERM);
    }
    if (changes.uid() != null && !caller.isRoot() && changes.uid() != n.uid) {
      throw new NfsException(NfsStatus.PERM);
    }
    if (changes.size() != null) {
      if (n.type == FileType.DIRECTORY) {
        throw new NfsException(NfsStatus.ISDIR);
      }
      if (n.type != FileType.REGULAR) {
        throw new NfsException(NfsStatus.INVAL);
      }
      if (!owner) {
        need(caller, n, 2);
      }
      if (changes.size() < 0 || changes.size() > Integer.MAX_VALUE - 8) {
        throw new NfsException(NfsStatus.FBIG);
      }
    }
    if (changes.mode() != null) {
      n.mode = changes.mode();
    }
    if (changes.uid() != null) {
      n.uid = changes.uid();
    }
    if (changes.gid() != null) {
      n.gid = changes.gid();
    }
    if (changes.size() != null) {
      resize(n, (int) (long) changes.size());
      n.mtime = tick();
    }
    n.atime = apply(changes.atime(), n.atime);
    n.mtime = apply(changes.mtime(), n.mtime);
    n.ctime = tick();
    return n.attributes();
  }

  private Instant apply(TimeUpdate u, Instant old) {
    return switch (u) {
      case TimeUpdate.Unchanged x -> old;
      case TimeUpdate.ServerTime x -> tick();
      case TimeUpdate.ClientTime t -> t.time();
    };
  }

  private static void resize(Node n, int size) {
    if (size > n.data.length) {
      n.data = Arrays.copyOf(n.data, Math.max(size, n.data.length * 2));
    } else if (size < n.size) {
      Arrays.fill(n.data, size, n.size, (byte) 0);
    }
    n.size = size;
  }

  @Override
  public synchronized FileEntry lookup(Caller caller, FileHandle directory, String name)
      throws NfsException {
    Node d = dir(directory);
    need(caller, d, 1);
    Node n = switch (name) {
      case "." -> d;
      case ".." -> d.parent;
      default -> d.children.get(name);
    };
    if (n == null) {
      throw new NfsException(NfsStatus.NOENT);
    }
    return new FileEntry(n.handle(), n.attributes());
  }

  @Override
  public synchronized int access(Caller caller, FileHandle handle, int requested) throws NfsException {
    Node n = node(handle);
    int bits = granted(caller, n);
    int result = 0;
    if ((bits & 4) != 0) {
      result |= Access.READ;
    }
    if ((bits & 2) != 0) {
      result |= Access.MODIFY | Access.EXTEND | (n.type == FileType.DIRECTORY ? Access.DELETE : 0);
    }
    if ((bits & 1) != 0) {
      result |= n.type == FileType.DIRECTORY ? Access.LOOKUP : Access.EXECUTE;
    }
    return result & requested;
  }

  @Override
  public synchronized String readlink(Caller caller, FileHandle handle) throws NfsException {
    Node n = node(handle);
    if (n.type != FileType.SYMLINK) {
      throw new NfsException(NfsStatus.INVAL);
    }
    return n.target;
  }

  @Override
  public synchronized ReadResult read(Caller caller, FileHandle handle, long offset, ByteBuffer destination)
      throws NfsException {
    Node n = node(handle);
    if (n.type == FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.ISDIR);
    }
    if (n.type != FileType.REGULAR) {
      throw new NfsException(NfsStatus.INVAL);
    }
    if (caller.uid() != n.uid) {
      need(caller, n, 4);
    }
    if (offset >= n.size) {
      return new ReadResult(0, true);
    }
    int count = (int) Math.min(destination.remaining(), n.size - offset);
    destination.put(n.data, (int) offset, count);
    return new ReadResult(count, offset + count >= n.size);
  }

  @Override
  public synchronized WriteResult write(
      Caller caller, FileHandle handle, long offset, ByteBuffer data, Stability stability)
      throws NfsException {
    Node n = node(handle);
    if (n.type == FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.ISDIR);
    }
    if (n.type != FileType.REGULAR) {
      throw new NfsException(NfsStatus.INVAL);
    }
    if (caller.uid() != n.uid) {
      need(caller, n, 2);
    }
    int count = data.remaining();
    if (offset + count > Integer.MAX_VALUE - 8) {
      throw new NfsException(NfsStatus.FBIG);
    }
    FileAttributes before = n.attributes();
    int end = (int) offset + count;
    if (end > n.size) {
      resize(n, end);
    }
    data.get(n.data, (int) offset, count);
    n.mtime = n.ctime = tick();
    return new WriteResult(count, Stability.FILE_SYNC, before);
  }

  @Override
  public synchronized void commit(Caller caller, FileHandle handle, long offset, long count)
      throws NfsException {
    node(handle);
  }

  @Override
  public synchronized FileEntry create(
      Caller caller, FileHandle directory, String name, CreateMode mode, SetAttributes attributes,
      long verifier) throws NfsException {
    Node d = dir(directory);
    need(caller, d, 3);
    checkNewName(d, name);
    Node existing = d.children.get(name);
    if (existing != null) {
      switch (mode) {
        case GUARDED -> throw new NfsException(NfsStatus.EXIST);
        case EXCLUSIVE -> {
          if (existing.hasVerifier && existing.verifier == verifier) {
            return new FileEntry(existing.handle(), existing.attributes());
          }
          throw new NfsException(NfsStatus.EXIST);
        }
        case UNCHECKED -> {
          if (existing.type == FileType.DIRECTORY) {
            throw new NfsException(NfsStatus.ISDIR);
          }
          if (attributes.size() != null) {
            return new FileEntry(existing.handle(), setattr(caller, existing.handle(),
                SetAttributes.size(attributes.size()), null));
          }
          return new FileEntry(existing.handle(), existing.attributes());
        }
      }
    }
    Node n = new Node(FileType.REGULAR, attributes.mode() != null ? attributes.mode() : 0644, caller);
    if (mode == CreateMode.EXCLUSIVE) {
      n.verifier = verifier;
      n.hasVerifier = true;
    }
    link(d, name, n);
    return new FileEntry(n.handle(), n.attributes());
  }

  @Override
  public synchronized FileEntry mkdir(
      Caller caller, FileHandle directory, String name, SetAttributes attributes) throws NfsException {
    Node d = dir(directory);
    need(caller, d, 3);
    checkNewName(d, name);
    if (d.children.containsKey(name)) {
      throw new NfsException(NfsStatus.EXIST);
    }
    Node n = new Node(FileType.DIRECTORY, attributes.mode() != null ? attributes.mode() : 0755, caller);
    link(d, name, n);
    return new FileEntry(n.handle(), n.attributes());
  }

  @Override
  public synchronized FileEntry symlink(
      Caller caller, FileHandle directory, String name, String target, SetAttributes attributes)
      throws NfsException {
    Node d = dir(directory);
    need(caller, d, 3);
    checkNewName(d, name);
    if (d.children.containsKey(name)) {
      throw new NfsException(NfsStatus.EXIST);
    }
    Node n = new Node(FileType.SYMLINK, 0777, caller);
    n.target = target;
    link(d, name, n);
    return new FileEntry(n.handle(), n.attributes());
  }

  @Override
  public synchronized FileEntry mknod(
      Caller caller, FileHandle directory, String name, FileType type, SetAttributes attributes,
      DeviceNumber device) throws NfsException {
    Node d = dir(directory);
    need(caller, d, 3);
    checkNewName(d, name);
    if (d.children.containsKey(name)) {
      throw new NfsException(NfsStatus.EXIST);
    }
    Node n = new Node(type, attributes.mode() != null ? attributes.mode() : 0644, caller);
    n.rdev = device;
    link(d, name, n);
    return new FileEntry(n.handle(), n.attributes());
  }

  @Override
  public synchronized FileAttributes link(
      Caller caller, FileHandle file, FileHandle directory, String name) throws NfsException {
    Node f = node(file);
    Node d = dir(directory);
    need(caller, d, 3);
    if (f.type == FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.ISDIR);
    }
    checkNewName(d, name);
    if (d.children.containsKey(name)) {
      throw new NfsException(NfsStatus.EXIST);
    }
    link(d, name, f);
    f.nlink++;
    f.ctime = tick();
    return f.attributes();
  }

  @Override
  public synchronized void remove(Caller caller, FileHandle directory, String name) throws NfsException {
    Node d = dir(directory);
    need(caller, d, 3);
    if (name.equals(".") || name.equals("..")) {
      throw new NfsException(NfsStatus.INVAL);
    }
    Node n = d.children.get(name);
    if (n == null) {
      throw new NfsException(NfsStatus.NOENT);
    }
    if (n.type == FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.ISDIR);
    }
    unlink(d, name);
  }

  @Override
  public synchronized void rmdir(Caller caller, FileHandle directory, String name) throws NfsException {
    Node d = dir(directory);
    need(caller, d, 3);
    if (name.equals(".") || name.equals("..")) {
      throw new NfsException(NfsStatus.INVAL);
    }
    Node n = d.children.get(name);
    if (n == null) {
      throw new NfsException(NfsStatus.NOENT);
    }
    if (n.type != FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.NOTDIR);
    }
    if (!n.children.isEmpty()) {
      throw new NfsException(NfsStatus.NOTEMPTY);
    }
    unlink(d, name);
  }

  @Override
  public synchronized void rename(
      Caller caller, FileHandle fromDirectory, String fromName, FileHandle toDirectory, String toName)
      throws NfsException {
    Node from = dir(fromDirectory);
    Node to = dir(toDirectory);
    need(caller, from, 3);
    need(caller, to, 3);
    checkNewName(to, toName);
    Node n = from.children.get(fromName);
    if (n == null) {
      throw new NfsException(NfsStatus.NOENT);
    }
    Node target = to.children.get(toName);
    if (target == n) {
      return;
    }
    if (target != null) {
      if (n.type == FileType.DIRECTORY && target.type != FileType.DIRECTORY) {
        throw new NfsException(NfsStatus.NOTDIR);
      }
      if (n.type != FileType.DIRECTORY && target.type == FileType.DIRECTORY) {
        throw new NfsException(NfsStatus.ISDIR);
      }
      if (target.type == FileType.DIRECTORY && !target.children.isEmpty()) {
        throw new NfsException(NfsStatus.NOTEMPTY);
      }
      unlink(to, toName);
    }
    for (Node p = to; n.type == FileType.DIRECTORY; p = p.parent) {
      if (p == n) {
        throw new NfsException(NfsStatus.INVAL);
      }
      if (p == root) {
        break;
      }
    }
    from.children.remove(fromName);
    from.bySeq.remove(from.seqOf.remove(fromName));
    from.mtime = from.ctime = tick();
    if (n.type == FileType.DIRECTORY) {
      from.nlink--;
    }
    link(to, toName, n);
    n.ctime = tick();
  }

  @Override
  public synchronized DirectoryPage readdir(
      Caller caller, FileHandle directory, long cookie, long verifier, int maxEntries,
      boolean withAttributes) throws NfsException {
    Node d = dir(directory);
    need(caller, d, 4);
    List<DirectoryEntry> entries = new ArrayList<>();
    long after = cookie == 0 ? -1 : cookie - 3;
    var tail = d.bySeq.tailMap(after, false);
    for (var e : tail.entrySet()) {
      if (entries.size() == maxEntries) {
        return new DirectoryPage(entries, false, 42);
      }
      Node n = d.children.get(e.getValue());
      entries.add(new DirectoryEntry(e.getValue(), n.id, e.getKey() + 3,
          withAttributes ? n.handle() : null, withAttributes ? n.attributes() : null));
    }
    return new DirectoryPage(entries, true, 42);
  }

  @Override
  public synchronized FsStat fsstat(Caller caller, FileHandle handle) throws NfsException {
    node(handle);
    return new FsStat(1L << 30, 1L << 29, 1L << 28, 1000, 900, 800);
  }
}
