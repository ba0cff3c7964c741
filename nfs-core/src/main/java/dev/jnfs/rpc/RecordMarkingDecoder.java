package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reassembles RPC records from a TCP stream (RFC 5531 §11): each fragment is preceded by a
 * four-byte mark whose high bit says "last fragment" and whose low 31 bits give the fragment
 * length. Emits one {@link ByteBuf} per complete record; the receiver owns it.
 *
 * <p>A single-fragment record (what Linux and most clients send) is passed on as a slice of
 * the received bytes, without copying. Fragments of a longer record are copied into one
 * buffer, so a client sending a record as many tiny fragments costs no more memory than the
 * record itself.
 *
 * <p>A large fragment (a WRITE's data) whose mark arrives before its bytes is collected into
 * one buffer of exactly its length as the bytes arrive. Leaving it to the stream's
 * cumulation would copy everything received so far on every read while earlier records
 * are still in use by calls in flight, which costs far more than this one copy.
 *
 * <p>Better still, the socket can read such a fragment's bytes straight into that buffer:
 * {@link FragmentReceiving} asks {@link #lendArrivingSpace} for the next read's buffer, and
 * the read comes back here as a slice of it, which only advances the buffer (no copy at all).
 * Lending happens only while nothing else is buffered and no handler (TLS) stands between the
 * socket and this decoder.
 *
 * <p>The buffers of fragments being collected that way come out of an {@link
 * ArrivingBytesBudget} shared by the connections of an endpoint: a fragment that does not fit
 * is cumulated as its bytes arrive instead, so announcing large fragments costs a client
 * nothing it has not sent.
 *
 * <p>A record whose fragments add up to more than the configured maximum is never buffered:
 * as soon as a fragment mark announces it, the connection is closed (the stream cannot be
 * resynchronised) and everything after is discarded. Other connections are unaffected.
 *
 * <p>A record must arrive whole within the record timeout, counted from the read that brought
 * its first bytes; time in which the connection is not read from (the server holds back while
 * the connection's calls in flight are at their cap) does not count. A connection whose record
 * is late is closed, so a client that sends a record a byte at a time, or sends half a record
 * and stops, holds its connection and the bytes received only that long.
 */
public final class RecordMarkingDecoder extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(RecordMarkingDecoder.class);
  private static final int MARK_BYTES = 4;
  private static final int MIN_REASSEMBLY_CAPACITY = 1024;
  /** Fragments at least this long are collected as they arrive rather than cumulated. */
  static final int COLLECT_THRESHOLD = 64 * 1024;

  private final int maxRecordSize;
  private final long recordTimeoutNanos;
  private final ArrivingBytesBudget budget;
  private ByteBuf fragments;
  private int fragmentsSize;
  private ByteBuf arriving;
  private int arrivingReserved;
  private boolean arrivingIsLast;
  private boolean discarding;
  private ChannelHandlerContext context;
  private ByteBuf lent;
  /** When the record now partly received began to arrive; 0 when none is. */
  private long recordStarted;
  private ScheduledFuture<?> recordCheck;
  /** When bytes last arrived, for {@link #lastReadNanos}. */
  private long lastReadNanos;

  /**
   * A decoder without a record timeout, with a budget of its own for collected fragments.
   *
   * @param maxRecordSize the largest record accepted, in bytes, counting every fragment
   */
  public RecordMarkingDecoder(int maxRecordSize) {
    this(maxRecordSize, 0, new ArrivingBytesBudget(ArrivingBytesBudget.DEFAULT_BYTES));
  }

  /**
   * @param maxRecordSize the largest record accepted, in bytes, counting every fragment
   * @param recordTimeoutNanos how long a record may take to arrive; 0 for ever
   * @param budget the memory for large fragments being collected, shared with the other
   *     connections of the endpoint
   */
  RecordMarkingDecoder(int maxRecordSize, long recordTimeoutNanos, ArrivingBytesBudget budget) {
    if (maxRecordSize <= 0) {
      throw new IllegalArgumentException("maxRecordSize must be positive: " + maxRecordSize);
    }
    if (recordTimeoutNanos < 0) {
      throw new IllegalArgumentException("recordTimeoutNanos must not be negative");
    }
    this.maxRecordSize = maxRecordSize;
    this.recordTimeoutNanos = recordTimeoutNanos;
    this.budget = budget;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
  }

  /**
   * Offers the rest of the large fragment being collected as the buffer of the socket's next
   * read, when the bytes read can only belong to it. Called on the event loop.
   *
   * @return a slice of the fragment's buffer positioned at its end and empty, or null
   */
  ByteBuf lendArrivingSpace() {
    ChannelHandlerContext ctx = context;
    if (arriving == null
        || discarding
        || ctx == null
        || ctx.isRemoved()
        || internalBuffer().isReadable()
        || ctx.pipeline().get(SslHandler.class) != null) {
      return null;
    }
    lent = arriving.retainedSlice(arriving.writerIndex(), arriving.writableBytes()).clear();
    return lent;
  }

  /**
   * @return {@link System#nanoTime()} as read when the last bytes read from the connection
   *     reached this decoder: every record it has passed on had arrived whole by then
   */
  long lastReadNanos() {
    return lastReadNanos;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    lastReadNanos = System.nanoTime();
    ByteBuf mine = lent;
    if (msg != mine || mine == null) {
      super.channelRead(ctx, msg);
      return;
    }
    lent = null;
    int received = mine.readableBytes();
    mine.release();
    if (arriving == null) {
      return; // the connection is being torn down
    }
    arriving.writerIndex(arriving.writerIndex() + received);
    if (arriving.isWritable()) {
      return;
    }
    ByteBuf fragment = takeArriving();
    List<Object> out = new java.util.ArrayList<>(1);
    addFragment(ctx, fragment, arrivingIsLast, out);
    if (!out.isEmpty()) {
      recordStarted = 0;
    }
    notePartialRecord(ctx, fragments != null || internalBuffer().isReadable());
    for (Object record : out) {
      ctx.fireChannelRead(record);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int before = out.size();
    while (!discarding) {
      if (arriving != null) {
        arriving.writeBytes(in, Math.min(arriving.writableBytes(), in.readableBytes()));
        if (arriving.isWritable()) {
          break;
        }
        addFragment(ctx, takeArriving(), arrivingIsLast, out);
        continue;
      }
      if (in.readableBytes() < MARK_BYTES) {
        break;
      }
      int mark = in.getInt(in.readerIndex());
      boolean last = (mark & RpcMessages.LAST_FRAGMENT) != 0;
      int length = mark & ~RpcMessages.LAST_FRAGMENT;
      if ((long) fragmentsSize + length > maxRecordSize) {
        log.debug(
            "{}: record of at least {} bytes exceeds the maximum {}, closing",
            ctx.channel().remoteAddress(),
            (long) fragmentsSize + length,
            maxRecordSize);
        discard(ctx);
        break;
      }
      if (in.readableBytes() < MARK_BYTES + length) {
        if (length < COLLECT_THRESHOLD || !budget.tryReserve(length)) {
          break;
        }
        in.skipBytes(MARK_BYTES);
        arriving = ServerBuffers.LARGE.directBuffer(length, length);
        arrivingReserved = length;
        arrivingIsLast = last;
        continue;
      }
      in.skipBytes(MARK_BYTES);
      if (last && fragments == null) {
        out.add(in.readRetainedSlice(length));
        continue;
      }
      appendFragment(ctx, in, length, last, out);
    }
    if (discarding) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (out.size() > before) {
      recordStarted = 0; // a record completed: whatever follows is a new one
    }
    notePartialRecord(ctx, arriving != null || fragments != null || in.isReadable());
  }

  /** Hands over the fragment collected in its own buffer, and its share of the budget. */
  private ByteBuf takeArriving() {
    ByteBuf fragment = arriving;
    arriving = null;
    budget.release(arrivingReserved);
    arrivingReserved = 0;
    return fragment;
  }

  /**
   * Starts timing a record when its first bytes have arrived, and stops when no record is
   * partly received any more.
   */
  private void notePartialRecord(ChannelHandlerContext ctx, boolean partial) {
    if (!partial) {
      recordStarted = 0;
      return;
    }
    if (recordStarted == 0) {
      recordStarted = System.nanoTime();
      if (recordTimeoutNanos > 0 && recordCheck == null) {
        recordCheck =
            ctx.executor().schedule(() -> checkRecord(ctx), recordTimeoutNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Closes the connection if its record is late; else checks again when it would be. */
  private void checkRecord(ChannelHandlerContext ctx) {
    recordCheck = null;
    if (discarding || ctx.isRemoved() || recordStarted == 0) {
      return;
    }
    long now = System.nanoTime();
    if (!ctx.channel().config().isAutoRead()) {
      recordStarted = now; // the server is not reading: the client is not late
    }
    long late = now - recordStarted - recordTimeoutNanos;
    if (late >= 0) {
      log.debug(
          "{}: record not complete after {} ms, closing",
          ctx.channel().remoteAddress(),
          TimeUnit.NANOSECONDS.toMillis(now - recordStarted));
      discard(ctx);
      return;
    }
    recordCheck = ctx.executor().schedule(() -> checkRecord(ctx), -late, TimeUnit.NANOSECONDS);
  }

  /** Takes a whole fragment collected in its own buffer. */
  private void addFragment(ChannelHandlerContext ctx, ByteBuf fragment, boolean last, List<Object> out) {
    if (last && fragments == null) {
      out.add(fragment);
      return;
    }
    try {
      appendFragment(ctx, fragment, fragment.readableBytes(), last, out);
    } finally {
      fragment.release();
    }
  }

  /** Copies {@code length} bytes of one fragment into the record being reassembled. */
  private void appendFragment(ChannelHandlerContext ctx, ByteBuf from, int length, boolean last, List<Object> out) {
    if (fragments == null) {
      int initial = (int) Math.min(maxRecordSize, Math.max(2L * length, MIN_REASSEMBLY_CAPACITY));
      fragments = ctx.alloc().buffer(initial, maxRecordSize);
    }
    fragments.writeBytes(from, length);
    fragmentsSize += length;
    if (last) {
      out.add(fragments);
      fragments = null;
      fragmentsSize = 0;
    }
  }

  private void discard(ChannelHandlerContext ctx) {
    discarding = true;
    releaseFragments();
    ctx.close();
  }

  private void releaseFragments() {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
    if (arriving != null) {
      takeArriving().release();
    }
    fragmentsSize = 0;
    recordStarted = 0;
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    releaseFragments();
    if (recordCheck != null) {
      recordCheck.cancel(false);
      recordCheck = null;
    }
  }
}
