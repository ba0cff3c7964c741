package dev.jnfs.examples;

import dev.jnfs.examples.StandaloneServer.ConfigurationException;
import dev.jnfs.server.ExportOptions;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParentCommand;

/**
 * {@code check-config}: checks the settings (the command line and its configuration file),
 * the TLS and Kerberos files and the exports as the server would before serving, prints what
 * it would serve, and exits 0 when all is well, 1 otherwise. Binds nothing, opens no backend.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true, sortOptions = false,
    usageHelpWidth = 100,
    description = "Check the configuration and exports, print a summary and exit: 0 when"
        + " valid, 1 otherwise. Serves nothing.")
final class CheckConfigCommand implements Callable<Integer> {
  static final int EXIT_INVALID = 1;
  private static final Set<String> NOT_SETTINGS = Set.of("--help", "--version", "--config");

  @ParentCommand ServerCommandLine root;

  @Override
  public Integer call() {
    PrintWriter out = root.spec.commandLine().getOut();
    PrintWriter err = root.spec.commandLine().getErr();
    List<ExportSpec> exports;
    try {
      ServerAssembly assembly = ServerAssembly.of(root.options, new AccessLog(), null);
      exports = ExportPlan.of(root.options, root.config);
      // the library's own checks of the settings (sizes, addresses), with nothing to serve
      assembly.build(List.of());
    } catch (ConfigurationException | IllegalArgumentException e) {
      err.println("jnfs-server: " + e.getMessage());
      err.flush();
      return EXIT_INVALID;
    }
    print(out, exports);
    return 0;
  }

  private void print(PrintWriter out, List<ExportSpec> exports) {
    out.println(root.config == null
        ? "configuration: command line only"
        : "configuration: " + root.config.file() + " and the command line");
    out.println("settings (the others keep their defaults):");
    for (OptionSpec option : root.spec.options()) {
      Object value = option.getValue();
      if (!NOT_SETTINGS.contains(option.longestName()) && value != null
          && !Boolean.FALSE.equals(value)) {
        out.println("  " + option.longestName() + " " + text(value));
      }
    }
    out.println("exports:");
    for (ExportSpec e : exports) {
      out.println("  " + e.path() + (e.alias() == null ? "" : " (alias " + e.alias() + ")")
          + ": " + e.backend().describe()
          + (e.directory() == null ? "" : " " + e.directory())
          + "  [" + e.source() + "]");
      for (ExportOptions o : e.optionSets()) {
        out.println("    clients " + o.clients() + ": " + (o.readOnly() ? "ro" : "rw") + ", "
            + o.squash().name().toLowerCase(Locale.ROOT) + " squash, "
            + (o.secure() ? "secure" : "insecure"));
      }
    }
    out.println("valid");
    out.flush();
  }

  private static String text(Object value) {
    return value instanceof List<?> list
        ? String.join(",", list.stream().map(String::valueOf).toList())
        : String.valueOf(value);
  }
}
