package dev.jnfs.benchmarks;

import dev.jnfs.rpc.ServerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What measuring adds to one call, alone: reading the clock twice and recording into the
 * procedure's timer (the RPC layer's part), and counting one NFSv4 operation. With {@code
 * metrics=none} the RPC layer skips both clock reads; the operation counter is a no-op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsBenchmark {
  /** "none" (no registry) or "prometheus". */
  @Param({"none", "prometheus"})
  public String metrics;

  private ServerMetrics measured;
  private ServerMetrics.CallTimers timers;
  private ServerMetrics.OperationCounters operations;

  /** Makes the meters, as a program's set-up does. */
  @Setup
  public void setUp() {
    measured =
        metrics.equals("prometheus")
            ? ServerMetrics.micrometer(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            : ServerMetrics.NONE;
    timers = measured.calls("nfs", "3", n -> n == 1 ? "GETATTR" : null);
    operations = measured.operations(1, n -> n == 9 ? "GETATTR" : null);
  }

  /** @return the clock reading, as the RPC layer does per call when measuring */
  @Benchmark
  public long timeOneCall() {
    if (!measured.enabled()) {
      return 0;
    }
    long start = System.nanoTime();
    timers.record(1, System.nanoTime() - start);
    return start;
  }

  /** Counts one operation, as a COMPOUND does per operation. */
  @Benchmark
  public void countOneOperation() {
    operations.increment(9);
  }
}
