package dev.jnfs.v4.state;

import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;

/**
 * 4.1 sessions and their slots (RFC 8881 §2.10): CREATE_SESSION (which also confirms a new
 * client id), SEQUENCE with its exactly-once reply cache, DESTROY_SESSION. Creating and
 * destroying run under the state lock; SEQUENCE and the end of a request lock only the
 * session's slot table, so requests on different sessions never wait for each other.
 */
final class SessionTable {
  /** SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED (RFC 8881 §18.46.2; 0x10 is EXPIRED_SOME_STATE_REVOKED). */
  static final int SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED = 0x00000008;
  /** SEQ4_STATUS_CB_PATH_DOWN: no usable back channel for the client's delegations. */
  static final int SEQ4_STATUS_CB_PATH_DOWN = 0x00000001;
  /** SEQ4_STATUS_RECALLABLE_STATE_REVOKED: a delegation was revoked, until FREE_STATEID. */
  static final int SEQ4_STATUS_RECALLABLE_STATE_REVOKED = 0x00000040;
  /** SEQ4_STATUS_CB_GSS_CONTEXTS_EXPIRED: the back channel's RPCSEC_GSS context is gone. */
  static final int SEQ4_STATUS_CB_GSS_CONTEXTS_EXPIRED = 0x00000004;
  /** SEQ4_STATUS_CB_PATH_DOWN_SESSION: this session's back channel is down. */
  static final int SEQ4_STATUS_CB_PATH_DOWN_SESSION = 0x00000200;
  /** CREATE_SESSION4_FLAG_CONN_BACK_CHAN. */
  static final int CONN_BACK_CHAN = 0x2;

  private final Object lock;
  private final StateConfig config;
  private final ClientTable clients;
  private final Leases leases;
  private final CopyTable copies;

  SessionTable(Object lock, StateConfig config, ClientTable clients, Leases leases, CopyTable copies) {
    this.lock = lock;
    this.config = config;
    this.clients = clients;
    this.leases = leases;
    this.copies = copies;
  }

  /** CREATE_SESSION without a back channel, AUTH_NONE callbacks. */
  CreateSessionResult createSession(
      long clientId, int sequence, ChannelAttrs fore, ChannelAttrs back, String principal)
      throws Nfs4Exception {
    return createSession(clientId, sequence, fore, back, principal, 0, 0, CallbackSecurity.NONE, null, 1);
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
   * @param flags csa_flags: CONN_BACK_CHAN binds {@code connection} as the back channel
   * @param cbProgram csa_cb_program
   * @param security the callback credential from csa_sec_parms
   * @param connection the connection CREATE_SESSION came on (null over UDP)
   * @param minorVersion the COMPOUND's minor version, which the session's callbacks carry (a
   *     4.2 client accepts CB_OFFLOAD only in a CB_COMPOUND of minor version 2)
   * @return the session's id, flags and granted channels
   * @throws Nfs4Exception STALE_CLIENTID, SEQ_MISORDERED, CLID_INUSE
   */
  CreateSessionResult createSession(
      long clientId, int sequence, ChannelAttrs fore, ChannelAttrs back, String principal,
      int flags, int cbProgram, CallbackSecurity security, dev.jnfs.rpc.RpcConnection connection,
      int minorVersion) throws Nfs4Exception {
    synchronized (lock) {
      leases.sweep();
      ClientRecord c = clients.byClientId(clientId);
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
        clients.confirm(c);
      }
      byte[] id = StateIds.sessionId(clients.boot, c.index, c.newSessionIndex());
      ChannelAttrs grantedFore = fore.negotiateFore(config);
      ChannelAttrs grantedBack = back.negotiateBack();
      BackChannel channel = new BackChannel(id, minorVersion, grantedBack.maxRequests(), BackChannel.timeout(config));
      channel.configure(cbProgram, security);
      int granted = 0;
      if ((flags & CONN_BACK_CHAN) != 0 && connection != null) {
        channel.bind(connection);
        granted |= CONN_BACK_CHAN;
      }
      Session s = new Session(id, c, grantedFore, channel);
      clients.addSession(s);
      c.lastCreateSessionSequence = sequence;
      c.lastCreateSession = new CreateSessionResult(id, sequence, granted, grantedFore, grantedBack);
      leases.renew(c);
      return c.lastCreateSession;
    }
  }

