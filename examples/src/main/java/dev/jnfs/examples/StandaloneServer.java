package dev.jnfs.examples;

import dev.jnfs.examples.demo.HelloFileSystem;
import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.rpc.TransportSecurity;
import dev.jnfs.protocol.Export;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.ExportsFile;
import dev.jnfs.server.NfsServer;
import dev.jnfs.server.KerberosConfig;
import dev.jnfs.server.LocalPrincipalMapper;
import dev.jnfs.server.TlsConfig;
import dev.jnfs.spi.NfsFileSystem;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The standalone jnfs server: {@code java -jar jnfs-server.jar [options] [DIR...]}. It
 * serves local directories, the directories of an exports(5) file, or an in-memory file
 * system over NFSv3 (and NFSv4 when its module is on the class path, as in the jar), prints the ports and mount commands, and runs until it is terminated
 * (SIGTERM or Ctrl-C), when it closes the server cleanly. Run with {@code --help} for the
 * options.
 *
 * <p>Exit status: 0 after a clean shutdown or {@code --help}, 1 when the server cannot start
 * (a port in use), 2 for a wrong command line or exports file.
 */
public final class StandaloneServer {
  private static final int EXIT_START_FAILED = 1;
  private static final int EXIT_USAGE = 2;
  private static final int CERTIFICATE_CHECK_SECONDS = 60;
  private static final int NFS_PROGRAM = 100003;

  private StandaloneServer() {}

  /** Thrown for a mistake in what the user asked for; its message is shown as is. */
  static final class ConfigurationException extends Exception {
    private static final long serialVersionUID = 1L;

    ConfigurationException(String message) {
      super(message);
    }
  }

  /**
   * Runs the server until the JVM is asked to stop.
   *
   * @param args the command line, see {@link ServerCommandLine#USAGE}
   */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs the server until the JVM is asked to stop, unless the command line is wrong or the
   * server cannot start.
   *
   * @return the exit status
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    ServerCommandLine commandLine;
    List<Export> exports;
    TlsConfig tls;
    KerberosConfig kerberos;
    try {
      commandLine = ServerCommandLine.parse(args);
      if (commandLine.help()) {
        out.print(ServerCommandLine.USAGE);
        return 0;
      }
      exports = exportsOf(commandLine);
      tls = tlsOf(commandLine);
      kerberos = kerberosOf(commandLine);
    } catch (IllegalArgumentException | ConfigurationException e) {
      err.println("jnfs-server: " + e.getMessage());
      err.println("Run with --help for the options.");
      return EXIT_USAGE;
    }

