package dev.jnfs.nlm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a restart, tells each client host that held locks before it that this server
 * restarted: SM_NOTIFY (program 100024, procedure 6) to the host's status monitor, found
 * through its portmapper, naming this server by the address it reaches the host from and
 * giving the new state number. The client's status monitor then has its lock manager reclaim
 * the locks during the grace period. A host that does not answer is tried again, {@link
 * #ATTEMPTS} times in all with doubling pauses, then given up.
 */
final class RestartNotifier {
  private static final Logger log = LoggerFactory.getLogger(RestartNotifier.class);
  static final int ATTEMPTS = 5;
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

  private final PeerCalls peers;
  private final MonitoredHosts hosts;

  RestartNotifier(PeerCalls peers, MonitoredHosts hosts) {
    this.peers = peers;
    this.hosts = hosts;
  }

  /** Notifies one host, blocking through the retries; to run on a thread of its own. */
  void notify(String host) {
    long pause = FIRST_PAUSE.toMillis();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        InetAddress address = InetAddress.getByName(host); // an address in text: never resolved
        String self = PeerCalls.localAddressTowards(address).getHostAddress();
        hosts.notifyingAs(self);
        byte[] args = NlmXdr.encode(out -> out.writeString(self).writeInt(hosts.state()));
        peers.call(address, NsmProgram.PROGRAM, 1, NsmProgram.SM_NOTIFY, args);
        log.debug("SM_NOTIFY sent to {}", host);
        hosts.notified(host);
        return;
      } catch (UnknownHostException e) {
        break;
      } catch (IOException e) {
        log.debug("SM_NOTIFY to {} failed (attempt {}): {}", host, attempt, e.toString());
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
      pause *= 2;
    }
    log.warn("SM_NOTIFY to {} failed {} times; its locks are not reclaimed", host, ATTEMPTS);
    hosts.notified(host);
  }
}
