package dev.jnfs.rpc;

import java.util.ArrayList;
import java.util.List;

/**
 * The meters of every program version one dispatcher serves, made when the dispatcher is and
 * found per call by program and version numbers (a scan of a few entries, no tags built).
 * Immutable and thread-safe.
 */
final class ProgramMeters {
  /** Errors the RPC layer answers itself, as statuses of {@code jnfs.errors}. */
  private static final int AUTH_STATUS_BASE = 100;

  /** One program version's meters. */
  record Version(ServerMetrics.CallTimers timers, ServerMetrics.ErrorCounters errors) {
    /**
     * Counts a call answered with an RPC rejection instead of results.
     *
     * @param procedure the call's procedure
     * @param status its accept_stat (PROC_UNAVAIL, GARBAGE_ARGS, SYSTEM_ERR) or auth_stat
     * @param auth whether {@code status} is an auth_stat
     */
    void rejected(int procedure, int status, boolean auth) {
      errors.increment(procedure, auth ? AUTH_STATUS_BASE + status : status);
    }
  }

  private final int[] programs;
  private final int[] versions;
  private final Version[] meters;

  /**
   * @param table the programs served
   * @param metrics where they are measured; must be {@linkplain ServerMetrics#enabled() enabled}
   */
  ProgramMeters(ProgramTable table, ServerMetrics metrics) {
    List<int[]> keys = new ArrayList<>();
    List<Version> found = new ArrayList<>();
    for (RpcProgram p : table.programs()) {
      String name = programName(p.program());
      for (int v = p.lowVersion(); v <= p.highVersion(); v++) {
        int version = v;
        keys.add(new int[] {p.program(), version});
        found.add(
            new Version(
                metrics.calls(name, Integer.toString(version), n -> p.procedureName(version, n)),
                metrics.errors(
                    name,
                    Integer.toString(version),
                    n -> p.procedureName(version, n),
                    ProgramMeters::rpcStatusName)));
      }
    }
    programs = keys.stream().mapToInt(k -> k[0]).toArray();
    versions = keys.stream().mapToInt(k -> k[1]).toArray();
    meters = found.toArray(new Version[0]);
  }

  /** @return the meters of a program version served, or null */
  Version find(int program, int version) {
    for (int i = 0; i < programs.length; i++) {
      if (programs[i] == program && versions[i] == version) {
        return meters[i];
      }
    }
    return null;
  }

  /** @return the name rpcbind gives a well-known program, else its number */
  static String programName(int program) {
    return switch (program) {
      case 100000 -> "portmapper";
      case 100003 -> "nfs";
      case 100005 -> "mountd";
      case 100021 -> "nlockmgr";
      case 100024 -> "status";
      default -> Integer.toString(program);
    };
  }

  /** The accept_stat and auth_stat names of RFC 5531 §9 for the rejections the layer makes. */
  private static String rpcStatusName(int status) {
    return switch (status) {
      case RpcException.PROC_UNAVAIL -> "proc_unavail";
      case RpcException.GARBAGE_ARGS -> "garbage_args";
      case RpcException.SYSTEM_ERR -> "system_err";
      case AUTH_STATUS_BASE + RpcException.AUTH_BADCRED -> "auth_badcred";
      case AUTH_STATUS_BASE + RpcException.AUTH_REJECTEDCRED -> "auth_rejectedcred";
      case AUTH_STATUS_BASE + RpcException.AUTH_BADVERF -> "auth_badverf";
      case AUTH_STATUS_BASE + RpcException.AUTH_REJECTEDVERF -> "auth_rejectedverf";
      case AUTH_STATUS_BASE + RpcException.AUTH_TOOWEAK -> "auth_tooweak";
      default -> null;
    };
  }
}
