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

  /**
   * The exports now. The server replaces its table when exports are added or removed while it
   * runs, so a program asks for it on every call rather than keeping one.
   *
   * @return the server's current exports
   */
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
}