  /**
   * SEQUENCE (RFC 8881 §18.46.4): checks the session, slot and sequence id; a new request
   * occupies the slot until {@link #completeSlot} or {@link #abandonSlot}; renews the lease.
   *
   * @param sessionId sa_sessionid
   * @param seqid sa_sequenceid
   * @param slotId sa_slotid
   * @param operationCount how many operations the COMPOUND carries
   * @param requestSize the size of the COMPOUND4args in bytes
   * @return a replay of the cached reply, or the accepted request
   * @throws Nfs4Exception BADSESSION, BADSLOT, SEQ_MISORDERED, DELAY (the slot is busy),
   *     RETRY_UNCACHED_REP, TOO_MANY_OPS, REQ_TOO_BIG
   */
  SequenceOutcome sequence(byte[] sessionId, int seqid, int slotId, int operationCount, int requestSize)
      throws Nfs4Exception {
    leases.maybeSweep();
    Session s = clients.session(sessionId);
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
        leases.renew(s.client);
        return new SequenceOutcome.Replay(slot.reply);
      }
      if (seqid != slot.seqid + 1) {
        throw new Nfs4Exception(Nfs4Status.SEQ_MISORDERED, "slot " + slotId + " seqid "
            + Integer.toUnsignedString(seqid) + " after " + Integer.toUnsignedString(slot.seqid));
      }
      if (operationCount > s.fore.maxOperations()) {
        throw new Nfs4Exception(Nfs4Status.TOO_MANY_OPS, operationCount + " operations");
      }
      // a request over ca_maxrequestsize is refused before any operation runs and leaves the
      // slot as it was (RFC 8881 §2.10.6.4, §18.46.3); the RPC header around the COMPOUND is
      // not counted, which errs on the side of accepting
      if (Integer.compareUnsigned(requestSize, s.fore.maxRequestSize()) > 0) {
        throw new Nfs4Exception(Nfs4Status.REQ_TOO_BIG, requestSize + " bytes");
      }
      slot.seqid = seqid;
      slot.busy = true;
      slot.reply = null;
    }
    leases.renew(s.client);
    int flags = s.client.stateRevoked && s.client.hasRevokedState() ? SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED : 0;
    flags |= callbackFlags(s);
    return new SequenceOutcome.Accepted(s, slotId, s.slots.length - 1, s.slots.length - 1, flags);
  }

  /**
   * The flags about callbacks (RFC 8881 §18.46.3): RECALLABLE_STATE_REVOKED while a revoked
   * delegation awaits FREE_STATEID; CB_PATH_DOWN_SESSION when this session's back channel is
   * not usable although the client asked for one (or holds delegations), CB_PATH_DOWN when no
   * session of the client has a usable one; CB_GSS_CONTEXTS_EXPIRED when the RPCSEC_GSS context
   * its callbacks used went away or expired. Reads volatile state only.
   */
  private static int callbackFlags(Session s) {
    ClientRecord c = s.client;
    int flags = c.revokedDelegations > 0 ? SEQ4_STATUS_RECALLABLE_STATE_REVOKED : 0;
    if ((s.back.bound() || c.delegationCount > 0) && !s.back.usable()) {
      flags |= SEQ4_STATUS_CB_PATH_DOWN_SESSION;
      if (c.backChannel() == null) {
        flags |= SEQ4_STATUS_CB_PATH_DOWN;
      }
    }
    if (s.back.gssContextExpired()) {
      flags |= SEQ4_STATUS_CB_GSS_CONTEXTS_EXPIRED;
    }
    return flags;
  }


  /**
   * BIND_CONN_TO_SESSION towards the back channel, or BACKCHANNEL_CTL's new program and
   * credential (RFC 8881 §18.34, §18.33).
   *
   * @param sessionId the session
   * @param connection the connection to bind as its back channel, or null to leave it
   * @param cbProgram the new program, with {@code security}; ignored when security is null
   * @param security the new credential, or null to leave it
   * @throws Nfs4Exception BADSESSION
   */
  void updateBackChannel(byte[] sessionId, dev.jnfs.rpc.RpcConnection connection, int cbProgram,
      CallbackSecurity security) throws Nfs4Exception {
    Session s = session(sessionId);
    if (connection != null) {
      s.back.bind(connection);
    }
    if (security != null) {
      s.back.configure(cbProgram, security);
    }
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
    Session s = clients.session(sessionId);
    if (s == null) {
      throw new Nfs4Exception(Nfs4Status.BADSESSION, "unknown session");
    }
    return s;
  }

  /**
   * DESTROY_SESSION (RFC 8881 §18.37); the asynchronous copies the session started are
   * cancelled with it.
   *
   * @param sessionId the session
   * @throws Nfs4Exception BADSESSION
   */
  void destroySession(byte[] sessionId) throws Nfs4Exception {
    synchronized (lock) {
      Session s = clients.removeSession(sessionId);
      if (s == null) {
        throw new Nfs4Exception(Nfs4Status.BADSESSION, "unknown session");
      }
      copies.sessionDestroyed(s);
    }
  }
}
