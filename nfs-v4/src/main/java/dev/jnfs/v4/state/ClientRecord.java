package dev.jnfs.v4.state;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client identity the server knows (RFC 7530 §9.1.1, RFC 8881 §2.4): the client's
 * name for itself and verifier, the principal that established it, whether it is confirmed,
 * its lease, and everything it holds: owners, open and lock states and, in 4.1, sessions.
 * Changed under the state lock ({@link StateEngine}); what I/O checks and SEQUENCE read
 * without it (the state table, the lease, the flags) is concurrent or volatile.
 */
final class ClientRecord {
  final int boot;
  final int index;
  final byte[] ownerId;
  final long verifier;
  final String principal;
  final int minorVersion;
  volatile boolean confirmed;
  /** 4.0: the setclientid_confirm verifier that confirms this record. */
  final long confirmVerifier;
  /** 4.0: a callback update awaiting SETCLIENTID_CONFIRM (RFC 7530 §16.33.5), or null. */
  Long pendingConfirmVerifier;
  volatile Instant lastRenewal;
  /** 4.1: the csa_sequence of the last CREATE_SESSION, and its result for a replay. */
  int lastCreateSessionSequence;
  CreateSessionResult lastCreateSession;
  /** 4.1: whether RECLAIM_COMPLETE was received. */
  boolean reclaimComplete;
  /** 4.1: whether a RECLAIM_COMPLETE with rca_one_fs was received (for a file system). */
  boolean fileSystemReclaimComplete;
  /** Whether this server instance has the client in its stable records ({@link StableClients}). */
  boolean recorded;
  /** 4.1: the lease expired and all its state was revoked; the client is told by SEQUENCE. */
  volatile boolean stateRevoked;

  final Map<ByteBuffer, Session> sessions = new LinkedHashMap<>();
  /** The sessions, as read without the state lock (SEQUENCE's flags, callbacks). */
  private volatile Session[] sessionSnapshot = new Session[0];
  /** Delegations held, and revoked ones awaiting FREE_STATEID; changed under the state lock. */
  volatile int delegationCount;
  volatile int revokedDelegations;
  /** 4.0: the callback address of the last SETCLIENTID, adopted at its SETCLIENTID_CONFIRM. */
  Callback40.Address pendingCallback;
  /** 4.0: the callback path in use, once confirmed (usable after its CB_NULL probe). */
  volatile Callback40 callback40;
  final Map<ByteBuffer, OpenOwner> openOwners = new HashMap<>();
  final Map<ByteBuffer, LockOwner> lockOwners = new HashMap<>();
  /** Read without the state lock by I/O checks; written under it. */
  final Map<Integer, StateObject> states = new ConcurrentHashMap<>();
  private int nextStateIndex = 1;
  private int nextSessionIndex = 1;

  ClientRecord(int boot, int index, byte[] ownerId, long verifier, String principal, int minorVersion,
      long confirmVerifier, Instant now) {
    this.boot = boot;
    this.index = index;
    this.ownerId = ownerId.clone();
    this.verifier = verifier;
    this.principal = principal;
    this.minorVersion = minorVersion;
    this.confirmVerifier = confirmVerifier;
    this.lastRenewal = now;
  }

  /** @return the clientid4 */
  long clientId() {
    return StateIds.clientId(boot, index);
  }

  int newStateIndex() {
    return nextStateIndex++;
  }

  int newSessionIndex() {
    return nextSessionIndex++;
  }

  /** Refreshes the snapshot of the sessions; under the state lock after each change. */
  void sessionsChanged() {
    sessionSnapshot = sessions.values().toArray(new Session[0]);
  }

  /** @return a usable callback path: 4.0, the probed callback connection; 4.1, a session's back channel; else null */
  CallbackPath backChannel() {
    Callback40 c40 = callback40;
    if (c40 != null) {
      return c40.usable() ? c40 : null;
    }
    for (Session s : sessionSnapshot) {
      if (s.back.usable()) {
        return s.back;
      }
    }
    return null;
  }

  /** @return whether the client holds opens or locks (revoked or closed ones do not count) */
  boolean hasState() {
    for (StateObject s : states.values()) {
      if (!s.released) {
        return true;
      }
    }
    return false;
  }

  /** @return whether any revoked state still awaits FREE_STATEID */
  boolean hasRevokedState() {
    for (StateObject s : states.values()) {
      if (s.revoked) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Client[" + Long.toHexString(clientId()) + (confirmed ? "" : ", unconfirmed") + "]";
  }
}
