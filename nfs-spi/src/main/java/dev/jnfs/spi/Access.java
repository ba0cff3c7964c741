package dev.jnfs.spi;

/**
 * The access bits of NFSv3 ACCESS (RFC 1813 §3.3.4) and NFSv4 ACCESS, which share values.
 * {@link NfsFileSystem#access} receives a mask of these and answers the granted subset.
 */
public final class Access {
  /** Read data or list a directory. */
  public static final int READ = 0x01;
  /** Look up a name in a directory. */
  public static final int LOOKUP = 0x02;
  /** Rewrite data or change directory entries. */
  public static final int MODIFY = 0x04;
  /** Write past the end of a file or add directory entries. */
  public static final int EXTEND = 0x08;
  /** Delete a directory entry. */
  public static final int DELETE = 0x10;
  /** Execute a file. */
  public static final int EXECUTE = 0x20;
  /** All of the above. */
  public static final int ALL = 0x3F;

  private Access() {}

  /**
   * Which of the requested bits POSIX permissions grant a caller on an object: the helper for
   * a backend that keeps a mode, owner and group per object, as {@link NfsFileSystem#access}
   * and the permission checks of the other methods need. The first class of mode bits that
   * matches the caller counts: owner, else group ({@link Caller#inGroup}), else other. READ
   * needs {@code r}; MODIFY, EXTEND and DELETE need {@code w}; LOOKUP and EXECUTE need {@code
   * x}. DELETE and LOOKUP apply to directories only, EXECUTE to other objects only. The
   * superuser holds every bit, except EXECUTE of a file that no class may execute.
   *
   * @param caller who asks
   * @param object the object's attributes (type, mode, uid, gid)
   * @param requested a mask of access bits
   * @return the granted subset of {@code requested}
   */
  public static int grantedByMode(Caller caller, FileAttributes object, int requested) {
    boolean directory = object.type() == FileType.DIRECTORY;
    int meaningful = directory ? ALL & ~EXECUTE : READ | MODIFY | EXTEND | EXECUTE;
    int bits;
    if (caller.isRoot()) {
      bits = directory || (object.mode() & 0111) != 0 ? 7 : 6;
    } else if (caller.uid() == object.uid()) {
      bits = object.mode() >> 6 & 7;
    } else if (caller.inGroup(object.gid())) {
      bits = object.mode() >> 3 & 7;
    } else {
      bits = object.mode() & 7;
    }
    int granted = ((bits & 4) != 0 ? READ : 0)
        | ((bits & 2) != 0 ? MODIFY | EXTEND | DELETE : 0)
        | ((bits & 1) != 0 ? LOOKUP | EXECUTE : 0);
    return granted & meaningful & requested;
  }
}
