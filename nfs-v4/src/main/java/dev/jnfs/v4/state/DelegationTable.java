package dev.jnfs.v4.state;

import dev.jnfs.lock.FileKey;
import dev.jnfs.lock.LockManager;
import dev.jnfs.lock.ShareReservation;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.NfsException;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import dev.jnfs.xdr.XdrEncoder;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delegations (RFC 8881 §10.2, §10.4; RFC 7530 §10.2, §10.4): granting read and write
 * delegations at OPEN, DELEGRETURN, recalling them when another client (or an anonymous
 * stateid, NFSv3, the embedding application) is about to use the file in a way they do not
 * allow, and asking a write delegation's holder for the size and change of the file (CB_GETATTR)
 * before another client's GETATTR. Runs under the state lock; callbacks (CB_RECALL,
 * CB_RECALL_ANY, CB_GETATTR) are sent by threads that never hold it.
 *
 * <ul>
 *   <li><b>Granting.</b> Only to a client with a usable callback path ({@link CallbackPath}: a
 *       4.1 session's back channel, or a 4.0 client's probed callback connection), while nobody
 *       holds byte-range locks on the file, no recall of it is running and fewer than {@link
 *       StateConfig#maxDelegations()} delegations are held (at the cap, clients holding
 *       delegations are asked to return half of theirs with CB_RECALL_ANY, at most once a
 *       lease). A <em>read</em> delegation goes with an OPEN for reading while no other client
 *       has the file open for writing or holds a write delegation of it; a <em>write</em>
 *       delegation (when the server allows them, and to 4.1 clients only: a 4.0 COMPOUND does
 *       not say which client sends it, so the holder's own GETATTR could not be told from
 *       another's) with an OPEN for writing while no other client has the file open at all or
 *       holds any delegation of it. In 4.1 the OPEN's
 *       OPEN4_SHARE_ACCESS_WANT_* flags may ask for either kind whatever the access. One
 *       delegation per client and file: a client holding a read delegation that opens the file
 *       for writing keeps it and gets no write delegation (no atomic upgrade, RFC 8881
 *       §18.16.3's WND4_NOT_SUPP_UPGRADE), and none with an OPEN that still needs OPEN_CONFIRM
 *       (4.0). Sessions whose RPCSEC_GSS callback context is gone get none.
 *   <li><b>Conflicts.</b> Anything another client does to the file conflicts with a write
 *       delegation: an OPEN, READ, WRITE, SETATTR, LOCK, REMOVE, RENAME of or over it, LINK to
 *       it, and NFSv3's READ, GETATTR and changes; a read delegation conflicts only with
 *       changes (an OPEN for writing, WRITE, SETATTR, LOCK, REMOVE, RENAME, LINK). The
 *       conflicting call starts the recall and is answered DELAY (RFC 8881 §10.4.2; NFSv3
 *       JUKEBOX) until the delegation is returned or revoked; the client retries. The holder's
 *       own calls never conflict: it flushes a write delegation's data with WRITE and COMMIT
 *       under the delegation or its open stateid before DELEGRETURN.
 *   <li><b>CB_GETATTR</b> ({@link CbGetattr}; RFC 8881 §10.4.3, RFC 7530 §10.4.3). Another
 *       client's GETATTR of a write-delegated file asks the holder for size and change, and
 *       answers with the holder's size and, once the holder's answer shows the file modified,
 *       a change attribute that advanced past every one presented before ({@link
 *       Delegation#presentChange}) and the current time as modification and metadata times. A
 *       CB_GETATTR that fails or gets no answer in time starts the recall instead (DELAY).
 *   <li><b>Revocation.</b> A delegation not returned within one lease after its recall began
 *       is revoked at the next conflicting attempt: the conflicting call proceeds, the holder's
 *       stateid answers DELEG_REVOKED, and its SEQUENCE carries
 *       SEQ4_STATUS_RECALLABLE_STATE_REVOKED until FREE_STATEID (§8.2.4, §18.46.3). A recall
 *       that cannot be sent (no back channel, no answer) is not retried: the lease bounds it.
 * </ul>
 */
final class DelegationTable {
  private static final Logger LOG = LoggerFactory.getLogger(DelegationTable.class);
  /** The bits of read and write delegations in CB_RECALL_ANY's type mask (RFC 8881 §20.6.1). */
  private static final int RCA4_TYPE_MASK_RDATA_DLG = 0;
  private static final int RCA4_TYPE_MASK_WDATA_DLG = 1;

  /** Why an OPEN got no delegation (RFC 8881 §18.16.3's why_no_delegation4, in its terms). */
  enum Refusal {
    /** The server grants no delegations. */
    OFF,
    /** The server grants read delegations only and a write delegation was wanted. */
    WRITE_OFF,
    /** Resources: the client has no usable callback path, or the cap is reached. */
    RESOURCE,
    /** Another client's open, delegation or lock, or a running recall, stands in the way. */
    CONTENTION,
    /** The client holds a read delegation and a write one would be an upgrade. */
    UPGRADE,
    /** The client holds a write delegation and a read one would be a downgrade. */
    DOWNGRADE
  }

  /**
   * What {@link #grant} decided.
   *
   * @param delegation the delegation granted, or null
   * @param refusal why none was granted, or null when one was
   */
  record Decision(Delegation delegation, Refusal refusal) {
    static Decision refused(Refusal why) {
      return new Decision(null, why);
    }
  }

  private final Object lock;
  private final StateConfig config;
  private final boolean writeDelegations;
  private final ClientTable clients;
  private final Leases leases;
  private final LockManager lockManager;
  private final DelegationIndex index;
  /** When CB_RECALL_ANY was last sent (under the lock), so the cap asks at most once a lease. */
  private Instant lastRecallAny = Instant.MIN;

  /**
   * @param writeDelegations whether write delegations may be granted besides read ones
   */
  DelegationTable(Object lock, StateConfig config, boolean writeDelegations, ClientTable clients, Leases leases,
      LockManager lockManager, DelegationIndex index) {
    this.lock = lock;
    this.config = config;
    this.writeDelegations = writeDelegations;
    this.clients = clients;
    this.leases = leases;
    this.lockManager = lockManager;
    this.index = index;
  }

  /** @return whether any delegation is in force (read without the lock) */
  boolean any() {
    return index.count() > 0;
  }

  /** @return whether any write delegation is in force (read without the lock) */
  boolean anyWrite() {
    return index.writeCount() > 0;
  }

  /** @return whether the server grants any delegations at all */
  boolean granting() {
    return config.maxDelegations() > 0;
  }

  /**
   * Decides whether an OPEN just granted also gets a delegation, and grants it.
   *
   * @param client the opening client
   * @param file the file
   * @param fileHandle its NFSv4 file handle
   * @param write whether a write delegation is wanted, else a read delegation
   * @param change the file's change attribute now (a write delegation's starting point for
   *     CB_GETATTR)
   * @return the delegation granted, or why none was
   */
  Decision grant(ClientRecord client, OpenFile file, byte[] fileHandle, boolean write, long change) {
    synchronized (lock) {
      if (config.maxDelegations() == 0) {
        return Decision.refused(Refusal.OFF);
      }
      if (write && !writeDelegations) {
        return Decision.refused(Refusal.WRITE_OFF);
      }
      if (write && client.minorVersion == 0) {
        // a 4.0 COMPOUND names no client, so the holder's own GETATTR cannot be told from
        // another client's and would draw a CB_GETATTR or a recall about its own file; the
        // Linux 4.0 client holding write delegations hangs (smoke.sh's append step)
        return Decision.refused(Refusal.WRITE_OFF);
      }
      if (client.backChannel() == null) {
        return Decision.refused(Refusal.RESOURCE);
      }
      if (index.count() >= config.maxDelegations()) {
        askToReturnSome();
        return Decision.refused(Refusal.RESOURCE);
      }
      for (Delegation d : index.on(file.key())) {
        if (d.client == client) {
          return Decision.refused(d.write == write ? Refusal.CONTENTION
              : write ? Refusal.UPGRADE : Refusal.DOWNGRADE);
        }
        if (write || d.write || d.recallDeadline != null) {
          return Decision.refused(Refusal.CONTENTION);
        }
      }
      boolean othersOpen = write
          ? index.openedByOthers(client, file.key())
          : index.openedForWritingByOthers(client, file.key());
      if (othersOpen || !lockManager.locks(file.key()).isEmpty()) {
        return Decision.refused(Refusal.CONTENTION);
      }
      Delegation d = new Delegation(client, client.newStateIndex(), file, fileHandle.clone(), write, change);
      client.states.put(d.index, d);
      index.add(d);
      return new Decision(d, null);
    }
  }

  /**
   * Recalls the delegations that conflict with a change of {@code file} by {@code caller}:
   * every delegation of another client. Revokes those whose recall outlived a lease.
   *
   * @param caller the client about to change the file, or null when unknown (an anonymous
   *     stateid, 4.0 without a stateid)
   * @param file the file
   * @throws Nfs4Exception DELAY while a conflicting delegation is still held
   */
  void recallConflicting(ClientRecord caller, OpenFile file) throws Nfs4Exception {
    if (index.count() != 0 && recall(caller, file.key(), false)) {
      throw new Nfs4Exception(Nfs4Status.DELAY, "delegation being recalled");
    }
  }

  /**
   * Recalls the write delegations another client than {@code caller} holds on {@code file}
   * before it is read (READ, or an OPEN for reading): their holders may have cached writes.
   *
   * @param caller the client about to read, or null when unknown
   * @param file the file
   * @throws Nfs4Exception DELAY while a write delegation is still held
   */
  void recallBeforeRead(ClientRecord caller, OpenFile file) throws Nfs4Exception {
    if (index.writeCount() != 0 && recall(caller, file.key(), true)) {
      throw new Nfs4Exception(Nfs4Status.DELAY, "write delegation being recalled");
    }
  }

  /**
   * Grants an OPEN once no other client's delegation of the file stands in the way (any for an
   * OPEN for writing, write delegations for an OPEN for reading), both under the state lock, so
   * that no delegation is granted between the check and the open.
   *
   * @param caller the opening client
   * @param file the file
   * @param writing whether the OPEN asks for write access
   * @param open the grant
   * @return what the grant returned
   * @throws Nfs4Exception DELAY while a delegation is recalled; the grant's errors
   * @throws NfsException the grant's backend errors
   */
  OpenGrant open(ClientRecord caller, OpenFile file, boolean writing, OpenStep open)
      throws Nfs4Exception, NfsException {
    synchronized (lock) {
      if (writing) {
        recallConflicting(caller, file);
      } else {
        recallBeforeRead(caller, file);
      }
      return open.grant();
    }
  }

  /** An OPEN's grant, run under the state lock by {@link #open}. */
  @FunctionalInterface
  interface OpenStep {
    OpenGrant grant() throws Nfs4Exception, NfsException;
  }

  /**
   * {@link #recallConflicting} for a change by no NFSv4 client: NFSv3, the embedding
   * application ({@link dev.jnfs.protocol.DelegationRecalls}).
   *
   * @param file the file about to change
   * @return true when the change may proceed, false while a recall runs
   */
  boolean recallBeforeChange(FileKey file) {
    return index.count() == 0 || !recall(null, file, false);
  }

  /**
   * {@link #recallBeforeRead} for a read by no NFSv4 client (NFSv3 READ and GETATTR).
   *
   * @param file the file about to be read
   * @return true when the read may proceed, false while a recall runs
   */
  boolean recallBeforeRead(FileKey file) {
    return index.writeCount() == 0 || !recall(null, file, true);
  }

  /** @return whether a write delegation of {@code file} is held (none is recalled) */
  boolean writeDelegated(FileKey file) {
    if (index.writeCount() == 0) {
      return false;
    }
    synchronized (lock) {
      for (Delegation d : index.on(file)) {
        if (d.write) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Recalls or revokes the delegations of others than {@code caller} (only the write ones when
   * {@code writesOnly}); @return whether any is still held.
   */
  private boolean recall(ClientRecord caller, FileKey file, boolean writesOnly) {
    synchronized (lock) {
      boolean held = false;
      Instant now = leases.now();
      for (Delegation d : index.on(file)) {
        if (d.client == caller || (writesOnly && !d.write)) {
          continue;
        }
        if (d.recallDeadline == null) {
          d.recallDeadline = now.plus(config.leaseTime());
          startRecall(d);
          held = true;
        } else if (now.isAfter(d.recallDeadline)) {
          revoke(d);
        } else {
          held = true;
        }
      }
      return held;
    }
  }

  /**
   * The attributes another client's GETATTR presents of a file another client may hold a
   * write delegation of (RFC 8881 §10.4.3): with none, the server's own; else the holder is
   * asked with CB_GETATTR, waiting for its answer a bounded time, never under the state lock.
   *
   * @param caller the asking client, or null when unknown (4.0): a holder asking about its own
   *     file is then asked too, and answers from its cache
   * @param file the file
   * @param atServer the file's attributes at the server
   * @param mayWait whether the calling thread may wait for the holder's answer; when not, the
   *     delegation is recalled instead
   * @return the attributes to present
   * @throws Nfs4Exception DELAY while the delegation is recalled (CB_GETATTR failed, could not
   *     be waited for, or a recall was already running)
   */
  FileAttributes presentedAttributes(ClientRecord caller, OpenFile file, FileAttributes atServer, boolean mayWait)
      throws Nfs4Exception {
    Delegation d;
    synchronized (lock) {
      d = index.writeDelegationOfOthers(caller, file.key());
      if (d == null) {
        return atServer;
      }
      if (d.recallDeadline != null || !mayWait) {
        recallBeforeRead(caller, file);
        return atServer; // revoked: the server's attributes are the file's
      }
    }
    CbGetattr.Answer holder;
    try {
      holder = CbGetattr.ask(d);
    } catch (BackChannel.CallbackFailure e) {
      LOG.debug("CB_GETATTR to {} failed: {}; recalling", d.client, e.getMessage());
      recallBeforeRead(caller, file);
      return atServer;
    }
    long change = d.presentChange(holder.change(), holder.size(), atServer.change(), atServer.size());
    if (change == atServer.change()) {
      return atServer; // the holder modified nothing
    }
    // modified at the holder: its size, and the server's time as modification and metadata time
    Instant now = leases.now();
    return new FileAttributes(atServer.type(), atServer.mode(), atServer.nlink(), atServer.uid(), atServer.gid(),
        holder.size(), atServer.used(), atServer.rdev(), atServer.fsid(), atServer.fileid(), atServer.atime(),
        now, now, change);
  }

  /** Revokes a delegation (under the lock): 4.1 keeps its stateid until FREE_STATEID. */
  private void revoke(Delegation d) {
    LOG.debug("delegation {} of {} not returned in time: revoked", d.index, d.client);
    index.remove(d);
    d.released = true;
    if (d.client.minorVersion > 0) {
      d.revoked = true;
      d.revokedAfterRecall = true;
      d.client.revokedDelegations++;
    } else {
      d.client.states.remove(d.index);
    }
  }

  /**
   * At the cap: asks every 4.1 client holding delegations to return half of them (CB_RECALL_ANY,
   * RFC 8881 §20.6), at most once a lease. Under the lock; the calls go from a virtual thread.
   */
  private void askToReturnSome() {
    Instant now = leases.now();
    if (now.isBefore(lastRecallAny.plus(config.leaseTime()))) {
      return;
    }
    lastRecallAny = now;
    for (ClientRecord c : clients.all()) {
      int held = c.delegationCount;
      if (held > 0 && c.minorVersion > 0) { // CB_RECALL_ANY is 4.1's
        byte[] args = recallAnyArguments(held / 2);
        Thread.ofVirtual().name("cb-recall-any").start(() -> {
          CallbackPath channel = c.backChannel();
          if (channel == null) {
            return;
          }
          try {
            channel.call(BackChannel.OP_CB_RECALL_ANY, args);
          } catch (BackChannel.CallbackFailure e) {
            LOG.debug("CB_RECALL_ANY to {} failed: {}", c, e.getMessage());
          }
        });
      }
    }
  }

  /** CB_RECALL_ANY4args: how many to keep, and the type mask of read and write delegations. */
  private byte[] recallAnyArguments(int keep) {
    int mask = 1 << RCA4_TYPE_MASK_RDATA_DLG | (writeDelegations ? 1 << RCA4_TYPE_MASK_WDATA_DLG : 0);
    ByteBuf buf = Unpooled.buffer();
    try {
      new XdrEncoder(buf).writeInt(keep).writeInt(1).writeInt(mask);
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  /** Sends CB_RECALL from a virtual thread; its outcome only matters through DELEGRETURN. */
  private void startRecall(Delegation d) {
    byte[] args = recallArguments(d);
    Thread.ofVirtual().name("cb-recall").start(() -> {
      CallbackPath channel = d.client.backChannel();
      if (channel == null) {
        LOG.debug("no back channel to recall delegation {} of {}", d.index, d.client);
        return;
      }
      try {
        BackChannel.Result r = channel.call(BackChannel.OP_CB_RECALL, args);
        if (r.status() != Nfs4Status.OK) {
          LOG.debug("CB_RECALL of {} answered {}", d.client, r.status());
        }
      } catch (BackChannel.CallbackFailure e) {
        LOG.debug("CB_RECALL of {} failed: {}", d.client, e.getMessage());
      }
    });
  }

  /** CB_RECALL4args: the stateid, truncate (false), the file handle. */
  private static byte[] recallArguments(Delegation d) {
    ByteBuf buf = Unpooled.buffer();
    try {
      XdrEncoder e = new XdrEncoder(buf);
      d.stateid().encode(e);
      e.writeBoolean(false);
      e.writeOpaque(d.fileHandle);
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  /**
   * DELEGRETURN (RFC 8881 §18.6): forgets the delegation.
   *
   * @param caller the session's client, or null in 4.0
   * @param stateid the delegation stateid
   * @param file the current file
   * @throws Nfs4Exception BAD_STATEID (not a delegation of this file), DELEG_REVOKED,
   *     STALE_STATEID, EXPIRED, OLD_STATEID
   */
  void delegreturn(ClientRecord caller, Stateid stateid, StateidTable stateids, OpenFile file)
      throws Nfs4Exception {
    synchronized (lock) {
      Delegation d = stateids.resolve(stateid, caller, Delegation.class);
      StateidTable.checkSeqid(d, stateid);
      if (!d.file.equals(file)) {
        throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "delegation of another file");
      }
      index.remove(d);
      d.released = true;
      d.client.states.remove(d.index);
    }
  }
}
