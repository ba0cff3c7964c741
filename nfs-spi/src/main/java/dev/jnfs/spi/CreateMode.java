package dev.jnfs.spi;

/** How CREATE treats an existing name (RFC 1813 §3.3.8, RFC 7530 §16.16). */
public enum CreateMode {
  /**
   * Create, or open the existing regular file and apply the size if one is given (size 0
   * truncates). Other attributes are not applied to an existing file, which may belong to
   * someone else; an existing object of another type fails (ISDIR for a directory, else EXIST).
   */
  UNCHECKED,
  /** Create; fail with {@link NfsStatus#EXIST} if the name exists. */
  GUARDED,
  /**
   * Create atomically with a client verifier stored with the file; a retry carrying the same
   * verifier on the existing file succeeds, any other existing object fails with EXIST.
   */
  EXCLUSIVE
}
