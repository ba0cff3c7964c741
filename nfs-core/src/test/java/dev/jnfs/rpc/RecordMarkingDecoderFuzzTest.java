package dev.jnfs.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link RecordMarkingDecoder} through an {@link EmbeddedChannel}: the input chooses the
 * record size limit and how the stream is cut into reads; the rest is the stream. The records
 * that come out must be exactly those a straightforward reading of RFC 5531 §11 finds, none
 * larger than the limit; a record announced beyond the limit closes the channel; re-framing the
 * records as single fragments and decoding again gives them back unchanged. Large fragments are
 * collected in buffers of their own, or cumulated when the budget for those is spent: the input
 * chooses which.
 */
class RecordMarkingDecoderFuzzTest {
  /** Limits small enough to be crossed by fuzzed marks, and one that allows collected fragments. */
  private static final int[] LIMITS = {8, 100, 1024, RecordMarkingDecoder.COLLECT_THRESHOLD * 2};

  @FuzzTest(maxDuration = "2m")
  void records(FuzzedDataProvider data) {
    int limit = LIMITS[data.consumeInt(0, LIMITS.length - 1)];
    long budget = data.consumeBoolean() ? ArrivingBytesBudget.DEFAULT_BYTES : 0;
    int[] cuts = new int[data.consumeInt(0, 8)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = data.consumeInt(1, 64);
    }
    byte[] stream = data.consumeRemainingAsBytes();

    Expected expected = Expected.of(stream, limit);
    List<byte[]> records = decode(stream, cuts, limit, budget);
    assertEquals(expected.records.size(), records.size(), "records decoded");
    for (int i = 0; i < records.size(); i++) {
      assertTrue(records.get(i).length <= limit, "record beyond the limit");
      assertArrayEquals(expected.records.get(i), records.get(i), "record " + i);
    }

    if (!expected.tooBig) {
      ByteBuf reframed = Unpooled.buffer();
      for (byte[] r : records) {
        reframed.writeInt(RpcMessages.LAST_FRAGMENT | r.length).writeBytes(r);
      }
      List<byte[]> again = decode(ByteBufUtil.getBytes(reframed), new int[0], limit, budget);
      assertEquals(records.size(), again.size(), "records after re-framing");
      for (int i = 0; i < again.size(); i++) {
        assertArrayEquals(records.get(i), again.get(i), "re-framed record " + i);
      }
    }
  }

  /** Feeds the stream in reads of the given sizes (the last read takes the rest). */
  private static List<byte[]> decode(byte[] stream, int[] cuts, int limit, long budget) {
    ArrivingBytesBudget arriving = new ArrivingBytesBudget(budget);
    EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(limit, 0, arriving));
    List<byte[]> out = new ArrayList<>();
    try {
      int at = 0;
      for (int i = 0; i <= cuts.length && at < stream.length && ch.isOpen(); i++) {
        int n = i < cuts.length ? Math.min(cuts[i], stream.length - at) : stream.length - at;
        ch.writeInbound(Unpooled.wrappedBuffer(stream, at, n));
        at += n;
        drain(ch, out);
      }
      boolean tooBig = Expected.of(stream, limit).tooBig;
      assertEquals(tooBig, !ch.isOpen(), "closed exactly when a record is too big");
    } finally {
      ch.finishAndReleaseAll();
    }
    assertEquals(0, arriving.reserved(), "the budget is given back");
    return out;
  }

  private static void drain(EmbeddedChannel ch, List<byte[]> out) {
    for (ByteBuf record; (record = ch.readInbound()) != null; ) {
      try {
        out.add(ByteBufUtil.getBytes(record));
      } finally {
        record.release();
      }
    }
  }

  /** The complete records of a stream, read the plain way, and whether one was too big. */
  private record Expected(List<byte[]> records, boolean tooBig) {
    static Expected of(byte[] stream, int limit) {
      ByteBuffer in = ByteBuffer.wrap(stream);
      List<byte[]> records = new ArrayList<>();
      java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
      while (in.remaining() >= 4) {
        int mark = in.getInt();
        int length = mark & ~RpcMessages.LAST_FRAGMENT;
        if ((long) record.size() + length > limit) {
          return new Expected(records, true);
        }
        if (in.remaining() < length) {
          break;
        }
        byte[] fragment = new byte[length];
        in.get(fragment);
        record.writeBytes(fragment);
        if ((mark & RpcMessages.LAST_FRAGMENT) != 0) {
          records.add(record.toByteArray());
          record.reset();
        }
      }
      assertFalse(records.stream().anyMatch(r -> r.length > limit));
      return new Expected(records, false);
    }
  }
}
