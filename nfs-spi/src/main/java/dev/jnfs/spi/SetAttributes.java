package dev.jnfs.spi;

/**
 * The attributes a client asks to change (NFSv3 sattr3, NFSv4 fattr4 in SETATTR, CREATE,
 * OPEN). A null field means "leave as is". Immutable.
 *
 * @param mode new permission bits (low 12 bits), or null
 * @param uid new owner, or null
 * @param gid new group, or null
 * @param size new size (truncate or extend with a hole), or null
 * @param atime how to change the access time, never null
 * @param mtime how to change the modification time, never null
 */
public record SetAttributes(
    Integer mode, Integer uid, Integer gid, Long size, TimeUpdate atime, TimeUpdate mtime) {

  /** A request that changes nothing. */
  public static final SetAttributes NONE =
      new SetAttributes(null, null, null, null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED);

  /** Rejects null time updates. */
  public SetAttributes {
    if (atime == null || mtime == null) {
      throw new IllegalArgumentException("time updates must not be null; use TimeUpdate.UNCHANGED");
    }
  }

  /**
   * @param mode permission bits
   * @return a request that sets only the mode
   */
  public static SetAttributes mode(int mode) {
    return new SetAttributes(mode, null, null, null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED);
  }

  /**
   * @param size the new size
   * @return a request that sets only the size
   */
  public static SetAttributes size(long size) {
    return new SetAttributes(null, null, null, size, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED);
  }

  /**
   * Checks that a caller may make these changes to an object under the POSIX rules {@link
   * NfsFileSystem#setattr} states, for a backend that keeps a mode, owner and group per object
   * and lets only the superuser give files away: the superuser may make any change; a mode, a
   * uid (to the owner's own) or times set to a client's value need ownership; a gid needs
   * ownership and membership of that group; a size or times set to the server's clock need
   * ownership or write permission ({@link Access#grantedByMode}), as {@link
   * NfsFileSystem#write} lets the owner write whatever the mode.
   *
   * @param caller who asks
   * @param object the object's current attributes
   * @throws NfsException PERM for a change reserved to the owner or the superuser, ACCES for
   *     one that needs write permission
   */
  public void checkPermission(Caller caller, FileAttributes object) throws NfsException {
    if (caller.isRoot()) {
      return;
    }
    boolean owner = caller.uid() == object.uid();
    boolean toClientTime =
        atime instanceof TimeUpdate.ClientTime || mtime instanceof TimeUpdate.ClientTime;
    boolean toServerTime =
        atime instanceof TimeUpdate.ServerTime || mtime instanceof TimeUpdate.ServerTime;
    if (!owner && (mode != null || uid != null || gid != null || toClientTime)
        || uid != null && uid != object.uid()
        || gid != null && !caller.inGroup(gid)) {
      throw new NfsException(NfsStatus.PERM, "change reserved to the owner or the superuser");
    }
    if (!owner && (size != null || toServerTime)
        && Access.grantedByMode(caller, object, Access.MODIFY) == 0) {
      throw new NfsException(NfsStatus.ACCES, "no write permission");
    }
  }

  /** @return whether nothing is to change */
  public boolean isEmpty() {
    return mode == null && uid == null && gid == null && size == null
        && atime instanceof TimeUpdate.Unchanged && mtime instanceof TimeUpdate.Unchanged;
  }
}
