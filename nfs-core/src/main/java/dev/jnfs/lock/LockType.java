package dev.jnfs.lock;

/**
 * The kind of a byte-range lock: many readers may share a range; a writer excludes everyone
 * else. (NFSv4's blocking variants READW_LT and WRITEW_LT map to the same two kinds.)
 */
public enum LockType {
  /** A shared lock: conflicts only with another owner's WRITE lock. */
  READ,
  /** An exclusive lock: conflicts with any other owner's lock. */
  WRITE;

  /**
   * @param other the type of another owner's lock on an overlapping range
   * @return whether the two cannot be held together
   */
  public boolean conflictsWith(LockType other) {
    return this == WRITE || other == WRITE;
  }
}
