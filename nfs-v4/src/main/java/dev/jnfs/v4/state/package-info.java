/**
 * NFSv4 state: client identities, leases, the grace period, 4.1 sessions with their reply
 * cache, open and lock owners, stateids, and the operations that manage them.
 *
 * <h2>Pieces</h2>
 *
 * <ul>
 *   <li>{@link dev.jnfs.v4.state.StateModule}, the {@link dev.jnfs.v4.Nfs4StateFactory}
 *       the protocol finds through {@link java.util.ServiceLoader}, builds the server's state
 *       service from a {@link dev.jnfs.v4.StateConfig} (lease, grace, session limits), a
 *       clock and the server's {@link dev.jnfs.lock.LockManager}; the service registers the
 *       operations below and checks the stateids of READ, WRITE and SETATTR of the size. This
 *       package depends on {@code dev.jnfs.v4}, never the other way round.
 *   <li>{@code StateEngine} assembles the state from parts with one job each, whose methods
 *       are the rules of RFC 7530 §9 and §16 and RFC 8881 §2.4, §2.10, §8 and §18, each
 *       documented where it is implemented:
 *       <ul>
 *         <li>{@code ClientTable}: the client records, by index and by name, and the
 *             registry of their sessions by id;
 *         <li>{@code Leases}: lease renewal and expiry (the sweep) and the grace period;
 *         <li>{@code ClientIds}: SETCLIENTID, SETCLIENTID_CONFIRM, EXCHANGE_ID,
 *             DESTROY_CLIENTID and the clientid checks of 4.0 operations;
 *         <li>{@code SessionTable}: CREATE_SESSION, SEQUENCE and its slots, DESTROY_SESSION;
 *         <li>{@code StateidTable}: which state a stateid names and whether it is current,
 *             the I/O check, TEST_STATEID, FREE_STATEID, 4.0 owner seqids;
 *         <li>{@code OpenTable}: open-owners, OPEN, OPEN_CONFIRM, OPEN_DOWNGRADE, CLOSE;
 *         <li>{@code LockTable}: lock-owners and lock states, LOCK, LOCKT, LOCKU,
 *             RELEASE_LOCKOWNER; {@code LockWaiters}: 4.1 clients denied a blocking lock,
 *             sent CB_NOTIFY_LOCK when the lock manager reports the conflict released;
 *         <li>{@code DelegationTable} (with {@code DelegationIndex}): read and write
 *             delegations, DELEGRETURN, recalls, revocation, and {@code CbGetattr} for a write
 *             delegation's size and change; {@code BackChannel}: a session's callback
 *             path (CB_COMPOUND with CB_SEQUENCE over the connection bound to it), with the
 *             credential {@code CallbackSecurity} chose;
 *         <li>{@code CopyTable} (with {@code CopyState}): asynchronous COPY, its copy
 *             stateids, OFFLOAD_STATUS, OFFLOAD_CANCEL and CB_OFFLOAD;
 *         <li>{@code StateRelease} and {@code BackendOpens}: giving back what a state holds
 *             in the lock manager and the backend, and telling the backend of opens;
 *         <li>{@code StableClients}: which clients may reclaim after a restart, kept in a
 *             {@code ClientRecordStore} (the seam for a store shared by several servers):
 *             {@code ClientRecordLog}, an append-only checksummed log in the subdirectory
 *             {@code nfs4} of the server's state directory, or nothing without one.
 *       </ul>
 *       The operation classes ({@code OpOpen}, {@code OpLock}, {@code OpSequence}, ...)
 *       decode arguments, call the part they need and encode results.
 *   <li><b>One lock.</b> Every part changes state under one lock, the state lock owned by
 *       {@code StateEngine}: the tables are not independent (a lease that expires drops the
 *       client's sessions, opens and locks at once; CLOSE drops the lock states made from the
 *       open; FREE_STATEID and RELEASE_LOCKOWNER must see no locks held and then forget the
 *       owner), and one lock keeps each such step atomic without an order between locks to
 *       get wrong. Changes are short: no I/O but the backend's open hooks, the lock manager's
 *       calls and a client's stable record (written once per client and server instance; with
 *       a state directory COMPOUNDs therefore never run on a network thread). Two paths do not
 *       take it: the stateid check of every READ and WRITE reads concurrent maps and volatile
 *       fields, and SEQUENCE locks only its session's slot table (the session's monitor), so
 *       sessions never wait for each other.
 *   <li>Identifiers carry a random boot verifier chosen at start-up (so two servers started
 *       at once do not mint the same ids): a clientid is (boot, client index), a stateid's
 *       {@code other} is (boot, client index, state index), a sessionid (boot, client index,
 *       session index), so those of an earlier server instance answer STALE_CLIENTID or
 *       STALE_STATEID.
 * </ul>
 *
 * <h2>Choices</h2>
 *
 * <ul>
 *   <li><b>Leases</b> are checked lazily, at most once a second, by the next call. A 4.0 client
 *       whose lease ran out is forgotten with its opens and locks (its clientid and stateids
 *       then answer EXPIRED, as Linux knfsd does). A 4.1 client loses its opens and locks but
 *       keeps its sessions for a few more leases, so SEQUENCE can set
 *       SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED and the client can TEST_STATEID and FREE_STATEID.
 *   <li><b>Grace and stable client records</b> (RFC 8881 §8.4.2–8.4.3, RFC 7530 §9.6.2–9.6.3).
 *       Locks are not persisted, only which clients may hold them. During the grace period
 *       reclaims (CLAIM_PREVIOUS, LOCK with reclaim) are accepted and new opens and locks
 *       answer GRACE. With a state directory only the clients recorded by the previous
 *       instance may reclaim (others get NO_GRACE); a client is recorded before it can hold
 *       state it would reclaim (4.0: its first OPEN or LOCK; 4.1: its global RECLAIM_COMPLETE,
 *       or its first new OPEN or LOCK when it had not sent one), forgotten before its locks
 *       are released when its state goes, and records the previous instance left that were
 *       not renewed are dropped at the end of grace. The grace period is skipped when no
 *       client is recorded and ends early once every recorded client has sent
 *       RECLAIM_COMPLETE, never while a 4.0 client (which has no such operation) is recorded,
 *       as in Linux knfsd. Without a state directory nothing is known: any client may reclaim
 *       during the grace period, which ends at its length or once every client present has
 *       finished reclaiming (RECLAIM_COMPLETE in 4.1, the first new OPEN, LOCK or LOCKT in
 *       4.0).
 *   <li><b>Server identity.</b> EXCHANGE_ID answers the server's identity ({@link
 *       dev.jnfs.protocol.ServerContext#serverIdentity()}) as so_major_id and server scope, so
 *       clients trunk and reclaim only between servers configured to share it.
 *   <li><b>4.0 ordering.</b> Open- and lock-owners order their requests by seqid: the next
 *       one runs, the last one is answered from the owner's cached reply, others are
 *       BAD_SEQID. A first OPEN needs OPEN_CONFIRM.
 *   <li><b>4.1 exactly-once.</b> SEQUENCE accepts a request on a slot; when sa_cachethis is
 *       set the whole COMPOUND reply is kept, and a retry with the same slot and seqid gets
 *       those bytes without running anything again.
 *   <li><b>Delegations</b>: read and write delegations (write ones to 4.1 clients only, unless the server grants
 *       read ones only: {@link dev.jnfs.protocol.ServerContext#writeDelegations()}), for 4.1
 *       clients whose session has a usable back channel and 4.0 clients whose callback address
 *       answered the CB_NULL probe ({@code Callback40}), up to {@link
 *       dev.jnfs.v4.StateConfig#maxDelegations()} (0, the default, grants none); see {@code
 *       DelegationTable} for when they are granted, recalled and revoked. Recalls are never
 *       waited for under the state lock: the conflicting call answers DELAY and retries.
 *       Sessions whose RPCSEC_GSS callback context expired or went away get none, nor do
 *       4.0 clients whose SETCLIENTID came over RPCSEC_GSS. What recalls a read delegation:
 *       another client's OPEN for writing, WRITE, SETATTR, LOCK, REMOVE, RENAME of or over the
 *       file, LINK to it; a write delegation, also any other client's OPEN and READ; NFSv3 and
 *       the embedding application through {@link dev.jnfs.protocol.DelegationRecalls}, which
 *       this state registers with the server (NFSv3 READ and GETATTR recall write delegations).
 *       Another client's GETATTR of a write-delegated file asks the holder with CB_GETATTR and
 *       waits for it: while a write delegation is held COMPOUNDs run on workers ({@code
 *       StateService.mayBlock}), and a GETATTR that finds itself off a virtual thread recalls
 *       instead. DELEGPURGE and CLAIM_DELEGATE_PREV are not supported, as RFC 7530 §16.5 pairs
 *       them.
 *   <li><b>Asynchronous copies</b> (RFC 7862 §4.4, §4.8): a copy stateid belongs to the client
 *       whose session started the copy and names its destination; it permits no I/O and is
 *       released by OFFLOAD_CANCEL, once the client has the outcome (CB_OFFLOAD answered, or
 *       OFFLOAD_STATUS after the end; an outcome CB_OFFLOAD could not deliver is kept a lease),
 *       or with its session or client. Each copy runs on a virtual thread of its own and checks
 *       between chunks whether it was cancelled; the worker takes the state lock only to record
 *       its end. Stopping the server cancels every copy and waits a bounded time for them.
 *   <li><b>Like Linux knfsd:</b> byte-range locks are not enforced on I/O; CLOSE releases the
 *       locks of the lock stateids made from the open, which then answer BAD_STATEID;
 *       READ is allowed with any open, WRITE needs write access (OPENMODE); special stateids
 *       meet share denials with LOCKED.
 *   <li>The backend hears of each open: {@code open} when an open-owner first opens a file,
 *       with an {@link dev.jnfs.spi.OpenContext} (access, denial, owner) the backend may attach
 *       an object to; {@code openChanged} when an OPEN upgrade or OPEN_DOWNGRADE changes its
 *       modes; {@code close} at CLOSE or when the client's state goes. READ and WRITE under an
 *       open or lock stateid carry the open's context in their {@link dev.jnfs.spi.Caller};
 *       special stateids carry none.
 * </ul>
 */
package dev.jnfs.v4.state;
