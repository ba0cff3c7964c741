package dev.jnfs.rpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets one new connection in or closes it before anything is read from it, as its
 * {@link ConnectionRegistry} decides, and reports its end to the registry. Sits in front of
 * the record decoder; one per connection.
 */
final class ConnectionGate extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);

  private final ConnectionRegistry registry;
  private final RpcConnection connection;
  private boolean open;

  ConnectionGate(ConnectionRegistry registry, RpcConnection connection) {
    this.registry = registry;
    this.connection = connection;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (!registry.admit(connection)) {
      log.debug("{}: connection refused", connection.remoteAddress());
      ctx.close();
      return;
    }
    open = true;
    registry.opened(connection);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (open) {
      open = false;
      registry.closed(connection);
    }
    ctx.fireChannelInactive();
  }
}
