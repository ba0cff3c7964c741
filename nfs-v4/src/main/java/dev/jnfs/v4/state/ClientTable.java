package dev.jnfs.v4.state;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client records of one server instance, by index and by the client's name for itself
 * (confirmed and unconfirmed apart), and the registry of their 4.1 sessions by id. Changed
 * with the state lock held; the index and session maps are also read without it, by the
 * stateid checks of READ and WRITE and by SEQUENCE.
 */
final class ClientTable {
  /** The boot verifier in every clientid, stateid and sessionid of this instance. */
  final int boot;
  private final StateRelease release;
  private final StableClients stable;
  private int nextClientIndex = 1;
  private final Map<Integer, ClientRecord> clients = new ConcurrentHashMap<>();
  private final Map<ByteBuffer, ClientRecord> confirmedByOwner = new HashMap<>();
  private final Map<ByteBuffer, ClientRecord> unconfirmedByOwner = new HashMap<>();
  private final Map<ByteBuffer, Session> sessions = new ConcurrentHashMap<>();

  ClientTable(int boot, StateRelease release, StableClients stable) {
    this.boot = boot;
    this.release = release;
    this.stable = stable;
  }

  /** Makes a record, unconfirmed and known by index only until {@link #putUnconfirmed}. */
  ClientRecord newClient(byte[] id, long verifier, String principal, int minor, long confirmVerifier, Instant now) {
    int index = nextClientIndex++;
    ClientRecord c = new ClientRecord(boot, index, id, verifier, principal, minor, confirmVerifier, now);
    clients.put(index, c);
    return c;
  }

  /** @return the client of an index, or null; safe without the lock */
  ClientRecord get(int index) {
    return clients.get(index);
  }

  /** @return the client a clientid names, or null when unknown or of another instance */
  ClientRecord byClientId(long clientId) {
    return StateIds.bootOf(clientId) == boot ? clients.get(StateIds.indexOf(clientId)) : null;
  }

  /** @return the confirmed record of a client's name for itself, or null */
  ClientRecord confirmed(ByteBuffer ownerId) {
    return confirmedByOwner.get(ownerId);
  }

  /** Records a new unconfirmed client under its name (after {@link #dropUnconfirmed}). */
  void putUnconfirmed(ByteBuffer ownerId, ClientRecord c) {
    unconfirmedByOwner.put(ownerId, c);
  }

  /** Forgets the unconfirmed record of a name, if any. */
  void dropUnconfirmed(ByteBuffer ownerId) {
    ClientRecord unconfirmed = unconfirmedByOwner.remove(ownerId);
    if (unconfirmed != null) {
      clients.remove(unconfirmed.index);
    }
  }

  /** Confirms a record: an earlier confirmed record of the same name (a restarted client) goes. */
  void confirm(ClientRecord c) {
    ByteBuffer key = ByteBuffer.wrap(c.ownerId);
    ClientRecord old = confirmedByOwner.get(key);
    if (old != null) {
      purge(old);
    }
    unconfirmedByOwner.remove(key, c);
    c.confirmed = true;
    confirmedByOwner.put(key, c);
  }

  /**
   * Drops a client record with everything it holds; a confirmed client is first forgotten by
   * the stable records, so it may not reclaim after a restart what others may now take.
   */
  void purge(ClientRecord c) {
    if (c.confirmed) {
      stable.forget(c);
    }
    for (StateObject s : new ArrayList<>(c.states.values())) {
      release.release(s);
    }
    c.states.clear();
    for (Session s : c.sessions.values()) {
      sessions.remove(ByteBuffer.wrap(s.id));
    }
    c.sessions.clear();
    c.sessionsChanged();
    Callback40 callback = c.callback40;
    if (callback != null) {
      callback.close();
    }
    clients.remove(c.index);
    ByteBuffer key = ByteBuffer.wrap(c.ownerId);
    confirmedByOwner.remove(key, c);
    unconfirmedByOwner.remove(key, c);
  }

  /** @return a snapshot of every record */
  List<ClientRecord> all() {
    return new ArrayList<>(clients.values());
  }

  /** @return whether every confirmed client has finished reclaiming */
  boolean allConfirmedReclaimed() {
    for (ClientRecord c : confirmedByOwner.values()) {
      if (!c.reclaimComplete) {
        return false;
      }
    }
    return true;
  }

  /** Registers a new session with its client. */
  void addSession(Session s) {
    s.client.sessions.put(ByteBuffer.wrap(s.id), s);
    s.client.sessionsChanged();
    sessions.put(ByteBuffer.wrap(s.id), s);
  }

  /** @return the session of an id, or null; safe without the lock */
  Session session(byte[] sessionId) {
    return sessions.get(ByteBuffer.wrap(sessionId));
  }

  /** @return the session removed, or null when there was none */
  Session removeSession(byte[] sessionId) {
    Session s = sessions.remove(ByteBuffer.wrap(sessionId));
    if (s != null) {
      s.client.sessions.remove(ByteBuffer.wrap(sessionId));
      s.client.sessionsChanged();
    }
    return s;
  }

  /** @return how many client records exist (confirmed or not) */
  int count() {
    return clients.size();
  }

  /** @return how many sessions exist; safe without the lock */
  int sessionCount() {
    return sessions.size();
  }

  /**
   * Counts the states of one kind the clients hold; safe without the lock, a view of a moment
   * that changes may pass.
   *
   * @param kind {@link OpenState} or {@link LockState}
   * @return how many there are
   */
  int stateCount(Class<? extends StateObject> kind) {
    int n = 0;
    for (ClientRecord c : clients.values()) {
      for (StateObject s : c.states.values()) {
        if (kind.isInstance(s)) {
          n++;
        }
      }
    }
    return n;
  }

  /** @return a snapshot of the sessions' ids */
  List<byte[]> sessionIds() {
    List<byte[]> ids = new ArrayList<>();
    for (Session s : sessions.values()) {
      ids.add(s.id.clone());
    }
    return ids;
  }
}
