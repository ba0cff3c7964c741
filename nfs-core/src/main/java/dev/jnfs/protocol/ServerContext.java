package dev.jnfs.protocol;

import dev.jnfs.lock.LockManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What a running server offers the protocol programs it hosts: its exports, its write
 * verifier, its limits and its lock manager. Thread-safe.
 */
public interface ServerContext {

  /** @return the server's exports */
  ExportTable exports();

  /**
   * The NFS write verifier (RFC 1813 §3.3.7): eight bytes that change every time the server
   * starts, so clients know unstable writes may have been lost.
   *
   * @return the current verifier
   */
  long writeVerifier();

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
   * list of client hosts holding locks). The default has none.
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
}
