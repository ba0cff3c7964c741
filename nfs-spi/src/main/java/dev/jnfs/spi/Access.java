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
}
