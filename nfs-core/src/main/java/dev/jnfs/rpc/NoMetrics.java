package dev.jnfs.rpc;

import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;

/** {@link ServerMetrics#NONE}: every meter does nothing. */
final class NoMetrics implements ServerMetrics {
  private static final CallTimers NO_TIMERS = (procedure, nanos) -> {};
  private static final OperationCounters NO_OPERATIONS = operation -> {};
  private static final ErrorCounters NO_ERRORS = (number, status) -> {};
  private static final LongConsumer NO_BYTES = bytes -> {};

  @Override
  public boolean enabled() {
    return false;
  }

  @Override
  public CallTimers calls(String program, String version, IntFunction<String> procedureNames) {
    return NO_TIMERS;
  }

  @Override
  public ErrorCounters errors(
      String program,
      String version,
      IntFunction<String> procedureNames,
      IntFunction<String> statusNames) {
    return NO_ERRORS;
  }

  @Override
  public OperationCounters operations(int minorVersion, IntFunction<String> operationNames) {
    return NO_OPERATIONS;
  }

  @Override
  public ErrorCounters operationErrors(
      int minorVersion, IntFunction<String> operationNames, IntFunction<String> statusNames) {
    return NO_ERRORS;
  }

  @Override
  public LongConsumer bytesRead(String version) {
    return NO_BYTES;
  }

  @Override
  public LongConsumer bytesWritten(String version) {
    return NO_BYTES;
  }

  @Override
  public void gauge(String name, String description, IntSupplier value) {}

  @Override
  public void connectionRefused(String reason) {}

  @Override
  public void duplicateRequest(boolean replayed) {}
}
