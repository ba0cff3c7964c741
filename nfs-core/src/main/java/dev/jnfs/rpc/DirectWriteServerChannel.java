package dev.jnfs.rpc;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket whose accepted connections let a {@link DirectReplyWriter} reach their
 * socket, so that a worker can write its reply itself instead of waking the event loop.
 */
final class DirectWriteServerChannel extends NioServerSocketChannel {
  private static final Logger log = LoggerFactory.getLogger(DirectWriteServerChannel.class);

  DirectWriteServerChannel() {}

  @Override
  protected int doReadMessages(List<Object> accepted) throws Exception {
    java.nio.channels.SocketChannel socket = javaChannel().accept();
    if (socket == null) {
      return 0;
    }
    try {
      accepted.add(new Connection(this, socket));
      return 1;
    } catch (RuntimeException e) {
      log.warn("cannot set up an accepted connection, closing it", e);
      try {
        socket.close();
      } catch (IOException closing) {
        log.warn("cannot close an accepted socket", closing);
      }
      return 0;
    }
  }

  /** An accepted connection that hands out its socket. */
  static final class Connection extends NioSocketChannel {
    Connection(Channel parent, java.nio.channels.SocketChannel socket) {
      super(parent, socket);
    }

    /** @return the non-blocking socket under this channel */
    java.nio.channels.SocketChannel socket() {
      return javaChannel();
    }
  }
}
