package dev.jnfs.v4;

import dev.jnfs.protocol.ServerContext;

/** Builds an NFSv4 program around a chosen state service, for the state engine's tests. */
public final class StateTestPrograms {
  private StateTestPrograms() {}

  /**
   * @param context the server
   * @param state the state service (for example one on a test clock)
   * @return a program with every stateless operation and the state service's operations
   */
  public static Nfs4Program program(ServerContext context, Nfs4StateService state) {
    OperationRegistry registry = new OperationRegistry();
    StatelessOperations.registerAll(registry);
    state.registerOperations(registry);
    return new Nfs4Program(context, registry, state, IdMapper.NUMERIC);
  }
}
