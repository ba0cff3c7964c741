package dev.jnfs.rpc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;

/**
 * {@link ServerMetrics} in a Micrometer {@link MeterRegistry}: the only class of the server that
 * uses Micrometer, made only when the embedder gives a registry.
 *
 * <p>Meters of numbered procedures and operations sit in arrays indexed by number, each made
 * (registered) at its first use; a call then costs an array read and the meter's own update.
 */
final class MicrometerMetrics implements ServerMetrics {
  /** Procedure and operation numbers with a meter of their own; the others share "unknown". */
  static final int NUMBERS = 128;

  private static final String UNKNOWN = "unknown";
  /** The latency histogram's range: an in-memory GETATTR takes microseconds. */
  private static final Duration FASTEST_CALL = Duration.ofNanos(5_000);
  private static final Duration SLOWEST_CALL = Duration.ofSeconds(30);

  private final MeterRegistry registry;
  private final Map<String, AtomicReference<IntSupplier>> gauges = new ConcurrentHashMap<>();
  private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
  private final Counter replayed;
  private final Counter dropped;

  MicrometerMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.replayed = drcCounter("replayed");
    this.dropped = drcCounter("in_progress");
  }

  private Counter drcCounter(String outcome) {
    return Counter.builder("jnfs.drc.hits")
        .description("retransmissions recognised by the duplicate request cache")
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public CallTimers calls(String program, String version, IntFunction<String> procedureNames) {
    Tags tags = Tags.of("program", lower(program), "version", lower(version));
    Slots<Timer> timers =
        new Slots<>(
            number ->
                Timer.builder("jnfs.calls")
                    .description("RPC calls, from decoding to the encoded reply")
                    .tags(tags)
                    .tag("procedure", name(procedureNames, number))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(FASTEST_CALL)
                    .maximumExpectedValue(SLOWEST_CALL)
                    .register(registry));
    return (procedure, nanos) -> timers.get(procedure).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public ErrorCounters errors(
      String program,
      String version,
      IntFunction<String> procedureNames,
      IntFunction<String> statusNames) {
    Tags tags = Tags.of("program", lower(program), "version", lower(version));
    return new StatusCounters(
        "jnfs.errors", "calls answered with an error status", tags, "procedure", procedureNames,
        statusNames);
  }

  @Override
  public OperationCounters operations(int minorVersion, IntFunction<String> operationNames) {
    Tags tags = Tags.of("version", "4." + minorVersion);
    Slots<Counter> counters =
        new Slots<>(
            number ->
                Counter.builder("jnfs.nfs4.operations")
                    .description("operations of NFSv4 COMPOUNDs")
                    .tags(tags)
                    .tag("operation", name(operationNames, number))
                    .register(registry));
    return operation -> counters.get(operation).increment();
  }

  @Override
  public ErrorCounters operationErrors(
      int minorVersion, IntFunction<String> operationNames, IntFunction<String> statusNames) {
    return new StatusCounters(
        "jnfs.nfs4.operation.errors", "NFSv4 operations answered with an error status",
        Tags.of("version", "4." + minorVersion), "operation", operationNames, statusNames);
  }

  @Override
  public LongConsumer bytesRead(String version) {
    return bytes("jnfs.read.bytes", "payload bytes answered to READ", version);
  }

  @Override
  public LongConsumer bytesWritten(String version) {
    return bytes("jnfs.write.bytes", "payload bytes taken by WRITE", version);
  }

  private LongConsumer bytes(String name, String description, String version) {
    Counter c =
        Counter.builder(name)
            .description(description)
            .baseUnit("bytes")
            .tag("version", lower(version))
            .register(registry);
    return c::increment;
  }

  @Override
  public void gauge(String name, String description, IntSupplier value) {
    Objects.requireNonNull(value, "value");
    gauges
        .computeIfAbsent(
            name,
            n -> {
              AtomicReference<IntSupplier> source = new AtomicReference<>(value);
              Gauge.builder(n, source, s -> s.get().getAsInt())
                  .description(description)
                  .strongReference(true)
                  .register(registry);
              return source;
            })
        .set(value);
  }

  @Override
  public void connectionRefused(String reason) {
    refusals
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("jnfs.connections.refused")
                    .description("TCP connections closed before anything was read")
                    .tag("reason", lower(r))
                    .register(registry))
        .increment();
  }

  @Override
  public void duplicateRequest(boolean replay) {
    (replay ? replayed : dropped).increment();
  }

  /** @return the tag value for a number: its name, else the number, or "unknown" past the bound */
  private static String name(IntFunction<String> names, int number) {
    if (number < 0 || number >= NUMBERS) {
      return UNKNOWN;
    }
    String name = names == null ? null : names.apply(number);
    return name == null ? Integer.toString(number) : lower(name);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** Meters by number, each made at its first use; numbers out of range share the last slot. */
  private static final class Slots<M> {
    private final AtomicReferenceArray<M> meters = new AtomicReferenceArray<>(NUMBERS + 1);
    private final IntFunction<M> make;

    Slots(IntFunction<M> make) {
      this.make = make;
    }

    M get(int number) {
      int slot = number >= 0 && number < NUMBERS ? number : NUMBERS;
      M m = meters.get(slot);
      if (m == null) {
        // two threads may both register: the registry hands both the same meter
        m = make.apply(slot);
        meters.set(slot, m);
      }
      return m;
    }
  }

  /** Failure counters by number and status, made at the first failure of each pair. */
  private final class StatusCounters implements ErrorCounters {
    private final Map<Long, Counter> counters = new ConcurrentHashMap<>();
    private final Function<Long, Counter> make;

    StatusCounters(
        String name,
        String description,
        Tags tags,
        String numberTag,
        IntFunction<String> numberNames,
        IntFunction<String> statusNames) {
      this.make =
          key -> {
            int number = (int) (key >>> 32);
            int status = key.intValue();
            String statusName = statusNames.apply(status);
            return Counter.builder(name)
                .description(description)
                .tags(tags)
                .tag(numberTag, name(numberNames, number))
                .tag("status", statusName == null ? Integer.toString(status) : lower(statusName))
                .register(registry);
          };
    }

    @Override
    public void increment(int number, int status) {
      int slot = number >= 0 && number < NUMBERS ? number : NUMBERS;
      long key = (long) slot << 32 | (status & 0xFFFF_FFFFL);
      counters.computeIfAbsent(key, make).increment();
    }
  }
}
