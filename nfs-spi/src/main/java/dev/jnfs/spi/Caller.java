package dev.jnfs.spi;

import java.util.Arrays;
import java.util.Optional;

/**
 * Who makes a call, after the export's squash rules were applied: numeric user and group
 * ids, supplementary groups, for Kerberos callers the principal, and for I/O made under an
 * NFSv4 open that open ({@link #open()}). Immutable.
 */
public final class Caller {
  /** The superuser's id. */
  public static final int ROOT = 0;

  private final int uid;
  private final int gid;
  private final int[] groups;
  private final String principal;
  private final OpenContext open;

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
    this.open = null;
  }

  private Caller(Caller caller, OpenContext open) {
    this.uid = caller.uid;
    this.gid = caller.gid;
    this.groups = caller.groups;
    this.principal = caller.principal;
    this.open = open;
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

  /**
   * The open a READ or WRITE is made under: the current context of the open its NFSv4
   * stateid names (directly, or through a lock stateid made from it), as last given to
   * {@link NfsFileSystem#open} or {@link NfsFileSystem#openChanged}.
   * Empty for every other call, and for I/O without an open (NFSv3, NFSv4's special
   * stateids).
   *
   * @return the open, if the call is I/O under one
   */
  public Optional<OpenContext> open() {
    return Optional.ofNullable(open);
  }

  /**
   * @param open the open the call is made under, or null for none
   * @return this caller making its call under {@code open}
   */
  public Caller withOpen(OpenContext open) {
    return open == this.open ? this : new Caller(this, open);
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
