package dev.jnfs.v4.state;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.HeldLock;
import dev.jnfs.lock.LockManager;
import dev.jnfs.lock.LockType;
import dev.jnfs.lock.ShareReservation;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.OpenContext;
import dev.jnfs.spi.Owner;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All NFSv4 state of one server instance: client records, leases, the grace period, 4.1
 * sessions and their reply caches, open and lock owners, and the stateids naming opens and
 * locks. Share reservations and byte-range locks themselves live in a {@link LockManager}.
 *
 * <p>Changes run under one lock; they are short (no I/O except the backend's {@code
 * open}/{@code close} hooks). The two paths every request takes do not take it: the stateid
 * check of READ and WRITE reads concurrent maps and volatile fields, and SEQUENCE locks only
 * its session's slot table. Time comes
 * from an injected {@link InstantSource}, so lease expiry and the end of grace can be tested
 * without waiting. Expired leases are found lazily: at most once a second, the first call
 * after that looks for clients whose lease ran out (RFC 7530 §9.5, RFC 8881 §8.3). A 4.0
 * client whose lease expired is forgotten with all its state; a 4.1 client loses its opens
 * and locks (the stateids answer EXPIRED until freed) and keeps its sessions for a while, so
 * SEQUENCE can tell it with SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED.
 */
public final class StateEngine {
  private static final Logger LOG = LoggerFactory.getLogger(StateEngine.class);

  /** EXCHGID4_FLAG_UPD_CONFIRMED_REC_A. */
  static final int EXCHGID4_FLAG_UPD_CONFIRMED_REC_A = 0x40000000;
  /** EXCHGID4_FLAG_CONFIRMED_R. */
  static final int EXCHGID4_FLAG_CONFIRMED_R = 0x80000000;
  /** EXCHGID4_FLAG_USE_NON_PNFS. */
  static final int EXCHGID4_FLAG_USE_NON_PNFS = 0x00010000;
  /** SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED. */
  static final int SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED = 0x00000010;
  /** A 4.1 client with expired state is forgotten after this many further leases of silence. */
  private static final int REVOKED_CLIENT_LEASES = 4;

  private final StateConfig config;
  private final InstantSource clock;
  private final LockManager locks;
  private final SecureRandom random = new SecureRandom();
  final int boot;
  private final Instant graceEnd;
  private volatile boolean graceEndedEarly;
  private volatile Instant lastSweep;
  private int nextClientIndex = 1;
  /** Read without the lock by I/O checks and SEQUENCE; written under it. */
  private final Map<Integer, ClientRecord> clients = new ConcurrentHashMap<>();
  private final Map<ByteBuffer, ClientRecord> confirmedByOwner = new HashMap<>();
  private final Map<ByteBuffer, ClientRecord> unconfirmedByOwner = new HashMap<>();
  private final Map<ByteBuffer, Session> sessions = new ConcurrentHashMap<>();
  /** Opens the backend was told of and not yet told to close. */
  private int backendOpens;

  /**
   * @param config leases, grace and session limits
   * @param clock the time source (the system clock, or a test's)
   * @param locks where share reservations and byte-range locks are kept
   */
  public StateEngine(StateConfig config, InstantSource clock, LockManager locks) {
    this.config = config;
    this.clock = clock;
    this.locks = locks;
    int b;
    do {
      b = random.nextInt();
    } while (b == 0 || b == -1);
    this.boot = b;
    Instant now = clock.instant();
    this.graceEnd = now.plus(config.gracePeriod());
    this.lastSweep = now;
  }

  /** @return the configuration */
  public StateConfig config() {
    return config;
  }

  /** @return the lease time in whole seconds */
  public int leaseTimeSeconds() {
    return (int) Math.max(1, config.leaseTime().toSeconds());
  }

  LockManager lockManager() {
    return locks;
  }

  private Instant now() {
    return clock.instant();
  }

  // ---------------------------------------------------------------- leases and grace

  /** @return whether the server is in its grace period (RFC 7530 §9.6.2) */
  public boolean inGrace() {
    return !graceEndedEarly && now().isBefore(graceEnd);
  }

  private boolean expired(ClientRecord c, Instant now) {
    return now.isAfter(c.lastRenewal.plus(config.leaseTime()));
  }

  private void renew(ClientRecord c) {
    c.lastRenewal = now();
  }

  /** Runs {@link #sweep} from a method that does not hold the lock, when one is due. */
  private void maybeSweep() {
    if (!now().isBefore(lastSweep.plusSeconds(1))) {
      synchronized (this) {
        sweep();
      }
    }
  }

  /** Looks for expired leases, at most once a second. Called with the lock held. */
  private void sweep() {
    Instant now = now();
    if (now.isBefore(lastSweep.plusSeconds(1))) {
      return;
    }
    lastSweep = now;
    for (ClientRecord c : new ArrayList<>(clients.values())) {
      if (!expired(c, now)) {
        dropUnconfirmedOwners(c, now);
        continue;
      }
      if (!c.confirmed || c.minorVersion == 0) {
        LOG.debug("lease of {} expired; forgetting it", c);
        purge(c);
      } else if (now.isAfter(c.lastRenewal.plus(config.leaseTime().multipliedBy(REVOKED_CLIENT_LEASES + 1)))
          && !anySessionBusy(c)) {
        LOG.debug("{} silent for {} leases; forgetting it", c, REVOKED_CLIENT_LEASES + 1);
        purge(c);
      } else if (c.hasState() && !anySessionBusy(c)) {
        LOG.debug("lease of {} expired; revoking its state", c);
        revokeAll(c);
      }
    }
  }

  /**
   * Drops 4.0 open-owners never confirmed within a lease (RFC 7530 §16.18.5), with the opens
   * and share reservations their unconfirmed OPEN made.
   */
  private void dropUnconfirmedOwners(ClientRecord c, Instant now) {
    if (c.minorVersion != 0) {
      return;
    }
    for (OpenOwner o : new ArrayList<>(c.openOwners.values())) {
      if (!o.confirmed && now.isAfter(o.created.plus(config.leaseTime()))) {
        LOG.debug("{}: open-owner never confirmed; dropping it", c);
        for (OpenState open : new ArrayList<>(o.opens.values())) {
          forget(open);
        }
        c.openOwners.remove(ByteBuffer.wrap(o.name), o);
      }
    }
  }

