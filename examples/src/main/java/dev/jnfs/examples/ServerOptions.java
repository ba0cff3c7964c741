package dev.jnfs.examples;

import static picocli.CommandLine.ScopeType.INHERIT;

import dev.jnfs.examples.OptionConverters.LogLevel;
import dev.jnfs.examples.OptionConverters.Switch;
import dev.jnfs.server.ClientRange;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Every setting of the standalone server, as command-line options: a picocli mixin of the root
 * command, whose options its subcommands inherit (the values land here wherever they stand on
 * the command line). A field left null was given neither on the command line nor
 * in the {@linkplain ConfigFile configuration file}, whose keys supply the defaults of these
 * options ({@link ConfigKeys}): the library's default then applies. {@link ServerAssembly}
 * hands them to {@code NfsServer.Builder}; adding a setting is a field here, a line there and
 * a key in {@link ConfigKeys}.
 */
final class ServerOptions {
  static final int DEFAULT_PORT = 2049;
  static final String DEFAULT_OPTIONS = "rw,root_squash";

  // ---- the configuration file -----------------------------------------------------------

  @Option(scope = INHERIT, names = {"-c", "--config"}, paramLabel = "FILE",
      description = "read settings and exports from this TOML file; options given on the"
          + " command line override it")
  Path config;

  // ---- listening ---------------------------------------------------------------------------

  @Option(scope = INHERIT, names = "--port", paramLabel = "N", converter = OptionConverters.Port.class,
      description = "NFS port, also answering MOUNT and PORTMAP (default 2049; 0 picks one)")
  Integer port;

  @Option(scope = INHERIT, names = "--mount-port", paramLabel = "N", converter = OptionConverters.Port.class,
      description = "also serve MOUNT on its own port (e.g. 20048)")
  Integer mountPort;

  @Option(scope = INHERIT, names = "--portmap-port", paramLabel = "N", converter = OptionConverters.Port.class,
      description = "run a standalone portmapper on port N (e.g. 111; needed by Windows)")
  Integer portmapPort;

  @Option(scope = INHERIT, names = "--bind", paramLabel = "ADDR",
      description = "listen only on ADDR (default: all addresses)")
  String bind;

  @Option(scope = INHERIT, names = "--udp", paramLabel = "on|off", converter = OptionConverters.OnOff.class,
      description = "serve UDP as well as TCP (default on)")
  Switch udp;

  @Option(scope = INHERIT, names = "--versions", paramLabel = "LIST", split = ",",
      converter = OptionConverters.Version.class,
      description = "NFS versions to serve, comma-separated: 3 (with MOUNT and NLM), 4"
          + " (4.0, 4.1, 4.2) (default 3,4)")
  List<Integer> versions;

  @Option(scope = INHERIT, names = "--io-threads", paramLabel = "N", converter = OptionConverters.AtLeastZero.class,
      description = "network threads (default 0: as many as Netty chooses)")
  Integer ioThreads;

  // ---- limits ------------------------------------------------------------------------------

  @Option(scope = INHERIT, names = "--max-connections", paramLabel = "N",
      converter = OptionConverters.AtLeastOne.class,
      description = "the most TCP connections served at once (default 1024)")
  Integer maxConnections;

  @Option(scope = INHERIT, names = "--max-connection-rate", paramLabel = "N",
      converter = OptionConverters.AtLeastZero.class,
      description = "the most new connections a minute from one client address; more are"
          + " closed before anything is read (default 60; 0 no limit)")
  Integer maxConnectionRate;

  @Option(scope = INHERIT, names = "--max-record-size", paramLabel = "SIZE", converter = OptionConverters.Size.class,
      description = "the largest RPC record accepted over TCP, in bytes (k and m suffixes;"
          + " default: the larger of the read and write sizes plus 64k)")
  Integer maxRecordSize;

  @Option(scope = INHERIT, names = "--max-in-flight", paramLabel = "N", converter = OptionConverters.AtLeastOne.class,
      description = "calls of one connection run at once; beyond it the server stops reading"
          + " from that connection (default 128)")
  Integer maxInFlight;

  @Option(scope = INHERIT, names = "--max-read-size", paramLabel = "SIZE", converter = OptionConverters.Size.class,
      description = "the largest READ answered, in bytes (default 1m)")
  Integer maxReadSize;

  @Option(scope = INHERIT, names = "--max-write-size", paramLabel = "SIZE", converter = OptionConverters.Size.class,
      description = "the largest WRITE accepted, in bytes (default 1m)")
  Integer maxWriteSize;

  @Option(scope = INHERIT, names = "--drc-size", paramLabel = "N", converter = OptionConverters.AtLeastZero.class,
      description = "replies of non-idempotent calls remembered for retransmissions"
          + " (duplicate request cache; default 4096; 0 turns it off)")
  Integer drcSize;

  // ---- timeouts ----------------------------------------------------------------------------

