package dev.jnfs.rpc;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP sockets of one port. A server bound to one address has one socket. A server bound to
 * every address has one socket per local address instead of one wildcard socket, and follows
 * the addresses as they come and go (checked every {@link #REFRESH_PERIOD}).
 *
 * <p>Why not one wildcard socket: a datagram carries no connection, so a reply from a wildcard
 * socket leaves from whatever address the route back to the client picks, which on a host with
 * several addresses may not be the one the client called, and the client (a connected socket,
 * rpcinfo, the Linux kernel) then ignores it. The server also cannot tell which address a
 * datagram was sent to, which rpcbind's GETADDR needs to answer a universal address (RFC 1833
 * §2.2.1). Java offers no IP_PKTINFO to learn and choose it per datagram; a socket bound to
 * the address has both for free. Sockets bound to unicast addresses receive no broadcasts,
 * which no NFS client sends.
 */
final class UdpSockets {
  private static final Logger log = LoggerFactory.getLogger(UdpSockets.class);
  static final Duration REFRESH_PERIOD = Duration.ofSeconds(10);

  private final Supplier<Bootstrap> bootstrap;
  private final int port;
  private final Map<InetAddress, Channel> channels = new LinkedHashMap<>();
  private final Set<InetAddress> failed = new HashSet<>();
  private boolean reading = true;
  private boolean closed;
  private Thread follower;

  private UdpSockets(Supplier<Bootstrap> bootstrap, int port) {
    this.bootstrap = bootstrap;
    this.port = port;
  }

  /**
   * Binds the sockets.
   *
   * @param bootstrap makes a bootstrap ready to bind one socket (its handler included)
   * @param address the address to bind, null for each local address, followed from then on
   * @param port the port
   * @return the bound sockets
   * @throws IOException if the port is taken at an address, or nothing at all could be bound;
   *     nothing stays bound then
   */
  static UdpSockets bind(Supplier<Bootstrap> bootstrap, InetAddress address, int port)
      throws IOException {
    UdpSockets sockets = new UdpSockets(bootstrap, port);
    try {
      if (address != null) {
        sockets.bindOne(address);
      } else {
        for (InetAddress a : localAddresses()) {
          try {
            sockets.bindOne(a);
          } catch (IOException e) {
            if (isPortTaken(e)) {
              throw e;
            }
            // an address not ready yet (IPv6 duplicate address detection): bound later
            log.debug("UDP {}:{} not bound yet: {}", a.getHostAddress(), port, e.getMessage());
            sockets.failed.add(a);
          }
        }
        if (sockets.channels.isEmpty()) {
          throw new IOException("cannot bind UDP port " + port + " at any local address");
        }
        sockets.follower =
            Thread.ofVirtual().name("jnfs-udp-addresses-" + port).start(sockets::follow);
      }
      return sockets;
    } catch (IOException | RuntimeException e) {
      sockets.close(Duration.ofSeconds(1));
      throw e;
    }
  }

  private static boolean isPortTaken(IOException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    String message = cause.getMessage();
    return cause instanceof BindException
        && message != null
        && message.toLowerCase(Locale.ROOT).contains("in use");
  }

  /** The addresses of the interfaces that are up (IPv4 only when the JVM prefers it). */
  static Set<InetAddress> localAddresses() throws SocketException {
    boolean ipv4Only = NetUtil.isIpV4StackPreferred();
    Set<InetAddress> addresses = new LinkedHashSet<>();
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (!nic.isUp()) {
        continue;
      }
      nic.inetAddresses()
          .filter(a -> !(ipv4Only && a instanceof Inet6Address))
          .forEach(addresses::add);
    }
    return addresses;
  }

  private void bindOne(InetAddress address) throws IOException {
    ChannelFuture f = bootstrap.get().bind(new InetSocketAddress(address, port));
    f.awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IOException(
          "cannot bind UDP " + address.getHostAddress() + ":" + port, f.cause());
    }
    Channel c = f.channel();
    c.config().setAutoRead(reading);
    channels.put(address, c);
  }

  private void follow() {
    while (true) {
      try {
        Thread.sleep(REFRESH_PERIOD);
      } catch (InterruptedException e) {
        return;
      }
      try {
        refresh(localAddresses());
      } catch (SocketException e) {
        log.debug("cannot list the local addresses", e);
      }
    }
  }

  /** Binds the addresses that appeared, closes the sockets of those that went. */
  synchronized void refresh(Set<InetAddress> current) {
    if (closed) {
      return;
    }
    channels
        .entrySet()
        .removeIf(
            e -> {
              if (current.contains(e.getKey())) {
                return false;
              }
              log.debug("UDP {}:{} closed: address gone", e.getKey().getHostAddress(), port);
              e.getValue().close();
              return true;
            });
    failed.retainAll(current);
    for (InetAddress a : current) {
      if (channels.containsKey(a)) {
        continue;
      }
      try {
        bindOne(a);
        failed.remove(a);
        log.debug("UDP {}:{} bound: new address", a.getHostAddress(), port);
      } catch (IOException e) {
        if (failed.add(a) && isPortTaken(e)) {
          log.warn("UDP port {} is taken at the new address {}", port, a.getHostAddress());
        }
      }
    }
  }

  /** Stops reading datagrams, on the sockets bound now and on those bound later. */
  synchronized void stopReading() {
    reading = false;
    for (Channel c : channels.values()) {
      c.config().setAutoRead(false);
    }
  }

  /**
   * Closes every socket and stops following the addresses.
   *
   * @param timeout how long to wait for each socket to close
   * @return how many sockets did not close in time
   */
  int close(Duration timeout) {
    Thread f;
    Map<InetAddress, Channel> closing;
    synchronized (this) {
      closed = true;
      f = follower;
      closing = new LinkedHashMap<>(channels);
      channels.clear();
    }
    if (f != null) {
      f.interrupt();
    }
    int stuck = 0;
    for (Channel c : closing.values()) {
      if (!c.close().awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        stuck++;
      }
    }
    return stuck;
  }
}
