package dev.jnfs.nlm;

import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status monitor, program 100024 version 1 ({@code sm_inter.x}), as far as NLM clients
 * need it from a server: SM_NOTIFY from a client that restarted releases every lock, share
 * and waiting request of that client (found by the call's source address, and by the name
 * it gives when that is an address this server knows). SM_STAT answers success and this
 * server's state number. This server monitors its NLM clients itself, so it refuses to
 * monitor for other programs: SM_MON answers {@code stat_fail} (a Linux statd accepts SM_MON
 * only from its own host's lock manager), SM_UNMON and SM_UNMON_ALL answer the state number
 * and change nothing, SM_SIMU_CRASH does nothing. This server's own SM_NOTIFY, come back to it
 * (a client behind NAT on the server's host has the server's address), is ignored. Thread-safe.
 */
final class NsmProgram implements RpcProgram {
  private static final Logger log = LoggerFactory.getLogger(NsmProgram.class);

  static final int PROGRAM = 100024;
  static final int SM_STAT = 1;
  static final int SM_MON = 2;
  static final int SM_UNMON = 3;
  static final int SM_UNMON_ALL = 4;
  static final int SM_SIMU_CRASH = 5;
  static final int SM_NOTIFY = 6;
  /** SM_MAXSTRLEN. */
  static final int MAX_NAME = 1024;
  private static final int STAT_SUCC = 0;
  private static final int STAT_FAIL = 1;

  private final LockService service;
  private final MonitoredHosts hosts;
  private final int state;

  NsmProgram(LockService service, MonitoredHosts hosts) {
    this.service = service;
    this.hosts = hosts;
    this.state = hosts.state();
  }

  @Override
  public int program() {
    return PROGRAM;
  }

  @Override
  public int lowVersion() {
    return 1;
  }

  @Override
  public int highVersion() {
    return 1;
  }

  @Override
  public void handle(RpcCall call, XdrEncoder out) {
    XdrDecoder in = call.arguments();
    switch (call.procedure()) {
      case 0, SM_SIMU_CRASH -> {}
      case SM_STAT -> {
        in.readString(MAX_NAME);
        out.writeInt(STAT_SUCC).writeInt(state);
      }
      case SM_MON -> {
        readMonId(in);
        in.readFixedOpaque(16);
        out.writeInt(STAT_FAIL).writeInt(state);
      }
      case SM_UNMON -> {
        readMonId(in);
        out.writeInt(state);
      }
      case SM_UNMON_ALL -> {
        readMyId(in);
        out.writeInt(state);
      }
      case SM_NOTIFY -> {
        String name = in.readString(MAX_NAME);
        int newState = in.readInt();
        String address = LockService.host(call);
        if (hosts.isOwnNotify(name, newState)) {
          log.debug("SM_NOTIFY from {}: this server's own, ignored", address);
          return;
        }
        log.debug("SM_NOTIFY from {} ({}), state {}", address, name, newState);
        service.releaseHost(address);
        if (!name.equals(address)) {
          service.releaseHost(name);
        }
      }
      default -> throw RpcException.procedureUnavailable(call.procedure());
    }
  }

  private static void readMonId(XdrDecoder in) {
    in.readString(MAX_NAME);
    readMyId(in);
  }

  private static void readMyId(XdrDecoder in) {
    in.readString(MAX_NAME);
    in.readInt();
    in.readInt();
    in.readInt();
  }
}
