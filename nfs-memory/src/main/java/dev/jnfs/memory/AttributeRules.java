package dev.jnfs.memory;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.TimeUpdate;
import java.time.Instant;
import java.util.List;

/**
 * Who may change which attribute, and how a change is applied (POSIX chmod, chown, truncate,
 * utimensat rules): checks come first and throw, so a refused SETATTR changes nothing. Callers
 * hold the inode's write lock.
 */
final class AttributeRules {
  private AttributeRules() {}

  /** Checks every change first, so that a refused SETATTR changes nothing. */
  static void check(Caller caller, Inode inode, SetAttributes changes)
      throws NfsException {
    if (changes.size() != null) {
      if (inode.isDirectory()) {
        throw new NfsException(NfsStatus.ISDIR, "size of a directory");
      }
      if (inode.type != FileType.REGULAR || changes.size() < 0) {
        throw new NfsException(NfsStatus.INVAL, "size of a " + inode.type);
      }
      if (changes.size() > InMemoryFileSystem.MAX_FILE_SIZE) {
        throw new NfsException(NfsStatus.FBIG, "size " + changes.size());
      }
      if (!Permissions.mayWriteData(caller, inode)) {
        throw new NfsException(NfsStatus.ACCES, "size change needs write permission");
      }
    }
    boolean ownerOrRoot = Permissions.isOwnerOrRoot(caller, inode);
    if (changes.mode() != null && !ownerOrRoot) {
      throw new NfsException(NfsStatus.PERM, "mode change needs ownership");
    }
    if (changes.uid() != null
        && !caller.isRoot()
        && !(Permissions.isOwner(caller, inode) && changes.uid() == inode.uid)) {
      throw new NfsException(NfsStatus.PERM, "owner change needs the superuser");
    }
    if (changes.gid() != null
        && !caller.isRoot()
        && !(Permissions.isOwner(caller, inode)
            && (changes.gid() == inode.gid || caller.inGroup(changes.gid())))) {
      throw new NfsException(NfsStatus.PERM, "group change needs ownership and membership");
    }
    checkTimes(changes);
    for (TimeUpdate update : List.of(changes.atime(), changes.mtime())) {
      if (update instanceof TimeUpdate.ClientTime && !ownerOrRoot) {
        throw new NfsException(NfsStatus.PERM, "setting a chosen time needs ownership");
      }
      if (update instanceof TimeUpdate.ServerTime
          && !ownerOrRoot
          && !Permissions.may(caller, inode, Permissions.WRITE)) {
        throw new NfsException(NfsStatus.ACCES, "touching needs write permission or ownership");
      }
    }
  }

  /** A client time must be a time. */
  private static void checkTimes(SetAttributes changes) throws NfsException {
    if ((changes.atime() instanceof TimeUpdate.ClientTime a && a.time() == null)
        || (changes.mtime() instanceof TimeUpdate.ClientTime m && m.time() == null)) {
      throw new NfsException(NfsStatus.INVAL, "a client time without a value");
    }
  }

  /** Applies checked changes; the inode's write lock is held. */
  static void apply(
      Caller caller, Inode inode, SetAttributes changes, Instant now, SpaceAccount space) {
    boolean ownerChanged =
        (changes.uid() != null && changes.uid() != inode.uid)
            || (changes.gid() != null && changes.gid() != inode.gid);
    if (changes.uid() != null) {
      inode.uid = changes.uid();
    }
    if (changes.gid() != null) {
      inode.gid = changes.gid();
    }
    if (changes.mode() != null) {
      int mode = changes.mode() & 07777;
      if (!caller.isRoot() && !caller.inGroup(inode.gid)) {
        mode &= ~Permissions.SET_GID; // POSIX chmod: only group members may set set-group-id
      }
      inode.mode = mode;
    } else if (ownerChanged && !inode.isDirectory()) {
      clearSetIds(inode);
    }
    if (changes.size() != null) {
      inode.content.truncate(changes.size(), space);
      inode.mtime = now;
    }
    inode.atime = timeOf(changes.atime(), now, inode.atime);
    inode.mtime = timeOf(changes.mtime(), now, inode.mtime);
    inode.changed(now);
  }

  /** A change of owner or of data by a non-superuser drops set-user-id and set-group-id. */
  static void clearSetIds(Inode inode) {
    inode.mode &= ~Permissions.SET_UID;
    if ((inode.mode & 0010) != 0) {
      inode.mode &= ~Permissions.SET_GID;
    }
  }

  static Instant timeOf(TimeUpdate update, Instant now, Instant current) {
    return switch (update) {
      case TimeUpdate.Unchanged u -> current;
      case TimeUpdate.ServerTime s -> now;
      case TimeUpdate.ClientTime c -> c.time();
    };
  }

  /** Initial owner and group follow SETATTR's rules (only root gives objects away); times are checked. */
  static void checkInitial(Caller caller, SetAttributes attributes)
      throws NfsException {
    checkTimes(attributes);
    if (caller.isRoot()) {
      return;
    }
    if (attributes.uid() != null && attributes.uid() != caller.uid()) {
      throw new NfsException(NfsStatus.PERM, "only the superuser creates for another owner");
    }
    if (attributes.gid() != null && !caller.inGroup(attributes.gid())) {
      throw new NfsException(NfsStatus.PERM, "group " + attributes.gid() + " is not the caller's");
    }
  }
}