  private static boolean anySessionBusy(ClientRecord c) {
    for (Session s : c.sessions.values()) {
      if (s.isBusy()) {
        return true;
      }
    }
    return false;
  }

  /** Drops a client record with everything it holds. */
  private void purge(ClientRecord c) {
    for (StateObject s : new ArrayList<>(c.states.values())) {
      release(s);
    }
    c.states.clear();
    for (Session s : c.sessions.values()) {
      sessions.remove(ByteBuffer.wrap(s.id));
    }
    c.sessions.clear();
    clients.remove(c.index);
    ByteBuffer key = ByteBuffer.wrap(c.ownerId);
    confirmedByOwner.remove(key, c);
    unconfirmedByOwner.remove(key, c);
  }

  /** Takes away a client's opens and locks; the stateids remain, answering EXPIRED. */
  private void revokeAll(ClientRecord c) {
    List<StateObject> live = new ArrayList<>();
    for (StateObject s : c.states.values()) {
      if (!s.released) {
        live.add(s);
      }
    }
    for (StateObject s : live) {
      release(s);
      s.revoked = true;
    }
    c.stateRevoked = true;
  }

  /**
   * Releases what a state holds in the lock manager and the backend (for an open, also what
   * its lock states hold), and unlinks it from its owner. The states stay in their client's
   * table; the caller removes them or marks them revoked. Releasing twice does nothing.
   */
  private void release(StateObject s) {
    if (s.released) {
      return;
    }
    s.released = true;
    if (s instanceof OpenState o) {
      for (LockState l : o.lockStates) {
        release(l);
      }
      locks.releaseShare(o.file.key(), o.owner.id);
      o.owner.opens.remove(o.file, o);
      closeInBackend(o);
    } else if (s instanceof LockState l) {
      locks.releaseLocks(l.file.key(), l.owner.id);
      l.owner.locks.remove(l.file, l);
    }
  }

  /** Releases an open and removes it and its lock states from the client's table. */
  private void forget(OpenState o) {
    release(o);
    for (LockState l : o.lockStates) {
      o.client.states.remove(l.index);
    }
    o.client.states.remove(o.index);
  }

  private void closeInBackend(OpenState open) {
    backendOpens--;
    try {
      open.file.fileSystem().close(open.file.handle(), open.context);
    } catch (RuntimeException e) {
      LOG.warn("backend close of {} failed", open.file.handle(), e);
    }
  }

  /** Gives an open its new modes and tells the backend (an OPEN upgrade, OPEN_DOWNGRADE). */
  private static void changeModes(OpenState open, ShareReservation share) {
    open.share = share;
    if (open.context.access() == share.access() && open.context.deny() == share.deny()) {
      return;
    }
    open.context = open.context.withModes(share.access(), share.deny());
    try {
      open.file.fileSystem().openChanged(open.file.handle(), open.context);
    } catch (RuntimeException e) {
      LOG.warn("backend openChanged of {} failed", open.file.handle(), e);
    }
  }

  /**
   * Checks an OPEN or LOCK against the grace period (RFC 7530 §9.6.2, RFC 8881 §8.4.2).
   *
   * @param client the client
   * @param reclaim whether it reclaims state (CLAIM_PREVIOUS, LOCK reclaim)
   * @throws Nfs4Exception GRACE for a new request in grace; NO_GRACE for a reclaim outside it
   *     or after the client finished reclaiming. A 4.0 client's first new request counts as
   *     the end of its reclaims and may end the grace period, letting the request through.
   */
  synchronized void checkGrace(ClientRecord client, boolean reclaim) throws Nfs4Exception {
    boolean grace = inGrace();
    if (reclaim) {
      if (!grace || client.reclaimComplete) {
        throw new Nfs4Exception(Nfs4Status.NO_GRACE, "reclaim outside the grace period");
      }
      return;
    }
    if (grace && client.minorVersion == 0 && !client.reclaimComplete) {
      // 4.0 has no RECLAIM_COMPLETE: a client recovers its state before it asks for new
      // state, so its first new request says it has finished reclaiming
      client.reclaimComplete = true;
      endGraceIfAllReclaimed();
      grace = inGrace();
    }
    if (grace) {
      throw new Nfs4Exception(Nfs4Status.GRACE, "in grace period");
    }
  }

  /**
   * Ends the grace period early once every confirmed client has finished reclaiming (RECLAIM_COMPLETE
   * in 4.1, a first new OPEN or LOCK in 4.0): no state survives a restart, so no other client
   * can have anything to reclaim.
   */
  private void endGraceIfAllReclaimed() {
    if (graceEndedEarly) {
      return;
    }
    for (ClientRecord c : confirmedByOwner.values()) {
      if (!c.reclaimComplete) {
        return;
      }
    }
    if (inGrace()) {
      LOG.info("all clients finished reclaiming; ending the grace period early");
    }
    graceEndedEarly = true;
  }

  // ---------------------------------------------------------------- 4.0 client ids

  /**
   * SETCLIENTID (RFC 7530 §16.33.5).
   *
   * @param id the client's name for itself (nfs_client_id4.id)
   * @param verifier its boot verifier
   * @param principal who calls
   * @return {clientid, setclientid_confirm}
   * @throws Nfs4Exception CLID_INUSE when a confirmed record of another principal holds state
   */
  synchronized long[] setClientId(byte[] id, long verifier, String principal) throws Nfs4Exception {
    sweep();
    ByteBuffer key = ByteBuffer.wrap(id.clone());
    ClientRecord confirmed = confirmedByOwner.get(key);
    if (confirmed != null && !confirmed.principal.equals(principal)) {
      if (confirmed.hasState() && !expired(confirmed, now())) {
        throw new Nfs4Exception(Nfs4Status.CLID_INUSE, "client id in use by another principal");
      }
      purge(confirmed);
      confirmed = null;
    }
    ClientRecord unconfirmed = unconfirmedByOwner.remove(key);
    if (unconfirmed != null) {
      clients.remove(unconfirmed.index);
    }
    long confirmVerifier = random.nextLong();
    if (confirmed != null && confirmed.verifier == verifier) {
      // probable callback update: same clientid, a new confirm verifier
      confirmed.pendingConfirmVerifier = confirmVerifier;
      return new long[] {confirmed.clientId(), confirmVerifier};
    }
    ClientRecord c = newClient(id, verifier, principal, 0, confirmVerifier);
    unconfirmedByOwner.put(key, c);
    return new long[] {c.clientId(), confirmVerifier};
  }

