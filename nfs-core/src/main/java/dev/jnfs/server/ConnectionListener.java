package dev.jnfs.server;

import java.net.InetSocketAddress;

/**
 * Decides which client connections the server takes, and hears when they open and close.
 * Register one or several with {@link NfsServer.Builder#connectionListener}; each method has a
 * default, so a listener implements only what it needs.
 *
 * <p>Only TCP connections are reported: UDP has no connections. A connection refused by the
 * {@linkplain NfsServer.Builder#maxConnections maximum number of connections}, by the
 * {@linkplain NfsServer.Builder#maxConnectionRatePerAddress per-address rate} or by a
 * listener's {@link #accept} is closed before anything is read from it, and every listener
 * hears of it through {@link #refused}.
 *
 * <p>Every method is called on the network thread that serves the connection: it must return
 * quickly and never block (hand slow work, such as writing to a database, to another thread).
 * For each accepted connection, {@link #connected} and then {@link #disconnected} are called
 * exactly once on every listener. A listener that throws is logged at warn and does not stop
 * the server or the other listeners; an exception from {@link #accept} refuses the connection.
 * Implementations must be thread-safe: connections are served by several threads.
 */
public interface ConnectionListener {

  /**
   * Whether to serve a new connection, asked before anything is read from it. Listeners are
   * asked in the order they were registered; the first that says no closes the connection, and
   * the others are not asked.
   *
   * @param connection the new connection (no calls yet)
   * @return false to close it; the default accepts
   */
  default boolean accept(ConnectionInfo connection) {
    return true;
  }

  /**
   * A connection was accepted and is being served.
   *
   * @param connection the connection
   */
  default void connected(ConnectionInfo connection) {}

  /**
   * A connection that was {@linkplain #connected connected} ended.
   *
   * @param connection the connection's final snapshot (its counts include every call read)
   * @param cause why it ended
   */
  default void disconnected(ConnectionInfo connection, DisconnectCause cause) {}

  /**
   * A connection was closed before anything was read from it; {@link #connected} and {@link
   * #disconnected} are not called for it.
   *
   * @param remote the client's address and port
   * @param reason why
   */
  default void refused(InetSocketAddress remote, Refusal reason) {}

  /** Why a connection was refused. */
  enum Refusal {
    /** The server already served its {@linkplain NfsServer.Builder#maxConnections maximum}. */
    TOO_MANY_CONNECTIONS,
    /** Its address opened too many connections within a minute ({@linkplain
     * NfsServer.Builder#maxConnectionRatePerAddress the rate limit}). */
    RATE_LIMITED,
    /** A listener's {@link ConnectionListener#accept} said no (or failed). */
    BY_LISTENER
  }
}
