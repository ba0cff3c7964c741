package dev.jnfs.localfs;

import dev.jnfs.localfs.ObjectResolver.Resolved;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.TimeUpdate;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;

/**
 * CREATE, MKDIR, SYMLINK, MKNOD and LINK: new objects get the caller's ownership (or the
 * initial attributes' owner when the caller may give it), their mode, and an id in the index.
 */
final class ObjectCreation extends ExportState {
  private final AttributeChanges attributeChanges;
  private final SpecialNodes specialNodes;

  private static final Set<OpenOption> CREATE_READ_WRITE =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE,
          StandardOpenOption.SPARSE, LinkOption.NOFOLLOW_LINKS);

  ObjectCreation(ExportState state, AttributeChanges attributeChanges, SpecialNodes specialNodes) {
    super(state);
    this.attributeChanges = attributeChanges;
    this.specialNodes = specialNodes;
  }

  FileEntry create(Caller caller, FileHandle directory, String name, CreateMode mode,
      SetAttributes attributes, long verifier) throws NfsException {
    return namespaceLocks.forName(handles.decode(directory), traits.fold(name),
        () -> createLocked(caller, directory, name, mode, attributes, verifier));
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
    FileChannel created;
    try {
      // O_CREAT|O_EXCL first: the usual case (a new name) costs no extra lookup. The channel
      // stays open for the WRITEs that usually follow.
      created = files.open(path, CREATE_READ_WRITE);
    } catch (FileAlreadyExistsException e) {
      Snapshot existing = readIfExists(path);
      if (existing == null) {
        throw Errors.map(e); // removed again by another program meanwhile
      }
      return createOverExisting(caller, dir, path, name, existing, mode, attrs, verifier);
    } catch (IOException e) {
      throw Errors.map(e);
    }
    boolean exclusive = mode == CreateMode.EXCLUSIVE;
    Resolved made;
    try {
      made = made(caller, dir, path, name, FileType.REGULAR, exclusive ? SetAttributes.NONE : attrs, 0644,
          exclusive ? verifier : null);
    } catch (NfsException | RuntimeException e) {
      ChannelCache.closeQuietly(created);
      throw e;
    }
    commitEntry(dir, created);
    channels.adopt(made.id(), created);
    return entry(made);
  }

  /**
   * Puts a new file and its directory entry on stable storage before CREATE answers: RFC 1813
   * section 1.6 counts CREATE among the synchronous procedures, whose changes are on stable
   * storage when they return, and knfsd commits both the new inode and its directory on a
   * sync export. Forcing the directory alone would leave the inode to writeback on a file
   * system without a journal (ext4 without one, as the benchmarks' volume runs). The id
   * index's record of the file stays unforced: lost in a crash, it makes the handle STALE and
   * a LOOKUP finds the file again.
   */
  private void commitEntry(Resolved dir, FileChannel created) throws NfsException {
    try {
      created.force(true);
      files.syncDirectory(dir.path());
    } catch (IOException e) {
      ChannelCache.closeQuietly(created);
      throw Errors.map(e);
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
          attributeChanges.checkSetattr(caller, r.attrs(), size);
          attributeChanges.applyAttributes(r, size);
        }
        return entry(resolver.resolve(node.id()));
      }
    }
  }

  FileEntry mkdir(Caller caller, FileHandle directory, String name, SetAttributes attributes)
      throws NfsException {
    return namespaceLocks.forName(handles.decode(directory), traits.fold(name),
        () -> mkdirLocked(caller, directory, name, attributes));
  }

  private FileEntry mkdirLocked(Caller caller, FileHandle directory, String name, SetAttributes attributes)
      throws NfsException {
    names.checkNew(name);
    Resolved dir = writableDirectory(caller, directory, name);
    Path path = resolver.child(dir.path(), name);
    SetAttributes attrs = attributes == null ? SetAttributes.NONE : withoutSize(attributes);
    checkInitialOwnership(caller, attrs);
    try {
      files.createDirectory(path);
    } catch (IOException e) {
      throw Errors.map(e);
    }
    Resolved made = made(caller, dir, path, name, FileType.DIRECTORY, attrs, 0755, null);
    // the new directory (its "." and "..") as well as its entry, as knfsd commits both
    commitDirectory(path);
    commitDirectory(dir.path());
    return entry(made);
  }

  FileEntry symlink(Caller caller, FileHandle directory, String name, String target,
      SetAttributes attributes) throws NfsException {
    return namespaceLocks.forName(handles.decode(directory), traits.fold(name),
        () -> symlinkLocked(caller, directory, name, target, attributes));
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
    Path onDisk = SymlinkTargets.toProviderPath(root.getFileSystem(), target);
    try {
      files.createSymbolicLink(path, onDisk);
    } catch (UnsupportedOperationException e) {
      throw new NfsException(NfsStatus.NOTSUPP, "symlinks are not supported here");
    } catch (IOException e) {
      throw Errors.map(e);
    }
    Resolved made = made(caller, dir, path, name, FileType.SYMLINK, attrs, 0777, null);
    commitDirectory(dir.path());
    if (onDisk.toString().equals(target)) {
      return entry(made);
    }
    // the provider normalised the target: the index keeps it verbatim
    Node node = index.get(made.id()).withLinkTarget(target);
    index.update(node, true);
    return entry(resolver.resolve(node.id()));
  }

  FileEntry mknod(Caller caller, FileHandle directory, String name, FileType type,
      SetAttributes attributes, DeviceNumber device) throws NfsException {
    if (type == FileType.REGULAR || type == FileType.DIRECTORY || type == FileType.SYMLINK) {
      throw new NfsException(NfsStatus.BADTYPE, "mknod of a " + type);
    }
    if (!specialNodes.makes(type)) {
      throw new NfsException(NfsStatus.NOTSUPP, type + " nodes cannot be made here");
    }
    return namespaceLocks.forName(handles.decode(directory), traits.fold(name), () -> {
      names.checkNew(name);
      Resolved dir = writableDirectory(caller, directory, name);
      if ((type == FileType.BLOCK_DEVICE || type == FileType.CHAR_DEVICE) && !caller.isRoot()) {
        // as mknod(2) without CAP_MKNOD: a device node would open the server's devices
        throw new NfsException(NfsStatus.PERM, "only the superuser may make device nodes");
      }
      Path path = resolver.child(dir.path(), name);
      SetAttributes attrs = attributes == null ? SetAttributes.NONE : withoutSize(attributes);
      checkInitialOwnership(caller, attrs);
      specialNodes.make(path, type, attrs.mode() != null ? attrs.mode() & 0777 : 0644, device);
      Resolved made = made(caller, dir, path, name, type, attrs, 0644, null);
      commitDirectory(dir.path());
      return entry(made);
    });
  }

  FileAttributes link(Caller caller, FileHandle file, FileHandle directory, String name)
      throws NfsException {
    return namespaceLocks.exclusive(() -> linkLocked(caller, file, directory, name));
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
    try {
      files.createLink(path, target.path());
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
    resolver.forgetKept(target.node()); // its link count changed: an event only its own watchers get
    commitDirectory(dir.path());
    commitLinkCount(target);
    return toNfs(target.id(), refresh(target.id()).attrs());
  }

  /**
   * Forces a regular file's inode, whose link count LINK raised, as knfsd commits the file
   * too (on a file system without a journal the directory's force does not carry it). A
   * symlink, FIFO or device cannot be opened without following it or blocking; there the
   * directory's force is all, which on a journalling file system commits the inode with it.
   * A failure is answered as the I/O error it is; the link is made by then.
   */
  private void commitLinkCount(Resolved file) throws NfsException {
    if (file.attrs().type() != FileType.REGULAR) {
      return;
    }
    try (ChannelCache.Lease lease = channels.acquire(file.id(), file.path(), false)) {
      lease.channel().force(true);
    } catch (IOException e) {
      throw Errors.map(e);
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
  private Resolved made(Caller caller, Resolved dir, Path path, String name, FileType type, SetAttributes initial,
      int defaultMode, Long verifier) throws NfsException {
    try {
      Snapshot s = attributes.read(path);
      Node node = resolver.bind(dir.id(), path, name, s, true); // a racing LOOKUP may have bound it
      int uid = initial.uid() != null ? initial.uid() : caller.uid();
      int gid = initial.gid() != null ? initial.gid()
          : (dir.attrs().mode() & 02000) != 0 ? dir.attrs().gid() : caller.gid();
      int mode = initial.mode() != null && type != FileType.SYMLINK ? initial.mode() & 07777 : defaultMode;
      // With the unix view the snapshot is what the disk holds: what already matches (the
      // owner when the server runs as the caller, the mode the umask left) is not written.
      boolean ownerMatches = traits.unixView() && s.uid() == uid && s.gid() == gid;
      boolean modeMatches = traits.unixView() && type != FileType.SYMLINK && (s.mode() & 07777) == mode;
      boolean ownerOnDisk = ownerMatches || attributes.writeOwner(path, uid, gid);
      boolean modeOnDisk = type == FileType.SYMLINK || modeMatches || attributes.writeMode(path, mode, type);
      Node bound = node;
      node = node.withOwnership(modeOnDisk ? -1 : mode, ownerOnDisk ? -1 : uid, ownerOnDisk ? -1 : gid,
          traits.unixView() ? Node.NO_TIME : Times.toNanos(Instant.now()));
      if (verifier != null) {
        node = node.withVerifier(verifier);
      }
      // The id is safe without forcing (ids are reserved durably; a lost record means STALE);
      // what only the index knows (owner, mode, verifier) is forced. A node bind just stored
      // as it is needs no second record.
      boolean indexOnly = !ownerOnDisk || !modeOnDisk || verifier != null;
      if (indexOnly || !node.equals(bound)) {
        index.update(node, indexOnly);
      }
      bumpChange(dir.id());
      SetAttributes rest = new SetAttributes(null, null, null, initial.size(), initial.atime(), initial.mtime());
      if (!rest.isEmpty()) {
        attributeChanges.applyAttributes(resolver.resolve(node.id()), rest);
      } else if (ownerMatches && (modeMatches || type == FileType.SYMLINK)) {
        return new Resolved(node, path, s.withOverrides(node)); // nothing changed since the read
      }
      return resolver.resolve(node.id());
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }
}
