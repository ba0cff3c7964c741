package dev.jnfs.v4;

import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.OpenContext;

/**
 * What the stateless operations need from NFSv4 state (clients, leases, opens, locks), which
 * lives in {@code dev.jnfs.v4.state}. The server holds one instance; it is thread-safe.
 * {@link #PERMISSIVE} is the stand-in without a state engine: it accepts every stateid and
 * names no open.
 */
public interface Nfs4StateService {

  /** What an I/O operation is about to do with a file. */
  enum Io {
    /** READ. */
    READ,
    /** WRITE. */
    WRITE,
    /** SETATTR of the size (a truncate or extend counts as a write, RFC 8881 §18.30.3). */
    SET_SIZE
  }

  /**
   * Checks that {@code stateid} permits an I/O on {@code file} (RFC 7530 §9.1.4.3–9.1.4.4,
   * RFC 8881 §8.2.2–8.2.5 and §9.1.4): the special anonymous stateid is subject to share
   * reservations, the bypass stateid to locks only for READ; an open or lock stateid must
   * belong to the file with a compatible access mode and not be old, stale or expired; no
   * other client's mandatory lock or share deny may conflict over the range. Renews the
   * owning client's lease in 4.0. {@link Stateid#CURRENT} was already replaced by the current
   * stateid.
   *
   * @param ctx the COMPOUND
   * @param stateid the stateid the operation carries
   * @param file the file (the current filehandle, an exported object)
   * @param io what is done
   * @param offset the first byte touched
   * @param length the bytes touched (for SET_SIZE: from the new size to the old end)
   * @return the backend's context of the open the stateid names (for a lock stateid, the
   *     open it was made from), which the backend call then carries ({@link
   *     dev.jnfs.spi.Caller#withOpen}); null for a special stateid
   * @throws Nfs4Exception BAD_STATEID, STALE_STATEID, OLD_STATEID, EXPIRED, ADMIN_REVOKED,
   *     DELEG_REVOKED, OPENMODE, LOCKED, GRACE, SHARE_DENIED, and DELAY while another client's
   *     delegation of the file is recalled before a WRITE or size change (for a READ: its write
   *     delegation)
   */
  OpenContext checkIo(
      CompoundContext ctx, Stateid stateid, Nfs4Handle.Exported file, Io io, long offset, long length)
      throws Nfs4Exception;

  /**
   * Before another change of a file than I/O (REMOVE or RENAME of it or over it, LINK to it,
   * SETATTR): recalls the delegations of the file held by other clients than the COMPOUND's
   * (RFC 8881 §10.4.2).
   *
   * @param ctx the COMPOUND
   * @param file the file about to change
   * @throws Nfs4Exception DELAY while a delegation is being recalled
   */
  default void recallBeforeChange(CompoundContext ctx, Nfs4Handle.Exported file) throws Nfs4Exception {}

  /**
   * {@link #recallBeforeChange(CompoundContext, Nfs4Handle.Exported)} for a change that carries
   * a stateid (SETATTR): in 4.0, whose COMPOUNDs name no client, the stateid's client is the
   * caller, so that a delegation's holder does not recall its own delegation.
   *
   * @param ctx the COMPOUND
   * @param file the file about to change
   * @param stateid the stateid the change carries
   * @throws Nfs4Exception DELAY while a delegation is being recalled
   */
  default void recallBeforeChange(CompoundContext ctx, Nfs4Handle.Exported file, Stateid stateid)
      throws Nfs4Exception {
    recallBeforeChange(ctx, file);
  }

  /**
   * The size and change attributes a GETATTR presents of a file another client may hold a
   * write delegation of (RFC 8881 §10.4.3): the holder's, asked with CB_GETATTR, once it
   * modified the file; else the server's.
   *
   * @param ctx the COMPOUND
   * @param file the file
   * @param atServer its attributes at the server
   * @return the attributes to present ({@code atServer} when no other client holds a write
   *     delegation of the file)
   * @throws Nfs4Exception DELAY while the delegation is recalled instead
   */
  default FileAttributes attributesOf(CompoundContext ctx, Nfs4Handle.Exported file, FileAttributes atServer)
      throws Nfs4Exception {
    return atServer;
  }

  /** @return whether any delegation is held at all (a quick test, without the state lock) */
  default boolean holdsDelegations() {
    return false;
  }

  /** @return the lease period in seconds (the {@code lease_time} attribute) */
  int leaseTimeSeconds();

  /**
   * Adds the stateful operations to the registry. Called once at start-up, after the
   * stateless ones are registered.
   *
   * @param registry the server's operations
   */
  default void registerOperations(OperationRegistry registry) {}

  /**
   * @return whether a state operation may wait, for stable storage (a client's first OPEN or
   *     LOCK records it on disk) or for a write delegation's holder (CB_GETATTR), so that no
   *     COMPOUND may run on a network thread now; asked for each call
   */
  default boolean mayBlock() {
    return false;
  }

  /** Releases what the service holds (its stable records); called once the server stopped. */
  default void close() {}

  /** Accepts every stateid; a 90 second lease. */
  Nfs4StateService PERMISSIVE =
      new Nfs4StateService() {
        @Override
        public OpenContext checkIo(
            CompoundContext ctx, Stateid stateid, Nfs4Handle.Exported file, Io io, long offset, long length) {
          return null;
        }

        @Override
        public int leaseTimeSeconds() {
          return 90;
        }
      };
}
