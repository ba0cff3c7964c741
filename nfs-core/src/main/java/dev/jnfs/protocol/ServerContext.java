package dev.jnfs.protocol;

import dev.jnfs.lock.LockManager;
import dev.jnfs.rpc.ServerMetrics;
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
   * Where the protocols measure what the RPC layer cannot see: statuses, operations, bytes and
   * their state. Meters are looked up once, when a program is made.
   *
   * @return the server's metrics; {@link ServerMetrics#NONE} (the default) when not measured
   */
  default ServerMetrics metrics() {
    return ServerMetrics.NONE;
  }
}