    NfsServer server = build(commandLine, exports, tls, kerberos);
    try {
      server.start();
    } catch (RuntimeException e) {
      err.println("jnfs-server: cannot start: " + e.getMessage());
      server.close();
      return EXIT_START_FAILED;
    }
    if (tls != null) {
      watchCertificates(tls, err);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // NfsServer.close() returns in bounded time even with calls stuck in flight, so the
    // process ends on SIGTERM; the latch is released whatever close() does
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("jnfs-server: stopping");
      try {
        server.close();
      } finally {
        stopped.countDown();
      }
    }, "jnfs-shutdown"));
    printReady(server, commandLine, exports, out);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Decides what to export: the DIR arguments and the exports file's directories, or, when
   * neither is given, an in-memory file system as {@code /}; and the demo tree if asked for.
   */
  static List<Export> exportsOf(ServerCommandLine commandLine) throws ConfigurationException {
    Map<String, Export> byPath = new LinkedHashMap<>();
    ExportOptions options = commandLine.exportOptions();
    for (Path dir : commandLine.directories()) {
      Path fileName = dir.toAbsolutePath().normalize().getFileName();
      String path = fileName == null ? "/" : "/" + fileName;
      add(byPath, new Export(path, null, localFileSystem(dir), options), dir.toString());
    }
    if (commandLine.exportsFile() != null) {
      Path file = commandLine.exportsFile();
      ExportsFile parsed;
      try {
        parsed = ExportsFile.read(file);
      } catch (IOException e) {
        throw new ConfigurationException("cannot read exports file " + file + ": " + e);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("exports file " + file + ", " + e.getMessage());
      }
      if (parsed.entries().isEmpty()) {
        throw new ConfigurationException("exports file " + file + " lists no export");
      }
      for (ExportsFile.Entry entry : parsed.entries()) {
        Path dir = Path.of(entry.path());
        NfsFileSystem fs;
        try {
          fs = localFileSystem(dir);
        } catch (ConfigurationException e) {
          throw new ConfigurationException(
              "exports file " + file + ", line " + entry.line() + ": " + e.getMessage());
        }
        add(byPath, new Export(entry.path(), null, fs, entry.options()),
            file + " line " + entry.line());
      }
    }
    if (commandLine.directories().isEmpty() && commandLine.exportsFile() == null) {
      byPath.put("/", new Export("/", null, new InMemoryFileSystem(), options));
    }
    if (commandLine.demo()) {
      add(byPath, new Export("/demo", null, new HelloFileSystem(), options), "--demo");
    }
    return List.copyOf(byPath.values());
  }

  private static void add(Map<String, Export> byPath, Export export, String source)
      throws ConfigurationException {
    if (byPath.putIfAbsent(export.path(), export) != null) {
      throw new ConfigurationException(
          "two exports named " + export.path() + " (the second from " + source + ")");
    }
  }

  private static NfsFileSystem localFileSystem(Path dir) throws ConfigurationException {
    if (!Files.isDirectory(dir)) {
      throw new ConfigurationException(dir + " is not a directory");
    }
    try {
      return LocalFileSystem.of(dir);
    } catch (IOException | RuntimeException e) {
      throw new ConfigurationException("cannot export " + dir + ": " + e.getMessage());
    }
  }

  /**
   * Rereads the TLS certificate and key every minute when their files changed (a renewal), so
   * new connections get the new certificate without a restart.
   */
  private static void watchCertificates(TlsConfig tls, PrintStream err) {
    ScheduledExecutorService watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "jnfs-tls-watch");
              t.setDaemon(true);
              return t;
            });
    watcher.scheduleWithFixedDelay(
        () -> {
          try {
            if (tls.reloadIfChanged()) {
              err.println("jnfs-server: TLS certificate reloaded");
            }
          } catch (IllegalArgumentException e) {
            err.println("jnfs-server: TLS files changed but unusable, keeping the old ones: "
                + e.getMessage());
          }
        },
        CERTIFICATE_CHECK_SECONDS,
        CERTIFICATE_CHECK_SECONDS,
        TimeUnit.SECONDS);
  }

  /**
   * @return the TLS configuration the command line asks for, or null for none
   * @throws ConfigurationException if the certificate or key files are unusable
   */
  static TlsConfig tlsOf(ServerCommandLine commandLine) throws ConfigurationException {
    if (commandLine.tlsCertificate() == null) {
      return null;
    }
    try {
      return commandLine.tlsClientAuthorities() == null
          ? TlsConfig.of(commandLine.tlsCertificate(), commandLine.tlsKey())
          : TlsConfig.mutual(
              commandLine.tlsCertificate(),
              commandLine.tlsKey(),
              commandLine.tlsClientAuthorities());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage());
    }
  }

  /**
   * @return the Kerberos configuration the command line asks for, or null for none
   * @throws ConfigurationException if the keytab or the id map is unusable
   */
  static KerberosConfig kerberosOf(ServerCommandLine commandLine) throws ConfigurationException {
    if (commandLine.krb5Keytab() == null) {
      return null;
    }
    if (!java.nio.file.Files.isReadable(commandLine.krb5Keytab())) {
      throw new ConfigurationException("--krb5-keytab: cannot read " + commandLine.krb5Keytab());
    }
    KerberosConfig config =
        KerberosConfig.of(commandLine.krb5Keytab(), commandLine.krb5Principal());
    if (commandLine.krb5IdMap() != null) {
      String principal = commandLine.krb5Principal();
      int at = principal.lastIndexOf('@');
      try {
        config =
            config.withMapper(
                LocalPrincipalMapper.fromFile(commandLine.krb5IdMap())
                    .withRealm(at < 0 ? null : principal.substring(at + 1)));
      } catch (java.io.IOException | IllegalArgumentException e) {
        throw new ConfigurationException("--krb5-idmap: " + e.getMessage());
      }
    }
    return commandLine.krb5Conf() == null ? config : config.withKrb5Conf(commandLine.krb5Conf());
  }

  /**
   * Builds the server the command line describes, with TLS if it asks for it. The server owns
   * the exports' backends: closing it closes them.
   *
   * @throws IllegalArgumentException if the TLS files are unusable
   */
  static NfsServer build(ServerCommandLine commandLine, List<Export> exports) {
    try {
      return build(commandLine, exports, tlsOf(commandLine), kerberosOf(commandLine));
    } catch (ConfigurationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static NfsServer build(ServerCommandLine commandLine, List<Export> exports, TlsConfig tls) {
    return build(commandLine, exports, tls, null);
  }

  static NfsServer build(
      ServerCommandLine commandLine,
      List<Export> exports,
      TlsConfig tls,
      KerberosConfig kerberos) {
    NfsServer.Builder builder =
        NfsServer.builder().port(commandLine.port()).tls(tls).kerberos(kerberos);
    if (commandLine.bind() != null) {
      builder.bind(commandLine.bind());
    }
    if (commandLine.mountPort() >= 0) {
      builder.mountPort(commandLine.mountPort());
    }
    if (commandLine.portmapPort() >= 0) {
      builder.portmapPort(commandLine.portmapPort());
    }
    if (commandLine.nextCallWaitMicros() >= 0) {
      builder.nextCallWait(Duration.ofNanos(commandLine.nextCallWaitMicros() * 1000L));
    }
    if (commandLine.maxConnections() >= 0) {
      builder.maxConnections(commandLine.maxConnections());
    }
    if (commandLine.maxConnectionRate() >= 0) {
      builder.maxConnectionRatePerAddress(commandLine.maxConnectionRate());
    }
    // NLM's client hosts: where asked, else in the first local directory's metadata folder
    // (the one its backend keeps its id index in); in-memory exports alone keep none
    if (commandLine.stateDirectory() != null) {
      builder.stateDirectory(commandLine.stateDirectory());
    } else if (!commandLine.directories().isEmpty()) {
      builder.stateDirectory(commandLine.directories().get(0).resolve(".jnfs"));
    }
    if (commandLine.lockGraceSeconds() >= 0) {
      builder.lockGracePeriod(Duration.ofSeconds(commandLine.lockGraceSeconds()));
    }
    // the backends were made for this server alone: closing it closes them (a local
    // directory's id index and open files)
    for (Export export : exports) {
      builder.export(export).ownBackend(export.fileSystem());
    }
    return builder.build();
  }

  private static String xprtsec(ExportOptions o) {
    StringBuilder b = new StringBuilder();
    for (TransportSecurity.Level level : TransportSecurity.Level.values()) {
      if (o.xprtsec().contains(level)) {
        b.append(b.isEmpty() ? "" : ":").append(level.name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return b.toString();
  }

  private static void printReady(
      NfsServer server, ServerCommandLine commandLine, List<Export> exports, PrintStream out) {
    int mountPort = server.mountPort() >= 0 ? server.mountPort() : server.port();
    int portmapPort = server.portmapPort();
    String bind = commandLine.bind() == null ? "all addresses" : commandLine.bind();
    boolean nfs4 = server.registrations().stream()
        .anyMatch(m -> m.program() == NFS_PROGRAM && m.version() == 4);
    out.println("jnfs-server: " + (nfs4 ? "NFSv3 and NFSv4" : "NFSv3") + " ready on " + bind);
    out.println("  NFS, MOUNT and PORTMAP on port " + server.port());
    if (commandLine.tlsCertificate() != null) {
      out.println("  RPC-with-TLS offered"
          + (commandLine.tlsClientAuthorities() == null ? "" : ", client certificates required"));
    }
    if (commandLine.krb5Principal() != null) {
      out.println("  Kerberos (RPCSEC_GSS) offered as " + commandLine.krb5Principal());
    }
    if (server.mountPort() >= 0) {
      out.println("  MOUNT also on port " + mountPort);
    }
    if (portmapPort >= 0) {
      out.println("  portmapper on port " + portmapPort);
    }
    MountCommands commands =
        new MountCommands(
            advertisedHost(commandLine.bind()), server.port(), mountPort, portmapPort, nfs4);
    for (Export export : exports) {
      ExportOptions o = export.options();
      out.println();
      out.println("export " + export.path() + "  (" + describe(export) + "; "
          + (o.readOnly() ? "ro" : "rw") + ", " + o.squash().name().toLowerCase() + " squash, "
          + (o.secure() ? "secure" : "insecure") + ", xprtsec " + xprtsec(o)
          + ", clients " + o.clients() + ")");
      for (String line : commands.forExport(export.path())) {
        out.println("  " + line);
      }
    }
    out.println();
    out.println("Stop with Ctrl-C.");
    out.flush();
  }

  private static String describe(Export export) {
    return switch (export.fileSystem()) {
      case InMemoryFileSystem m -> "in memory, lost at exit";
      case HelloFileSystem h -> "read-only demo tree";
      default -> "local directory";
    };
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
