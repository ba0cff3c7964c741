package dev.jnfs.nfs3;

import dev.jnfs.rpc.ServerMetrics;
import dev.jnfs.spi.NfsStatus;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * What NFSv3 measures beyond the RPC layer's calls and latencies: the failure statuses by
 * procedure, and the bytes READ answers and WRITE takes. Made once per program.
 *
 * @param errors failures by procedure and nfsstat3
 * @param read adds READ payload bytes
 * @param written adds WRITE payload bytes
 */
record Nfs3Meters(ServerMetrics.ErrorCounters errors, LongConsumer read, LongConsumer written) {
  /** NFS3ERR_JUKEBOX (RFC 1813 §2.6), which the SPI calls DELAY. */
  private static final int JUKEBOX = 10008;

  /** The nfsstat3 names of RFC 1813 §2.6 by code; several SPI statuses share a code. */
  private static final Map<Integer, String> STATUS_NAMES = statusNames();

  static Nfs3Meters of(ServerMetrics metrics) {
    String version = Integer.toString(Nfs3Program.VERSION);
    return new Nfs3Meters(
        metrics.errors("nfs", version, Nfs3Program::procedureName, Nfs3Meters::statusName),
        metrics.bytesRead(version),
        metrics.bytesWritten(version));
  }

  /** @return "nfs3err_" and the status's name in RFC 1813 §2.6, or null for an unknown code */
  static String statusName(int code) {
    return STATUS_NAMES.get(code);
  }

  private static Map<Integer, String> statusNames() {
    Map<Integer, String> names = new HashMap<>();
    names.put(JUKEBOX, "nfs3err_jukebox");
    for (NfsStatus s : NfsStatus.values()) {
      // the first status of a code is the one RFC 1813 names (ACCES before SHARE_DENIED, ...)
      names.putIfAbsent(s.nfs3Code(), "nfs3err_" + s.name().toLowerCase(Locale.ROOT));
    }
    return Map.copyOf(names);
  }
}
