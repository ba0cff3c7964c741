package dev.jnfs.v4.state;

import dev.jnfs.lock.LockManager;
import dev.jnfs.v4.StateConfig;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;

/**
 * All NFSv4 state of one server instance, assembled from parts with one job each: {@link
 * ClientTable} (client records and their sessions by id), {@link Leases} (lease expiry and
 * the grace period), {@link ClientIds} (establishing client ids), {@link SessionTable}
 * (sessions and slots), {@link StateidTable} (stateids), {@link OpenTable} (opens), {@link
 * LockTable} (byte-range locks), {@link DelegationTable} (delegations), {@link CopyTable}
 * (asynchronous copies), {@link LockWaiters} (denied blocking locks
 * awaiting CB_NOTIFY_LOCK), with {@link StateRelease} and {@link BackendOpens} giving
 * back what states hold, and {@link StableClients} (who may reclaim after a restart). Share reservations and byte-range locks themselves live in a {@link
 * LockManager}.
 *
 * <p>Every change runs under one lock, {@link #lock}, shared by all parts: a change in one
 * table often reaches the others (a lease that expires drops a client's sessions, opens and
 * locks; a CLOSE drops the lock states made from the open), so one lock keeps each such step
 * atomic. Changes are short (no I/O except the backend's open hooks, the lock manager's calls
 * and, once per client and server instance, the write of its stable record). The two paths every request takes do not take it: the stateid check of READ and
 * WRITE reads concurrent maps and volatile fields, and SEQUENCE locks only its session's slot
 * table.
 */
final class StateEngine {
  /** The state lock: every part synchronizes on it to change state. */
  private final Object lock = new Object();
  private final StateConfig config;
  final ClientTable clients;
  final Leases leases;
  final ClientIds clientIds;
  final SessionTable sessions;
  final StateidTable stateids;
  final OpenTable opens;
  final LockTable locks;
  final DelegationTable delegations;
  final CopyTable copies;
  final LockWaiters lockWaiters;
  final BackendOpens backendOpens = new BackendOpens();
  final StableClients stable;
  /** EXCHANGE_ID's so_major_id and eir_server_scope. */
  final byte[] serverIdentity;

  /**
   * An engine with no stable client records and a random server identity.
   *
   * @param config leases, grace and session limits
   * @param clock the time source (the system clock, or a test's)
   * @param lockManager where share reservations and byte-range locks are kept
   */
  StateEngine(StateConfig config, InstantSource clock, LockManager lockManager) {
    this(config, clock, lockManager, ClientRecordStore.NONE, null);
  }

  /**
   * @param config leases, grace and session limits
   * @param clock the time source (the system clock, or a test's)
   * @param lockManager where share reservations and byte-range locks are kept
   * @param store the stable client records, owned from now on
   * @param serverIdentity the server's name for itself (so_major_id and server scope), or null
   *     for a random one
   */
  StateEngine(StateConfig config, InstantSource clock, LockManager lockManager, ClientRecordStore store,
      byte[] serverIdentity) {
    this(config, clock, lockManager, store, serverIdentity, false);
  }

  /**
   * @param config leases, grace and session limits
   * @param clock the time source (the system clock, or a test's)
   * @param lockManager where share reservations and byte-range locks are kept
   * @param store the stable client records, owned from now on
   * @param serverIdentity the server's name for itself (so_major_id and server scope), or null
   *     for a random one
   * @param writeDelegations whether write delegations may be granted besides read ones
   */
  StateEngine(StateConfig config, InstantSource clock, LockManager lockManager, ClientRecordStore store,
      byte[] serverIdentity, boolean writeDelegations) {
    this.config = config;
    SecureRandom random = new SecureRandom();
    // a random boot verifier: identifiers of two servers started at once do not collide, and
    // those of a previous instance are stale but for a 2^-32 chance
    int boot;
    do {
      boot = random.nextInt();
    } while (boot == 0 || boot == -1);
    this.serverIdentity = serverIdentity != null ? serverIdentity.clone() : randomIdentity(random);
    DelegationIndex delegationIndex = new DelegationIndex();
    StateRelease release = new StateRelease(lockManager, backendOpens, delegationIndex);
    this.stable = new StableClients(store);
    this.clients = new ClientTable(boot, release, stable);
    this.leases = new Leases(lock, config, clock, clients, release, stable);
    this.clientIds = new ClientIds(lock, clients, leases, random, config);
    this.stateids = new StateidTable(lock, clients, leases, lockManager, release);
    this.copies = new CopyTable(lock, config, leases, stateids);
    this.sessions = new SessionTable(lock, config, clients, leases, copies);
    this.opens = new OpenTable(lock, leases, lockManager, backendOpens, release, delegationIndex);
    this.locks = new LockTable(lock, lockManager, release);
    this.delegations = new DelegationTable(lock, config, writeDelegations, clients, leases, lockManager,
        delegationIndex);
    this.lockWaiters = new LockWaiters(lockManager, leases, config.leaseTime());
  }

  private static byte[] randomIdentity(SecureRandom random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return ("jnfs-" + HexFormat.of().formatHex(bytes)).getBytes(StandardCharsets.US_ASCII);
  }

  /** Stops the asynchronous copies and closes the stable client records. */
  void close() {
    copies.shutdown();
    synchronized (lock) {
      stable.close();
    }
  }

  /** @return the configuration */
  StateConfig config() {
    return config;
  }

  /** @return the lease time in whole seconds */
  int leaseTimeSeconds() {
    return (int) Math.max(1, config.leaseTime().toSeconds());
  }

  // ---------------------------------------------------------------- for tests and diagnostics

  /** @return how many client records exist (confirmed or not) */
  int clientCount() {
    synchronized (lock) {
      return clients.count();
    }
  }

  /** @return how many opens the backend has been told of and not yet told to close */
  int backendOpenCount() {
    synchronized (lock) {
      return backendOpens.count();
    }
  }

  /** @return a snapshot of the sessions' ids */
  List<byte[]> sessionIds() {
    synchronized (lock) {
      return clients.sessionIds();
    }
  }
}
