package dev.jnfs.v4;

import dev.jnfs.protocol.NfsProtocol;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.RpcProgram;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The NFSv4 protocol module, found by {@code NfsServer} through {@link java.util.ServiceLoader}:
 * serves {@link Nfs4Program} with every operation of this module, the state engine its
 * {@link Nfs4StateFactory} makes and the owner names the server asks for (decimal ids unless
 * it asks for names).
 */
public final class Nfs4Protocol implements NfsProtocol {

  private final StateConfig stateConfig;

  /** Creates the protocol with {@link StateConfig#defaults()}; the ServiceLoader calls this. */
  public Nfs4Protocol() {
    this(StateConfig.defaults());
  }

  /**
   * Creates the protocol with chosen state limits, e.g. a shorter lease or no grace period
   * (pass it to {@code NfsServer.Builder.protocol}).
   *
   * @param stateConfig lease time, grace period and session limits
   */
  public Nfs4Protocol(StateConfig stateConfig) {
    this.stateConfig = stateConfig;
  }

  /**
   * Serves NFSv4 with owner names as the server asks ({@link ServerContext#ownerNames()}):
   * {@code name@domain} from its tables, else decimal ids ({@link IdMapper#NUMERIC}).
   */
  @Override
  public List<RpcProgram> programs(ServerContext context) {
    IdMapper idMapper =
        context.ownerNames().<IdMapper>map(NameIdMapper::new).orElse(IdMapper.NUMERIC);
    return List.of(program(context, idMapper, stateConfig));
  }

  /**
   * @param context the server
   * @param idMapper owner and group name translation
   * @return an NFSv4 program with all operations and the state engine
   */
  public static Nfs4Program program(ServerContext context, IdMapper idMapper) {
    return program(context, idMapper, StateConfig.defaults());
  }

  /**
   * @param context the server
   * @param idMapper owner and group name translation
   * @param stateConfig lease time, grace period and session limits
   * @return an NFSv4 program with all operations and the state engine
   */
  public static Nfs4Program program(ServerContext context, IdMapper idMapper, StateConfig stateConfig) {
    Nfs4StateService state = stateFactory().create(context, stateConfig);
    OperationRegistry registry = new OperationRegistry();
    StatelessOperations.registerAll(registry);
    state.registerOperations(registry);
    return new Nfs4Program(context, registry, state, idMapper);
  }

  /**
   * The state module of this jar or module, found through {@link ServiceLoader} so that this
   * package does not depend on the state package.
   */
  private static Nfs4StateFactory stateFactory() {
    return ServiceLoader.load(Nfs4StateFactory.class, Nfs4Protocol.class.getClassLoader()).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + Nfs4StateFactory.class.getName() + " provider"));
  }
}
