package dev.jnfs.examples;

import dev.jnfs.examples.StandaloneServer.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The standalone server's command line (picocli): {@code jnfs-server [options] [DIR...]}
 * serves, as does its {@code serve} subcommand; {@code check-config} checks the settings and
 * exports without serving; {@code install-service} writes a system service that runs the
 * server; {@code completion} prints a bash/zsh completion script. The options ({@link
 * ServerOptions}) may stand before or after the subcommand. With {@code --config FILE} the
 * file's settings are the defaults of the options the command line leaves out.
 */
@Command(
    name = "jnfs-server",
    mixinStandardHelpOptions = true,
    versionProvider = ServerCommandLine.Version.class,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Serves each DIR over NFS (v3, v4.0, v4.1, v4.2) as /<its name>, the exports of an"
          + " exports(5) file and of a TOML configuration file. Without any, serves an"
          + " in-memory file system as /. SIGHUP reads the exports again.",
      ""
    },
    subcommands = {ServeCommand.class, CheckConfigCommand.class, InstallServiceCommand.class},
    footer = {
      "",
      "Exit status: 0 after a clean shutdown (or help, or a valid configuration), 1 when the"
          + " server cannot start (a port in use), 2 for a wrong command line or configuration."
    })
final class ServerCommandLine implements Callable<Integer> {
  static final String COMPLETION = "completion";

  @Mixin ServerOptions options;

  @Spec CommandSpec spec;

  /** The configuration file named by {@code --config}, read; null without one. */
  ConfigFile config;

  /** The arguments as given, to read the configuration again on a reload. */
  private String[] args = new String[0];

  @Override
  public Integer call() throws ConfigurationException {
    return ServeCommand.serve(this);
  }

  /** @return the arguments this command line was made for */
  String[] args() {
    return args.clone();
  }

  /**
   * Makes the command line for {@code args}: reads the configuration file the arguments name
   * and makes its settings the options' defaults.
   *
   * @param args the arguments
   * @return the command line, ready to {@linkplain CommandLine#execute execute} {@code args}
   * @throws CommandLine.ParameterException if the arguments are wrong
   * @throws ConfigurationException if the configuration file is
   */
  static CommandLine commandLine(String... args) throws ConfigurationException {
    ServerCommandLine probe = new ServerCommandLine();
    withCompletion(new CommandLine(probe)).parseArgs(args);
    ServerCommandLine root = new ServerCommandLine();
    root.args = args.clone();
    CommandLine commandLine = withCompletion(new CommandLine(root));
    if (probe.options.config != null) {
      root.config = ConfigFile.read(probe.options.config);
      commandLine.setDefaultValueProvider(root.config);
    }
    return commandLine;
  }

  /**
   * @param args the arguments
   * @return the name of the subcommand they ask for, or null for none (or when they are wrong
   *     before it)
   */
  static String subcommandOf(String... args) {
    try {
      CommandLine.ParseResult parsed = withCompletion(new CommandLine(new ServerCommandLine()))
          .parseArgs(args);
      return parsed.hasSubcommand() ? parsed.subcommand().commandSpec().name() : null;
    } catch (CommandLine.ParameterException e) {
      return e.getCommandLine().getParent() == null ? null : e.getCommandLine().getCommandName();
    }
  }

  private static CommandLine withCompletion(CommandLine commandLine) {
    return commandLine.addSubcommand(COMPLETION, new AutoComplete.GenerateCompletion());
  }

  /**
   * Parses {@code args} with their configuration file, as the server does before it runs.
   *
   * @param args the arguments
   * @return the root command, its options and configuration set
   * @throws CommandLine.ParameterException if the arguments are wrong
   * @throws ConfigurationException if the configuration file is
   */
  static ServerCommandLine parse(String... args) throws ConfigurationException {
    CommandLine commandLine = commandLine(args);
    commandLine.parseArgs(args);
    return commandLine.getCommand();
  }

  /** Reads the version from the jar's build information. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties build = new Properties();
      try (InputStream in = Version.class.getResourceAsStream("jnfs-build.properties")) {
        if (in != null) {
          build.load(in);
        }
      }
      return new String[] {
        "jnfs-server " + build.getProperty("version", "(unknown version)"),
        "Java " + Runtime.version() + ", " + System.getProperty("os.name") + " "
            + System.getProperty("os.arch")
      };
    }
  }
}
