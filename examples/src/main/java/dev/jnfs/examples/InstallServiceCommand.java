package dev.jnfs.examples;

import dev.jnfs.examples.StandaloneServer.ConfigurationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.SequencedSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ParentCommand;

/**
 * {@code install-service}: makes the server a system service that runs it with the
 * configuration file: a systemd unit on Linux (written to /etc/systemd/system and enabled), a
 * launchd daemon on macOS (written to /Library/LaunchDaemons and loaded), a WinSW
 * configuration on Windows (written beside the configuration file, with instructions).
 * {@code --dry-run} prints the file instead. The configuration is checked first; the server
 * options given with {@code install-service} are passed on to the service's command line.
 */
@Command(name = "install-service", mixinStandardHelpOptions = true, sortOptions = false,
    usageHelpWidth = 100,
    description = "Install a system service running this server with --config FILE: a"
        + " systemd unit (Linux), a launchd daemon (macOS) or a WinSW service (Windows).")
final class InstallServiceCommand implements Callable<Integer> {
  private static final int PRIVILEGED = 1024;

  /** The service managers install-service writes for. */
  enum Platform {
    LINUX,
    MACOS,
    WINDOWS;

    static Platform current() {
      String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
      return os.startsWith("windows") ? WINDOWS : os.startsWith("mac") ? MACOS : LINUX;
    }
  }

  @ParentCommand ServerCommandLine root;

  @Option(names = "--dry-run", description = "print the service file instead of installing it")
  boolean dryRun;

  @Option(names = "--user", paramLabel = "NAME",
      description = "run the service as this account (default: root, or SYSTEM on Windows)")
  String user;

  @Option(names = "--service-name", paramLabel = "NAME",
      description = "the service's name (default jnfs)")
  String name = "jnfs";

  @Option(names = "--platform", paramLabel = "linux|macos|windows",
      converter = PlatformConverter.class,
      description = "write the service for this system (default: the one running)")
  Platform platform = Platform.current();

  static final class PlatformConverter implements picocli.CommandLine.ITypeConverter<Platform> {
    @Override
    public Platform convert(String value) {
      try {
        return Platform.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not one of linux, macos, windows");
      }
    }
  }

  @Override
  public Integer call() throws ConfigurationException, IOException, InterruptedException {
    PrintWriter out = root.spec.commandLine().getOut();
    if (root.config == null) {
      throw new ConfigurationException("install-service needs --config FILE: the service runs"
          + " the server with that configuration file");
    }
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new ConfigurationException("--service-name: '" + name + "' is not a plain name");
    }
    ServerAssembly.of(root.options, new AccessLog(), null);
    ServiceDefinition definition = definition(ExportPlan.of(root.options, root.config));
    String text = switch (platform) {
      case LINUX -> SystemdUnit.of(definition);
      case MACOS -> LaunchdPlist.of(definition);
      case WINDOWS -> WinswService.of(definition);
    };
    if (dryRun) {
      out.print(text);
      if (platform == Platform.WINDOWS) {
        out.print("\n" + WinswService.instructions(name));
      }
      out.flush();
      return 0;
    }
    return install(text, out);
  }

  /** @return what the service needs, from the settings and exports */
  ServiceDefinition definition(List<ExportSpec> exports) {
    ServerOptions o = root.options;
    List<String> command = new ArrayList<>(Launcher.command(platform == Platform.WINDOWS));
    command.add("--config");
    command.add(absolute(root.config.file().toString()));
    command.addAll(serverArguments());
    SequencedSet<Path> writable = new LinkedHashSet<>();
    for (ExportSpec export : exports) {
      if (export.directory() != null) {
        writable.add(export.directory().toAbsolutePath().normalize());
      }
    }
    if (o.stateDirectory != null) {
      writable.add(o.stateDirectory.toAbsolutePath().normalize());
    }
    Path logFile = o.logFile == null ? null : o.logFile.toAbsolutePath().normalize();
    if (logFile != null && logFile.getParent() != null) {
      writable.add(logFile.getParent());
    }
    boolean privileged = Stream.of(o.port(), o.mountPort, o.portmapPort, o.implicitTlsPort,
            o.metricsPort)
        .anyMatch(port -> port != null && port > 0 && port < PRIVILEGED);
    return new ServiceDefinition(name, command, user, writable, privileged, logFile,
        Path.of(System.getProperty("java.home")));
  }

  /**
   * @return the server options and DIRs given on this command line (besides {@code --config}),
   *     for the service to run with them too; paths made absolute, as a service's working
   *     directory is not this one
   */
  private List<String> serverArguments() {
    List<String> options = new ArrayList<>();
    List<String> directories = new ArrayList<>();
    for (ParseResult r = root.spec.commandLine().getParseResult(); r != null; r = r.subcommand()) {
      for (OptionSpec option : r.matchedOptions()) {
        String name = option.longestName();
        if (root.spec.findOption(name) == null || option.usageHelp() || option.versionHelp()
            || name.equals("--config")) {
          continue; // this subcommand's own options, help, the configuration file
        }
        if (option.arity().max() == 0) {
          options.add(name);
          continue;
        }
        for (String value : option.originalStringValues()) {
          options.add(name + "=" + (option.type() == Path.class ? absolute(value) : value));
        }
      }
      for (PositionalParamSpec positional : r.matchedPositionals()) {
        positional.originalStringValues().forEach(dir -> directories.add(absolute(dir)));
      }
    }
    if (!directories.isEmpty()) {
      options.add("--");
      options.addAll(directories);
    }
    return options;
  }

  private static String absolute(String path) {
    return Path.of(path).toAbsolutePath().normalize().toString();
  }

  private int install(String text, PrintWriter out)
      throws IOException, InterruptedException, ConfigurationException {
    Path file = switch (platform) {
      case LINUX -> SystemdUnit.path(name);
      case MACOS -> LaunchdPlist.path(name);
      case WINDOWS -> root.config.file().toAbsolutePath().resolveSibling(name + ".xml");
    };
    if (platform != Platform.current()) {
      throw new ConfigurationException("--platform " + platform.name().toLowerCase(Locale.ROOT)
          + " installs only on that system; add --dry-run to print the file");
    }
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new ConfigurationException("cannot write " + file + " (" + e
          + "); install as root, or add --dry-run to print the file");
    }
    out.println("wrote " + file);
    switch (platform) {
      case LINUX -> {
        run(out, "systemctl", "daemon-reload");
        run(out, "systemctl", "enable", name + ".service");
        out.println("start it with: systemctl start " + name);
      }
      case MACOS -> run(out, "launchctl", "bootstrap", "system", file.toString());
      case WINDOWS -> out.print(WinswService.instructions(name));
    }
    out.flush();
    return 0;
  }

  private static void run(PrintWriter out, String... command)
      throws IOException, InterruptedException, ConfigurationException {
    out.println("running: " + String.join(" ", command));
    out.flush();
    int status = new ProcessBuilder(command).inheritIO().start().waitFor();
    if (status != 0) {
      throw new ConfigurationException(String.join(" ", command) + " failed (" + status + ")");
    }
  }
}
