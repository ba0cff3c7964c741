package dev.jnfs.memory;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;

/**
 * POSIX permission checks: the caller is judged by the owner, group or other bits (only the
 * first class it belongs to counts); the superuser passes every check except executing a file
 * that has no execute bit at all. Callers hold the inode's lock.
 */
final class Permissions {
  static final int READ = 4;
  static final int WRITE = 2;
  static final int EXECUTE = 1;
  static final int SET_UID = 04000;
  static final int SET_GID = 02000;
  static final int STICKY = 01000;

  private Permissions() {}

  /** @return whether the mode bits of the caller's class include all of {@code bits} */
  static boolean byMode(Caller caller, Inode inode, int bits) {
    int mode = inode.mode;
    int granted;
    if (caller.uid() == inode.uid) {
      granted = mode >> 6;
    } else if (caller.inGroup(inode.gid)) {
      granted = mode >> 3;
    } else {
      granted = mode;
    }
    return (granted & bits) == bits;
  }

  /** @return whether the caller holds {@code bits}, the superuser included */
  static boolean may(Caller caller, Inode inode, int bits) {
    if (caller.isRoot()) {
      return (bits & EXECUTE) == 0 || inode.isDirectory() || (inode.mode & 0111) != 0;
    }
    return byMode(caller, inode, bits);
  }

  static boolean isOwner(Caller caller, Inode inode) {
    return caller.uid() == inode.uid;
  }

  static boolean isOwnerOrRoot(Caller caller, Inode inode) {
    return caller.isRoot() || caller.uid() == inode.uid;
  }

  /** Read permission, or the owner's execute permission (NFS servers let a program load). */
  static boolean mayReadData(Caller caller, Inode inode) {
    return may(caller, inode, READ) || (isOwner(caller, inode) && (inode.mode & 0100) != 0);
  }

  /** Write permission, or ownership (NFS servers let the owner write a file it opened). */
  static boolean mayWriteData(Caller caller, Inode inode) {
    return may(caller, inode, WRITE) || isOwner(caller, inode);
  }

  /**
   * @throws NfsException ACCES unless the caller may {@code bits} on {@code inode}
   */
  static void require(Caller caller, Inode inode, int bits) throws NfsException {
    if (!may(caller, inode, bits)) {
      throw new NfsException(
          NfsStatus.ACCES, caller + " lacks " + bits + " on object " + inode.fileid);
    }
  }

  /**
   * In a sticky directory, only the owner of the directory or of the entry (or the superuser)
   * removes or renames an entry.
   *
   * @throws NfsException ACCES otherwise
   */
  static void requireStickyOwnership(Caller caller, Inode directory, Inode victim)
      throws NfsException {
    if ((directory.mode & STICKY) != 0
        && !caller.isRoot()
        && caller.uid() != directory.uid
        && caller.uid() != victim.uid) {
      throw new NfsException(
          NfsStatus.ACCES, caller + " may not remove " + victim.fileid + " from a sticky directory");
    }
  }

  /**
   * The {@link Access} bits the caller holds on the object, limited to {@code requested}.
   * Lock held by the caller. Directories: MODIFY, EXTEND and DELETE need write and search.
   */
  static int access(Caller caller, Inode inode, int requested) {
    int granted = 0;
    if (may(caller, inode, READ)) {
      granted |= Access.READ;
    }
    if (inode.isDirectory()) {
      boolean search = may(caller, inode, EXECUTE);
      if (search) {
        granted |= Access.LOOKUP;
      }
      if (search && may(caller, inode, WRITE)) {
        granted |= Access.MODIFY | Access.EXTEND | Access.DELETE;
      }
    } else {
      if (may(caller, inode, WRITE)) {
        granted |= Access.MODIFY | Access.EXTEND;
      }
      if (may(caller, inode, EXECUTE)) {
        granted |= Access.EXECUTE;
      }
    }
    return granted & requested;
  }
}
