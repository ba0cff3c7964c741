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

  /** @return whether nothing is to change */
  public boolean isEmpty() {
    return mode == null && uid == null && gid == null && size == null
        && atime instanceof TimeUpdate.Unchanged && mtime instanceof TimeUpdate.Unchanged;
  }
}
