package dev.jnfs.server;

import dev.jnfs.rpc.ConnectionRegistry;
import dev.jnfs.rpc.RpcConnection;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays the RPC layer's connection events to the embedder's {@link ConnectionListener}s,
 * shielding the server from their exceptions.
 */
final class ConnectionEvents implements ConnectionRegistry.Observer {
  private static final Logger log = LoggerFactory.getLogger(ConnectionEvents.class);

  private final List<ConnectionListener> listeners;

  ConnectionEvents(List<ConnectionListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  static ConnectionInfo snapshot(RpcConnection c) {
    return new ConnectionInfo(
        c.id(),
        c.remoteAddress(),
        c.localPort(),
        c.tls() ? ConnectionInfo.Transport.TCP_TLS : ConnectionInfo.Transport.TCP,
        Optional.ofNullable(c.peerSubject()),
        c.principals(),
        c.nfs4ClientIds(),
        c.calls(),
        c.replies(),
        c.bytesIn(),
        c.bytesOut(),
        c.since());
  }

  @Override
  public boolean accept(RpcConnection connection) {
    if (listeners.isEmpty()) {
      return true;
    }
    ConnectionInfo info = snapshot(connection);
    for (ConnectionListener l : listeners) {
      try {
        if (!l.accept(info)) {
          return false;
        }
      } catch (RuntimeException e) {
        log.warn("connection listener {} failed to decide on {}; refused", l, info, e);
        return false;
      }
    }
    return true;
  }

  @Override
  public void opened(RpcConnection connection) {
    if (listeners.isEmpty()) {
      return;
    }
    ConnectionInfo info = snapshot(connection);
    for (ConnectionListener l : listeners) {
      try {
        l.connected(info);
      } catch (RuntimeException e) {
        log.warn("connection listener {} failed on the connection of {}", l, info, e);
      }
    }
  }

  @Override
  public void refused(InetSocketAddress remote, ConnectionRegistry.Refusal reason) {
    ConnectionListener.Refusal refusal = switch (reason) {
      case MAX_CONNECTIONS -> ConnectionListener.Refusal.TOO_MANY_CONNECTIONS;
      case RATE -> ConnectionListener.Refusal.RATE_LIMITED;
      case LISTENER -> ConnectionListener.Refusal.BY_LISTENER;
    };
    for (ConnectionListener l : listeners) {
      try {
        l.refused(remote, refusal);
      } catch (RuntimeException e) {
        log.warn("connection listener {} failed on the refused connection of {}", l, remote, e);
      }
    }
  }

  @Override
  public void closed(RpcConnection connection, RpcConnection.CloseReason reason) {
    if (listeners.isEmpty()) {
      return;
    }
    ConnectionInfo info = snapshot(connection);
    DisconnectCause cause = causeOf(reason);
    for (ConnectionListener l : listeners) {
      try {
        l.disconnected(info, cause);
      } catch (RuntimeException e) {
        log.warn("connection listener {} failed on the disconnection of {}", l, info, e);
      }
    }
  }

  private static DisconnectCause causeOf(RpcConnection.CloseReason reason) {
    return switch (reason) {
      case CLIENT_CLOSED -> DisconnectCause.CLIENT_CLOSED;
      case IDLE_TIMEOUT -> DisconnectCause.IDLE_TIMEOUT;
      case ERROR -> DisconnectCause.ERROR;
      case SERVER_STOP -> DisconnectCause.SERVER_STOP;
      case KICKED -> DisconnectCause.KICKED;
    };
  }
}
