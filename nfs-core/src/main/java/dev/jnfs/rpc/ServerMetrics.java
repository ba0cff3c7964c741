package dev.jnfs.rpc;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;

/**
 * Where a server's measurements go: the RPC engine, the protocol programs and the NFSv4 state
 * report through this interface and never see a metrics library. {@link #NONE} measures
 * nothing; {@link #micrometer(MeterRegistry)} records into a Micrometer registry and is the
 * only place that touches Micrometer, so a server without a registry runs without Micrometer
 * on its class or module path. One instance per server; thread-safe.
 *
 * <p>The meters of a set of numbered procedures or operations are made once (when a program is
 * set up) and then used per call with the number alone: no tags are built on the call path. A
 * meter exists from its first use; numbers beyond a small bound, or without a name, share one
 * meter named "unknown" or by their number, so a client cannot make meters without bound.
 *
 * <p>Meter names (Micrometer dot style; tag keys and values lower-case):
 *
 * <ul>
 *   <li>{@code jnfs.calls}: a timer per program, version and procedure, with a percentile
 *       histogram; its count is the number of calls;
 *   <li>{@code jnfs.errors}: calls whose status was not OK, by program, version, procedure and
 *       status ({@code nfs3err_noent}, or the RPC {@code garbage_args}, ...);
 *   <li>{@code jnfs.nfs4.operations} and {@code jnfs.nfs4.operation.errors}: the operations of
 *       NFSv4 COMPOUNDs, by minor version and operation (and status);
 *   <li>{@code jnfs.read.bytes}, {@code jnfs.write.bytes}: READ and WRITE payloads, by version;
 *   <li>{@code jnfs.connections.refused} by reason, {@code jnfs.drc.hits} by outcome;
 *   <li>gauges: {@code jnfs.connections.open}, {@code jnfs.calls.in.flight}, {@code
 *       jnfs.nfs4.clients}, {@code jnfs.nfs4.sessions}, {@code jnfs.nfs4.opens}, {@code
 *       jnfs.nfs4.locks}.
 * </ul>
 */
public interface ServerMetrics {

  /** Measures nothing, at no cost. */
  ServerMetrics NONE = new NoMetrics();

  /**
   * @param registry where to record; its meters are shared with whatever else uses it
   * @return metrics recorded into {@code registry}
   */
  static ServerMetrics micrometer(MeterRegistry registry) {
    return new MicrometerMetrics(registry);
  }

  /** @return false for {@link #NONE}, so that callers can skip even reading the clock */
  boolean enabled();

  /**
   * @param program the program's name, e.g. "nfs"
   * @param version the version, e.g. "3"
   * @param procedureNames the name of each procedure number, or null for none
   * @return the {@code jnfs.calls} timers of that program version
   */
  CallTimers calls(String program, String version, IntFunction<String> procedureNames);

  /**
   * @param program the program's name, e.g. "nfs"
   * @param version the version, e.g. "3"
   * @param procedureNames the name of each procedure number, or null for none
   * @param statusNames the name of each status, e.g. "nfs3err_noent"
   * @return the {@code jnfs.errors} counters of that program version
   */
  ErrorCounters errors(
      String program,
      String version,
      IntFunction<String> procedureNames,
      IntFunction<String> statusNames);

  /**
   * @param minorVersion the NFSv4 minor version
   * @param operationNames the name of each operation number, or null for none
   * @return the {@code jnfs.nfs4.operations} counters of that minor version
   */
  OperationCounters operations(int minorVersion, IntFunction<String> operationNames);

  /**
   * @param minorVersion the NFSv4 minor version
   * @param operationNames the name of each operation number, or null for none
   * @param statusNames the name of each status, e.g. "nfs4err_noent"
   * @return the {@code jnfs.nfs4.operation.errors} counters of that minor version
   */
  ErrorCounters operationErrors(
      int minorVersion, IntFunction<String> operationNames, IntFunction<String> statusNames);

  /**
   * @param version the NFS version, e.g. "3"
   * @return adds READ payload bytes to {@code jnfs.read.bytes}
   */
  LongConsumer bytesRead(String version);

  /**
   * @param version the NFS version, e.g. "3"
   * @return adds WRITE payload bytes to {@code jnfs.write.bytes}
   */
  LongConsumer bytesWritten(String version);

  /**
   * Shows a value as a gauge. A later call with the same name replaces the value's source (a
   * restarted server's new state replaces the old one's).
   *
   * @param name the gauge's name, e.g. "jnfs.nfs4.clients"
   * @param description what it counts
   * @param value read whenever the gauge is read; must be cheap and must not block
   */
  void gauge(String name, String description, IntSupplier value);

  /**
   * Counts a TCP connection closed before anything was read from it.
   *
   * @param reason why: "max_connections", "rate" or "listener"
   */
  void connectionRefused(String reason);

  /**
   * Counts a retransmission the duplicate request cache recognised.
   *
   * @param replayed true when answered from the cache, false when dropped because the original
   *     still runs
   */
  void duplicateRequest(boolean replayed);

  /** The {@code jnfs.calls} timers of one program version, by procedure number. */
  interface CallTimers {
    /**
     * @param procedure the procedure number
     * @param nanos how long the call took, from its decoding to its encoded reply
     */
    void record(int procedure, long nanos);
  }

  /** Counters of numbered operations. */
  interface OperationCounters {
    /** @param operation the operation number */
    void increment(int operation);
  }

  /** Counters of failures by procedure or operation number and status. */
  interface ErrorCounters {
    /**
     * @param number the procedure or operation number
     * @param status the status it failed with
     */
    void increment(int number, int status);
  }
}
