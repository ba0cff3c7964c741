package dev.jnfs.server;

/**
 * Decides which client connections the server takes, and hears when they open and close.
 * Register one or several with {@link NfsServer.Builder#connectionListener}; each method has a
 * default, so a listener implements only what it needs.
 *
 * <p>Only TCP connections are reported: UDP has no connections. A connection refused by the
 * {@linkplain NfsServer.Builder#maxConnections maximum number of connections} or by the
 * {@linkplain NfsServer.Builder#maxConnectionRatePerAddress per-address rate} is closed before
 * any listener hears of it.
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
}
