package dev.jnfs.examples;

import dev.jnfs.examples.StandaloneServer.ConfigurationException;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.ExportsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what to export from the settings: the DIR arguments, the exports file's
 * directories and the configuration file's {@code [[export]]} tables, or, when there are none
 * of these, an in-memory file system as {@code /}; and the demo tree if asked for. Opens
 * nothing: {@code check-config} shows the result and the server opens it.
 */
final class ExportPlan {
  private ExportPlan() {}

  /**
   * @param options the settings
   * @param config the configuration file, or null
   * @return the exports, in the order above
   * @throws ConfigurationException if an export is wrong: a directory missing, two exports
   *     of one path, a mistake in the exports file or in a table's clients
   */
  static List<ExportSpec> of(ServerOptions options, ConfigFile config)
      throws ConfigurationException {
    List<ExportSpec> specs = new ArrayList<>();
    ExportOptions common = options.exportOptions();
    for (Path dir : options.directories) {
      Path fileName = dir.toAbsolutePath().normalize().getFileName();
      String path = fileName == null ? "/" : "/" + fileName;
      specs.add(local(path, null, dir, List.of(common), dir.toString()));
    }
    if (options.exportsFile != null) {
      specs.addAll(exportsFile(options.exportsFile));
    }
    if (config != null) {
      for (ConfigFile.ExportTable table : config.exports()) {
        specs.add(fromTable(config.file(), table));
      }
    }
    if (specs.isEmpty()) {
      specs.add(
          new ExportSpec("/", null, ExportSpec.Backend.MEMORY, null, List.of(common), "default"));
    }
    if (options.demo) {
      specs.add(
          new ExportSpec("/demo", null, ExportSpec.Backend.DEMO, null, List.of(common), "--demo"));
    }
    checkDistinct(specs);
    return List.copyOf(specs);
  }

  private static List<ExportSpec> exportsFile(Path file) throws ConfigurationException {
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
    List<ExportSpec> specs = new ArrayList<>();
    for (ExportsFile.Entry entry : parsed.entries()) {
      String source = "exports file " + file + ", line " + entry.line();
      specs.add(local(entry.path(), null, Path.of(entry.path()), entry.options(), source));
    }
    return specs;
  }

  private static ExportSpec fromTable(Path file, ConfigFile.ExportTable table)
      throws ConfigurationException {
    String source = file + " line " + table.line();
    List<ExportOptions> options;
    try {
      options = ExportClients.optionsOf(table.clients(), table.options());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(source + ": [[export]] " + table.path() + ": "
          + e.getMessage());
    }
    if (!table.path().startsWith("/") || (table.alias() != null && !table.alias().startsWith("/"))) {
      throw new ConfigurationException(source + ": export paths and aliases start with /");
    }
    return table.backend() == ExportSpec.Backend.LOCAL
        ? local(table.path(), table.alias(), table.directory(), options, source)
        : new ExportSpec(table.path(), table.alias(), table.backend(), null, options, source);
  }

  private static ExportSpec local(
      String path, String alias, Path dir, List<ExportOptions> options, String source)
      throws ConfigurationException {
    if (!Files.isDirectory(dir)) {
      throw new ConfigurationException(source + ": " + dir + " is not a directory");
    }
    return new ExportSpec(path, alias, ExportSpec.Backend.LOCAL, dir, options, source);
  }

  private static void checkDistinct(List<ExportSpec> specs) throws ConfigurationException {
    Map<String, ExportSpec> byPath = new HashMap<>();
    for (ExportSpec spec : specs) {
      for (String path : spec.alias() == null
          ? List.of(spec.path()) : List.of(spec.path(), spec.alias())) {
        ExportSpec other = byPath.putIfAbsent(normalized(path), spec);
        if (other != null) {
          throw new ConfigurationException("two exports named " + path + " (the second from "
              + spec.source() + ")");
        }
      }
    }
  }

  private static String normalized(String path) {
    String s = path.replaceAll("/+", "/");
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
