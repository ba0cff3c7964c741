package dev.jnfs.lock;

/**
 * An open's share reservation (RFC 7530 §9.9, RFC 8881 §9.7): which access the opener has
 * and which access it denies to every other opener. The bit values are NFSv4's
 * OPEN4_SHARE_ACCESS_* and OPEN4_SHARE_DENY_* values. Immutable.
 *
 * @param access a mask of {@link #READ} and {@link #WRITE}, never 0
 * @param deny a mask of {@link #READ} and {@link #WRITE}, possibly 0 (deny none)
 */
public record ShareReservation(int access, int deny) {
  /** Read access, or denial of read access. */
  public static final int READ = 1;
  /** Write access, or denial of write access. */
  public static final int WRITE = 2;
  /** Both read and write. */
  public static final int BOTH = 3;
  /** No denial. */
  public static final int NONE = 0;

  /**
   * @throws IllegalArgumentException if access is empty or a mask has unknown bits
   */
  public ShareReservation {
    if (access == 0 || (access & ~BOTH) != 0 || (deny & ~BOTH) != 0) {
      throw new IllegalArgumentException("bad share access=" + access + " deny=" + deny);
    }
  }

  /**
   * @param other another owner's reservation on the same file
   * @return whether the two cannot be held together: either denies what the other accesses
   */
  public boolean conflictsWith(ShareReservation other) {
    return (access & other.deny) != 0 || (deny & other.access) != 0;
  }

  /**
   * @param other another reservation of the same owner
   * @return the reservation holding the access and denial of both (an OPEN upgrade)
   */
  public ShareReservation union(ShareReservation other) {
    return new ShareReservation(access | other.access, deny | other.deny);
  }

  /**
   * @param other another reservation
   * @return whether this one grants and denies nothing beyond {@code other}
   */
  public boolean isSubsetOf(ShareReservation other) {
    return (access & ~other.access) == 0 && (deny & ~other.deny) == 0;
  }
}
