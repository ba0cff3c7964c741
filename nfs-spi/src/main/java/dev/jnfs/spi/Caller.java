package dev.jnfs.spi;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who makes a call, after the export's squash rules were applied: numeric user and group
 * ids, supplementary groups, and, for Kerberos callers, the principal. The server also says
 * where the call comes from: the client's address, the id of the TCP connection (the id the
 * server's connection list shows; none over UDP), for NFSv4 the client id once the COMPOUND
 * has named one (a 4.1 session's client after SEQUENCE; a 4.0 client id given by the call),
 * and for an NFSv3 call that only reads when it received it ({@link #receivedAt()}). A
 * backend may log these or decide by them. For I/O made under an NFSv4 open, the
 * caller also carries that open ({@link #open()}). Immutable; the {@code with...}
 * methods return changed copies.
 */
public final class Caller {
  /** The superuser's id. */
  public static final int ROOT = 0;

  private final int uid;
  private final int gid;
  private final int[] groups;
  private final String principal;
  private final InetSocketAddress remoteAddress;
  private final OptionalLong connectionId;
  private final OptionalLong nfs4ClientId;
  private final OpenContext open;
  private final OptionalLong receivedAt;

  /**
   * @param uid the user id
   * @param gid the primary group id
   * @param groups supplementary group ids (copied)
   * @param principal a Kerberos principal, or null
   */
  public Caller(int uid, int gid, int[] groups, String principal) {
    this(uid, gid, groups.clone(), principal, null, OptionalLong.empty(), OptionalLong.empty(),
        null, OptionalLong.empty());
  }

  private Caller(
      int uid,
      int gid,
      int[] groups,
      String principal,
      InetSocketAddress remoteAddress,
      OptionalLong connectionId,
      OptionalLong nfs4ClientId,
      OpenContext open,
      OptionalLong receivedAt) {
    this.uid = uid;
    this.gid = gid;
    this.groups = groups;
    this.principal = principal;
    this.remoteAddress = remoteAddress;
    this.connectionId = connectionId;
    this.nfs4ClientId = nfs4ClientId;
    this.open = open;
    this.receivedAt = receivedAt;
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
   * @return the client's address and source port; empty when the caller was not made by the
   *     server for a call (e.g. built by a test)
   */
  public Optional<InetSocketAddress> remoteAddress() {
    return Optional.ofNullable(remoteAddress);
  }

  /**
   * @return the id of the TCP connection the call came on, as the server's connection list
   *     shows it; empty over UDP
   */
  public OptionalLong connectionId() {
    return connectionId;
  }

  /** @return the NFSv4 client id the call acts for; empty for NFSv3 and before one is known */
  public OptionalLong nfs4ClientId() {
    return nfs4ClientId;
  }

  /**
   * @param address the client's address and source port
   * @return a copy of this caller coming from {@code address}
   */
  public Caller withRemoteAddress(InetSocketAddress address) {
    return new Caller(
        uid, gid, groups, principal, Objects.requireNonNull(address, "address"),
        connectionId, nfs4ClientId, open, receivedAt);
  }

  /**
   * @param id the id of the TCP connection the call came on
   * @return a copy of this caller on that connection
   */
  public Caller withConnectionId(long id) {
    return new Caller(
        uid, gid, groups, principal, remoteAddress, OptionalLong.of(id), nfs4ClientId, open,
        receivedAt);
  }

  /**
   * @param clientId the NFSv4 client id the call acts for
   * @return a copy of this caller acting for that client
   */
  public Caller withNfs4ClientId(long clientId) {
    return new Caller(
        uid, gid, groups, principal, remoteAddress, connectionId, OptionalLong.of(clientId),
        open, receivedAt);
  }

  /**
   * The open a READ, a WRITE or a SETATTR of the size is made under: the current context of
   * the open its NFSv4 stateid names (directly, or through a lock stateid made from it), as
   * last given to {@link NfsFileSystem#open} or {@link NfsFileSystem#openChanged}. Empty for
   * every other call, and for I/O without an open (NFSv3, NFSv4's special stateids).
   *
   * @return the open, if the call is I/O under one
   */
  public Optional<OpenContext> open() {
    return Optional.ofNullable(open);
  }

  /**
   * @param open the open the call is made under, or null for none
   * @return a copy of this caller making its call under {@code open}
   */
  public Caller withOpen(OpenContext open) {
    return open == this.open
        ? this
        : new Caller(uid, gid, groups, principal, remoteAddress, connectionId, nfs4ClientId, open,
            receivedAt);
  }

  /**
   * When the server had read the whole call, as {@link System#nanoTime()} read then; known for
   * a call that changes nothing before it reads: an NFSv3 call of a procedure that only reads
   * (GETATTR, LOOKUP, ACCESS, READ, READDIR and the like), not one that changes an object and
   * then reports its attributes, nor an operation of an NFSv4 COMPOUND, whose earlier
   * operations change what the later ones must see. Every change completed before the client
   * sent the call had completed by then, and calls in flight together carry no order, so a
   * backend that keeps what it read may answer the call from what it knew at any moment after
   * this time. Without it (other calls, UDP, a caller the application built) a backend answers
   * from what holds when the call reaches it.
   *
   * @return the time, if known
   */
  public OptionalLong receivedAt() {
    return receivedAt;
  }

  /**
   * @param nanoTime {@link System#nanoTime()} as read after the whole call had been read
   * @return a copy of this caller, whose call the server received then
   */
  public Caller withReceivedAt(long nanoTime) {
    return new Caller(uid, gid, groups, principal, remoteAddress, connectionId, nfs4ClientId, open,
        OptionalLong.of(nanoTime));
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
        + (principal == null ? "" : ", principal=" + principal)
        + (remoteAddress == null ? "" : ", from " + remoteAddress)
        + (connectionId.isEmpty() ? "" : ", connection " + connectionId.getAsLong())
        + (nfs4ClientId.isEmpty() ? "" : ", client " + Long.toHexString(nfs4ClientId.getAsLong()))
        + "]";
  }
}
