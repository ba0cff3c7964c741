package dev.jnfs.localfs;

import dev.jnfs.localfs.ObjectResolver.Resolved;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What the operations of one {@link LocalFileSystem} share: the provider's traits, the id index,
 * the resolver, the channel cache, the confined opening of files and the change counters, plus
 * the checks they all make.
 */
class ExportState {
  final Path root;
  final ProviderTraits traits;
  final PersistentIdIndex index;
  final AttributeAccess attributes;
  final ObjectResolver resolver;
  final HandleCodec handles;
  final NameRules names;
  final ChannelCache channels;
  final ConfinedFiles files;
  final ListingCache listings;
  final ChangeCounters changeCounters;
  final String hiddenName;
  final long fsid;
  /** Keeps namespace changes that touch the same entries or objects apart. */
  final NamespaceLocks namespaceLocks;

  ExportState(Path root, ProviderTraits traits, PersistentIdIndex index, AttributeAccess attributes,
      ObjectResolver resolver, HandleCodec handles, NameRules names, ChannelCache channels, ConfinedFiles files,
      String hiddenName, long fsid) {
    this.root = root;
    this.traits = traits;
    this.index = index;
    this.attributes = attributes;
    this.resolver = resolver;
    this.handles = handles;
    this.names = names;
    this.channels = channels;
    this.files = files;
    this.listings = new ListingCache();
    this.changeCounters = new ChangeCounters();
    this.hiddenName = hiddenName;
    this.fsid = fsid;
    this.namespaceLocks = new NamespaceLocks();
  }

  ExportState(ExportState other) {
    this.root = other.root;
    this.traits = other.traits;
    this.index = other.index;
    this.attributes = other.attributes;
    this.resolver = other.resolver;
    this.handles = other.handles;
    this.names = other.names;
    this.channels = other.channels;
    this.files = other.files;
    this.listings = other.listings;
    this.changeCounters = other.changeCounters;
    this.hiddenName = other.hiddenName;
    this.fsid = other.fsid;
    this.namespaceLocks = other.namespaceLocks;
  }


  /**
   * Puts a directory's changed entries on stable storage before the procedure that changed
   * them answers: RFC 1813 sections 1.6 and 4.7 count CREATE, MKDIR, SYMLINK, MKNOD, REMOVE,
   * RMDIR, RENAME and LINK as synchronous, and knfsd commits the directory on a sync export.
   * A no-op where the provider cannot open a directory.
   *
   * @throws NfsException the I/O error of forcing; the change itself is done by then, so
   *     the caller learns that it may not survive a crash, and a retry finds it made
   */
  void commitDirectory(Path directory) throws NfsException {
    try {
      files.syncDirectory(directory);
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  Resolved directory(FileHandle handle) throws NfsException {
    return requireDirectory(resolver.resolve(handle));
  }

  /** As {@link #directory}, for a call that only reads it ({@link ObjectResolver#resolveForReading}). */
  Resolved directoryToRead(FileHandle handle, Caller caller) throws NfsException {
    return requireDirectory(resolver.resolveForReading(handle, caller));
  }

  private static Resolved requireDirectory(Resolved r) throws NfsException {
    if (r.attrs().type() != FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.NOTDIR, "not a directory");
    }
    return r;
  }

  Resolved writableDirectory(Caller caller, FileHandle handle, String newName) throws NfsException {
    Resolved dir = directory(handle);
    PermissionCheck.require(caller, dir.attrs(), PermissionCheck.WRITE | PermissionCheck.EXECUTE);
    if (isHidden(dir, newName)) {
      throw new NfsException(NfsStatus.ACCES, "reserved name");
    }
    return dir;
  }

  /**
   * As {@link #regularFile}, its attributes kept ones where they may be ({@link
   * ObjectResolver#resolveForReading}): for a READ, which changes nothing they say unless it
   * moves the access time.
   */
  Resolved regularFileToRead(FileHandle handle, Caller caller) throws NfsException {
    return requireRegular(resolver.resolveForReading(handle, caller));
  }

  Resolved regularFile(FileHandle handle) throws NfsException {
    return requireRegular(resolver.resolve(handle));
  }

  private static Resolved requireRegular(Resolved r) throws NfsException {
    FileType type = r.attrs().type();
    if (type == FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.ISDIR, "a directory");
    }
    if (type != FileType.REGULAR) {
      throw new NfsException(NfsStatus.INVAL, "not a regular file");
    }
    return r;
  }

  static void requireRead(Caller caller, Snapshot s) throws NfsException {
    if (PermissionCheck.holds(caller, s, PermissionCheck.READ)) {
      return;
    }
    if (caller.uid() == s.uid() && PermissionCheck.holds(caller, s, PermissionCheck.EXECUTE)) {
      return;
    }
    throw new NfsException(NfsStatus.ACCES, "no read permission");
  }

  /** Write permission as WRITE asks it: the owner may write whatever the mode says. */
  static void requireWrite(Caller caller, Snapshot s) throws NfsException {
    if (!PermissionCheck.ownsOrRoot(caller, s)) {
      PermissionCheck.require(caller, s, PermissionCheck.WRITE);
    }
  }

  boolean isHidden(Resolved dir, String name) {
    return hiddenName != null && dir.id() == PersistentIdIndex.ROOT_ID && traits.fold(name).equals(hiddenName);
  }

  Snapshot readExisting(Path path, String name) throws NfsException {
    try {
      return attributes.read(path);
    } catch (NoSuchFileException e) {
      throw new NfsException(NfsStatus.NOENT, name);
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  Snapshot readIfExists(Path path) throws NfsException {
    try {
      return attributes.read(path);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  Resolved refresh(long id) throws NfsException {
    return resolver.resolve(id);
  }

  FileEntry entry(Resolved r) {
    return new FileEntry(handles.encode(r.id()), toNfs(r.id(), r.attrs()));
  }

  void bumpChange(long id) {
    changeCounters.bump(id);
  }

  FileAttributes toNfs(long id, Snapshot s) {
    return toNfs(id, s, changeCounters.get(id));
  }

  /** @param changes the backend's change count of the object ({@link ChangeCounters#get}) */
  FileAttributes toNfs(long id, Snapshot s, long changes) {
    long change = Times.toNanos(s.ctime()) + changes;
    return new FileAttributes(s.type(), s.mode(), s.nlink(), s.uid(), s.gid(), s.size(), s.used(), s.rdev(),
        fsid, id, s.atime(), s.mtime(), s.ctime(), change);
  }
}
