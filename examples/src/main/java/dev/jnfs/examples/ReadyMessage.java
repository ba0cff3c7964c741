package dev.jnfs.examples;

import dev.jnfs.rpc.TransportSecurity;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What the server prints once every port is bound: a line ending in {@code ready on ADDRESS}
 * (scripts wait for it), the ports, and ready-to-paste mount commands for each export.
 *
 * @param server the started server
 * @param options its settings
 * @param exports what it serves
 */
record ReadyMessage(NfsServer server, ServerOptions options, List<ExportSpec> exports) {
  private static final int NFS_PROGRAM = 100003;

  void print(PrintWriter out) {
    int mountPort = server.mountPort() >= 0 ? server.mountPort() : server.port();
    int portmapPort = server.portmapPort();
    String bind = options.bind == null ? "all addresses" : options.bind;
    boolean nfs3 = offers(3);
    boolean nfs4 = offers(4);
    String versions = nfs3 && nfs4 ? "NFSv3 and NFSv4" : nfs4 ? "NFSv4" : "NFSv3";
    out.println("jnfs-server: " + versions + " ready on " + bind);
    out.println("  NFS" + (nfs3 ? ", MOUNT" : "") + " and PORTMAP on port " + server.port());
    if (options.tlsCertificate != null) {
      out.println("  RPC-with-TLS offered"
          + (options.tlsClientAuthorities == null ? "" : ", client certificates required"));
    }
    if (server.implicitTlsPort() >= 0) {
      out.println("  TLS from the first byte on port " + server.implicitTlsPort());
    }
    if (options.krb5Principal != null) {
      out.println("  Kerberos (RPCSEC_GSS) offered as " + options.krb5Principal);
    }
    if (server.mountPort() >= 0) {
      out.println("  MOUNT also on port " + mountPort);
    }
    if (portmapPort >= 0) {
      out.println("  portmapper on port " + portmapPort);
    }
    MountCommands commands = new MountCommands(
        advertisedHost(options.bind), server.port(), mountPort, portmapPort, nfs4);
    for (ExportSpec export : exports) {
      out.println();
      out.println("export " + export.path()
          + (export.alias() == null ? "" : " (alias " + export.alias() + ")")
          + "  (" + export.backend().describe() + ")");
      for (ExportOptions o : export.optionSets()) {
        out.println("  clients " + o.clients() + ": "
            + (o.readOnly() ? "ro" : "rw") + ", " + o.squash().name().toLowerCase(Locale.ROOT)
            + " squash, " + (o.secure() ? "secure" : "insecure") + ", xprtsec " + xprtsec(o));
      }
      for (String line : commands.forExport(export.path())) {
        if (nfs3 || line.startsWith("Linux, NFSv4")) {
          out.println("  " + line);
        }
      }
    }
    out.println();
    out.println("Stop with Ctrl-C.");
    out.flush();
  }

  private boolean offers(int version) {
    return server.registrations().stream()
        .anyMatch(m -> m.program() == NFS_PROGRAM && m.version() == version);
  }

  private static String xprtsec(ExportOptions o) {
    StringBuilder b = new StringBuilder();
    for (TransportSecurity.Level level : TransportSecurity.Level.values()) {
      if (o.xprtsec().contains(level)) {
        b.append(b.isEmpty() ? "" : ":").append(level.name().toLowerCase(Locale.ROOT));
      }
    }
    return b.toString();
  }

  /** The address to put in mount commands: the bound one, else one a neighbour can reach. */
  private static String advertisedHost(String bind) {
    if (bind != null) {
      try {
        if (!InetAddress.getByName(bind).isAnyLocalAddress()) {
          return bind;
        }
      } catch (IOException e) {
        return bind;
      }
    }
    List<String> candidates = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback() || nif.isVirtual()) {
          continue;
        }
        for (InetAddress address : Collections.list(nif.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
            candidates.add(address.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      // fall through to the loopback address
    }
    return candidates.isEmpty() ? "127.0.0.1" : candidates.get(0);
  }
}