  @Option(scope = INHERIT, names = "--idle-timeout", paramLabel = "S", converter = OptionConverters.AtLeastZero.class,
      description = "seconds after which a TCP connection with nothing in flight is closed"
          + " (default 900; 0 never)")
  Integer idleTimeoutSeconds;

  @Option(scope = INHERIT, names = "--next-call-wait", paramLabel = "US",
      converter = OptionConverters.AtLeastZero.class,
      description = "how long a worker that answered a client's only call in flight spins,"
          + " in microseconds, waiting for that client's next call (default 120; 0 never"
          + " spins, saving processor time at the cost of latency)")
  Integer nextCallWaitMicros;

  @Option(scope = INHERIT, names = "--record-timeout", paramLabel = "S",
      converter = OptionConverters.AtLeastZero.class,
      description = "seconds one RPC record may take to arrive once its first bytes came;"
          + " a client that sends slower is disconnected (default 60; 0 never)")
  Integer recordTimeoutSeconds;

  @Option(scope = INHERIT, names = "--shutdown-grace", paramLabel = "S",
      converter = OptionConverters.AtLeastZero.class,
      description = "seconds the calls already read may take to finish when the server stops"
          + " (default 3)")
  Integer shutdownGraceSeconds;

  // ---- NFSv3 locking -----------------------------------------------------------------------

  @Option(scope = INHERIT, names = "--state-dir", paramLabel = "DIR",
      description = "where the server remembers across restarts which clients hold state (NFSv4"
          + " client records, NLM hosts) and its identity (default: the first DIR's metadata"
          + " folder DIR/.jnfs; none for in-memory exports only)")
  Path stateDirectory;

  @Option(scope = INHERIT, names = "--lock-grace", paramLabel = "S", converter = OptionConverters.AtLeastZero.class,
      description = "seconds after a restart in which NLM clients reclaim their locks"
          + " (default 90)")
  Integer lockGraceSeconds;

  // ---- identity, the host's portmapper, NFSv4 names -----------------------------------------

  @Option(scope = INHERIT, names = "--server-id", paramLabel = "ID",
      description = "the name NFSv4.1 clients know this server by (EXCHANGE_ID's server owner"
          + " and scope); give one name only to servers that share exports and state (default:"
          + " made once and kept in the state directory; without one, new at every start)")
  String serverId;

  @Option(scope = INHERIT, names = "--delegations", paramLabel = "off|read|readwrite",
      converter = OptionConverters.DelegationPolicy.class,
      description = "which NFSv4 delegations clients may get: none, read, or read and write;"
          + " clients with a working callback path only (default readwrite)")
  NfsServer.Delegations delegations;

  @Option(scope = INHERIT, names = "--max-delegations", paramLabel = "N",
      converter = OptionConverters.AtLeastOne.class,
      description = "the most NFSv4 delegations held at once (default 10000)")
  Integer maxDelegations;

  @Option(scope = INHERIT, names = "--rpcbind", paramLabel = "on|off",
      converter = OptionConverters.OnOff.class,
      description = "register NFS, MOUNT, NLM and NSM with the host's rpcbind at start and"
          + " unregister them at stop, when rpcbind runs and --portmap-port is not 111"
          + " (default on)")
  Switch rpcbind;

  @Option(scope = INHERIT, names = "--idmap-domain", paramLabel = "DOMAIN",
      description = "answer NFSv4 owners and groups as name@DOMAIN from the host's users and"
          + " groups (default: numeric ids, which clients without nfsidmap need)")
  String idmapDomain;

  @Option(scope = INHERIT, names = "--idmap-passwd", paramLabel = "FILE",
      description = "the users for --idmap-domain, in /etc/passwd form (default /etc/passwd)")
  Path idmapPasswd;

  @Option(scope = INHERIT, names = "--idmap-group", paramLabel = "FILE",
      description = "the groups for --idmap-domain, in /etc/group form (default /etc/group)")
  Path idmapGroup;

  // ---- TLS ---------------------------------------------------------------------------------

  @Option(scope = INHERIT, names = "--tls-cert", paramLabel = "FILE",
      description = "offer RPC-with-TLS (RFC 9289, TLS 1.3) with this PEM certificate chain;"
          + " exports choose with xprtsec= whether they require it; changed files are read"
          + " again within a minute and on SIGHUP")
  Path tlsCertificate;

  @Option(scope = INHERIT, names = "--tls-key", paramLabel = "FILE",
      description = "the certificate's PEM (PKCS#8) private key; needed with --tls-cert")
  Path tlsKey;

  @Option(scope = INHERIT, names = "--tls-ca", paramLabel = "FILE",
      description = "require client certificates signed by these PEM authorities")
  Path tlsClientAuthorities;

  @Option(scope = INHERIT, names = "--implicit-tls-port", paramLabel = "N", converter = OptionConverters.Port.class,
      description = "also serve on a port where connections are TLS from the first byte"
          + " (needs --tls-cert)")
  Integer implicitTlsPort;

