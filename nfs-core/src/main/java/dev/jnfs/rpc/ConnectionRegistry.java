package dev.jnfs.rpc;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live TCP connections of one server, over all its ports: gives each connection its id,
 * applies the per-address connection rate, asks the {@link Observer} whether to accept each
 * one and tells it when one opens and closes. Connections refused by the per-port maximum,
 * the rate or the observer are closed before any record is read and are not announced as
 * opened or closed. Thread-safe.
 */
public final class ConnectionRegistry {
  /**
   * Learns of connections; called on the connection's network thread, so it must not block.
   * {@link #opened} and {@link #closed} are called exactly once for each accepted connection,
   * in that order.
   */
  public interface Observer {
    /**
     * @param connection a new connection, nothing read from it yet
     * @return whether to serve it; false closes it
     */
    boolean accept(RpcConnection connection);

    /** @param connection a connection that was accepted */
    void opened(RpcConnection connection);

    /**
     * @param connection a connection that closed, with its final counts
     * @param reason why it closed
     */
    void closed(RpcConnection connection, RpcConnection.CloseReason reason);

    /**
     * @param remote the client of a connection closed before anything was read from it
     * @param reason why
     */
    void refused(InetSocketAddress remote, Refusal reason);
  }

  /** Why a connection was closed before anything was read from it. */
  public enum Refusal {
    /** The endpoint already serves its maximum number of connections. */
    MAX_CONNECTIONS,
    /** Its address opened too many connections in the last minute. */
    RATE,
    /** A connection listener said no. */
    LISTENER;

    /** @return the name as a metric tag: {@code max_connections}, {@code rate}, {@code listener} */
    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, RpcConnection> live = new ConcurrentHashMap<>();
  private final ConnectionRateLimit rate;
  private final Observer observer;
  private final ServerMetrics metrics;

  /**
   * @param perAddressPerMinute how many new connections one client address may open per
   *     minute; 0 for no limit
   * @param observer told of every connection
   */
  public ConnectionRegistry(int perAddressPerMinute, Observer observer) {
    this(perAddressPerMinute, observer, ServerMetrics.NONE);
  }

  /**
   * @param perAddressPerMinute how many new connections one client address may open per
   *     minute; 0 for no limit
   * @param observer told of every connection
   * @param metrics where refused connections are counted
   */
  public ConnectionRegistry(int perAddressPerMinute, Observer observer, ServerMetrics metrics) {
    this.rate = new ConnectionRateLimit(perAddressPerMinute);
    this.observer = Objects.requireNonNull(observer, "observer");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** @return how many connections are open now */
  public int openCount() {
    return live.size();
  }

  /** @return the connections open now */
  public Collection<RpcConnection> live() {
    return List.copyOf(live.values());
  }

  /**
   * Closes a connection on the embedding application's request.
   *
   * @param id the connection's id
   * @return whether it was open and not already closing (its channel closes asynchronously, so
   *     a second call for the same id answers false even before it is gone from the list)
   */
  public boolean disconnect(long id) {
    RpcConnection c = live.get(id);
    return c != null && c.close(RpcConnection.CloseReason.KICKED);
  }

  /** Marks every open connection as closing because the server stops. */
  public void stopping() {
    for (RpcConnection c : live.values()) {
      c.closing(RpcConnection.CloseReason.SERVER_STOP);
    }
  }

  RpcConnection newConnection(Channel channel, boolean tls) {
    InetSocketAddress local = (InetSocketAddress) channel.localAddress();
    return new RpcConnection(
        ids.incrementAndGet(), (InetSocketAddress) channel.remoteAddress(), local.getPort(), tls,
        channel);
  }

  /** @return whether the connection may be served: below its address's rate and accepted */
  boolean admit(RpcConnection c) {
    if (!rate.tryAcquire(c.remoteAddress().getAddress(), System.nanoTime())) {
      refused(c.remoteAddress(), Refusal.RATE);
      return false;
    }
    if (!observer.accept(c)) {
      refused(c.remoteAddress(), Refusal.LISTENER);
      return false;
    }
    return true;
  }

  /**
   * Counts a connection closed before anything was read from it and tells the observer.
   *
   * @param remote its client
   * @param reason why it was refused
   */
  void refused(InetSocketAddress remote, Refusal reason) {
    metrics.connectionRefused(reason.tag());
    observer.refused(remote, reason);
  }

  void opened(RpcConnection c) {
    live.put(c.id(), c);
    observer.opened(c);
  }

  void closed(RpcConnection c) {
    live.remove(c.id());
    c.closing(RpcConnection.CloseReason.CLIENT_CLOSED);
    observer.closed(c, c.closeReason());
  }
}
