package dev.jnfs.benchmarks;

import dev.jnfs.rpc.RpcBenchmarkSupport;
import dev.jnfs.rpc.ServerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One call through the TCP pipeline on an embedded channel, from record-marked bytes in to the
 * record-marked reply out: a NULL call (runs inline) and a GETATTR-like call (handed to an
 * executor, here one that runs it at once, then written by the event-loop drain task). With
 * {@code metrics=prometheus} every call is also measured (timer with histogram) into a
 * Prometheus registry, as a server given a meter registry does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBenchmark {
  /** "none" (no registry) or "prometheus". */
  @Param({"none", "prometheus"})
  public String metrics;

  private EmbeddedChannel channel;
  private ByteBuf nullCall;
  private ByteBuf getattrCall;

  /** Builds the pipeline and the calls. */
  @Setup
  public void setUp() {
    ServerMetrics measured =
        metrics.equals("prometheus")
            ? ServerMetrics.micrometer(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            : ServerMetrics.NONE;
    channel = RpcBenchmarkSupport.tcpChannel(Runnable::run, measured, new GetattrLikeProgram());
    nullCall = Calls.nfsCall(0, true);
    getattrCall = Calls.nfsCall(1, true);
  }

  /** Releases everything. */
  @TearDown
  public void tearDown() {
    channel.finishAndReleaseAll();
    nullCall.release();
    getattrCall.release();
  }

  private int roundTrip(ByteBuf call) {
    channel.writeInbound(call.retainedDuplicate());
    channel.runPendingTasks();
    ByteBuf reply = channel.readOutbound();
    int n = reply.readableBytes();
    reply.release();
    return n;
  }

  /** @return the reply size */
  @Benchmark
  public int nullCall() {
    return roundTrip(nullCall);
  }

  /** @return the reply size */
  @Benchmark
  public int getattrCall() {
    return roundTrip(getattrCall);
  }
}
