package dev.jnfs.spi;

import java.util.Arrays;
import java.util.Optional;

/**
 * Who makes a call, after the export's squash rules were applied: numeric user and group
 * ids, supplementary groups, and, for Kerberos callers, the principal. Immutable.
 */
public final class Caller {
  /** The superuser's id. */
  public static final int ROOT = 0;

  private final int uid;
  private final int gid;
  private final int[] groups;
  private final String principal;

  /**
   * @param uid the user id
   * @param gid the primary group id
   * @param groups supplementary group ids (copied)
   * @param principal a Kerberos principal, or null
   */
  public Caller(int uid, int gid, int[] groups, String principal) {
    this.uid = uid;
    this.gid = gid;
    this.groups = groups.clone();
    this.principal = principal;
  }

  /**
   * @param uid the user id
   * @param gid the primary group id
   * @param groups supplementary group ids
   * @return a caller without a principal
   */
  public static Caller of(int uid, int gid, int... groups) {
    return new Caller(uid, gid, groups, null);
  }

  /** @return the user id */
  public int uid() {
    return uid;
  }

  /** @return the primary group id */
  public int gid() {
    return gid;
  }

  /** @return a copy of the supplementary group ids */
  public int[] groups() {
    return groups.clone();
  }

  /** @return the Kerberos principal, if the call was authenticated with one */
  public Optional<String> principal() {
    return Optional.ofNullable(principal);
  }

  /** @return whether the caller is the superuser */
  public boolean isRoot() {
    return uid == ROOT;
  }

  /**
   * @param group a group id
   * @return whether the caller's primary or a supplementary group is {@code group}
   */
  public boolean inGroup(int group) {
    if (gid == group) {
      return true;
    }
    for (int g : groups) {
      if (g == group) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Caller[uid=" + uid + ", gid=" + gid + ", groups=" + Arrays.toString(groups)
        + (principal == null ? "" : ", principal=" + principal) + "]";
  }
}
