package dev.jnfs.v4.state;

import dev.jnfs.lock.LockManager;
import dev.jnfs.lock.FileKey;
import dev.jnfs.protocol.DelegationRecalls;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.ServerMetrics;
import dev.jnfs.v4.Nfs4StateFactory;
import dev.jnfs.v4.Nfs4StateService;
import dev.jnfs.v4.StateConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Creates the NFSv4 state engine of a server: clients, leases, sessions, opens, locks and the
 * operations that manage them. The {@link Nfs4StateFactory} of this module, found through
 * {@link java.util.ServiceLoader}.
 */
public final class StateModule implements Nfs4StateFactory {
  /** Bytes of RPC and COMPOUND framing allowed around the largest READ or WRITE payload. */
  private static final int RECORD_OVERHEAD = 16 * 1024;
  /** The subdirectory of the server's state directory that holds NFSv4's client records. */
  static final String STATE_SUBDIRECTORY = "nfs4";

  /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
  public StateModule() {}

  /**
   * @param context the server
   * @param config the lease, grace period and session limits; request and response sizes are
   *     lowered to what the server's READ and WRITE limits need
   * @return the state service on the system clock, keeping reservations and locks in the
   *     server's {@link ServerContext#lockManager() lock manager} and, when the server has a
   *     {@linkplain ServerContext#stateDirectory() state directory}, the records of the clients
   *     that may reclaim state after a restart in its subdirectory {@value #STATE_SUBDIRECTORY};
   *     it registers the stateful operations itself
   * @throws java.io.UncheckedIOException when the client records cannot be opened
   */
  @Override
  public Nfs4StateService create(ServerContext context, StateConfig config) {
    return create(context, config, InstantSource.system(), context.lockManager());
  }

  /**
   * @param context the server
   * @param config the lease, grace period and session limits
   * @param clock the time source for leases and grace
   * @param locks where share reservations and byte-range locks are kept
   * @return the state service
   */
  static Nfs4StateService create(ServerContext context, StateConfig config, InstantSource clock, LockManager locks) {
    int request = Math.min(config.maxRequestSize(), context.maxWriteSize() + RECORD_OVERHEAD);
    int response = Math.min(config.maxResponseSize(), context.maxReadSize() + RECORD_OVERHEAD);
    byte[] identity = context.serverIdentity().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
    StateConfig limited = config.withMaxSizes(request, response)
        .withMaxDelegations(Math.min(config.maxDelegations(), context.maxDelegations()));
    StateEngine engine = new StateEngine(limited, clock, locks,
        clientRecords(context), identity, context.writeDelegations());
    measure(context.metrics(), engine.clients);
    context.registerDelegationRecalls(new DelegationRecalls() {
      @Override
      public boolean recallBeforeChange(FileKey file) {
        return engine.delegations.recallBeforeChange(file);
      }

      @Override
      public boolean recallBeforeRead(FileKey file) {
        return engine.delegations.recallBeforeRead(file);
      }

      @Override
      public boolean writeDelegated(FileKey file) {
        return engine.delegations.writeDelegated(file);
      }

      @Override
      public boolean anyHeld() {
        return engine.delegations.any();
      }
    });
    return new StateService(engine);
  }

  private static ClientRecordStore clientRecords(ServerContext context) {
    Optional<Path> directory = context.stateDirectory();
    if (directory.isEmpty()) {
      return ClientRecordStore.NONE;
    }
    Path records = directory.get().resolve(STATE_SUBDIRECTORY);
    try {
      return ClientRecordLog.open(records);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the NFSv4 client records in " + records, e);
    }
  }

  /**
   * Shows the state's size as gauges, read without the state lock: a scrape never waits for a
   * call. A restarted server's new state replaces the old one in them.
   */
  private static void measure(ServerMetrics metrics, ClientTable clients) {
    metrics.gauge("jnfs.nfs4.clients", "NFSv4 client records, confirmed or not", clients::count);
    metrics.gauge("jnfs.nfs4.sessions", "NFSv4.1 sessions", clients::sessionCount);
    metrics.gauge(
        "jnfs.nfs4.opens", "NFSv4 open states (one per open-owner and file)",
        () -> clients.stateCount(OpenState.class));
    metrics.gauge(
        "jnfs.nfs4.locks", "NFSv4 lock states (one per lock-owner and file)",
        () -> clients.stateCount(LockState.class));
  }
}