  private ClientRecord newClient(byte[] id, long verifier, String principal, int minor, long confirmVerifier) {
    int index = nextClientIndex++;
    ClientRecord c = new ClientRecord(boot, index, id, verifier, principal, minor, confirmVerifier, now());
    clients.put(index, c);
    return c;
  }

  /**
   * SETCLIENTID_CONFIRM (RFC 7530 §16.34.5).
   *
   * @param clientId the clientid from SETCLIENTID
   * @param confirmVerifier the setclientid_confirm from SETCLIENTID
   * @param principal who calls
   * @throws Nfs4Exception STALE_CLIENTID, CLID_INUSE
   */
  synchronized void setClientIdConfirm(long clientId, long confirmVerifier, String principal)
      throws Nfs4Exception {
    sweep();
    ClientRecord c = StateIds.bootOf(clientId) == boot ? clients.get(StateIds.indexOf(clientId)) : null;
    if (c == null || c.minorVersion != 0) {
      throw new Nfs4Exception(Nfs4Status.STALE_CLIENTID, "unknown clientid");
    }
    if (!c.principal.equals(principal)) {
      throw new Nfs4Exception(Nfs4Status.CLID_INUSE, "confirm by another principal");
    }
    if (c.confirmed) {
      if (c.pendingConfirmVerifier != null && c.pendingConfirmVerifier == confirmVerifier) {
        c.pendingConfirmVerifier = null; // callback update confirmed; state kept
      } else if (c.confirmVerifier != confirmVerifier) {
        throw new Nfs4Exception(Nfs4Status.STALE_CLIENTID, "confirm verifier does not match");
      }
      renew(c);
      return;
    }
    if (c.confirmVerifier != confirmVerifier) {
      throw new Nfs4Exception(Nfs4Status.STALE_CLIENTID, "confirm verifier does not match");
    }
    ByteBuffer key = ByteBuffer.wrap(c.ownerId);
    ClientRecord old = confirmedByOwner.get(key);
    if (old != null) {
      purge(old); // the client restarted: its previous state goes
    }
    unconfirmedByOwner.remove(key, c);
    c.confirmed = true;
    confirmedByOwner.put(key, c);
    renew(c);
  }

  /**
   * The confirmed 4.0 client a clientid names, its lease renewed (RENEW, and the clientid in
   * OPEN, LOCK, LOCKT, RELEASE_LOCKOWNER).
   *
   * @param clientId the clientid4
   * @return the client
   * @throws Nfs4Exception STALE_CLIENTID (another server instance, or unconfirmed), EXPIRED
   *     (a client of this instance that is gone, as Linux knfsd answers)
   */
  synchronized ClientRecord client40(long clientId) throws Nfs4Exception {
    sweep();
    if (StateIds.bootOf(clientId) != boot) {
      throw new Nfs4Exception(Nfs4Status.STALE_CLIENTID, "clientid of another server instance");
    }
    ClientRecord c = clients.get(StateIds.indexOf(clientId));
    if (c == null) {
      throw new Nfs4Exception(Nfs4Status.EXPIRED, "client lease expired");
    }
    if (!c.confirmed || c.minorVersion != 0) {
      throw new Nfs4Exception(Nfs4Status.STALE_CLIENTID, "clientid not confirmed");
    }
    renew(c);
    return c;
  }

  // ---------------------------------------------------------------- 4.1 client ids and sessions

  /**
   * The result of EXCHANGE_ID.
   *
   * @param clientId eir_clientid
   * @param sequence eir_sequenceid
   * @param flags eir_flags
   */
  record ExchangeIdResult(long clientId, int sequence, int flags) {}

  /**
   * EXCHANGE_ID (RFC 8881 §18.35.4, the nine cases).
   *
   * @param ownerId co_ownerid
   * @param verifier co_verifier
   * @param flags eia_flags
   * @param principal who calls
   * @return the client id, sequence and flags
   * @throws Nfs4Exception NOENT, NOT_SAME, PERM for bad updates; CLID_INUSE on a collision
   */
  synchronized ExchangeIdResult exchangeId(byte[] ownerId, long verifier, int flags, String principal)
      throws Nfs4Exception {
    sweep();
    ByteBuffer key = ByteBuffer.wrap(ownerId.clone());
    ClientRecord confirmed = confirmedByOwner.get(key);
    if ((flags & EXCHGID4_FLAG_UPD_CONFIRMED_REC_A) != 0) {
      if (confirmed == null) {
        throw new Nfs4Exception(Nfs4Status.NOENT, "update of an unknown client"); // case 7
      }
      if (confirmed.verifier != verifier) {
        throw new Nfs4Exception(Nfs4Status.NOT_SAME, "update with another verifier"); // case 8
      }
      if (!confirmed.principal.equals(principal)) {
        throw new Nfs4Exception(Nfs4Status.PERM, "update by another principal"); // case 9
      }
      renew(confirmed);
      return result(confirmed); // case 6
    }
    if (confirmed != null) {
      if (!confirmed.principal.equals(principal)) { // case 3
        if (confirmed.hasState() && !expired(confirmed, now())) {
          throw new Nfs4Exception(Nfs4Status.CLID_INUSE, "owner id in use by another principal");
        }
        purge(confirmed);
      } else if (confirmed.verifier == verifier) { // case 2
        renew(confirmed);
        return result(confirmed);
      }
      // case 5 (client restart): a new unconfirmed record; the old one goes at CREATE_SESSION
    }
    ClientRecord unconfirmed = unconfirmedByOwner.remove(key); // case 4
    if (unconfirmed != null) {
      clients.remove(unconfirmed.index);
    }
    ClientRecord c = newClient(ownerId, verifier, principal, 1, 0); // case 1
    c.lastCreateSessionSequence = random.nextInt(1 << 30);
    unconfirmedByOwner.put(key, c);
    return result(c);
  }

