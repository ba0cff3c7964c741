package dev.jnfs.v4.state;

import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * How clients establish, confirm and destroy their client ids: SETCLIENTID and
 * SETCLIENTID_CONFIRM in 4.0, EXCHANGE_ID and DESTROY_CLIENTID in 4.1 (CREATE_SESSION, which
 * also confirms a 4.1 client, is with the sessions), and the lookup of a 4.0 clientid that
 * renews its lease. Runs under the state lock.
 */
final class ClientIds {
  /** EXCHGID4_FLAG_UPD_CONFIRMED_REC_A. */
  static final int EXCHGID4_FLAG_UPD_CONFIRMED_REC_A = 0x40000000;
  /** EXCHGID4_FLAG_CONFIRMED_R. */
  static final int EXCHGID4_FLAG_CONFIRMED_R = 0x80000000;
  /** EXCHGID4_FLAG_USE_NON_PNFS. */
  static final int EXCHGID4_FLAG_USE_NON_PNFS = 0x00010000;

  private final Object lock;
  private final ClientTable clients;
  private final Leases leases;
  private final SecureRandom random;
  private final dev.jnfs.v4.StateConfig config;

  ClientIds(Object lock, ClientTable clients, Leases leases, SecureRandom random, dev.jnfs.v4.StateConfig config) {
    this.config = config;
    this.lock = lock;
    this.clients = clients;
    this.leases = leases;
    this.random = random;
  }

  /**
   * SETCLIENTID (RFC 7530 §16.33.5).
   *
   * @param id the client's name for itself (nfs_client_id4.id)
   * @param verifier its boot verifier
   * @param principal who calls
   * @return {clientid, setclientid_confirm}
   * @throws Nfs4Exception CLID_INUSE when a confirmed record of another principal holds state
   */
  long[] setClientId(byte[] id, long verifier, String principal) throws Nfs4Exception {
    synchronized (lock) {
      leases.sweep();
      ByteBuffer key = ByteBuffer.wrap(id.clone());
      ClientRecord confirmed = clients.confirmed(key);
      if (confirmed != null && !confirmed.principal.equals(principal)) {
        if (confirmed.hasState() && !leases.expired(confirmed, leases.now())) {
          throw new Nfs4Exception(Nfs4Status.CLID_INUSE, "client id in use by another principal");
        }
        clients.purge(confirmed);
        confirmed = null;
      }
      clients.dropUnconfirmed(key);
      long confirmVerifier = random.nextLong();
      if (confirmed != null && confirmed.verifier == verifier) {
        // probable callback update: same clientid, a new confirm verifier
        confirmed.pendingConfirmVerifier = confirmVerifier;
        return new long[] {confirmed.clientId(), confirmVerifier};
      }
      ClientRecord c = clients.newClient(id, verifier, principal, 0, confirmVerifier, leases.now());
      clients.putUnconfirmed(key, c);
      return new long[] {c.clientId(), confirmVerifier};
    }
  }

  /**
   * Keeps the callback a SETCLIENTID named until its SETCLIENTID_CONFIRM.
   *
   * @param clientId the clientid SETCLIENTID answered
   * @param callback the callback it named
   */
  void noteCallback(long clientId, Callback40.Address callback) {
    synchronized (lock) {
      ClientRecord c = clients.byClientId(clientId);
      if (c != null) {
        c.pendingCallback = callback;
      }
    }
  }

  /**
   * Adopts the callback the confirmed SETCLIENTID named and probes it with CB_NULL from a
   * virtual thread (RFC 7530 §10.2.1); until the probe succeeds the client gets no delegations.
   */
  private void adoptCallback(ClientRecord c) {
    Callback40.Address address = c.pendingCallback;
    if (address == null) {
      return;
    }
    c.pendingCallback = null;
    Callback40 previous = c.callback40;
    Callback40 path = new Callback40(address, BackChannel.timeout(config));
    c.callback40 = path;
    if (previous != null) {
      previous.close();
    }
    Thread.ofVirtual().name("cb-probe").start(path::probe);
  }

