package dev.jnfs.rpc;

import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.FileRegion;
import io.netty.channel.MessageSizeEstimator;

/**
 * Sizes outbound messages for a connection's pending-bytes count, counting the file bytes
 * that end a reply, which Netty's default estimator counts as nothing. With them counted, the
 * connection stops reading while a client leaves large file replies unread, and "nothing
 * pending" means nothing at all is on its way to the socket, which {@link DirectReplyWriter}
 * relies on.
 */
final class ReplySizeEstimator implements MessageSizeEstimator {
  static final ReplySizeEstimator INSTANCE = new ReplySizeEstimator();

  private static final Handle DEFAULT = DefaultMessageSizeEstimator.DEFAULT.newHandle();
  private static final Handle HANDLE =
      msg ->
          msg instanceof FileRegion region
              ? (int) Math.min(Integer.MAX_VALUE, region.count() - region.transferred())
              : DEFAULT.size(msg);

  private ReplySizeEstimator() {}

  @Override
  public Handle newHandle() {
    return HANDLE;
  }
}
