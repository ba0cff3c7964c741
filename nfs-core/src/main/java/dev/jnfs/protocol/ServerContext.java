package dev.jnfs.protocol;

import dev.jnfs.lock.LockManager;
import dev.jnfs.rpc.ServerMetrics;
import dev.jnfs.spi.NfsStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What a running server offers the protocol programs it hosts: its exports, its write
 * verifier, its limits and its lock manager. Thread-safe.
 */
public interface ServerContext {

  /**
   * The exports now. The server replaces its table when exports are added or removed while it
   * runs, so a program asks for it on every call rather than keeping one.
   *
   * @return the server's current exports
   */
  ExportTable exports();

  /**
   * The NFS write verifier (RFC 1813 §3.3.7): eight bytes that change every time the server
   * starts, and whenever unstable writes may have been lost while it runs ({@link
   * #writeVerifierLost}), so clients know to send them again.
   *
   * <p>A WRITE reads it before handing its data to the backend: a loss reported after that
   * point changes the value, so the verifier answered can never vouch for data lost after it
   * was read. A COMMIT reads it after the backend made the data durable.
   *
   * @return the current verifier
   */
  long writeVerifier();

  /**
   * Changes the write verifier to a value not answered before by this server: data written
   * UNSTABLE may have been lost (a write to disk or a sync failed, and the operating system
   * reports such a failure only once). Clients that see the new value in a later WRITE or
   * COMMIT reply must assume that what they wrote UNSTABLE under the old one was lost and send
   * it again (RFC 1813 §3.3.7, RFC 8881 §18.32.3). RFC 8881 asks for one verifier per server
   * instance; a failed write-back loses data as a restart does, and the Linux server also
   * changes its verifier then, which is the only way to tell clients. Thread-safe; every call
   * changes the value.
   */
  void writeVerifierLost();

  /**
   * Reports a backend's failed WRITE, COMMIT or copy: a failure that may have lost data
   * written earlier (IO, NOSPC, DQUOT: what a failed write-back reports) changes the write
   * verifier; others (a bad handle, a permission, an argument) do not.
   *
   * @param status what the backend answered
   */
  default void writeFailed(NfsStatus status) {
    if (status == NfsStatus.IO || status == NfsStatus.NOSPC || status == NfsStatus.DQUOT) {
      writeVerifierLost();
    }
  }

  /** @return the largest READ the server answers, in bytes (advertised as rtmax) */
  int maxReadSize();

  /** @return the largest WRITE the server accepts, in bytes (advertised as wtmax) */
  int maxWriteSize();

  /**
   * @return where every protocol of the server keeps share reservations and byte-range
   *     locks; the same instance for the server's lifetime
   */
  LockManager lockManager();

  /**
   * Where protocols keep the little they must remember across a restart of the server (NLM's
   * list of client hosts holding locks, NFSv4's client records), each in files or a
   * subdirectory of its own. The default has none.
   *
   * @return the directory, if the server was given one
   */
  default Optional<Path> stateDirectory() {
    return Optional.empty();
  }

  /**
   * How long NLM grants only reclaims after a restart in which clients held locks (the
   * default 90 seconds).
   *
   * @return the NLM grace period
   */
  default Duration lockGracePeriod() {
    return Duration.ofSeconds(90);
  }

  /**
   * The name this server gives itself to clients, the same across its restarts when it has a
   * state directory or was given one (NFSv4.1's server owner and scope, RFC 8881 §2.10.4); two
   * servers share it only when configured to. The default has none: the protocol then makes
   * one of its own.
   *
   * @return the identity, at most 1024 bytes in UTF-8
   */
  default Optional<String> serverIdentity() {
    return Optional.empty();
  }

  /**
   * Where the protocols measure what the RPC layer cannot see: statuses, operations, bytes and
   * their state. Meters are looked up once, when a program is made.
   *
   * @return the server's metrics; {@link ServerMetrics#NONE} (the default) when not measured
   */
  default ServerMetrics metrics() {
    return ServerMetrics.NONE;
  }

  /**
   * How NFSv4 should name owners and groups when it answers them with names rather than
   * numbers: from which tables and in which domain.
   *
   * @param domain the NFSv4 domain ({@code user@domain}); null for the host's DNS domain, or
   *     {@code localdomain} when it has none (nfsidmap's default)
   * @param passwd the user table, in {@code /etc/passwd} form
   * @param group the group table, in {@code /etc/group} form
   */
  record OwnerNames(String domain, Path passwd, Path group) {}

  /**
   * The owner and group names NFSv4 answers. The default has none: ids travel as decimal
   * strings.
   *
   * @return how to name owners and groups, if names were asked for
   */
  default Optional<OwnerNames> ownerNames() {
    return Optional.empty();
  }

  /**
   * @return the most NFSv4 delegations the server may grant at once; 0 (the default) for none
   */
  default int maxDelegations() {
    return 0;
  }

  /**
   * @return whether NFSv4 write delegations may be granted besides read delegations (within
   *     {@link #maxDelegations()}); false (the default) for read delegations only
   */
  default boolean writeDelegations() {
    return false;
  }

  /**
   * @return the delegations NFSv4 holds on this server's files, for the protocols that change
   *     files without one; {@link DelegationRecalls#NONE} until NFSv4 registers its own
   */
  default DelegationRecalls delegationRecalls() {
    return DelegationRecalls.NONE;
  }

  /**
   * Registers the server's NFSv4 delegations (called once by the NFSv4 state as it starts), so
   * that {@link #delegationRecalls()} answers them. The default ignores the call.
   *
   * @param recalls what recalls them
   */
  default void registerDelegationRecalls(DelegationRecalls recalls) {}
}
