package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the calls of one TCP connection, many at a time, and writes their replies in the order
 * they complete.
 *
 * <p>Calls run on the executor; a call its program declares non-blocking may instead run on
 * the event loop, but only the last such call of each read batch: when a client pipelines,
 * the others hop to the executor so one connection can use several cores. A lone call goes to
 * a worker even so when one waits for the connection's calls ({@link WarmWorkers}). When the
 * event loop serves several connections that pipeline ({@link EventLoopCrowding}), the cores
 * are shared among connections already: every non-blocking call then runs on the event loop
 * as soon as it is read, and the replies of one read batch go out in one write.
 *
 * <p>At most {@code maxInFlight} calls run at once. Reaching the cap stops reading from the
 * socket ({@code autoRead=false}); calls already decoded wait in a queue that is bounded by
 * what one read delivered; reading resumes once the connection is below the cap again. Reading
 * also stops while the socket's outbound buffer is above its high-water mark.
 *
 * <p>Workers hand finished replies to a lock-free queue; one task on the event loop writes
 * every reply queued so far and flushes once. A call that was alone on its connection when it
 * started has nothing to share a flush with: its worker writes the reply to the socket itself
 * when it can ({@link DirectReplyWriter}), which spares the event loop a wake-up. That worker
 * may then stay awake for the connection's next call ({@link WarmWorkers}), which spares the
 * next call the wake-up of a worker.
 *
 * <p>After answering an AUTH_TLS probe (RFC 9289 §4.1) in plain text, the handler puts an
 * {@link SslHandler} in front of the record-marking decoder; every later byte of the connection
 * is TLS, and its calls carry the connection's {@link TransportSecurity}. On an implicit-TLS
 * port the handler is in place from the start.
 * <p>A connection with no call in flight on which nothing arrived for the idle timeout is
 * closed (calls that run longer keep it open; the period restarts when the last reply is
 * handed over). On {@link #STOP_READING} the connection takes no more records, so the calls
 * already read can finish while the server stops.
 */
final class RpcConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RpcConnectionHandler.class);

  private final RpcDispatcher dispatcher;
  private final Executor executor;
  private final WarmWorkers.Handoff<RpcCallTask> nextCall;
  private final int maxInFlight;

  /** Finished replies: {@link ByteBuf}s, or {@link StreamReply}s that end with file bytes. */
  private final Queue<Object> finished = new ConcurrentLinkedQueue<>();
  /** Framed calls the server sends to the client ({@link OutboundCalls}), not counted in flight. */
  private final Queue<ByteBuf> outboundCalls = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final ArrayDeque<RpcCallTask> waiting = new ArrayDeque<>();
  private final Runnable drain = this::drainFinished;
  private final long idleTimeoutNanos;
  private final AtomicInteger directReplies = new AtomicInteger();
  private volatile long lastDirectReply;

  private ChannelHandlerContext ctx;
  private InetSocketAddress remote;
  private InetSocketAddress local;
  private int inFlight;
  private RpcCallTask inline;
  private boolean needsFlush;
  private boolean closed;
  private SslHandler tls;
  private TransportSecurity security = TransportSecurity.NONE;
  private boolean stopReading;
  private long lastActivity;
  private ScheduledFuture<?> idleCheck;
  private DirectReplyWriter direct;
  private RpcConnection connection;
  private EventLoopCrowding crowding;
  /** How many calls the current read batch held. */
  private int batchCalls;
  /** The connection's decoder, which knows when its records had arrived; null in bare pipelines. */
  private RecordMarkingDecoder records;

  /** The user event that makes a connection stop taking records. */
  static final Object STOP_READING = new Object() {
    @Override
    public String toString() {
      return "STOP_READING";
    }
  };

  RpcConnectionHandler(RpcDispatcher dispatcher, Executor executor, int maxInFlight) {
    this(
        dispatcher, executor, WarmWorkers.NONE, maxInFlight, 0, null,
        new EventLoopCrowding(Long.MAX_VALUE / 4));
  }

  /**
   * @param warm workers that may wait for this connection's next call after a lone one
   * @param idleTimeoutNanos how long a connection without calls in flight stays open when
   *     nothing arrives; 0 for ever
   * @param connection the account of this connection; null for one of its own, with id 0
   * @param crowding what tells whether the event loop serves other pipelining connections;
   *     null for the one of the event loop's thread
   */
  RpcConnectionHandler(
      RpcDispatcher dispatcher,
      Executor executor,
      WarmWorkers warm,
      int maxInFlight,
      long idleTimeoutNanos,
      RpcConnection connection,
      EventLoopCrowding crowding) {
    this.crowding = crowding;
    this.connection = connection;
    this.dispatcher = dispatcher;
    this.executor = executor;
    this.nextCall = warm.newHandoff();
    this.maxInFlight = maxInFlight;
    this.idleTimeoutNanos = idleTimeoutNanos;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (crowding == null) {
      crowding = EventLoopCrowding.ofCurrentThread();
    }
    Channel ch = ctx.channel();
    records = ctx.pipeline().get(RecordMarkingDecoder.class);
    remote = inet(ch.remoteAddress());
    local = inet(ch.localAddress());
    if (connection == null) {
      connection = new RpcConnection(0, remote, local.getPort(), false, ch);
    }
    connection.outbound().writer(this::sendCall);
    if (dispatcher.tlsFromFirstByte()) {
      if (!installTls(ctx)) {
        return;
      }
    } else {
      direct = DirectReplyWriter.forChannel(ch);
    }
    lastActivity = System.nanoTime();
    if (idleTimeoutNanos > 0) {
      scheduleIdleCheck(idleTimeoutNanos);
    }
    ctx.fireChannelActive();
  }

  private void scheduleIdleCheck(long delayNanos) {
    idleCheck = ctx.executor().schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Closes the connection if it was idle for the whole timeout, else checks again later. */
  private void checkIdle() {
    idleCheck = null;
    if (closed) {
      return;
    }
    countDirectReplies();
    long idleFor = System.nanoTime() - lastActivity;
    boolean busy = inFlight > 0 || inline != null || !waiting.isEmpty();
    if (!busy && idleFor >= idleTimeoutNanos) {
      log.debug(
          "{}: nothing received for {} ms, closing", remote,
          TimeUnit.NANOSECONDS.toMillis(idleFor));
      connection.close(RpcConnection.CloseReason.IDLE_TIMEOUT);
      return;
    }
    scheduleIdleCheck(busy ? idleTimeoutNanos : idleTimeoutNanos - idleFor);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == STOP_READING) {
      stopReading = true;
      pauseReading();
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  private static InetSocketAddress inet(java.net.SocketAddress address) {
    return address instanceof InetSocketAddress a
        ? a
        : new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf record = (ByteBuf) msg;
    if (closed) {
      record.release();
      return;
    }
    if (tls != null && !tls.handshakeFuture().isSuccess()) {
      // RFC 9289 §5.1.1: plain text between the probe and the TLS handshake is discarded
      // without a response, and the connection dropped
      log.debug("{}: plain text after STARTTLS, closing", remote);
      record.release();
      closed = true;
      connection.close(RpcConnection.CloseReason.ERROR);
      return;
    }
    lastActivity = System.nanoTime();
    if (record.readableBytes() >= 8
        && record.getInt(record.readerIndex() + 4) == RpcMessages.REPLY) {
      // a client's reply to a call the server sent on this connection (a back channel)
      connection.outbound().deliver(record);
      return;
    }
    connection.received(record.readableBytes());
    long received = records != null ? records.lastReadNanos() : lastActivity;
    Inbound in =
        dispatcher.accept(
            record, remote, local, Transport.TCP, security(), connection, received, ctx.alloc());
    switch (in) {
      case Inbound.Reply reply -> {
        sent(reply.buffer());
        ctx.write(reply.buffer(), ctx.voidPromise());
        needsFlush = true;
      }
      case Inbound.StartTls start -> startTls(ctx, start.buffer());
      case Inbound.Disposition d -> {
        if (d == Inbound.Disposition.UNPARSABLE) {
          // the stream carries no call header: stop taking records from it and close
          closed = true;
          connection.close(RpcConnection.CloseReason.ERROR);
        }
      }
      case RpcCallTask task -> admit(task);
    }
  }

  /**
   * Sends the probe's answer in plain text, then inserts TLS below the record decoder: the
   * answer has already passed the point where the {@link SslHandler} goes, so only what
   * follows is encrypted.
   */
  private void startTls(ChannelHandlerContext ctx, ByteBuf answer) {
    if (direct != null) {
      direct.disable(ctx);
    }
    sent(answer);
    ctx.writeAndFlush(answer, ctx.voidPromise());
    needsFlush = false;
    installTls(ctx);
  }

  /**
   * Puts an {@link SslHandler} in front of the record decoder.
   *
   * @return false if there is no usable TLS context; the connection is closing then
   */
  private boolean installTls(ChannelHandlerContext ctx) {
    SslContext context;
    try {
      context = dispatcher.tlsContext();
    } catch (RuntimeException e) {
      log.warn("{}: no TLS context, closing", remote, e);
      closed = true;
      connection.close(RpcConnection.CloseReason.ERROR);
      return false;
    }
    ChannelHandlerContext records = ctx.pipeline().context(RecordMarkingDecoder.class);
    tls = context.newHandler(ctx.alloc());
    security = null;
    ctx.pipeline().addBefore(records != null ? records.name() : ctx.name(), "tls", tls);
    return true;
  }

  /**
   * @return the protection of this connection: plain text until STARTTLS; afterwards TLS, or
   *     mutual TLS when the client presented a certificate (learned once, from the session)
   */
  private TransportSecurity security() {
    TransportSecurity s = security;
    if (s != null) {
      return s;
    }
    SSLSession session = tls.engine().getSession();
    try {
      Certificate[] chain = session.getPeerCertificates();
      s =
          chain.length > 0 && chain[0] instanceof X509Certificate x509
              ? TransportSecurity.mutual(x509.getSubjectX500Principal().getName())
              : TransportSecurity.TLS;
    } catch (SSLPeerUnverifiedException e) {
      s = TransportSecurity.TLS;
    }
    security = s;
    connection.secured(s.peerSubject());
    return s;
  }

  private void admit(RpcCallTask task) {
    countDirectReplies();
    if (inFlight >= maxInFlight) {
      waiting.add(task);
      pauseReading();
      return;
    }
    inFlight++;
    batchCalls++;
    boolean alone = alone();
    long mark = nextCall.admit(alone);
    if (task.isNonBlocking() && crowding.crowded(lastActivity)) {
      // other connections keep the cores busy: running the call now spares two thread switches
      runInline(task);
      return;
    }
    if (inFlight >= maxInFlight) {
      pauseReading();
    }
    // a non-blocking call runs on the event loop, unless a worker waits (or may wait) for the
    // calls of this connection: handing it over is quicker than running it here
    if (task.isNonBlocking() && !nextCall.worthHandingOver(mark)) {
      RpcCallTask previous = inline;
      inline = task;
      if (previous != null) {
        hop(previous, false, WarmWorkers.NO_WAIT);
      }
    } else {
      hop(task, alone, mark);
    }
  }

  /**
   * @return whether the call just admitted is the only one in flight, on a connection where
   *     workers may write replies themselves
   */
  private boolean alone() {
    return inFlight == 1 && direct != null;
  }

  /**
   * Runs a call on a worker: a waiting one if the call is alone and a worker waits, else one
   * from the executor.
   *
   * @param alone whether the call is the only one of the connection in flight
   * @param mark what the call's admission to {@link #nextCall} returned
   */
  private void hop(RpcCallTask task, boolean alone, long mark) {
    if (alone && nextCall.offer(task)) {
      return;
    }
    try {
      executor.execute(() -> runCalls(task, alone, mark));
    } catch (RejectedExecutionException e) {
      log.warn("{}: executor refused {}, closing", remote, task);
      task.discard();
      inFlight--;
      connection.close(RpcConnection.CloseReason.ERROR);
    }
  }

  /**
   * On a worker: runs the call, then the calls handed to this worker while it waits for them.
   *
   * @param alone whether the call is the only one of the connection in flight
   * @param mark what the call's admission to {@link #nextCall} returned
   */
  private void runCalls(RpcCallTask first, boolean alone, long mark) {
    RpcCallTask task = first;
    while (task != null) {
      boolean waits = false;
      try {
        Object reply = task.runOnStream(ctx.alloc());
        // announced before the reply goes out, so that the next call finds this worker
        waits = nextCall.expect(mark);
        finish(reply, alone);
      } catch (RuntimeException e) {
        log.error("{}: could not send the reply to {}", remote, task, e);
      } finally {
        task.done();
        // even on the way out: a worker that announced it waits must end its wait
        task = waits ? nextCall.await(mark) : null;
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (batchCalls > 1 && crowding != null) {
      crowding.pipelined(this, lastActivity);
    }
    batchCalls = 0;
    RpcCallTask task = inline;
    if (task != null) {
      inline = null;
      runInline(task);
      lastActivity = System.nanoTime();
      admitWaiting();
    }
    if (needsFlush) {
      needsFlush = false;
      flushLocked();
    }
    ctx.fireChannelReadComplete();
  }

  /** Runs an admitted call on the event loop and queues its reply for the next flush. */
  private void runInline(RpcCallTask task) {
    Object reply = task.runOnStream(ctx.alloc());
    inFlight--;
    sent(reply);
    StreamReply.write(ctx, reply);
    task.done();
    needsFlush = true;
  }

  /**
   * Called on a worker with a finished reply.
   *
   * @param alone whether the call was the only one in flight when it started
   */
  private void finish(Object reply, boolean alone) {
    sent(reply);
    if (alone) {
      // counted before it is written: the client may send its next call as soon as it has
      // the reply, and that call is alone too. If the write is refused the count is taken
      // back; until then the event loop may count one call too few in flight, which only
      // matters to the heuristics that look at the count.
      lastDirectReply = System.nanoTime();
      directReplies.incrementAndGet();
      DirectReplyWriter.Outcome outcome = direct.tryWrite(reply);
      if (outcome != DirectReplyWriter.Outcome.REFUSED) {
        // the event loop writes what the socket did not take, and resumes reading if paused
        if (outcome == DirectReplyWriter.Outcome.CARRIED_OVER
            || !ctx.channel().config().isAutoRead()) {
          scheduleDrain();
        }
        return;
      }
      directReplies.decrementAndGet();
    }
    finished.add(reply);
    scheduleDrain();
  }

  /** Counts a reply about to be written; before the write, which hands the reply over. */
  private void sent(Object reply) {
    connection.sent(StreamReply.size(reply));
  }

  /** Queues a framed call to the client for the event loop to write; from any thread. */
  private void sendCall(ByteBuf call) {
    if (closed) {
      call.release();
      return;
    }
    outboundCalls.add(call);
    scheduleDrain();
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        ctx.executor().execute(drain);
      } catch (RejectedExecutionException e) {
        // the event loop is gone: nothing will write these replies any more
        drainScheduled.set(false);
        releaseFinished();
      }
    }
  }

  private void drainFinished() {
    drainScheduled.set(false);
    if (closed) {
      releaseFinished();
      return;
    }
    boolean carried = direct != null && direct.lockForEventLoop(ctx);
    int written = 0;
    try {
      Object reply;
      while ((reply = finished.poll()) != null) {
        written++;
        StreamReply.write(ctx, reply);
      }
      ByteBuf call;
      boolean calls = false;
      while ((call = outboundCalls.poll()) != null) {
        calls = true;
        ctx.write(call, ctx.voidPromise());
      }
      if (written > 0 || carried || calls) {
        ctx.flush();
      }
    } finally {
      if (direct != null) {
        direct.unlockForEventLoop();
      }
    }
    inFlight -= written;
    if (written > 0) {
      lastActivity = System.nanoTime();
    }
    countDirectReplies();
    admitWaiting();
  }

  /** Accounts for the replies workers wrote themselves; on the event loop. */
  private void countDirectReplies() {
    if (direct == null) {
      return;
    }
    int n = directReplies.get() == 0 ? 0 : directReplies.getAndSet(0);
    if (n != 0) {
      inFlight -= n;
      lastActivity = Math.max(lastActivity, lastDirectReply);
    }
  }

  /** Flushes while no worker writes to the socket, writing a worker's carry-over first. */
  private void flushLocked() {
    if (direct == null) {
      ctx.flush();
      return;
    }
    direct.lockForEventLoop(ctx);
    try {
      ctx.flush();
    } finally {
      direct.unlockForEventLoop();
    }
  }

  private void admitWaiting() {
    while (inFlight < maxInFlight && !waiting.isEmpty()) {
      RpcCallTask task = waiting.poll();
      inFlight++;
      boolean alone = alone();
      hop(task, alone, nextCall.admit(alone));
    }
    updateReading();
  }

  private void pauseReading() {
    if (ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  /**
   * Reads while the connection is below its cap and the socket accepts our replies: a client
   * that does not read its replies is not read from either, so they cannot pile up.
   */
  private void updateReading() {
    boolean read =
        !stopReading
            && inFlight < maxInFlight
            && waiting.isEmpty()
            && ctx.channel().isWritable();
    if (ctx.channel().config().isAutoRead() != read) {
      ctx.channel().config().setAutoRead(read);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (!closed) {
      updateReading();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  private void release() {
    closed = true;
    if (connection != null) {
      connection.outbound().close();
    }
    if (direct != null) {
      direct.release();
    }
    if (idleCheck != null) {
      idleCheck.cancel(false);
      idleCheck = null;
    }
    if (inline != null) {
      inline.discard();
      inline = null;
    }
    RpcCallTask task;
    while ((task = waiting.poll()) != null) {
      task.discard();
    }
    releaseFinished();
  }

  private void releaseFinished() {
    Object reply;
    while ((reply = finished.poll()) != null) {
      StreamReply.release(reply);
    }
    ByteBuf call;
    while ((call = outboundCalls.poll()) != null) {
      call.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{}: connection error, closing", remote, cause);
    if (connection != null && !(cause instanceof java.io.IOException)) {
      // a socket error (reset, timeout) is the connection breaking, not something it sent
      connection.closing(RpcConnection.CloseReason.ERROR);
    }
    ctx.close();
  }
}
