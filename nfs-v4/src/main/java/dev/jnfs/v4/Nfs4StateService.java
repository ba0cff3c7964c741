package dev.jnfs.v4;

import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.OpenContext;
import java.util.OptionalInt;

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

  /**
   * The work of an asynchronous COPY (RFC 7862 §4.4), which the state service runs on a thread
   * of its own, chunk by chunk, so that it can stop between chunks (OFFLOAD_CANCEL, the end of
   * the session, client or server) and report its progress (OFFLOAD_STATUS). Called by one
   * thread at a time.
   */
  interface OffloadedCopy {
    /**
     * Copies the next chunk of the range.
     *
     * @return the bytes the chunk copied; 0 once nothing is left to copy
     * @throws NfsException what the backend answered (the copy ends with that status)
     */
    long copyChunk() throws NfsException;

    /** @return the destination's NFSv4 file handle, which CB_OFFLOAD names ({@code coa_fh}) */
    byte[] destinationHandle();

    /** @return the write verifier the copied bytes are UNSTABLE under ({@code wr_writeverf}) */
    long verifier();
  }

  /**
   * What OFFLOAD_STATUS answers (RFC 7862 §15.9).
   *
   * @param copied the bytes copied so far ({@code osr_count})
   * @param complete the copy's nfsstat4 once it is over ({@code osr_complete}); empty while it runs
   */
  record OffloadStatus(long copied, OptionalInt complete) {}

  /**
   * Starts an asynchronous COPY into {@code destination}, when the COMPOUND's client can be told
   * of its end: a session whose client has a usable back channel for CB_OFFLOAD, and fewer
   * asynchronous copies of that client running than the service allows.
   *
   * @param ctx the COMPOUND (its session names the client the copy belongs to)
   * @param destination the file copied into (OFFLOAD_STATUS and OFFLOAD_CANCEL name it too)
   * @param copy the work
   * @return the copy stateid ({@code wr_callback_id}), or null when the copy must run
   *     synchronously instead (RFC 7862 §15.2.3 leaves that choice to the server)
   * @throws Nfs4Exception OP_NOT_IN_SESSION without a session
   */
  default Stateid startCopy(CompoundContext ctx, Nfs4Handle.Exported destination, OffloadedCopy copy)
      throws Nfs4Exception {
    return null;
  }

  /**
   * OFFLOAD_STATUS (RFC 7862 §15.9) of one of the COMPOUND's client's asynchronous copies. Once
   * the status reports the copy's end, the copy stateid is released (the client has the result).
   *
   * @param ctx the COMPOUND
   * @param stateid the copy stateid
   * @param file the current filehandle, the copy's destination
   * @return the progress, and the outcome once done
   * @throws Nfs4Exception BAD_STATEID (unknown, released, another client's or another file's,
   *     not a copy stateid, seqid 0), STALE_STATEID, EXPIRED
   */
  default OffloadStatus offloadStatus(CompoundContext ctx, Stateid stateid, Nfs4Handle.Exported file)
      throws Nfs4Exception {
    throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "no asynchronous copy has this stateid");
  }

  /**
   * OFFLOAD_CANCEL (RFC 7862 §15.8): stops one of the COMPOUND's client's asynchronous copies
   * before its next chunk and releases its copy stateid; no CB_OFFLOAD follows. What was copied
   * stays copied.
   *
   * @param ctx the COMPOUND
   * @param stateid the copy stateid
   * @param file the current filehandle, the copy's destination
   * @throws Nfs4Exception as {@link #offloadStatus}
   */
  default void offloadCancel(CompoundContext ctx, Stateid stateid, Nfs4Handle.Exported file)
      throws Nfs4Exception {
    throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "no asynchronous copy has this stateid");
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

  /**
   * @return whether a COMPOUND that only reads may wait, for a write delegation's holder
   *     (CB_GETATTR), so that not even such a COMPOUND may run on a network thread now; asked
   *     for each call
   */
  default boolean mayBlockReads() {
    return false;
  }

  /**
   * Releases what the service holds: stops its asynchronous copies, waiting a bounded time for
   * their threads to end, and closes its stable records; called once the server stopped.
   */
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
