package dev.jnfs.protocol;

import dev.jnfs.lock.LockManager;

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
}