  // ---- Kerberos ----------------------------------------------------------------------------

  @Option(scope = INHERIT, names = "--krb5-keytab", paramLabel = "FILE",
      description = "offer Kerberos (RPCSEC_GSS: krb5, krb5i, krb5p) with the keys of"
          + " --krb5-principal from this keytab; exports choose with sec= which flavors they"
          + " accept")
  Path krb5Keytab;

  @Option(scope = INHERIT, names = "--krb5-principal", paramLabel = "NAME",
      description = "the service principal, e.g. nfs/server.example.com@EXAMPLE.COM")
  String krb5Principal;

  @Option(scope = INHERIT, names = "--krb5-conf", paramLabel = "FILE",
      description = "the krb5.conf to use (default: the JVM's)")
  Path krb5Conf;

  @Option(scope = INHERIT, names = "--krb5-idmap", paramLabel = "FILE",
      description = "map Kerberos users to ids: lines \"name uid gid [gid,gid...]\" or"
          + " /etc/passwd lines; machine principals (host/, nfs/, root/) are uid 0, unknown"
          + " users 65534")
  Path krb5IdMap;

  // ---- exports -----------------------------------------------------------------------------

  @Option(scope = INHERIT, names = "--exports", paramLabel = "FILE",
      description = "export the local directories listed in an exports(5) file, each under"
          + " its own path, with the clients and options written there")
  Path exportsFile;

  @Option(scope = INHERIT, names = "--clients", paramLabel = "LIST", split = ",",
      converter = OptionConverters.Clients.class,
      description = "comma-separated client ranges admitted to DIR and in-memory exports: *,"
          + " 192.168.1.0/24, fd00::/8, a host name (default *)")
  List<ClientRange> clients;

  @Option(scope = INHERIT, names = "--options", paramLabel = "LIST", converter = OptionConverters.Words.class,
      description = "exports(5) option words for DIR and in-memory exports (default"
          + " rw,root_squash; add insecure for clients on ports >= 1024)")
  String options;

  @Option(scope = INHERIT, names = "--demo", description = "also export a small read-only generated tree as /demo")
  boolean demo;

  @Parameters(scope = INHERIT, paramLabel = "DIR", arity = "0..*",
      description = "local directories to export, each as /<its name>; without DIR, --exports"
          + " and [[export]] tables, an in-memory file system is exported as /")
  List<Path> directories = List.of();

  // ---- logging -----------------------------------------------------------------------------

  @Option(scope = INHERIT, names = "--log-level", paramLabel = "LEVEL", split = ",",
      converter = OptionConverters.Level.class,
      description = "the log level (error, warn, info, debug, trace; default info), or"
          + " LOGGER=LEVEL for one logger and its children (e.g. dev.jnfs.v4=debug);"
          + " repeatable")
  List<LogLevel> logLevels;

  @Option(scope = INHERIT, names = "--log-file", paramLabel = "FILE",
      description = "log to this file instead of the console, rolling it over by size")
  Path logFile;

  @Option(scope = INHERIT, names = "--log-max-size-mb", paramLabel = "MB",
      converter = OptionConverters.AtLeastOne.class,
      description = "roll the log file over when it reaches this many MiB (default 10)")
  Integer logMaxSizeMb;

  @Option(scope = INHERIT, names = "--log-max-files", paramLabel = "N", converter = OptionConverters.LogFiles.class,
      description = "log files kept, the current one included, 2 to 21 (default 5)")
  Integer logMaxFiles;

  // ---- metrics -----------------------------------------------------------------------------

  @Option(scope = INHERIT, names = "--metrics-port", paramLabel = "N", converter = OptionConverters.Port.class,
      description = "serve Prometheus metrics at http://ADDR:N/metrics")
  Integer metricsPort;

  @Option(scope = INHERIT, names = "--metrics-jmx", paramLabel = "on|off", converter = OptionConverters.OnOff.class,
      description = "publish the metrics as JMX MBeans (default off)")
  Switch metricsJmx;

  /** @return the NFS port: the one asked for, else 2049 */
  int port() {
    return port == null ? DEFAULT_PORT : port;
  }

  /**
   * @return the options of the directory and in-memory exports: {@link ExportOptions#DEFAULT}
   *     with {@link #options} (or {@value #DEFAULT_OPTIONS}) applied and {@link #clients}
   *     (or every client) admitted
   */
  ExportOptions exportOptions() {
    return ExportOptions.DEFAULT
        .with(options == null ? DEFAULT_OPTIONS : options)
        .withClients(clients == null ? List.of(ClientRange.ANY) : clients);
  }

  /**
   * @return whether NFS version {@code version} is served: asked for, or every version when
   *     none was named
   */
  boolean serves(int version) {
    return versions == null || versions.contains(version);
  }
}
