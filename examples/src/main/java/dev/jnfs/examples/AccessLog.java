package dev.jnfs.examples;

import dev.jnfs.server.ConnectionInfo;
import dev.jnfs.server.ConnectionListener;
import dev.jnfs.server.DisconnectCause;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line, on the logger {@value #LOGGER}, when a client's TCP connection is
 * accepted and one when it closes, with why, how long it lasted and what went over it; one
 * line at warn when a connection is refused before anything is read from it, with why
 * ({@code --max-connections}, {@code --max-connection-rate}). Never blocks: it only formats a
 * line for the logging framework.
 */
final class AccessLog implements ConnectionListener {
  /** The logger name, for {@code --log-level dev.jnfs.access=warn} to silence it. */
  static final String LOGGER = "dev.jnfs.access";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  @Override
  public void connected(ConnectionInfo c) {
    log.info("accepted #{} from {} on port {}{}", c.id(), address(c.remoteAddress()),
        c.localPort(), c.transport() == ConnectionInfo.Transport.TCP_TLS ? " (TLS)" : "");
  }

  @Override
  public void disconnected(ConnectionInfo c, DisconnectCause cause) {
    Duration lasted = Duration.between(c.connectedSince(), Instant.now());
    log.info("closed #{} from {}: {}; {} s, {} calls, {} bytes in, {} bytes out{}", c.id(),
        address(c.remoteAddress()), reason(cause), lasted.toSeconds(), c.calls(), c.bytesIn(),
        c.bytesOut(), c.tlsPeerSubject().map(s -> ", client certificate " + s).orElse(""));
  }

  @Override
  public void refused(InetSocketAddress remote, Refusal reason) {
    log.warn("refused a connection from {}: {}", address(remote), switch (reason) {
      case TOO_MANY_CONNECTIONS -> "too many connections (--max-connections)";
      case RATE_LIMITED -> "too many new connections from its address (--max-connection-rate)";
      case BY_LISTENER -> "refused by a connection listener";
    });
  }

  private static String address(InetSocketAddress a) {
    return a.getAddress() == null
        ? a.getHostString() + ":" + a.getPort()
        : a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private static String reason(DisconnectCause cause) {
    return switch (cause) {
      case CLIENT_CLOSED -> "closed by the client";
      case IDLE_TIMEOUT -> "idle timeout";
      case ERROR -> "closed for an error (a malformed or oversized record, a failed TLS handshake)";
      case SERVER_STOP -> "server stopping";
      case KICKED -> "disconnected by the application";
    };
  }
}
