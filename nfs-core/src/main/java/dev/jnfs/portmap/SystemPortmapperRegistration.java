package dev.jnfs.portmap;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's programs as registered with the host's portmapper (rpcbind), so that clients
 * asking port 111 find them: made by {@link #register}, undone by {@link #unregister}.
 *
 * <p>Before registering, the entries the same programs and versions already have are removed,
 * as knfsd's {@code rpc.nfsd} does at start: entries a server that died left behind would
 * otherwise make rpcbind refuse the new ones (RFC 1833 §2.2.1: SET fails when the program,
 * version and netid are mapped already).
 *
 * <p>rpcbind trusts SET and UNSET only from local callers (RFC 1833 §2.2.2). Linux's rpcbind
 * counts as local only its Unix-domain socket {@value #LOCAL_SOCKET} unless started with
 * {@code -i} or {@code -L}, and lets an entry be removed only by the user who made it or by
 * root. So the local socket is used when it exists, loopback TCP port 111 otherwise; a refusal
 * is logged at warn and the server runs on unregistered.
 *
 * <p>A server listening on every address registers the wildcard universal address
 * ({@code 0.0.0.0.p1.p2}, and {@code ::.p1.p2} over {@code tcp6}/{@code udp6} when it also
 * listens over IPv6), which rpcbind answers with the address the client called.
 */
public final class SystemPortmapperRegistration {
  private static final Logger log = LoggerFactory.getLogger(SystemPortmapperRegistration.class);

  /** Where Linux's rpcbind takes local calls. */
  static final String LOCAL_SOCKET = "/run/rpcbind.sock";

  private static final int PORTMAPPER_PORT = 111;
  private static final int TCP = 6;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private record Entry(int program, int version, String netid, String address) {}

  private final SocketAddress portmapper;
  private final List<Entry> entries;

  private SystemPortmapperRegistration(SocketAddress portmapper, List<Entry> entries) {
    this.portmapper = portmapper;
    this.entries = entries;
  }

  /**
   * Where this host's portmapper may take registrations, in the order to try them: its local
   * socket if present (a socket file may outlive its daemon), then loopback port 111.
   *
   * @return the addresses to try
   */
  public static List<SocketAddress> hostAddresses() {
    Path socket = Path.of(LOCAL_SOCKET);
    InetSocketAddress tcp = new InetSocketAddress(InetAddress.getLoopbackAddress(), PORTMAPPER_PORT);
    return Files.exists(socket) ? List.of(UnixDomainSocketAddress.of(socket), tcp) : List.of(tcp);
  }

  /**
   * Registers mappings with the first portmapper that answers.
   *
   * @param portmappers the portmappers to try, Unix-domain or TCP addresses
   * @param mappings what to register (program, version, protocol, port)
   * @param bound the address the server listens on, null for every address
   * @return the registration, to {@linkplain #unregister undo} at stop; null if no portmapper
   *     answered, or the registration failed half-way (then nothing stays registered)
   */
  public static SystemPortmapperRegistration register(
      List<SocketAddress> portmappers, List<PortMapping> mappings, InetAddress bound) {
    List<Entry> entries = entries(mappings, bound);
    for (SocketAddress portmapper : portmappers) {
      RpcbindClient client = answering(portmapper);
      if (client == null) {
        continue;
      }
      SystemPortmapperRegistration registration =
          new SystemPortmapperRegistration(portmapper, entries);
      try (client) {
        registration.register(client);
        return registration;
      } catch (IOException e) {
        log.warn("registering with the system portmapper at {} failed", portmapper, e);
        // the entries made before the failure are not left behind
        registration.unregister();
        return null;
      }
    }
    return null;
  }

  /** @return a client of the portmapper if it answers NULL, else null */
  private static RpcbindClient answering(SocketAddress portmapper) {
    RpcbindClient client = null;
    try {
      client = RpcbindClient.connect(portmapper, TIMEOUT);
      client.ping();
      return client;
    } catch (IOException e) {
      log.debug("no system portmapper at {}: {}", portmapper, e.getMessage());
      if (client != null) {
        client.close();
      }
      return null;
    }
  }

  private void register(RpcbindClient client) throws IOException {
    Set<List<Integer>> versions = new LinkedHashSet<>();
    for (Entry e : entries) {
      if (versions.add(List.of(e.program(), e.version()))
          && !client.unset(e.program(), e.version(), "")) {
        log.debug(
            "portmapper {} kept older entries of program {} version {}",
            portmapper, e.program(), e.version());
      }
    }
    List<String> refused = new ArrayList<>();
    for (Entry e : entries) {
      if (!client.set(e.program(), e.version(), e.netid(), e.address())
          && !isIpv6(e.netid())) {
        refused.add(e.program() + " v" + e.version() + " " + e.netid());
      }
    }
    if (!refused.isEmpty()) {
      log.warn(
          "the system portmapper at {} refused to register {}: clients must be given the"
              + " ports (rpcbind accepts registrations from root or the entry's owner over its"
              + " local socket, and over loopback only when started with -i or -L)",
          portmapper, refused);
    } else {
      log.info("registered with the system portmapper at {}", portmapper);
    }
  }

  /**
   * Removes the entries {@link #register} made (the program versions over their netids). A
   * portmapper that no longer answers is logged at debug.
   */
  public void unregister() {
    try (RpcbindClient client = RpcbindClient.connect(portmapper, TIMEOUT)) {
      for (Entry e : entries) {
        client.unset(e.program(), e.version(), e.netid());
      }
      log.debug("unregistered from the system portmapper at {}", portmapper);
    } catch (IOException e) {
      log.debug("cannot unregister from the portmapper at {}: {}", portmapper, e.getMessage());
    }
  }

  private static List<Entry> entries(List<PortMapping> mappings, InetAddress bound) {
    boolean dualStack = bound == null && !NetUtil.isIpV4StackPreferred();
    List<Entry> entries = new ArrayList<>();
    for (PortMapping m : mappings) {
      String transport = m.protocol() == TCP ? "tcp" : "udp";
      if (bound == null) {
        entries.add(entry(m, transport, "0.0.0.0", m.port()));
        if (dualStack) {
          entries.add(entry(m, transport + "6", "::", m.port()));
        }
      } else if (bound instanceof Inet6Address) {
        entries.add(entry(m, transport + "6", host(bound), m.port()));
      } else {
        entries.add(entry(m, transport, host(bound), m.port()));
      }
    }
    return entries;
  }

  private static Entry entry(PortMapping m, String netid, String host, int port) {
    return new Entry(
        m.program(), m.version(), netid, host + "." + (port >> 8 & 0xFF) + "." + (port & 0xFF));
  }

  private static String host(InetAddress address) {
    String text = address.getHostAddress();
    int scope = text.indexOf('%');
    return scope < 0 ? text : text.substring(0, scope);
  }

  /** IPv6 entries are registered where the portmapper has IPv6; a refusal is no loss. */
  private static boolean isIpv6(String netid) {
    return netid.endsWith("6");
  }
}