  private static ExchangeIdResult result(ClientRecord c) {
    int flags = EXCHGID4_FLAG_USE_NON_PNFS | (c.confirmed ? EXCHGID4_FLAG_CONFIRMED_R : 0);
    return new ExchangeIdResult(c.clientId(), c.lastCreateSessionSequence + 1, flags);
  }

  /**
   * CREATE_SESSION (RFC 8881 §18.36.4): confirms an unconfirmed client, replays the last
   * result for a retried sequence, creates the session with negotiated channel attributes.
   *
   * @param clientId csa_clientid
   * @param sequence csa_sequence
   * @param fore the fore channel the client asks for
   * @param back the back channel the client asks for
   * @param principal who calls
   * @return the session's id, flags and granted channels
   * @throws Nfs4Exception STALE_CLIENTID, SEQ_MISORDERED, CLID_INUSE
   */
  synchronized CreateSessionResult createSession(
      long clientId, int sequence, ChannelAttrs fore, ChannelAttrs back, String principal)
      throws Nfs4Exception {
    sweep();
    ClientRecord c = StateIds.bootOf(clientId) == boot ? clients.get(StateIds.indexOf(clientId)) : null;
    if (c == null || c.minorVersion == 0) {
      throw new Nfs4Exception(Nfs4Status.STALE_CLIENTID, "unknown clientid");
    }
    if (sequence == c.lastCreateSessionSequence && c.lastCreateSession != null) {
      return c.lastCreateSession; // a retry: same answer, no second session
    }
    if (sequence != c.lastCreateSessionSequence + 1) {
      throw new Nfs4Exception(Nfs4Status.SEQ_MISORDERED, "csa_sequence out of order");
    }
    if (!c.principal.equals(principal)) {
      throw new Nfs4Exception(Nfs4Status.CLID_INUSE, "create session by another principal");
    }
    if (!c.confirmed) {
      ByteBuffer key = ByteBuffer.wrap(c.ownerId);
      ClientRecord old = confirmedByOwner.get(key);
      if (old != null) {
        purge(old);
      }
      unconfirmedByOwner.remove(key, c);
      c.confirmed = true;
      confirmedByOwner.put(key, c);
    }
    byte[] id = StateIds.sessionId(boot, c.index, c.newSessionIndex());
    ChannelAttrs grantedFore = fore.negotiateFore(config);
    Session s = new Session(id, c, grantedFore);
    c.sessions.put(ByteBuffer.wrap(id), s);
    sessions.put(ByteBuffer.wrap(id), s);
    c.lastCreateSessionSequence = sequence;
    c.lastCreateSession = new CreateSessionResult(id, sequence, 0, grantedFore, back.negotiateBack());
    renew(c);
    return c.lastCreateSession;
  }

  /**
   * SEQUENCE (RFC 8881 §18.46.4): checks the session, slot and sequence id; a new request
   * occupies the slot until {@link #completeSlot} or {@link #abandonSlot}; renews the lease.
   *
   * @param sessionId sa_sessionid
   * @param seqid sa_sequenceid
   * @param slotId sa_slotid
   * @param operationCount how many operations the COMPOUND carries
   * @return a replay of the cached reply, or the accepted request
   * @throws Nfs4Exception BADSESSION, BADSLOT, SEQ_MISORDERED, DELAY (the slot is busy),
   *     RETRY_UNCACHED_REP, TOO_MANY_OPS
   */
  SequenceOutcome sequence(byte[] sessionId, int seqid, int slotId, int operationCount)
      throws Nfs4Exception {
    maybeSweep();
    Session s = sessions.get(ByteBuffer.wrap(sessionId));
    if (s == null) {
      throw new Nfs4Exception(Nfs4Status.BADSESSION, "unknown session");
    }
    if (slotId < 0 || slotId >= s.slots.length) {
      throw new Nfs4Exception(Nfs4Status.BADSLOT, "slot " + slotId + " of " + s.slots.length);
    }
    synchronized (s) {
      Session.Slot slot = s.slots[slotId];
      if (seqid == slot.seqid) {
        if (slot.busy) {
          throw new Nfs4Exception(Nfs4Status.DELAY, "slot busy with the original request");
        }
        if (slot.reply == null) {
          throw new Nfs4Exception(Nfs4Status.RETRY_UNCACHED_REP, "retry of an uncached reply");
        }
        renew(s.client);
        return new SequenceOutcome.Replay(slot.reply);
      }
      if (seqid != slot.seqid + 1) {
        throw new Nfs4Exception(Nfs4Status.SEQ_MISORDERED, "slot " + slotId + " seqid "
            + Integer.toUnsignedString(seqid) + " after " + Integer.toUnsignedString(slot.seqid));
      }
      if (operationCount > s.fore.maxOperations()) {
        throw new Nfs4Exception(Nfs4Status.TOO_MANY_OPS, operationCount + " operations");
      }
      slot.seqid = seqid;
      slot.busy = true;
      slot.reply = null;
    }
    renew(s.client);
    int flags = s.client.stateRevoked && s.client.hasRevokedState() ? SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED : 0;
    return new SequenceOutcome.Accepted(s, slotId, s.slots.length - 1, s.slots.length - 1, flags);
  }

  /**
   * Ends a request that SEQUENCE accepted, caching its reply for a retry.
   *
   * @param session the session
   * @param slotId the slot
   * @param reply the whole COMPOUND4res, or null when it is not to be cached
   */
  void completeSlot(Session session, int slotId, byte[] reply) {
    synchronized (session) {
      Session.Slot slot = session.slots[slotId];
      slot.reply = reply;
      slot.busy = false;
    }
  }

