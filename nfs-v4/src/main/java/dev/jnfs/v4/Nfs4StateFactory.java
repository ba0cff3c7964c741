package dev.jnfs.v4;

import dev.jnfs.protocol.ServerContext;

/**
 * Makes the NFSv4 state service of a server. {@link Nfs4Protocol} finds the implementation
 * through {@link java.util.ServiceLoader} (this module's state package provides it), so that
 * the operations here never depend on the package that keeps the state, which depends on
 * them. Implementations have a public no-argument constructor and are thread-safe.
 */
public interface Nfs4StateFactory {

  /**
   * @param context the server: its exports, limits and lock manager
   * @param config the lease, grace period and session limits
   * @return a new state service for that server, which registers its own operations
   */
  Nfs4StateService create(ServerContext context, StateConfig config);
}
