package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.ReferenceCounted;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the worker that finished a call write the reply to the socket itself.
 *
 * <p>Handing a reply to the event loop costs a wake-up of that thread and two thread switches,
 * the largest cost of a call when a client waits for each reply before sending the next. A
 * worker may instead write while nothing else is on its way to the socket: Netty's outbound
 * buffer is empty and no earlier direct write left a remainder. The event loop takes the same
 * lock around each of its flushes, so bytes of two replies never interleave. What the socket
 * does not take at once is left as a carry-over, which the event loop writes before anything
 * else.
 *
 * <p>Only plain TCP connections accepted by {@link DirectWriteServerChannel} have one; under TLS
 * every byte must pass the {@link io.netty.handler.ssl.SslHandler}, so {@link #disable} turns
 * it off before TLS starts.
 */
final class DirectReplyWriter {
  private static final Logger log = LoggerFactory.getLogger(DirectReplyWriter.class);

  /** What became of a reply offered to {@link #tryWrite}. */
  enum Outcome {
    /** Written whole; its buffers are released. */
    WRITTEN,
    /** Partly written; the rest waits for the event loop, which must be asked to write it. */
    CARRIED_OVER,
    /** Not taken; the caller still owns the reply. */
    REFUSED
  }

  private final Channel channel;
  private final SocketChannel socket;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Object> carryOver = new ArrayDeque<>(); // guarded by lock
  private volatile boolean enabled = true;

  private DirectReplyWriter(Channel channel, SocketChannel socket) {
    this.channel = channel;
    this.socket = socket;
  }

  /** @return a writer for the channel, or null if its socket cannot be reached */
  static DirectReplyWriter forChannel(Channel channel) {
    return channel instanceof DirectWriteServerChannel.Connection c
        ? new DirectReplyWriter(channel, c.socket())
        : null;
  }

  /**
   * Stops direct writes for good, queuing any carry-over; called on the event loop before TLS
   * is put in place.
   */
  void disable(ChannelHandlerContext ctx) {
    lockForEventLoop(ctx);
    try {
      enabled = false;
    } finally {
      unlockForEventLoop();
    }
  }

  /**
   * Writes a reply ({@link ByteBuf} or {@link StreamReply}) to the socket if nothing else is
   * on its way there. Never blocks: a worker that finds the event loop writing leaves the reply
   * to it.
   */
  Outcome tryWrite(Object reply) {
    if (!enabled || !lock.tryLock()) {
      return Outcome.REFUSED;
    }
    try {
      if (!enabled || !carryOver.isEmpty() || !nothingPending()) {
        return Outcome.REFUSED;
      }
      if (reply instanceof StreamReply r) {
        carryOver.add(r.head());
        carryOver.add(r.data());
        if (r.padding() > 0) {
          carryOver.add(r.paddingBuffer());
        }
      } else {
        carryOver.add(reply);
      }
      return sendCarryOver() ? Outcome.WRITTEN : Outcome.CARRIED_OVER;
    } catch (IOException e) {
      log.debug("{}: writing a reply failed, closing", channel.remoteAddress(), e);
      dropCarryOver();
      channel.close();
      return Outcome.WRITTEN;
    } finally {
      lock.unlock();
    }
  }

  private boolean nothingPending() {
    ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
    return outbound != null && outbound.totalPendingWriteBytes() == 0 && channel.isActive();
  }

  /** Sends queued parts in order, releasing each once sent. @return whether all were sent */
  private boolean sendCarryOver() throws IOException {
    Object part;
    while ((part = carryOver.peek()) != null) {
      boolean sent =
          part instanceof FileBytes data ? data.sendTo(socket) : sendBuffer((ByteBuf) part);
      if (!sent) {
        return false;
      }
      carryOver.poll();
      ((ReferenceCounted) part).release();
    }
    return true;
  }

  private boolean sendBuffer(ByteBuf buf) throws IOException {
    while (buf.isReadable()) {
      long n = socket.write(buf.nioBuffers());
      if (n <= 0) {
        return false;
      }
      buf.skipBytes((int) n);
    }
    return true;
  }

  private void dropCarryOver() {
    Object part;
    while ((part = carryOver.poll()) != null) {
      ((ReferenceCounted) part).release();
    }
  }

  /**
   * Takes the lock for a write and flush by the event loop, and queues any carry-over first.
   *
   * @return true if a carry-over was queued, so a flush is needed
   */
  boolean lockForEventLoop(ChannelHandlerContext ctx) {
    lock.lock();
    if (carryOver.isEmpty()) {
      return false;
    }
    Object part;
    while ((part = carryOver.poll()) != null) {
      ctx.write(part, ctx.voidPromise());
    }
    return true;
  }

  /** Ends {@link #lockForEventLoop}. */
  void unlockForEventLoop() {
    lock.unlock();
  }

  /** Releases a carry-over the closed connection will never send; on the event loop. */
  void release() {
    lock.lock();
    try {
      dropCarryOver();
      enabled = false;
    } finally {
      lock.unlock();
    }
  }
}
