package dev.jnfs.v4;

import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.server.NfsProtocol;
import dev.jnfs.server.ServerContext;
import dev.jnfs.v4.state.StateModule;
import java.util.List;

/**
 * The NFSv4 protocol module, found by {@code NfsServer} through {@link java.util.ServiceLoader}:
 * serves {@link Nfs4Program} with every operation of this module, the state engine of
 * {@link StateModule} and numeric owner names ({@link IdMapper#NUMERIC}).
 */
public final class Nfs4Protocol implements NfsProtocol {

  /** Creates the protocol; the ServiceLoader calls this. */
  public Nfs4Protocol() {}

  @Override
  public List<RpcProgram> programs(ServerContext context) {
    return List.of(program(context, IdMapper.NUMERIC));
  }

  /**
   * @param context the server
   * @param idMapper owner and group name translation
   * @return an NFSv4 program with all operations and the state engine
   */
  public static Nfs4Program program(ServerContext context, IdMapper idMapper) {
    Nfs4StateService state = StateModule.create(context);
    OperationRegistry registry = new OperationRegistry();
    StatelessOperations.registerAll(registry);
    state.registerOperations(registry);
    return new Nfs4Program(context, registry, state, idMapper);
  }
}
