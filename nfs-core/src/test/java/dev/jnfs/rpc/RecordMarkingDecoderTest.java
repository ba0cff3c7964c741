package dev.jnfs.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.LeakWatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Record marking (RFC 5531 §11) on an embedded channel; every test checks for leaks. */
class RecordMarkingDecoderTest {
  private static final int LAST = 0x8000_0000;

  private LeakWatch leaks;

  @BeforeEach
  void watchLeaks() throws Exception {
    leaks = new LeakWatch();
    leaks.collect();
    leaks.clear();
  }

  @AfterEach
  void noLeaks() throws Exception {
    try {
      List<String> found = leaks.collect();
      assertTrue(found.isEmpty(), () -> "leaks: " + found);
    } finally {
      leaks.close();
    }
  }

  private static ByteBuf bytes(int mark, byte[] body) {
    return Unpooled.buffer().writeInt(mark).writeBytes(body);
  }

  private static byte[] body(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed + i);
    }
    return b;
  }

  private static byte[] read(EmbeddedChannel ch) {
    ByteBuf record = ch.readInbound();
    try {
      return ByteBufUtil.getBytes(record);
    } finally {
      record.release();
    }
  }

  @Test
  void singleFragmentRecord() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(1024));
    ch.writeInbound(bytes(LAST | 10, body(10, 1)));
    assertTrue(Arrays.equals(body(10, 1), read(ch)));
    assertNull(ch.readInbound());
    assertFalse(ch.finish());
  }

  @Test
  void eachRecordIsTimedByTheReadThatCompletedIt() {
    RecordMarkingDecoder decoder = new RecordMarkingDecoder(1024);
    List<Long> seenAt = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        seenAt.add(decoder.lastReadNanos());
        ((ByteBuf) msg).release();
      }
    });
    ByteBuf second = bytes(LAST | 20, body(20, 3));
    long before = System.nanoTime();
    ch.writeInbound(bytes(LAST | 10, body(10, 1)).writeBytes(second.readRetainedSlice(6)));
    long between = System.nanoTime();
    ch.writeInbound(second);
    long after = System.nanoTime();

    assertEquals(2, seenAt.size());
    assertTrue(seenAt.get(0) - before >= 0 && between - seenAt.get(0) >= 0, "the first read");
    assertTrue(seenAt.get(1) - between >= 0 && after - seenAt.get(1) >= 0, "the read that ended it");
    assertFalse(ch.finish());
  }

  @Test
  void markAndBodySplitAcrossReads() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(1024));
    ByteBuf all = bytes(LAST | 20, body(20, 3));
    ch.writeInbound(all.readRetainedSlice(2));
    ch.writeInbound(all.readRetainedSlice(9));
    assertNull(ch.readInbound());
    ch.writeInbound(all);
    assertTrue(Arrays.equals(body(20, 3), read(ch)));
    assertFalse(ch.finish());
  }

  /** Feeds {@code all} to the channel in pieces of {@code piece} bytes. */
  private static void feed(EmbeddedChannel ch, ByteBuf all, int piece) {
    while (all.readableBytes() > piece) {
      ch.writeInbound(all.readRetainedSlice(piece));
    }
    ch.writeInbound(all);
  }

  @Test
  void largeRecordArrivingInPiecesIsCollectedWhole() {
    int size = 1 << 20;
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(2 << 20));
    ByteBuf all = Unpooled.buffer()
        .writeInt(LAST | size).writeBytes(body(size, 7))
        .writeInt(LAST | 10).writeBytes(body(10, 9));
    feed(ch, all, 65_536 - 3);
    assertTrue(Arrays.equals(body(size, 7), read(ch)));
    assertTrue(Arrays.equals(body(10, 9), read(ch)));
    assertNull(ch.readInbound());
    assertFalse(ch.finish());
  }

  @Test
  void largeFragmentsOfOneRecordAreJoined() {
    int big = RecordMarkingDecoder.COLLECT_THRESHOLD + 5;
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(4 * big));
    ByteBuf all = Unpooled.buffer()
        .writeInt(big).writeBytes(body(big, 1))
        .writeInt(7).writeBytes(body(7, 1 + big))
        .writeInt(LAST | big).writeBytes(body(big, 8 + big));
    feed(ch, all, 1000);
    assertTrue(Arrays.equals(body(2 * big + 7, 1), read(ch)));
    assertNull(ch.readInbound());
    assertFalse(ch.finish());
  }

  @Test
  void largeFragmentStillArrivingIsReleasedWhenTheConnectionCloses() {
    int size = RecordMarkingDecoder.COLLECT_THRESHOLD * 2;
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(size));
    ch.writeInbound(Unpooled.buffer().writeInt(LAST | size).writeBytes(body(1000, 0)));
    assertNull(ch.readInbound());
    assertFalse(ch.finish());
  }

  @Test
  void fragmentsAreJoinedIncludingEmptyOnes() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(1024));
    ByteBuf in =
        Unpooled.buffer()
            .writeInt(3).writeBytes(body(3, 0))
            .writeInt(0)
            .writeInt(5).writeBytes(body(5, 3))
            .writeInt(LAST)
            .writeInt(LAST | 2).writeBytes(body(2, 50));
    ch.writeInbound(in);
    assertTrue(Arrays.equals(body(8, 0), read(ch)));
    assertTrue(Arrays.equals(body(2, 50), read(ch)));
    assertFalse(ch.finish());
  }

  @Test
  void manyOneByteFragments() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(1 << 20));
    byte[] body = body(10_000, 9);
    ByteBuf in = Unpooled.buffer();
    for (int i = 0; i < body.length; i++) {
      in.writeInt((i == body.length - 1 ? LAST : 0) | 1).writeByte(body[i]);
    }
    ch.writeInbound(in);
    assertTrue(Arrays.equals(body, read(ch)));
    assertFalse(ch.finish());
  }

  @Test
  void recordOfExactlyTheMaximumPasses() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(16));
    ch.writeInbound(Unpooled.buffer().writeInt(8).writeBytes(body(8, 0)));
    ch.writeInbound(bytes(LAST | 8, body(8, 8)));
    assertEquals(16, read(ch).length);
    assertTrue(ch.isOpen());
    assertFalse(ch.finish());
  }

  @Test
  void oversizedFragmentClosesBeforeItsBodyArrives() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(16));
    ch.writeInbound(Unpooled.buffer().writeInt(LAST | 17));
    assertFalse(ch.isOpen());
    assertNull(ch.readInbound());
    ch.finish();
  }

  @Test
  void oversizedSumOfFragmentsClosesAndReleasesWhatWasHeld() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(16));
    ByteBuf first = Unpooled.buffer().writeInt(10).writeBytes(body(10, 0));
    ch.writeInbound(first);
    ch.writeInbound(bytes(LAST | 7, body(7, 0)));
    assertFalse(ch.isOpen());
    assertNull(ch.readInbound());
    assertEquals(0, first.refCnt(), "the held fragment was released");
    ch.finish();
  }

  @Test
  void partialRecordIsReleasedWhenTheConnectionCloses() {
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(1024));
    ByteBuf first = Unpooled.buffer().writeInt(4).writeBytes(body(4, 0));
    ch.writeInbound(first);
    ch.writeInbound(Unpooled.buffer().writeInt(LAST | 100).writeBytes(body(10, 0)));
    assertFalse(ch.finish());
    assertEquals(0, first.refCnt());
  }

  @Test
  void maximumMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new RecordMarkingDecoder(0));
  }

  /** Reads {@code from} into lent space as the socket would, and hands the slice back. */
  private static void receiveInto(EmbeddedChannel ch, RecordMarkingDecoder decoder, ByteBuf from, int n) {
    ByteBuf space = decoder.lendArrivingSpace();
    assertNotNull(space, "a fragment is being collected, so its space is lent");
    assertEquals(0, space.readableBytes());
    space.writeBytes(from, Math.min(n, space.writableBytes()));
    ch.writeInbound(space);
  }

  @Test
  void largeFragmentIsReceivedStraightIntoItsBuffer() {
    int size = 1 << 20;
    RecordMarkingDecoder decoder = new RecordMarkingDecoder(2 << 20);
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    assertNull(decoder.lendArrivingSpace(), "nothing is being collected");
    ByteBuf body = Unpooled.wrappedBuffer(body(size, 3));
    ch.writeInbound(Unpooled.buffer().writeInt(LAST | size).writeBytes(body, 1000));
    assertNull(ch.readInbound());
    while (body.readableBytes() > 0) {
      receiveInto(ch, decoder, body, 100_000);
    }
    assertTrue(Arrays.equals(body(size, 3), read(ch)));
    assertNull(decoder.lendArrivingSpace(), "the fragment is complete");
    ch.writeInbound(bytes(LAST | 5, body(5, 1)));
    assertTrue(Arrays.equals(body(5, 1), read(ch)));
    body.release();
    assertFalse(ch.finish());
  }

  @Test
  void lentSpaceJoinsAFragmentOfALongerRecord() {
    int big = RecordMarkingDecoder.COLLECT_THRESHOLD * 2;
    RecordMarkingDecoder decoder = new RecordMarkingDecoder(4 * big);
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    ch.writeInbound(bytes(7, body(7, 1)));
    ByteBuf second = Unpooled.wrappedBuffer(body(big, 8));
    ch.writeInbound(Unpooled.buffer().writeInt(LAST | big).writeBytes(second, 10));
    receiveInto(ch, decoder, second, big);
    assertTrue(Arrays.equals(body(7 + big, 1), read(ch)));
    second.release();
    assertFalse(ch.finish());
  }

  @Test
  void noSpaceIsLentBetweenRecords() {
    RecordMarkingDecoder decoder = new RecordMarkingDecoder(1 << 20);
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    ch.writeInbound(Unpooled.buffer().writeShort(0x8000));
    assertNull(decoder.lendArrivingSpace(), "half a mark is buffered");
    ch.writeInbound(Unpooled.buffer().writeShort(10).writeBytes(body(4, 0)));
    assertNull(decoder.lendArrivingSpace(), "a small fragment is cumulated, not collected");
    ch.writeInbound(Unpooled.wrappedBuffer(body(6, 4)));
    assertTrue(Arrays.equals(body(10, 0), read(ch)));
    assertFalse(ch.finish());
  }

  @Test
  void lentSpaceReturnedAfterTheConnectionClosedIsReleased() {
    int size = RecordMarkingDecoder.COLLECT_THRESHOLD * 2;
    RecordMarkingDecoder decoder = new RecordMarkingDecoder(size);
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    ch.writeInbound(Unpooled.buffer().writeInt(LAST | size).writeBytes(body(100, 0)));
    ByteBuf space = decoder.lendArrivingSpace();
    assertNotNull(space);
    assertFalse(ch.finish());
    space.writeBytes(body(100, 0));
    space.release();
  }

  @Test
  void aLargeFragmentBeyondTheBudgetIsCumulatedInstead() {
    int size = 256 * 1024;
    ArrivingBytesBudget budget = new ArrivingBytesBudget(size - 1);
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(1 << 20, 0, budget));
    feed(ch, Unpooled.buffer().writeInt(LAST | size).writeBytes(body(size, 5)), 8192);
    assertTrue(Arrays.equals(body(size, 5), read(ch)));
    assertEquals(0, budget.reserved());
    assertFalse(ch.finish());
  }

  @Test
  void aCollectedFragmentHoldsItsShareOfTheBudgetUntilItIsWhole() {
    int size = 128 * 1024;
    ArrivingBytesBudget budget = new ArrivingBytesBudget(1 << 20);
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(1 << 20, 0, budget));
    ByteBuf all = Unpooled.buffer().writeInt(LAST | size).writeBytes(body(size, 2));
    ch.writeInbound(all.readRetainedSlice(1000));
    assertEquals(size, budget.reserved());
    ch.writeInbound(all);
    assertTrue(Arrays.equals(body(size, 2), read(ch)));
    assertEquals(0, budget.reserved());
    ch.writeInbound(Unpooled.buffer().writeInt(LAST | size).writeBytes(body(10, 0)));
    assertEquals(size, budget.reserved());
    assertFalse(ch.finishAndReleaseAll());
    assertEquals(0, budget.reserved(), "given back when the connection goes");
  }

  @Test
  void aRecordNotCompleteWithinTheRecordTimeoutClosesTheConnection() throws Exception {
    long timeout = 50_000_000L;
    EmbeddedChannel ch = new EmbeddedChannel(
        new RecordMarkingDecoder(1024, timeout, new ArrivingBytesBudget(0)));
    ch.writeInbound(Unpooled.buffer().writeInt(LAST | 100).writeBytes(body(10, 0)));
    Thread.sleep(100);
    ch.runScheduledPendingTasks();
    assertFalse(ch.isOpen());
    ch.finishAndReleaseAll();
  }

  @Test
  void wholeRecordsAndPausedReadingDoNotCountAgainstTheRecordTimeout() throws Exception {
    long timeout = 200_000_000L;
    EmbeddedChannel ch = new EmbeddedChannel(
        new RecordMarkingDecoder(1024, timeout, new ArrivingBytesBudget(0)));
    for (int i = 0; i < 6; i++) {
      // each read completes a record and starts the next
      ByteBuf b = Unpooled.buffer();
      if (i > 0) {
        b.writeBytes(body(10, 0));
      }
      b.writeInt(LAST | 20).writeBytes(body(10, 0));
      ch.writeInbound(b);
      Thread.sleep(60);
      ch.runScheduledPendingTasks();
      assertTrue(ch.isOpen(), "closed after read " + i);
      if (i > 0) {
        read(ch);
      }
    }
    ch.config().setAutoRead(false);
    Thread.sleep(300);
    ch.runScheduledPendingTasks();
    assertTrue(ch.isOpen(), "closed while the server was not reading");
    ch.finishAndReleaseAll();
  }
}
