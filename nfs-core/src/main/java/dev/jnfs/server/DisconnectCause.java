package dev.jnfs.server;

/** Why a connection ended, as {@link ConnectionListener#disconnected} reports it. */
public enum DisconnectCause {
  /** The client closed the connection, or it broke (reset by the client, a network failure). */
  CLIENT_CLOSED,
  /** Nothing arrived on it for the {@linkplain NfsServer.Builder#idleTimeout idle timeout}. */
  IDLE_TIMEOUT,
  /**
   * The server closed it because of what arrived on it: a record that is no RPC call or is too
   * large, plain text where TLS was due, a failed TLS handshake; or the server could not run
   * its calls.
   */
  ERROR,
  /** The server stopped ({@link NfsServer#stop()}). */
  SERVER_STOP,
  /** The embedding application closed it with {@link NfsServer#disconnect(long)}. */
  KICKED
}
