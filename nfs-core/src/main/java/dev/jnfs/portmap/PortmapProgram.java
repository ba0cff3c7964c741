package dev.jnfs.portmap;

import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Program 100000: portmapper version 2 and rpcbind versions 3 and 4 (RFC 1833), answering
 * from a {@link PortmapRegistry}.
 *
 * <ul>
 *   <li>v2: NULL, SET, UNSET, GETPORT, DUMP (§3.2). CALLIT is refused with PROC_UNAVAIL:
 *       forwarding calls is an amplification vector and no NFS client needs it.
 *   <li>v3/v4: NULL, SET, UNSET, GETADDR, DUMP, GETTIME and (v4) GETVERSADDR and GETADDRLIST
 *       (§2.2). Universal addresses are built from the address the call arrived at (RFC 5665
 *       §5.2.3). GETADDR answers for another version of the program when the one asked for is
 *       not registered, as rpcbind does; GETVERSADDR only for the exact version. CALLIT,
 *       INDIRECT, the address conversions and GETSTAT answer PROC_UNAVAIL.
 * </ul>
 *
 * <p>SET and UNSET are accepted only from loopback callers (RFC 1833 §2.2.2: "only accepts
 * ... requests by clients running on the same machine"); others get FALSE. Thread-safe.
 */
public final class PortmapProgram implements RpcProgram {
  /** The portmapper / rpcbind program number. */
  public static final int PROGRAM = 100000;

  static final int PMAPPROC_NULL = 0;
  static final int PMAPPROC_SET = 1;
  static final int PMAPPROC_UNSET = 2;
  static final int PMAPPROC_GETPORT = 3;
  static final int PMAPPROC_DUMP = 4;

  static final int RPCBPROC_NULL = 0;
  static final int RPCBPROC_SET = 1;
  static final int RPCBPROC_UNSET = 2;
  static final int RPCBPROC_GETADDR = 3;
  static final int RPCBPROC_DUMP = 4;
  static final int RPCBPROC_GETTIME = 6;
  static final int RPCBPROC_GETVERSADDR = 9;
  static final int RPCBPROC_GETADDRLIST = 11;

  /** Connectionless transport semantics (netconfig NC_TPI_CLTS). */
  static final int NC_TPI_CLTS = 1;
  /** Connection-oriented, orderly release (netconfig NC_TPI_COTS_ORD). */
  static final int NC_TPI_COTS_ORD = 3;

  private static final int MAX_STRING = 1024;
  private static final int TCP = 6;
  private static final int UDP = 17;
  private static final String OWNER = "jnfs";

  private final PortmapRegistry registry;

  /** @param registry the registrations to answer from and modify */
  public PortmapProgram(PortmapRegistry registry) {
    this.registry = registry;
  }

  @Override
  public int program() {
    return PROGRAM;
  }

  @Override
  public int lowVersion() {
    return 2;
  }

  @Override
  public int highVersion() {
    return 4;
  }

  @Override
  public boolean isNonBlocking(int version, int procedure) {
    return true;
  }

  @Override
  public void handle(RpcCall call, XdrEncoder results) {
    if (call.version() == 2) {
      handlePortmap(call, results);
    } else {
      handleRpcbind(call, results);
    }
  }

  private void handlePortmap(RpcCall call, XdrEncoder out) {
    XdrDecoder in = call.arguments();
    switch (call.procedure()) {
      case PMAPPROC_NULL -> {}
      case PMAPPROC_SET -> {
        PortMapping m = readMapping(in);
        out.writeBoolean(isLocal(call) && validPort(m.port()) && registry.set(m));
      }
      case PMAPPROC_UNSET -> {
        PortMapping m = readMapping(in);
        out.writeBoolean(isLocal(call) && registry.unset(m.program(), m.version()));
      }
      case PMAPPROC_GETPORT -> {
        PortMapping m = readMapping(in);
        out.writeInt(registry.port(m.program(), m.version(), m.protocol()));
      }
      case PMAPPROC_DUMP -> {
        for (PortMapping m : registry.dump()) {
          out.writeBoolean(true);
          out.writeInt(m.program()).writeInt(m.version()).writeInt(m.protocol());
          out.writeInt(m.port());
        }
        out.writeBoolean(false);
      }
      default -> throw RpcException.procedureUnavailable(call.procedure());
    }
  }

  private static PortMapping readMapping(XdrDecoder in) {
    return new PortMapping(in.readInt(), in.readInt(), in.readInt(), in.readInt());
  }

  private static boolean validPort(int port) {
    return port > 0 && port <= 0xFFFF;
  }

  private void handleRpcbind(RpcCall call, XdrEncoder out) {
    XdrDecoder in = call.arguments();
    switch (call.procedure()) {
      case RPCBPROC_NULL -> {}
      case RPCBPROC_SET -> {
        Rpcb r = Rpcb.read(in);
        int protocol = protocolOf(r.netid());
        int port = portOf(r.addr());
        out.writeBoolean(
            isLocal(call)
                && protocol != 0
                && validPort(port)
                && registry.set(new PortMapping(r.prog(), r.vers(), protocol, port)));
      }
      case RPCBPROC_UNSET -> {
        Rpcb r = Rpcb.read(in);
        out.writeBoolean(isLocal(call) && unset(r));
      }
      case RPCBPROC_GETADDR -> {
        Rpcb r = Rpcb.read(in);
        int port =
            registry.portOfAnyVersion(r.prog(), r.vers(), call.transport().protocolNumber());
        out.writeString(port == 0 ? "" : universalAddress(call.localAddress(), port));
      }
      case RPCBPROC_DUMP -> {
        InetSocketAddress local = call.localAddress();
        boolean v6 = isIpv6(local.getAddress());
        for (PortMapping m : registry.dump()) {
          out.writeBoolean(true);
          out.writeInt(m.program()).writeInt(m.version());
          out.writeString(netidOf(m.protocol(), v6));
          out.writeString(universalAddress(local, m.port()));
          out.writeString(OWNER);
        }
        out.writeBoolean(false);
      }
      case RPCBPROC_GETTIME -> out.writeInt((int) (System.currentTimeMillis() / 1000));
      case RPCBPROC_GETVERSADDR -> {
        if (call.version() < 4) {
          throw RpcException.procedureUnavailable(call.procedure());
        }
        Rpcb r = Rpcb.read(in);
        int port = registry.port(r.prog(), r.vers(), call.transport().protocolNumber());
        out.writeString(port == 0 ? "" : universalAddress(call.localAddress(), port));
      }
      case RPCBPROC_GETADDRLIST -> {
        if (call.version() < 4) {
          throw RpcException.procedureUnavailable(call.procedure());
        }
        Rpcb r = Rpcb.read(in);
        InetSocketAddress local = call.localAddress();
        boolean v6 = isIpv6(local.getAddress());
        for (int protocol : new int[] {TCP, UDP}) {
          int port = registry.port(r.prog(), r.vers(), protocol);
          if (port == 0) {
            continue;
          }
          // rpcb_entry (RFC 1833 §2.1)
          out.writeBoolean(true);
          out.writeString(universalAddress(local, port));
          out.writeString(netidOf(protocol, v6));
          out.writeInt(protocol == TCP ? NC_TPI_COTS_ORD : NC_TPI_CLTS);
          out.writeString(v6 ? "inet6" : "inet");
          out.writeString(protocol == TCP ? "tcp" : "udp");
        }
        out.writeBoolean(false);
      }
      default -> throw RpcException.procedureUnavailable(call.procedure());
    }
  }

  private boolean unset(Rpcb r) {
    int protocol = protocolOf(r.netid());
    if (r.netid().isEmpty()) {
      return registry.unset(r.prog(), r.vers());
    }
    if (protocol == 0) {
      return false;
    }
    return registry.unset(r.prog(), r.vers(), protocol);
  }

  /** {@code rpcb} (RFC 1833 §2.1). */
  private record Rpcb(int prog, int vers, String netid, String addr, String owner) {
    static Rpcb read(XdrDecoder in) {
      return new Rpcb(
          in.readInt(),
          in.readInt(),
          in.readString(MAX_STRING),
          in.readString(MAX_STRING),
          in.readString(MAX_STRING));
    }
  }

  private static boolean isLocal(RpcCall call) {
    InetAddress a = call.remoteAddress().getAddress();
    return a != null && a.isLoopbackAddress();
  }

  private static boolean isIpv6(InetAddress a) {
    return a instanceof Inet6Address;
  }

  static int protocolOf(String netid) {
    return switch (netid) {
      case "tcp", "tcp6" -> TCP;
      case "udp", "udp6" -> UDP;
      default -> 0;
    };
  }

  static String netidOf(int protocol, boolean v6) {
    String base = protocol == TCP ? "tcp" : protocol == UDP ? "udp" : "unknown";
    return v6 ? base + "6" : base;
  }

  /**
   * @param uaddr a universal address, ending in {@code .p1.p2}
   * @return the port it names, or 0 if it is malformed
   */
  static int portOf(String uaddr) {
    int last = uaddr.lastIndexOf('.');
    int previous = last > 0 ? uaddr.lastIndexOf('.', last - 1) : -1;
    if (previous < 0) {
      return 0;
    }
    try {
      int high = Integer.parseInt(uaddr.substring(previous + 1, last));
      int low = Integer.parseInt(uaddr.substring(last + 1));
      if (high < 0 || high > 255 || low < 0 || low > 255) {
        return 0;
      }
      return high << 8 | low;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The universal address of a port on a host (RFC 5665 §5.2.3.3 and §5.2.3.4). */
  static String universalAddress(InetSocketAddress local, int port) {
    InetAddress a = local.getAddress();
    String host;
    if (a instanceof Inet4Address) {
      host = a.getHostAddress();
    } else if (a != null) {
      String text = a.getHostAddress();
      int scope = text.indexOf('%');
      host = scope < 0 ? text : text.substring(0, scope);
    } else {
      host = "0.0.0.0";
    }
    return host + "." + (port >> 8 & 0xFF) + "." + (port & 0xFF);
  }
}
