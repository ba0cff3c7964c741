package dev.jnfs.examples;

import dev.jnfs.server.ClientRange;
import dev.jnfs.server.ExportOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The standalone server's command line, parsed.
 *
 * @param port the NFS port (also serving MOUNT and PORTMAP)
 * @param mountPort a separate MOUNT port, or -1 for MOUNT on the NFS port only
 * @param portmapPort a standalone portmapper's port, or -1 for none
 * @param bind the address to listen on, or null for all
 * @param exportsFile an exports(5) file of local directories, or null
 * @param clients the client ranges admitted to the directory and in-memory exports
 * @param options the export option words for the directory and in-memory exports
 * @param demo whether to export the demo file system at {@code /demo}
 * @param directories the local directories to export, each as {@code /<its name>}
 * @param help whether only the usage was asked for
 * @param tlsCertificate PEM certificate chain offering RPC-with-TLS, or null for no TLS
 * @param tlsKey PEM PKCS#8 private key of that certificate, or null
 * @param tlsClientAuthorities PEM client certificate authorities requiring mutual TLS, or null
 * @param krb5Keytab keytab of the Kerberos service principal offering RPCSEC_GSS, or null
 * @param krb5Principal the service principal, e.g. {@code nfs/host@REALM}, or null
 * @param krb5Conf a krb5.conf for the JVM's Kerberos, or null for the default
 * @param krb5IdMap a table mapping Kerberos user names to uid/gid, or null
 * @param nextCallWaitMicros how long a worker waits for a connection's next call, in
 *     microseconds, or -1 for the server's default
 * @param maxConnections the most TCP connections served at once, or -1 for the server's default
 * @param maxConnectionRate the most new connections a minute from one address (0: no limit),
 *     or -1 for the server's default
 * @param stateDirectory where NLM keeps its client hosts across restarts, or null for the
 *     first local directory's metadata folder ({@code DIR/.jnfs}), if any
 * @param lockGraceSeconds NLM's grace period after a restart, or -1 for the server's default
 */
