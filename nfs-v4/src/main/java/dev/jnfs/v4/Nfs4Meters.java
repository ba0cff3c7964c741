package dev.jnfs.v4;

import dev.jnfs.rpc.ServerMetrics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * What NFSv4 measures beyond the RPC layer's COMPOUND calls: each operation by minor version,
 * the failures by operation and status, and the bytes READ answers and WRITE takes. Made once
 * per program; thread-safe.
 */
final class Nfs4Meters {
  /** "nfs4err_" and the nfsstat4 names of RFC 8881 §15.1 (and RFC 7862, RFC 8276) by code. */
  private static final Map<Integer, String> STATUS_NAMES = statusNames();

  /** Measures nothing (made after the names it refers to). */
  static final Nfs4Meters NONE = new Nfs4Meters(ServerMetrics.NONE);

  private final ServerMetrics.OperationCounters[] operations =
      new ServerMetrics.OperationCounters[Nfs4Program.HIGHEST_MINOR_VERSION + 1];
  private final ServerMetrics.ErrorCounters[] errors =
      new ServerMetrics.ErrorCounters[Nfs4Program.HIGHEST_MINOR_VERSION + 1];
  private final LongConsumer read;
  private final LongConsumer written;

  Nfs4Meters(ServerMetrics metrics) {
    for (int minor = 0; minor <= Nfs4Program.HIGHEST_MINOR_VERSION; minor++) {
      operations[minor] = metrics.operations(minor, Nfs4Meters::operationName);
      errors[minor] = metrics.operationErrors(minor, Nfs4Meters::operationName, STATUS_NAMES::get);
    }
    String version = Integer.toString(Nfs4Program.VERSION);
    read = metrics.bytesRead(version);
    written = metrics.bytesWritten(version);
  }

  /**
   * Counts one operation of a COMPOUND and, unless it succeeded, its failure.
   *
   * @param minor the COMPOUND's minor version (one served)
   * @param opcode the operation number
   * @param status the operation's status
   */
  void operation(int minor, int opcode, int status) {
    operations[minor].increment(opcode);
    if (status != Nfs4Status.OK) {
      errors[minor].increment(opcode, status);
    }
  }

  /** @param bytes payload bytes a READ answered */
  void read(long bytes) {
    read.accept(bytes);
  }

  /** @param bytes payload bytes a WRITE took */
  void written(long bytes) {
    written.accept(bytes);
  }

  /** @return the operation's name, or null for a number no operation has */
  private static String operationName(int opcode) {
    String name = Nfs4Opcode.name(opcode);
    return name.equals(Integer.toString(opcode)) ? null : name;
  }

  /** @return the name of each constant of {@link Nfs4Status} but OK, by code */
  private static Map<Integer, String> statusNames() {
    Map<Integer, String> names = new HashMap<>();
    for (Field f : Nfs4Status.class.getFields()) {
      if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
        try {
          names.putIfAbsent(f.getInt(null), "nfs4err_" + f.getName().toLowerCase(Locale.ROOT));
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    names.remove(Nfs4Status.OK);
    return Map.copyOf(names);
  }
}
