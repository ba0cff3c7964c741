package dev.jnfs.localfs;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;

/**
 * POSIX permission checks of a {@link Caller} against an object's owner, group and mode. The
 * server process may run as the superuser, so the backend decides, never the OS. The
 * superuser passes every check except execute on a file with no execute bit at all.
 */
final class PermissionCheck {
  static final int READ = 4;
  static final int WRITE = 2;
  static final int EXECUTE = 1;

  private PermissionCheck() {}

  /** @return whether the caller holds all of {@code wanted} (a mask of READ, WRITE, EXECUTE) */
  static boolean holds(Caller caller, Snapshot object, int wanted) {
    if (caller.isRoot()) {
      if ((wanted & EXECUTE) == 0 || object.type() == FileType.DIRECTORY) {
        return true;
      }
      return (object.mode() & 0111) != 0;
    }
    int bits;
    if (caller.uid() == object.uid()) {
      bits = object.mode() >> 6;
    } else if (caller.inGroup(object.gid())) {
      bits = object.mode() >> 3;
    } else {
      bits = object.mode();
    }
    return (bits & wanted & 7) == wanted;
  }

  static void require(Caller caller, Snapshot object, int wanted) throws NfsException {
    if (!holds(caller, object, wanted)) {
      throw new NfsException(NfsStatus.ACCES, "permission denied for " + caller);
    }
  }

  /** @return whether the caller owns the object or is the superuser */
  static boolean ownsOrRoot(Caller caller, Snapshot object) {
    return caller.isRoot() || caller.uid() == object.uid();
  }

  /**
   * The sticky-bit rule for removing or renaming an entry: in a sticky directory only the
   * directory's owner, the entry's owner or the superuser may do it.
   */
  static void requireMayUnlink(Caller caller, Snapshot directory, Snapshot entry) throws NfsException {
    if ((directory.mode() & 01000) != 0 && !caller.isRoot()
        && caller.uid() != directory.uid() && caller.uid() != entry.uid()) {
      throw new NfsException(NfsStatus.ACCES, "sticky directory");
    }
  }

  /** Answers NFS ACCESS: the subset of {@code requested} the caller holds. */
  static int access(Caller caller, Snapshot object, int requested) {
    int granted = 0;
    boolean dir = object.type() == FileType.DIRECTORY;
    if (holds(caller, object, READ)) {
      granted |= Access.READ;
    }
    if (holds(caller, object, WRITE)) {
      granted |= Access.MODIFY | Access.EXTEND | (dir ? Access.DELETE : 0);
    }
    if (holds(caller, object, EXECUTE)) {
      granted |= dir ? Access.LOOKUP : Access.EXECUTE;
    }
    return granted & requested;
  }
}
