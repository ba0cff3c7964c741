package dev.jnfs.localfs;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Turns handles into paths and paths into ids, never trusting that the disk still looks as
 * the index remembers.
 *
 * <p>A handle's path is built from the index (each node knows its parent and name), so a
 * rename made through NFS moves a whole subtree by updating one node. Before use, the object
 * found at that path must still be the one the id was given to: same type, same file key
 * (dev and inode), same birth time where the provider has them. Otherwise (deleted, or
 * renamed or replaced by another program) the handle answers STALE; a new LOOKUP then finds
 * the object again. Paths are built one validated component at a time from the root and
 * every attribute read uses {@code NOFOLLOW_LINKS}; every directory between the root and the
 * object must still be a directory, not a symlink (a symlink in the middle of a path would be
 * followed by the operating system), so no symlink is ever followed. Where attribute reads are
 * confined ({@link AttributeAccess#confinesReads}) the read itself refuses such a symlink and
 * the directories are not checked one by one.
 */
final class ObjectResolver {
  private static final int MAX_DEPTH = 4096;

  private final Path root;
  private final PersistentIdIndex index;
  private final AttributeAccess attributes;
  private final KeptAttributes kept;
  private final ProviderTraits traits;
  private final HandleCodec handles;
  private final ReentrantReadWriteLock paths = new ReentrantReadWriteLock();
  /**
   * Write-locked with {@link #paths} by every move: a resolve that saw no move begin or end
   * while it ran ({@link StampedLock#validate}) is as good as one made under the read lock,
   * without the read lock's per-thread hold count (a thread-local map made per call on a
   * virtual thread, and a shared counter every call writes).
   */
  private final StampedLock moves = new StampedLock();
  /** The stamp of the move in progress; under {@link #paths}' write lock. */
  private long moveStamp;

  ObjectResolver(Path root, PersistentIdIndex index, AttributeAccess attributes, KeptAttributes kept,
      ProviderTraits traits, HandleCodec handles) {
    this.root = root;
    this.index = index;
    this.attributes = attributes;
    this.kept = kept;
    this.traits = traits;
    this.handles = handles;
  }

  /**
   * An object found from a handle or name.
   *
   * @param node what the index knows
   * @param path where it is now
   * @param attrs its attributes, with index-kept ones applied
   */
  record Resolved(Node node, Path path, Snapshot attrs) {
    long id() {
      return node.id();
    }
  }

  Resolved resolve(FileHandle handle) throws NfsException {
    long id = handles.decode(handle);
    return resolve(id);
  }

  /** An action that needs paths to stay put while it runs. */
  interface PathAction<T> {
    T run() throws NfsException;
  }

  /**
   * Runs an action while no rename moves objects, so the paths it builds from the index match
   * the disk. Renames run under {@link #lockForMove()}.
   */
  <T> T withStablePaths(PathAction<T> action) throws NfsException {
    paths.readLock().lock();
    try {
      return action.run();
    } finally {
      paths.readLock().unlock();
    }
  }

  /** Holds off path users while a rename moves an object on disk and in the index. */
  void lockForMove() {
    paths.writeLock().lock();
    moveStamp = moves.writeLock();
  }

  void unlockMove() {
    moves.unlockWrite(moveStamp);
    paths.writeLock().unlock();
  }

  /**
   * Resolves an object by id, first without the lock: reading the index and the disk has no
   * effect a retry must undo (attributes read may be kept, {@link KeptAttributes}, which are
   * the object's whatever its path), so when no move ran meanwhile the answer stands, else it
   * is made again under the lock.
   */
  Resolved resolve(long id) throws NfsException {
    return resolveUnlessMoved(id, false, 0);
  }

  /**
   * As {@link #resolve(FileHandle)}, giving the attributes kept where they may be ({@link
   * KeptAttributes}): for calls that only read attributes (GETATTR, ACCESS, and the directory
   * of a LOOKUP or READDIR), whose objects are often asked about again unchanged. Calls that
   * change an object or read its data read its attributes from the file system: their own
   * changes raise the events that would drop what was kept, so keeping would only cost.
   */
  Resolved resolveForReading(FileHandle handle, Caller caller) throws NfsException {
    return resolveUnlessMoved(handles.decode(handle), true, kept.since(caller.receivedAt()));
  }

  /** @param since for {@code useKept}, what the read must see ({@link KeptAttributes#since}) */
  private Resolved resolveUnlessMoved(long id, boolean useKept, long since) throws NfsException {
    long stamp = moves.tryOptimisticRead();
    if (stamp != 0) {
      try {
        Resolved r = resolveNow(id, useKept, since);
        if (moves.validate(stamp)) {
          return r;
        }
      } catch (NfsException e) {
        if (moves.validate(stamp)) {
          throw e;
        }
      }
    }
    return withStablePaths(() -> resolveNow(id, useKept, since));
  }

  private Resolved resolveNow(long id, boolean useKept, long since) throws NfsException {
    Node node = index.get(id);
    if (node == null) {
      throw new NfsException(index.wasIssued(id) ? NfsStatus.STALE : NfsStatus.BADHANDLE, "unknown id " + id);
    }
    Path path = pathOf(node);
    Snapshot s;
    try {
      if (attributes.confinesReads()) { // the read itself refuses a symlink on the way (ELOOP)
        s = useKept ? readKept(node, path, since) : attributes.read(path);
      } else {
        requireDirectoriesAbove(path);
        s = attributes.read(path);
      }
    } catch (NoSuchFileException e) {
      throw new NfsException(NfsStatus.STALE, "object " + id + " is gone");
    } catch (IOException e) {
      throw Errors.map(e);
    }
    if (!isSameObject(node, s)) {
      throw new NfsException(NfsStatus.STALE, "object " + id + " was replaced");
    }
    return new Resolved(node, path, s.withOverrides(node));
  }

  /**
   * Reads an object's attributes through {@link KeptAttributes}: a directory's by its own
   * watch, another object's by its directory's.
   */
  private Snapshot readKept(Node node, Path path, long since) throws IOException {
    if (node.type() == FileType.DIRECTORY) {
      return keepsFor(node) ? kept.directory(node.id(), node.key(), path, since) : attributes.read(path);
    }
    Node parent = index.get(node.parent());
    if (parent == null || !keepsFor(parent)) {
      return attributes.read(path);
    }
    return kept.entry(parent.id(), parent.key(), path.getParent(), node.name(), path, since);
  }

  /**
   * Whether attributes kept of a directory and its entries ({@link KeptAttributes}) may stand
   * for what a walk from the root finds: for the root, and for a directory right below it,
   * whose own watch reports its move or removal. Deeper, another program moving a directory in
   * between out of the export (or swapping it for a symlink) raises no event on the watched
   * one, and only the walk notices that the object is no longer in the export (STALE).
   */
  boolean keepsFor(Node directory) {
    return directory.id() == PersistentIdIndex.ROOT_ID || directory.parent() == PersistentIdIndex.ROOT_ID;
  }

  /**
   * Whether {@link #resolveForReading} would now find the object's attributes kept, and a
   * LOOKUP in it (a directory) its entries' ({@link KeptAttributes#holds}): a forecast, from the
   * index and what is kept alone, that such a read touches no file.
   */
  boolean findsKept(FileHandle handle) {
    Node node;
    try {
      node = index.get(handles.decode(handle));
    } catch (NfsException e) {
      return false;
    }
    if (node == null || !attributes.confinesReads()) {
      return false;
    }
    if (node.type() == FileType.DIRECTORY) {
      return keepsFor(node) && kept.holds(node.id(), null);
    }
    Node parent = index.get(node.parent());
    return parent != null && keepsFor(parent) && kept.holds(parent.id(), node.name());
  }

  /**
   * Forgets the attributes kept of an object ({@link KeptAttributes}) after a change through
   * this backend that raises no event on its directory (a read moving its access time, a
   * hard link): its next read is from the file system.
   */
  void forgetKept(Node node) {
    boolean directory = node.type() == FileType.DIRECTORY;
    kept.forget(directory ? node.id() : node.parent(), directory ? null : node.name());
  }

  /**
   * Checks that every component between the root and {@code path} is a directory, not a
   * symlink: the operating system follows a symlink in the middle of a path, so a directory
   * that another program moved out of the export and replaced by a symlink to its new place
   * would lead every object below it outside the export, with its identity intact.
   *
   * @throws NfsException STALE when one is not
   */
  private void requireDirectoriesAbove(Path path) throws IOException, NfsException {
    Path p = path.getParent();
    while (p != null && !p.equals(root)) {
      if (!Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
        throw new NfsException(NfsStatus.STALE, p + " is no longer a directory of the export");
      }
      p = p.getParent();
    }
  }

  Path pathOf(Node node) throws NfsException {
    List<String> names = new ArrayList<>();
    Node n = node;
    while (n.id() != PersistentIdIndex.ROOT_ID) {
      names.add(n.name());
      n = index.get(n.parent());
      if (n == null || names.size() > MAX_DEPTH) {
        throw new NfsException(NfsStatus.STALE, "object " + node.id() + " lost its parent");
      }
    }
    Path p = root;
    for (int i = names.size() - 1; i >= 0; i--) {
      p = p.resolve(names.get(i));
    }
    return p;
  }

  /** @return the path of a name inside a directory */
  Path child(Path directory, String name) throws NfsException {
    try {
      Path p = directory.resolve(name);
      if (p.getParent() == null || !p.getParent().equals(directory) || p.getNameCount() != directory.getNameCount() + 1) {
        throw new NfsException(NfsStatus.BADNAME, "not a single component");
      }
      return p;
    } catch (InvalidPathException e) {
      throw new NfsException(NfsStatus.BADNAME, "invalid name for this file system");
    }
  }

  /**
   * @return whether {@code s} was read from the object {@code node} was given to: same type,
   *     same file key and birth time where both sides have them (the root: still a directory)
   */
  static boolean isSameObject(Node node, Snapshot s) {
    if (node.id() == PersistentIdIndex.ROOT_ID) {
      return s.isDirectory();
    }
    if (node.type() != s.type()) {
      return false;
    }
    if (node.key() != null && s.key() != null && !s.key().equals(node.key())) {
      return false;
    }
    return node.birth() == Node.NO_TIME || s.birth() == Node.NO_TIME || node.birth() == s.birth();
  }

  /**
   * Finds or makes the id of the object at {@code path}, named {@code name} in the directory
   * {@code parent}.
   *
   * @param nameIsStored whether {@code name} is known to be in the case stored on disk
   * @return the object's node
   */
  Node bind(long parent, Path path, String name, Snapshot s, boolean nameIsStored) throws NfsException {
    // Fast path without the lock: the name is the object's main name and it is unchanged.
    Long seen = index.idAt(parent, name);
    if (seen != null) {
      Node known = index.get(seen);
      if (known != null && isSameObject(known, s) && known.parent() == parent
          && traits.fold(known.name()).equals(traits.fold(name)) && !identityGrew(known, s)) {
        return known;
      }
    }
    synchronized (this) {
      return bindLocked(parent, path, name, s, nameIsStored);
    }
  }

  /**
   * @return whether {@code s} was read from the object of {@code node} and adds nothing to how
   *     the index recognises it: the node can be handed out as it is
   */
  boolean isCurrent(Node node, Snapshot s) {
    return isSameObject(node, s) && !identityGrew(node, s);
  }

  private static boolean identityGrew(Node known, Snapshot s) {
    return (known.key() == null && s.key() != null) || (known.birth() == Node.NO_TIME && s.birth() != Node.NO_TIME);
  }

  private Node bindLocked(long parent, Path path, String name, Snapshot s, boolean nameIsStored)
      throws NfsException {
    Long id = index.idAt(parent, name);
    if (id != null) {
      Node known = index.get(id);
      if (known != null && isSameObject(known, s)) {
        if (known.parent() != parent || !traits.fold(known.name()).equals(traits.fold(name))) {
          // found under another hard link: if the remembered name is gone, this one replaces it
          if (!stillThere(known)) {
            String stored = nameIsStored || !traits.caseInsensitive() ? name : storedName(path, name);
            Node moved = known.movedTo(parent, stored).withIdentity(s.key(), s.birth());
            index.update(moved, false);
            return moved;
          }
        }
        return refreshIdentity(known, s);
      }
    }
    String stored = nameIsStored || !traits.caseInsensitive() ? name : storedName(path, name);
    Long byKey = index.idForKey(s.key());
    if (byKey != null && byKey != PersistentIdIndex.ROOT_ID) {
      Node known = index.get(byKey);
      if (known != null && isSameObject(known, s)) {
        if (stillThere(known)) {
          if (known.isNamed(parent, stored, traits::fold)) {
            return known;
          }
          Node linked = known.withAliases(list -> { // another hard link to it
            list.add(new Node.Location(parent, stored));
            return list;
          });
          index.update(linked, false);
          return linked;
        }
        Node moved = known.movedTo(parent, stored); // renamed by another program
        index.update(moved, false);
        return moved;
      }
    }
    return index.mint(parent, stored, s.type(), s.key(), s.birth(), false);
  }

  private Node refreshIdentity(Node known, Snapshot s) {
    if (identityGrew(known, s)) {
      Node updated = known.withIdentity(s.key(), s.birth());
      index.update(updated, false);
      return updated;
    }
    return known;
  }

  private boolean stillThere(Node node) {
    try {
      Snapshot s = attributes.read(pathOf(node));
      return isSameObject(node, s);
    } catch (IOException | NfsException e) {
      return false;
    }
  }

  private static String storedName(Path path, String name) throws NfsException {
    try {
      Path real = path.toRealPath(LinkOption.NOFOLLOW_LINKS);
      Path last = real.getFileName();
      return last == null ? name : last.toString();
    } catch (IOException e) {
      return name;
    }
  }
}
