package dev.jnfs.benchmarks;

import dev.jnfs.rpc.RpcBenchmarkSupport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A read batch of {@value #BATCH} pipelined non-blocking GETATTR-like calls through the TCP
 * pipeline on an embedded channel, per call: {@code alone}, the connection is the only one of
 * its event loop that pipelines, so all calls but the last are handed to an executor (here one
 * that runs them at once) and their replies written by the event-loop drain task;
 * {@code crowded}, other connections of the event loop pipeline too, so every call runs as it
 * is read and the batch is flushed once. The executor running at once leaves out the thread
 * switches the crowded path saves; what remains is the difference in the code path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PipelinedDispatchBenchmark {
  static final int BATCH = 8;

  /** "alone" or "crowded". */
  @Param({"alone", "crowded"})
  public String eventLoop;

  private EmbeddedChannel channel;
  private ByteBuf batch;

  /** Builds the pipeline and the batch. */
  @Setup
  public void setUp() {
    channel =
        RpcBenchmarkSupport.tcpChannel(
            Runnable::run, eventLoop.equals("crowded"), new GetattrLikeProgram(true));
    batch = Unpooled.buffer();
    ByteBuf call = Calls.nfsCall(1, true);
    for (int i = 0; i < BATCH; i++) {
      batch.writeBytes(call, call.readerIndex(), call.readableBytes());
    }
    call.release();
  }

  /** Releases everything. */
  @TearDown
  public void tearDown() {
    channel.finishAndReleaseAll();
    batch.release();
  }

  /** @return the bytes of the replies */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int batchOfCalls() {
    channel.writeInbound(batch.retainedDuplicate());
    channel.runPendingTasks();
    int n = 0;
    ByteBuf reply;
    while ((reply = channel.readOutbound()) != null) {
      n += reply.readableBytes();
      reply.release();
    }
    return n;
  }
}
