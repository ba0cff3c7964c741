package dev.jnfs.nlm;

import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.RpcProgram;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Assembles NLM and NSM for one server: the lock manager comes from the server's context, the
 * hosts file from its state directory. Creating the programs starts the SM_NOTIFY round to the
 * hosts of the previous run, and with it the grace period.
 */
public final class Nlm {
  /** The port of a client's portmapper. */
  static final int PORTMAP_PORT = 111;
  /** How long one call to a client may take. */
  static final Duration PEER_TIMEOUT = Duration.ofSeconds(10);

  private Nlm() {}

  /**
   * @param context the server the programs run in
   * @return the NLM program (100021 version 1, and versions 3 and 4) and the NSM program
   *     (100024 version 1)
   */
  public static List<RpcProgram> programs(ServerContext context) {
    return programs(context, PORTMAP_PORT);
  }

  /**
   * @param context the server the programs run in
   * @param clientPortmapPort where the clients' portmappers listen (111, but in tests)
   */
  static List<RpcProgram> programs(ServerContext context, int clientPortmapPort) {
    MonitoredHosts hosts = new MonitoredHosts(context.stateDirectory().orElse(null));
    ExecutorService background =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("jnfs-nlm-", 0).factory());
    PeerCalls peers = new PeerCalls(clientPortmapPort, PEER_TIMEOUT);
    LockService service =
        new LockService(context, hosts, new GrantedCallbacks(peers, background), background);
    RestartNotifier notifier = new RestartNotifier(peers, hosts);
    for (String host : hosts.previousHosts()) {
      background.execute(() -> notifier.notify(host));
    }
    return List.of(
        new NlmProgram(service, peers, background, 1, 1),
        new NlmProgram(service, peers, background, 3, 4),
        new NsmProgram(service, hosts));
  }
}
