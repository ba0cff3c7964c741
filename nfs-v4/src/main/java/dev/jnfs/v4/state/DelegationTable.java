package dev.jnfs.v4.state;

import dev.jnfs.lock.FileKey;
import dev.jnfs.lock.LockManager;
import dev.jnfs.lock.ShareReservation;
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
 * Read delegations (RFC 8881 §10.2, §10.4): granting them at OPEN, DELEGRETURN, and recalling
 * them when another client (or an anonymous stateid) is about to change the file. Runs under
 * the state lock; the recall itself, CB_RECALL on the holder's back channel, is sent from a
 * virtual thread that never holds the lock.
 *
 * <ul>
 *   <li><b>Granting.</b> A client with a usable callback path ({@link CallbackPath}: a 4.1
 *       session's back channel, or a 4.0 client's probed callback connection) that
 *       opens a regular file for reading only, while no other client has it open for writing,
 *       nobody holds byte-range locks on it, no recall of it is running and fewer than {@link
 *       StateConfig#maxDelegations()} delegations are held (at the cap, clients holding
 *       delegations are asked to return half of theirs with CB_RECALL_ANY, at most once a
 *       lease). One delegation per client and
 *       file, and none with an OPEN that still needs OPEN_CONFIRM (4.0). Sessions whose
 *       RPCSEC_GSS callback context is gone get none. Write delegations are not granted.
 *   <li><b>Conflicts.</b> An OPEN for writing, a WRITE, SETATTR, REMOVE, RENAME of or over the
 *       file or LINK to it by anyone but the holder (NFSv3 and the embedding application
 *       included, through {@link #recallBeforeChange}) starts the recall and is answered DELAY (RFC 8881 §10.4.2) until the delegation
 *       is returned or revoked; the client retries.
 *   <li><b>Revocation.</b> A delegation not returned within one lease after its recall began
 *       is revoked at the next conflicting attempt: the conflicting call proceeds, the holder's
 *       stateid answers DELEG_REVOKED, and its SEQUENCE carries
 *       SEQ4_STATUS_RECALLABLE_STATE_REVOKED until FREE_STATEID (§8.2.4, §18.46.3). A recall
 *       that cannot be sent (no back channel, no answer) is not retried: the lease bounds it.
 * </ul>
 */
final class DelegationTable {
  private static final Logger LOG = LoggerFactory.getLogger(DelegationTable.class);
  /** The bit of read delegations in CB_RECALL_ANY's type mask (RFC 8881 §20.6.1). */
  private static final int RCA4_TYPE_MASK_RDATA_DLG = 0;

  private final Object lock;
  private final StateConfig config;
  private final ClientTable clients;
  private final Leases leases;
  private final LockManager lockManager;
  private final DelegationIndex index;
  /** When CB_RECALL_ANY was last sent (under the lock), so the cap asks at most once a lease. */
  private Instant lastRecallAny = Instant.MIN;

  DelegationTable(Object lock, StateConfig config, ClientTable clients, Leases leases,
      LockManager lockManager, DelegationIndex index) {
    this.lock = lock;
    this.config = config;
    this.clients = clients;
    this.leases = leases;
    this.lockManager = lockManager;
    this.index = index;
  }

  /** @return whether any delegation is in force (read without the lock) */
  boolean any() {
    return index.count() > 0;
  }

  /**
   * Decides whether an OPEN just granted also gets a read delegation, and grants it.
   *
   * @param client the opening client
   * @param file the file
   * @param fileHandle its NFSv4 file handle
   * @param share the access and denial the OPEN asked for
   * @return the delegation, or null with none granted
   */
  Delegation grant(ClientRecord client, OpenFile file, byte[] fileHandle, ShareReservation share) {
    synchronized (lock) {
      if (config.maxDelegations() == 0 || share.access() != ShareReservation.READ
          || client.backChannel() == null) {
        return null;
      }
      if (index.count() >= config.maxDelegations()) {
        askToReturnSome();
        return null;
      }
      for (Delegation d : index.on(file.key())) {
        if (d.client == client || d.recallDeadline != null) {
          return null;
        }
      }
      if (!lockManager.locks(file.key()).isEmpty() || index.openedForWritingByOthers(client, file.key())) {
        return null;
      }
      Delegation d = new Delegation(client, client.newStateIndex(), file, fileHandle.clone());
      client.states.put(d.index, d);
      index.add(d);
      return d;
    }
  }

  /**
   * Recalls the delegations that conflict with a change of {@code file} by {@code caller}:
   * every delegation of another client (all are read delegations, so only writes conflict).
   * Revokes those whose recall outlived a lease.
   *
   * @param caller the client about to change the file, or null when unknown (an anonymous
   *     stateid, NFSv3)
   * @param file the file
   * @throws Nfs4Exception DELAY while a conflicting delegation is still held
   */
  void recallConflicting(ClientRecord caller, OpenFile file) throws Nfs4Exception {
    if (index.count() != 0 && recall(caller, file.key())) {
      throw new Nfs4Exception(Nfs4Status.DELAY, "delegation being recalled");
    }
  }

  /**
   * Grants an OPEN for writing once no other client's delegation of the file stands in the way,
   * both under the state lock, so that no delegation is granted between the check and the open.
   *
   * @param caller the opening client
   * @param file the file
   * @param open the grant
   * @return what the grant returned
   * @throws Nfs4Exception DELAY while a delegation is recalled; the grant's errors
   * @throws NfsException the grant's backend errors
   */
  OpenGrant openForWriting(ClientRecord caller, OpenFile file, OpenStep open) throws Nfs4Exception, NfsException {
    synchronized (lock) {
      recallConflicting(caller, file);
      return open.grant();
    }
  }

  /** An OPEN's grant, run under the state lock by {@link #openForWriting}. */
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
    return index.count() == 0 || !recall(null, file);
  }

  /** Recalls or revokes the delegations of others than {@code caller}; @return whether any is still held. */
  private boolean recall(ClientRecord caller, FileKey file) {
    synchronized (lock) {
      boolean held = false;
      Instant now = leases.now();
      for (Delegation d : index.on(file)) {
        if (d.client == caller) {
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

  /** CB_RECALL_ANY4args: how many to keep, and the type mask RCA4_TYPE_MASK_RDATA_DLG. */
  private static byte[] recallAnyArguments(int keep) {
    ByteBuf buf = Unpooled.buffer();
    try {
      new XdrEncoder(buf).writeInt(keep).writeInt(1).writeInt(1 << RCA4_TYPE_MASK_RDATA_DLG);
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