  /**
   * Frees a slot whose request produced no reply; a retry answers RETRY_UNCACHED_REP.
   *
   * @param session the session
   * @param slotId the slot
   */
  void abandonSlot(Session session, int slotId) {
    synchronized (session) {
      Session.Slot slot = session.slots[slotId];
      slot.reply = null;
      slot.busy = false;
    }
  }

  /**
   * @param sessionId a sessionid4
   * @return the session
   * @throws Nfs4Exception BADSESSION
   */
  Session session(byte[] sessionId) throws Nfs4Exception {
    Session s = sessions.get(ByteBuffer.wrap(sessionId));
    if (s == null) {
      throw new Nfs4Exception(Nfs4Status.BADSESSION, "unknown session");
    }
    return s;
  }

  /**
   * DESTROY_SESSION (RFC 8881 §18.37).
   *
   * @param sessionId the session
   * @throws Nfs4Exception BADSESSION
   */
  synchronized void destroySession(byte[] sessionId) throws Nfs4Exception {
    Session s = sessions.remove(ByteBuffer.wrap(sessionId));
    if (s == null) {
      throw new Nfs4Exception(Nfs4Status.BADSESSION, "unknown session");
    }
    s.client.sessions.remove(ByteBuffer.wrap(sessionId));
  }

  /**
   * DESTROY_CLIENTID (RFC 8881 §18.50).
   *
   * @param clientId the client
   * @throws Nfs4Exception STALE_CLIENTID, CLIENTID_BUSY while sessions or state remain
   */
  synchronized void destroyClientId(long clientId) throws Nfs4Exception {
    sweep();
    ClientRecord c = StateIds.bootOf(clientId) == boot ? clients.get(StateIds.indexOf(clientId)) : null;
    if (c == null || c.minorVersion == 0) {
      throw new Nfs4Exception(Nfs4Status.STALE_CLIENTID, "unknown clientid");
    }
    if (!c.sessions.isEmpty() || c.hasState()) {
      throw new Nfs4Exception(Nfs4Status.CLIENTID_BUSY, "sessions or state remain");
    }
    purge(c);
  }

  /**
   * RECLAIM_COMPLETE (RFC 8881 §18.51). Ends the grace period early once every confirmed
   * client has finished reclaiming.
   *
   * @param client the client
   * @param oneFs rca_one_fs (a per-file-system completion, which changes nothing here)
   * @throws Nfs4Exception COMPLETE_ALREADY
   */
  synchronized void reclaimComplete(ClientRecord client, boolean oneFs) throws Nfs4Exception {
    if (oneFs) {
      return;
    }
    if (client.reclaimComplete) {
      throw new Nfs4Exception(Nfs4Status.COMPLETE_ALREADY, "RECLAIM_COMPLETE already done");
    }
    client.reclaimComplete = true;
    endGraceIfAllReclaimed();
  }

  // ---------------------------------------------------------------- stateids

  /**
   * Finds the state a stateid names, without checking its seqid.
   *
   * @param stateid the stateid
   * @param caller the 4.1 client of the session, or null in 4.0
   * @return the state (for a 4.0 closed open kept for replays: with {@code closed} set)
   * @throws Nfs4Exception BAD_STATEID (special, unknown, another client's), STALE_STATEID
   *     (another server instance), EXPIRED (lease gone, or revoked)
   */
  synchronized StateObject resolve(Stateid stateid, ClientRecord caller) throws Nfs4Exception {
    sweep();
    return lookup(stateid, caller);
  }