  /**
   * SETCLIENTID_CONFIRM (RFC 7530 §16.34.5).
   *
   * @param clientId the clientid from SETCLIENTID
   * @param confirmVerifier the setclientid_confirm from SETCLIENTID
   * @param principal who calls
   * @throws Nfs4Exception STALE_CLIENTID, CLID_INUSE
   */
  void setClientIdConfirm(long clientId, long confirmVerifier, String principal)
      throws Nfs4Exception {
    synchronized (lock) {
      leases.sweep();
      ClientRecord c = clients.byClientId(clientId);
      if (c == null || c.minorVersion != 0) {
        throw new Nfs4Exception(Nfs4Status.STALE_CLIENTID, "unknown clientid");
      }
      if (!c.principal.equals(principal)) {
        throw new Nfs4Exception(Nfs4Status.CLID_INUSE, "confirm by another principal");
      }
      if (c.confirmed) {
        if (c.pendingConfirmVerifier != null && c.pendingConfirmVerifier == confirmVerifier) {
          c.pendingConfirmVerifier = null; // callback update confirmed; state kept
          adoptCallback(c);
        } else if (c.confirmVerifier != confirmVerifier) {
          throw new Nfs4Exception(Nfs4Status.STALE_CLIENTID, "confirm verifier does not match");
        }
        leases.renew(c);
        return;
      }
      if (c.confirmVerifier != confirmVerifier) {
        throw new Nfs4Exception(Nfs4Status.STALE_CLIENTID, "confirm verifier does not match");
      }
      clients.confirm(c); // a restarted client's previous state goes
      leases.renew(c);
      adoptCallback(c);
    }
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
  ClientRecord client40(long clientId) throws Nfs4Exception {
    synchronized (lock) {
      leases.sweep();
      if (StateIds.bootOf(clientId) != clients.boot) {
        throw new Nfs4Exception(Nfs4Status.STALE_CLIENTID, "clientid of another server instance");
      }
      ClientRecord c = clients.get(StateIds.indexOf(clientId));
      if (c == null) {
        throw new Nfs4Exception(Nfs4Status.EXPIRED, "client lease expired");
      }
      if (!c.confirmed || c.minorVersion != 0) {
        throw new Nfs4Exception(Nfs4Status.STALE_CLIENTID, "clientid not confirmed");
      }
      leases.renew(c);
      return c;
    }
  }

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
  ExchangeIdResult exchangeId(byte[] ownerId, long verifier, int flags, String principal)
      throws Nfs4Exception {
    synchronized (lock) {
      leases.sweep();
      ByteBuffer key = ByteBuffer.wrap(ownerId.clone());
      ClientRecord confirmed = clients.confirmed(key);
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
        leases.renew(confirmed);
        return result(confirmed); // case 6
      }
      if (confirmed != null) {
        if (!confirmed.principal.equals(principal)) { // case 3
          if (confirmed.hasState() && !leases.expired(confirmed, leases.now())) {
            throw new Nfs4Exception(Nfs4Status.CLID_INUSE, "owner id in use by another principal");
          }
          clients.purge(confirmed);
        } else if (confirmed.verifier == verifier) { // case 2
          leases.renew(confirmed);
          return result(confirmed);
        }
        // case 5 (client restart): a new unconfirmed record; the old one goes at CREATE_SESSION
      }
      clients.dropUnconfirmed(key); // case 4
      ClientRecord c = clients.newClient(ownerId, verifier, principal, 1, 0, leases.now()); // case 1
      c.lastCreateSessionSequence = random.nextInt(1 << 30);
      clients.putUnconfirmed(key, c);
      return result(c);
    }
  }

  private static ExchangeIdResult result(ClientRecord c) {
    int flags = EXCHGID4_FLAG_USE_NON_PNFS | (c.confirmed ? EXCHGID4_FLAG_CONFIRMED_R : 0);
    return new ExchangeIdResult(c.clientId(), c.lastCreateSessionSequence + 1, flags);
  }

  /**
   * DESTROY_CLIENTID (RFC 8881 §18.50).
   *
   * @param clientId the client
   * @throws Nfs4Exception STALE_CLIENTID, CLIENTID_BUSY while sessions or state remain
   */
  void destroyClientId(long clientId) throws Nfs4Exception {
    synchronized (lock) {
      leases.sweep();
      ClientRecord c = clients.byClientId(clientId);
      if (c == null || c.minorVersion == 0) {
        throw new Nfs4Exception(Nfs4Status.STALE_CLIENTID, "unknown clientid");
      }
      if (!c.sessions.isEmpty() || c.hasState()) {
        throw new Nfs4Exception(Nfs4Status.CLIENTID_BUSY, "sessions or state remain");
      }
      clients.purge(c);
    }
  }
}