record ServerCommandLine(
    int port,
    int mountPort,
    int portmapPort,
    String bind,
    Path exportsFile,
    List<ClientRange> clients,
    String options,
    boolean demo,
    List<Path> directories,
    boolean help,
    Path tlsCertificate,
    Path tlsKey,
    Path tlsClientAuthorities,
    Path krb5Keytab,
    String krb5Principal,
    Path krb5Conf,
    Path krb5IdMap,
    int nextCallWaitMicros,
    int maxConnections,
    int maxConnectionRate,
    Path stateDirectory,
    int lockGraceSeconds) {

  static final int DEFAULT_PORT = 2049;
  static final String DEFAULT_OPTIONS = "rw,root_squash";

  static final String USAGE =
      """
      usage: java -jar jnfs-server.jar [options] [DIR...]

      Serves each DIR over NFS (v3, v4.0, v4.1) as /<its name>. Without DIR and --exports,
      serves an in-memory file system as /.

        --port N           NFS port, also answering MOUNT and PORTMAP (default 2049; 0 picks one)
        --mount-port N     also serve MOUNT on its own port (e.g. 20048)
        --portmap-port N   run a standalone portmapper on port N (e.g. 111; needed by Windows)
        --bind ADDR        listen only on ADDR (default: all addresses)
        --exports FILE     export the local directories listed in an exports(5) file, each
                           under its own path, with the clients and options written there
        --clients LIST     comma-separated client ranges admitted to DIR and in-memory exports:
                           *, 192.168.1.0/24, fd00::/8, a host name (default *)
        --options LIST     exports(5) option words for DIR and in-memory exports
                           (default rw,root_squash; add insecure for clients on ports >= 1024)
        --tls-cert FILE    offer RPC-with-TLS (RFC 9289, TLS 1.3) with this PEM certificate
                           chain; exports choose with xprtsec=none:tls:mtls in --options or
                           the exports file whether they require it; changed certificate
                           and key files are read again within a minute
        --tls-key FILE     the certificate's PEM (PKCS#8) private key; needed with --tls-cert
        --tls-ca FILE      require client certificates signed by these PEM authorities
        --krb5-keytab FILE offer Kerberos (RPCSEC_GSS: krb5, krb5i, krb5p) with the keys of
                           --krb5-principal from this keytab; exports choose with sec= in
                           --options or the exports file which flavors they accept
        --krb5-principal NAME  the service principal, e.g. nfs/server.example.com@EXAMPLE.COM
        --krb5-conf FILE   the krb5.conf to use (default: the JVM's)
        --krb5-idmap FILE  map Kerberos users to ids: lines "name uid gid [gid,gid...]" or
                           /etc/passwd lines; machine principals (host/, nfs/, root/) are
                           uid 0, unknown users 65534
        --next-call-wait US  how long a worker that answered a client's only call in flight
                           spins, in microseconds, waiting for that client's next call
                           (default 120; 0 never spins, saving processor time at the cost of
                           latency for clients that send one call at a time)
        --max-connections N  the most TCP connections served at once (default 1024)
        --max-connection-rate N  the most new connections a minute from one client address;
                           more are closed before anything is read (default 60; 0 no limit)
        --state-dir DIR    where NFSv3 locking (NLM) remembers its clients across restarts
                           (default: the first DIR's metadata folder DIR/.jnfs; none for
                           in-memory exports only)
        --lock-grace S     seconds after a restart in which NLM clients reclaim their locks
                           (default 90)
        --demo             also export a small read-only generated tree as /demo
        --help             show this text
      """;

  /**
   * Parses arguments in the forms {@code --name value} and {@code --name=value}.
   *
   * @param args the arguments
   * @return the parsed command line
   * @throws IllegalArgumentException with a message for the user when an argument is wrong
   */
  static ServerCommandLine parse(String... args) {
    int port = DEFAULT_PORT;
    int mountPort = -1;
    int portmapPort = -1;
    String bind = null;
    Path exportsFile = null;
    List<ClientRange> clients = List.of(ClientRange.ANY);
    String options = DEFAULT_OPTIONS;
    boolean demo = false;
    List<Path> directories = new ArrayList<>();
    boolean help = false;
    boolean onlyDirectories = false;
    Path tlsCertificate = null;
    Path tlsKey = null;
    Path tlsClientAuthorities = null;
    Path krb5Keytab = null;
    String krb5Principal = null;
    Path krb5Conf = null;
    Path krb5IdMap = null;
    int nextCallWaitMicros = -1;
    int maxConnections = -1;
    int maxConnectionRate = -1;
    Path stateDirectory = null;
    int lockGraceSeconds = -1;

    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (onlyDirectories || !arg.startsWith("-") || arg.equals("-")) {
        directories.add(Path.of(arg));
        continue;
      }
      if (arg.equals("--")) {
        onlyDirectories = true;
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "--help", "-h" -> help = true;
        case "--demo" -> demo = true;
        case "--port", "--mount-port", "--portmap-port", "--bind", "--exports", "--clients",
            "--options", "--tls-cert", "--tls-key", "--tls-ca", "--krb5-keytab",
            "--krb5-principal", "--krb5-conf", "--krb5-idmap", "--next-call-wait",
            "--max-connections", "--max-connection-rate", "--state-dir", "--lock-grace" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(name + " needs a value");
            }
            value = args[++i];
          }
          switch (name) {
            case "--port" -> port = port(name, value);
            case "--mount-port" -> mountPort = port(name, value);
            case "--portmap-port" -> portmapPort = port(name, value);
            case "--bind" -> bind = value;
            case "--exports" -> exportsFile = Path.of(value);
            case "--clients" -> clients = clients(value);
            case "--tls-cert" -> tlsCertificate = Path.of(value);
            case "--tls-key" -> tlsKey = Path.of(value);
            case "--tls-ca" -> tlsClientAuthorities = Path.of(value);
            case "--krb5-keytab" -> krb5Keytab = Path.of(value);
            case "--krb5-principal" -> krb5Principal = value;
            case "--krb5-conf" -> krb5Conf = Path.of(value);
            case "--krb5-idmap" -> krb5IdMap = Path.of(value);
            case "--next-call-wait" -> nextCallWaitMicros = micros(name, value);
            case "--max-connections" -> maxConnections = count(name, value, 1);
            case "--max-connection-rate" -> maxConnectionRate = count(name, value, 0);
            case "--state-dir" -> stateDirectory = Path.of(value);
            case "--lock-grace" -> lockGraceSeconds = count(name, value, 0);
            default -> options = optionsChecked(value);
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
      if (value != null && (name.equals("--help") || name.equals("--demo"))) {
        throw new IllegalArgumentException(name + " takes no value");
      }
    }
    if ((tlsCertificate == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (tlsClientAuthorities != null && tlsCertificate == null) {
      throw new IllegalArgumentException("--tls-ca needs --tls-cert and --tls-key");
    }
    if ((krb5Keytab == null) != (krb5Principal == null)) {
      throw new IllegalArgumentException("--krb5-keytab and --krb5-principal go together");
    }
    if ((krb5Conf != null || krb5IdMap != null) && krb5Keytab == null) {
      throw new IllegalArgumentException(
          "--krb5-conf and --krb5-idmap need --krb5-keytab and --krb5-principal");
    }
    return new ServerCommandLine(
        port, mountPort, portmapPort, bind, exportsFile, List.copyOf(clients), options, demo,
        List.copyOf(directories), help, tlsCertificate, tlsKey, tlsClientAuthorities,
        krb5Keytab, krb5Principal, krb5Conf, krb5IdMap, nextCallWaitMicros, maxConnections,
        maxConnectionRate, stateDirectory, lockGraceSeconds);
  }

  private static int count(String name, String value, int least) {
    try {
      int count = Integer.parseInt(value);
      if (count >= least) {
        return count;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name + ": '" + value + "' is not a whole number of at least " + least);
  }

  private static int micros(String name, String value) {
    try {
      int micros = Integer.parseInt(value);
      if (micros >= 0) {
        return micros;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + ": '" + value + "' is not a number of microseconds");
  }

  /**
   * @return the options for the directory and in-memory exports: {@link ExportOptions#DEFAULT}
   *     with {@link #options()} applied and {@link #clients()} admitted
   */
  ExportOptions exportOptions() {
    return ExportOptions.DEFAULT.with(options).withClients(clients);
  }

  private static int port(String name, String value) {
    int port;
    try {
      port = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' is not a port number");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(name + ": " + port + " is not in 0..65535");
    }
    return port;
  }

  private static List<ClientRange> clients(String value) {
    List<ClientRange> ranges = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        try {
          ranges.add(ClientRange.parse(part.trim()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--clients: " + e.getMessage());
        }
      }
    }
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException("--clients: no client range given");
    }
    return ranges;
  }

  private static String optionsChecked(String value) {
    try {
      ExportOptions.DEFAULT.with(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--options: " + e.getMessage());
    }
    return value;
  }
}
