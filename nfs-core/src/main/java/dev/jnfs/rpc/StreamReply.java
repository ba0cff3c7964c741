package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

/**
 * A reply on a stream connection whose results end with bytes sent straight from a file: the
 * framed head (record mark, reply header, results so far), the file bytes, and the XDR padding
 * that follows them (RFC 4506 §4.10). Replies without file bytes travel as a plain
 * {@link ByteBuf}; the static helpers take either.
 */
record StreamReply(ByteBuf head, FileBytes data, int padding) {

  /** @return the zero bytes that pad the file bytes to a multiple of four */
  ByteBuf paddingBuffer() {
    return Unpooled.wrappedBuffer(new byte[padding]);
  }

  /** Queues a reply's parts on the channel, in order; the channel owns them afterwards. */
  static void write(ChannelHandlerContext ctx, Object reply) {
    if (reply instanceof StreamReply r) {
      ctx.write(r.head, ctx.voidPromise());
      ctx.write(r.data, ctx.voidPromise());
      if (r.padding > 0) {
        ctx.write(r.paddingBuffer(), ctx.voidPromise());
      }
    } else {
      ctx.write(reply, ctx.voidPromise());
    }
  }

  /** @return how many bytes a reply holds, file bytes and padding included */
  static long size(Object reply) {
    return reply instanceof StreamReply r
        ? r.head.readableBytes() + r.data.count() + r.padding
        : ((ByteBuf) reply).readableBytes();
  }

  /** Releases a reply that will not be sent. */
  static void release(Object reply) {
    if (reply instanceof StreamReply r) {
      r.head.release();
      r.data.release();
    } else {
      ((ByteBuf) reply).release();
    }
  }
}
