package dev.jnfs.benchmarks;

import dev.jnfs.rpc.RecordMarkingDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Record-mark decoding of a 200-byte record, in one fragment and in four. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecordMarkingBenchmark {
  private EmbeddedChannel channel;
  private ByteBuf single;
  private ByteBuf four;

  /** Builds the channel and the inputs. */
  @Setup
  public void setUp() {
    channel = new EmbeddedChannel(new RecordMarkingDecoder(1 << 20));
    single = Unpooled.directBuffer().writeInt(0x8000_0000 | 200).writeZero(200);
    four = Unpooled.directBuffer();
    for (int i = 0; i < 4; i++) {
      four.writeInt((i == 3 ? 0x8000_0000 : 0) | 50).writeZero(50);
    }
  }

  /** Releases everything. */
  @TearDown
  public void tearDown() {
    channel.finishAndReleaseAll();
    single.release();
    four.release();
  }

  private int decode(ByteBuf input) {
    channel.writeInbound(input.retainedDuplicate());
    ByteBuf record = channel.readInbound();
    int n = record.readableBytes();
    record.release();
    return n;
  }

  /** @return the record size */
  @Benchmark
  public int singleFragment() {
    return decode(single);
  }

  /** @return the record size */
  @Benchmark
  public int fourFragments() {
    return decode(four);
  }
}