  /** {@link #resolve} without the lock: reads only concurrent maps and volatile fields. */
  private StateObject lookup(Stateid stateid, ClientRecord caller) throws Nfs4Exception {
    if (stateid.isSpecial()) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "special stateid not allowed here");
    }
    int[] parts = StateIds.parts(stateid);
    if (parts[0] != boot) {
      throw new Nfs4Exception(Nfs4Status.STALE_STATEID, "stateid of another server instance");
    }
    ClientRecord c = clients.get(parts[1]);
    if (caller != null && c != caller) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "stateid of another client");
    }
    if (c == null) {
      throw new Nfs4Exception(Nfs4Status.EXPIRED, "client lease expired");
    }
    StateObject s = c.states.get(parts[2]);
    if (s == null) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "unknown stateid");
    }
    if (s.revoked) {
      throw new Nfs4Exception(Nfs4Status.EXPIRED, "state revoked at lease expiry");
    }
    if (c.minorVersion == 0) {
      renew(c);
    }
    return s;
  }

  /**
   * Checks a stateid's seqid against its state's (RFC 8881 §8.2.2): older is OLD_STATEID,
   * newer BAD_STATEID; 0 means "the current one" in 4.1.
   *
   * @param s the state
   * @param stateid the stateid presented
   * @throws Nfs4Exception OLD_STATEID, BAD_STATEID
   */
  static void checkSeqid(StateObject s, Stateid stateid) throws Nfs4Exception {
    if (s instanceof OpenState o && o.closed) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "open was closed");
    }
    if (stateid.seqid() == 0 && s.client.minorVersion > 0) {
      return;
    }
    int diff = stateid.seqid() - s.seqid;
    if (diff < 0) {
      throw new Nfs4Exception(Nfs4Status.OLD_STATEID, "old stateid");
    }
    if (diff > 0) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "stateid from the future");
    }
  }

  /**
   * Validates a stateid for READ, WRITE or a size change (RFC 7530 §9.1.4.4, RFC 8881
   * §8.2.3), as Linux knfsd does: the bypass stateid reads freely; special stateids are
   * refused in grace and checked against share denials (LOCKED); an open or lock stateid must
   * name this file, be current and, for writes, come from an open with write access. Byte-range
   * locks are advisory and not checked. Runs without the engine's lock: it is on the path of
   * every READ and WRITE.
   *
   * @return the backend's context of the open the stateid names (for a lock stateid, the
   *     open it was made from), or null for a special stateid
   * @param caller the 4.1 client of the session, or null in 4.0
   * @param stateid the stateid
   * @param file the file
   * @param write whether the I/O writes (WRITE, SETATTR of the size)
   * @throws Nfs4Exception BAD_STATEID, STALE_STATEID, OLD_STATEID, EXPIRED, OPENMODE, GRACE,
   *     LOCKED
   */
  OpenContext checkIo(ClientRecord caller, Stateid stateid, OpenFile file, boolean write)
      throws Nfs4Exception {
    maybeSweep();
    if (stateid.equals(Stateid.ANONYMOUS) || stateid.equals(Stateid.BYPASS)) {
      if (stateid.equals(Stateid.BYPASS) && !write) {
        return null;
      }
      if (inGrace()) {
        throw new Nfs4Exception(Nfs4Status.GRACE, "I/O without an open in grace");
      }
      if (locks.isDenied(file.key(), write ? ShareReservation.WRITE : ShareReservation.READ)) {
        throw new Nfs4Exception(Nfs4Status.LOCKED, "an open denies this access");
      }
      return null;
    }
    StateObject s = lookup(stateid, caller);
    checkSeqid(s, stateid);
    if (!s.file.equals(file)) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "stateid of another file");
    }
    OpenState open = s instanceof LockState l ? l.open : (OpenState) s;
    if (!open.owner.confirmed) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "open not confirmed");
    }
    if (write && (open.share.access() & ShareReservation.WRITE) == 0) {
      throw new Nfs4Exception(Nfs4Status.OPENMODE, "file not opened for writing");
    }
    return open.context;
  }

  /**
   * TEST_STATEID for one stateid (RFC 8881 §18.48).
   *
   * @param caller the session's client
   * @param stateid the stateid
   * @return the nfsstat4 the stateid would get
   */
  synchronized int testStateid(ClientRecord caller, Stateid stateid) {
    try {
      StateObject s = resolve(stateid, caller);
      checkSeqid(s, stateid);
      return Nfs4Status.OK;
    } catch (Nfs4Exception e) {
      return e.status();
    }
  }

  /**
   * FREE_STATEID (RFC 8881 §18.38): forgets a revoked stateid, or a lock stateid that holds
   * no locks.
   *
   * @param caller the session's client
   * @param stateid the stateid
   * @throws Nfs4Exception BAD_STATEID, LOCKS_HELD (locks remain, or an open: use CLOSE)
   */
  synchronized void freeStateid(ClientRecord caller, Stateid stateid) throws Nfs4Exception {
    if (stateid.isSpecial()) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "special stateid");
    }
    int[] parts = StateIds.parts(stateid);
    if (parts[0] != boot) {
      throw new Nfs4Exception(Nfs4Status.STALE_STATEID, "stateid of another server instance");
    }
    ClientRecord c = clients.get(parts[1]);
    StateObject s = c == caller && c != null ? c.states.get(parts[2]) : null;
    if (s == null) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "unknown stateid");
    }
    if (s.revoked) {
      c.states.remove(s.index);
      if (s instanceof LockState l) {
        l.open.lockStates.remove(l);
      }
      if (!c.hasRevokedState()) {
        c.stateRevoked = false;
      }
      return;
    }
    if (s instanceof OpenState) {
      throw new Nfs4Exception(Nfs4Status.LOCKS_HELD, "an open stateid is freed by CLOSE");
    }
    LockState l = (LockState) s;
    if (locks.holdsLocks(l.file.key(), l.owner.id)) {
      throw new Nfs4Exception(Nfs4Status.LOCKS_HELD, "locks remain");
    }
    release(l);
    l.open.lockStates.remove(l);
    c.states.remove(l.index);
    forgetIfIdle(l.owner);
  }

  /**
   * Checks a 4.0 owner's seqid under the engine's lock.
   *
   * @param owner the owner
   * @param seqid the request's seqid
   * @return NEW or REPLAY
   * @throws Nfs4Exception BAD_SEQID
   */
  synchronized StateOwner.SeqidCheck checkOwnerSeqid(StateOwner owner, int seqid) throws Nfs4Exception {
    return owner.checkSeqid(seqid);
  }

  /**
   * Records a 4.0 owner's reply under the engine's lock.
   *
   * @param owner the owner
   * @param reply the seqid and result
   */
  synchronized void recordReply(StateOwner owner, ReplyRecord reply) {
    owner.recordReply(reply);
  }

  /**
   * Checks a delegation stateid (DELEGRETURN, CLAIM_DELEGATE_CUR). The server grants no
   * delegations, so none is valid: the answer is the error the stateid earns.
   *
   * @param stateid the stateid presented as a delegation's
   * @param caller the 4.1 client of the session, or null in 4.0
   * @throws Nfs4Exception always: BAD_STATEID, STALE_STATEID or EXPIRED
   */
  synchronized void checkDelegation(Stateid stateid, ClientRecord caller) throws Nfs4Exception {
    resolve(stateid, caller);
    throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "not a delegation stateid");
  }

  /**
   * Finds the open or lock a stateid names for an operation that changes it, keeping a
   * retransmission's replay possible: the seqid is checked afterwards with {@link
   * #checkSeqid}, once the owner's seqid has been.
   *
   * @param stateid the stateid
   * @param caller the 4.1 client of the session, or null in 4.0
   * @param type the kind of state expected
   * @return the state
   * @throws Nfs4Exception as {@link #resolve}, and BAD_STATEID for the wrong kind
   */
  synchronized <T extends StateObject> T resolve(Stateid stateid, ClientRecord caller, Class<T> type)
      throws Nfs4Exception {
    StateObject s = resolve(stateid, caller);
    if (!type.isInstance(s)) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "not an " + type.getSimpleName() + " stateid");
    }
    return type.cast(s);
  }

  // ---------------------------------------------------------------- opens

  /**
   * Finds or makes the open-owner of an OPEN. In 4.0 a new owner, or one never confirmed
   * (whose earlier opens are then dropped, as knfsd does, unless the OPEN is a retransmission
   * of its last one), needs OPEN_CONFIRM.
   *
   * @param client the client
   * @param name the owner's name
   * @param seqid the OPEN's seqid (4.0)
   * @return the owner
   */
  synchronized OpenOwner openOwner(ClientRecord client, byte[] name, int seqid) {
    ByteBuffer key = ByteBuffer.wrap(name.clone());
    OpenOwner owner = client.openOwners.get(key);
    if (owner != null && client.minorVersion == 0 && !owner.confirmed) {
      ReplyRecord last = owner.lastReply();
      if (last != null && last.seqid() == seqid) {
        return owner; // a retransmission of the unconfirmed OPEN: replayed from the cache
      }
      for (OpenState o : new ArrayList<>(owner.opens.values())) {
        forget(o);
      }
      client.openOwners.remove(key);
      owner = null;
    }
    if (owner == null) {
      owner = new OpenOwner(client, name, client.minorVersion > 0, now());
      client.openOwners.put(key, owner);
    }
    return owner;
  }

  /**
   * Grants an open: adds (or, for an owner's second OPEN of the file, upgrades) its share
   * reservation and tells the backend at a file's first open.
   *
   * @param owner the open-owner
   * @param file the file
   * @param wanted the access and denial asked for
   * @param caller who opens, for the backend
   * @return the open stateid and whether it needs OPEN_CONFIRM
   * @throws Nfs4Exception SHARE_DENIED
   * @throws NfsException the backend's refusal of the open
   */
  synchronized OpenGrant grantOpen(OpenOwner owner, OpenFile file, ShareReservation wanted, Caller caller)
      throws Nfs4Exception, NfsException {
    ShareReservation granted;
    try {
      granted = locks.openShare(file.key(), owner.id, wanted);
    } catch (NfsException e) {
      throw new Nfs4Exception(e.status().nfs4Code(), "share reservation conflicts");
    }
    OpenState open = owner.opens.get(file);
    if (open != null) {
      changeModes(open, granted);
      open.accessModesUsed |= 1 << wanted.access();
      open.denyModesUsed |= 1 << wanted.deny();
      open.bump();
    } else {
      OpenContext context = new OpenContext(granted.access(), granted.deny(), owner.id);
      try {
        file.fileSystem().open(caller, file.handle(), context);
      } catch (NfsException | RuntimeException e) {
        locks.releaseShare(file.key(), owner.id);
        throw e;
      }
      backendOpens++;
      ClientRecord c = owner.client;
      open = new OpenState(c, c.newStateIndex(), file, owner, granted, context);
      c.states.put(open.index, open);
      owner.opens.put(file, open);
    }
    return new OpenGrant(open.stateid(), !owner.confirmed);
  }

  /**
   * OPEN_CONFIRM (RFC 7530 §16.18): confirms a new 4.0 open-owner.
   *
   * @param open the open the stateid names, its seqid already checked
   * @return the new stateid
   * @throws Nfs4Exception BAD_STATEID when the owner is already confirmed
   */
  synchronized Stateid confirmOpen(OpenState open) throws Nfs4Exception {
    if (open.owner.confirmed) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "open-owner already confirmed");
    }
    open.owner.confirmed = true;
    open.bump();
    return open.stateid();
  }

  /**
   * OPEN_DOWNGRADE (RFC 7530 §16.19, RFC 8881 §18.18).
   *
   * @param open the open, its stateid checked
   * @param to the reduced access and denial
   * @return the new stateid
   * @throws Nfs4Exception INVAL when {@code to} is not a subset of the open or uses a mode no
   *     OPEN of the owner asked for
   */
  synchronized Stateid downgradeOpen(OpenState open, ShareReservation to) throws Nfs4Exception {
    if (!to.isSubsetOf(open.share) || (open.accessModesUsed & (1 << to.access())) == 0
        || (open.denyModesUsed & (1 << to.deny())) == 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "not a downgrade to a mode opened with");
    }
    try {
      locks.downgradeShare(open.file.key(), open.owner.id, to);
    } catch (NfsException e) {
      throw new Nfs4Exception(Nfs4Status.INVAL, e.getMessage());
    }
    changeModes(open, to);
    open.accessModesUsed &= subsetsOf(to.access());
    open.denyModesUsed &= subsetsOf(to.deny());
    open.bump();
    return open.stateid();
  }

  private static int subsetsOf(int mode) {
    int bits = 0;
    for (int m = 0; m <= 3; m++) {
      if ((m & ~mode) == 0) {
        bits |= 1 << m;
      }
    }
    return bits;
  }

  /**
   * CLOSE (RFC 7530 §16.2, RFC 8881 §18.2): drops the open and, as knfsd does, the locks of
   * lock states derived from it. In 4.0 the closed open stays known so a retransmitted CLOSE
   * can be answered from the owner's reply cache; its stateid is otherwise BAD_STATEID.
   *
   * @param open the open, its stateid checked
   * @return the stateid to return
   */
  synchronized Stateid close(OpenState open) {
    release(open);
    for (LockState l : open.lockStates) {
      open.client.states.remove(l.index);
      forgetIfIdle(l.owner);
    }
    open.bump();
    Stateid result = open.stateid();
    if (open.client.minorVersion == 0) {
      open.closed = true;
      OpenState previous = open.owner.lastClosed;
      if (previous != null && previous != open) {
        open.client.states.remove(previous.index);
      }
      open.owner.lastClosed = open;
    } else {
      open.client.states.remove(open.index);
      if (open.owner.opens.isEmpty()) {
        open.client.openOwners.remove(ByteBuffer.wrap(open.owner.name), open.owner);
      }
      result = Stateid.INVALID;
    }
    return result;
  }

  /**
   * Forgets a 4.1 lock-owner without lock states: 4.1 has no RELEASE_LOCKOWNER, so owners
   * would otherwise pile up for the client's lifetime (4.0 owners carry a seqid and wait for
   * RELEASE_LOCKOWNER).
   */
  private void forgetIfIdle(LockOwner owner) {
    if (owner.client.minorVersion > 0 && owner.locks.isEmpty()) {
      owner.client.lockOwners.remove(ByteBuffer.wrap(owner.name), owner);
    }
  }

  // ---------------------------------------------------------------- locks

  /**
   * Finds or makes a lock-owner.
   *
   * @param client the client
   * @param name the owner's name
   * @return the owner
   */
  synchronized LockOwner lockOwner(ClientRecord client, byte[] name) {
    return client.lockOwners.computeIfAbsent(ByteBuffer.wrap(name.clone()), k -> new LockOwner(client, name));
  }

  /**
   * @param client the client
   * @param name the owner's name
   * @return the lock-owner, if it exists
   */
  synchronized Optional<LockOwner> findLockOwner(ClientRecord client, byte[] name) {
    return Optional.ofNullable(client.lockOwners.get(ByteBuffer.wrap(name)));
  }

  /**
   * The lock state of a lock-owner on an open's file, made from that open if new (LOCK with
   * open_to_lock_owner4). Finding the owner and making the state is one step, so an owner
   * being forgotten concurrently cannot split into two.
   *
   * @param ownerName the lock-owner's name
   * @param open the open
   * @return the lock state
   * @throws Nfs4Exception BAD_SEQID when a 4.0 owner already has a lock state for the file
   *     (it must use its lock stateid, RFC 7530 §16.10.5)
   */
  synchronized LockState lockStateFor(byte[] ownerName, OpenState open) throws Nfs4Exception {
    return lockStateFor(lockOwner(open.client, ownerName), open);
  }

  /**
   * As {@link #lockStateFor(byte[], OpenState)}, for a lock-owner already found.
   *
   * @param owner the lock-owner
   * @param open the open
   * @return the lock state
   * @throws Nfs4Exception BAD_SEQID as above
   */
  synchronized LockState lockStateFor(LockOwner owner, OpenState open) throws Nfs4Exception {
    LockState existing = owner.locks.get(open.file);
    if (existing != null) {
      if (owner.client.minorVersion == 0) {
        throw new Nfs4Exception(Nfs4Status.BAD_SEQID, "lock-owner already has a lock stateid for the file");
      }
      return existing;
    }
    ClientRecord c = owner.client;
    LockState l = new LockState(c, c.newStateIndex(), open.file, owner, open);
    c.states.put(l.index, l);
    owner.locks.put(open.file, l);
    open.lockStates.add(l);
    return l;
  }

  /**
   * Takes a byte-range lock (LOCK).
   *
   * @param state the lock state
   * @param type read or write
   * @param range the bytes
   * @return the new lock stateid
   * @throws Nfs4Exception OPENMODE (a write lock on a file not open for writing, a read lock
   *     on one not open for reading, as knfsd), DENIED with the holder
   */
  synchronized Stateid lock(LockState state, LockType type, ByteRange range) throws Nfs4Exception {
    int needed = type == LockType.WRITE ? ShareReservation.WRITE : ShareReservation.READ;
    if ((state.open.share.access() & needed) == 0) {
      dropIfUnused(state);
      throw new Nfs4Exception(Nfs4Status.OPENMODE, "open mode does not allow this lock type");
    }
    Optional<HeldLock> conflict = locks.lock(state.file.key(), state.owner.id, type, range);
    if (conflict.isPresent()) {
      dropIfUnused(state);
      throw denied(conflict.get());
    }
    state.bump();
    return state.stateid();
  }

  /** Forgets a lock state that was made for a LOCK that failed and holds nothing. */
  private void dropIfUnused(LockState state) {
    if (state.seqid == 0 && !locks.holdsLocks(state.file.key(), state.owner.id)) {
      release(state);
      state.open.lockStates.remove(state);
      state.client.states.remove(state.index);
    }
  }

  private static Nfs4Exception denied(HeldLock held) {
    LockDenied d = new LockDenied(held.range(), held.type(), held.owner().clientId(), held.owner().name());
    return new Nfs4Exception(Nfs4Status.DENIED, "lock conflict with " + held, d::encode);
  }

  /**
   * LOCKT (RFC 7530 §16.11).
   *
   * @param client the client asking
   * @param ownerName the would-be lock-owner
   * @param file the file
   * @param type read or write
   * @param range the bytes
   * @throws Nfs4Exception DENIED with the holder of a conflicting lock
   */
  synchronized void testLock(ClientRecord client, byte[] ownerName, OpenFile file, LockType type, ByteRange range)
      throws Nfs4Exception {
    Optional<HeldLock> conflict = locks.test(file.key(), new Owner(client.clientId(), ownerName), type, range);
    if (conflict.isPresent()) {
      throw denied(conflict.get());
    }
  }

  /**
   * LOCKU (RFC 7530 §16.12).
   *
   * @param state the lock state, its stateid checked
   * @param range the bytes to unlock
   * @return the new lock stateid
   */
  synchronized Stateid unlock(LockState state, ByteRange range) {
    locks.unlock(state.file.key(), state.owner.id, range);
    state.bump();
    return state.stateid();
  }

  /**
   * RELEASE_LOCKOWNER (RFC 7530 §16.28).
   *
   * @param client the client
   * @param name the lock-owner
   * @throws Nfs4Exception LOCKS_HELD while the owner holds a lock
   */
  synchronized void releaseLockOwner(ClientRecord client, byte[] name) throws Nfs4Exception {
    LockOwner owner = client.lockOwners.get(ByteBuffer.wrap(name));
    if (owner == null) {
      return;
    }
    for (LockState l : owner.locks.values()) {
      if (locks.holdsLocks(l.file.key(), owner.id)) {
        throw new Nfs4Exception(Nfs4Status.LOCKS_HELD, "lock-owner holds locks");
      }
    }
    for (LockState l : new ArrayList<>(owner.locks.values())) {
      release(l);
      l.open.lockStates.remove(l);
      client.states.remove(l.index);
    }
    client.lockOwners.remove(ByteBuffer.wrap(name));
  }

  // ---------------------------------------------------------------- for tests and diagnostics

  /** @return how many client records exist (confirmed or not) */
  synchronized int clientCount() {
    return clients.size();
  }

  /** @return how many opens the backend has been told of and not yet told to close */
  synchronized int backendOpenCount() {
    return backendOpens;
  }

  /** @return a snapshot of the sessions' ids */
  synchronized List<byte[]> sessionIds() {
    List<byte[]> ids = new ArrayList<>();
    for (Session s : sessions.values()) {
      ids.add(s.id.clone());
    }
    return ids;
  }
}
