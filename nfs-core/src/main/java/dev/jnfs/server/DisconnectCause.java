package dev.jnfs.server;

/** Why a connection ended, as {@link ConnectionListener#disconnected} reports it. */
public enum DisconnectCause {
  /** The client closed the connection, or it broke without an error the server saw. */
  CLIENT_CLOSED,
  /** Nothing arrived on it for the {@linkplain NfsServer.Builder#idleTimeout idle timeout}. */
  IDLE_TIMEOUT,
  /** The server closed it after a transport or protocol error (e.g. a record that is no RPC). */
  ERROR,
  /** The server stopped ({@link NfsServer#stop()}). */
  SERVER_STOP,
  /** The embedding application closed it with {@link NfsServer#disconnect(long)}. */
  KICKED
}
