package dev.jnfs.examples;

import dev.jnfs.examples.StandaloneServer.ConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The standalone server's TOML configuration file (read with tomlj, which reports the line of
 * every key and every syntax error): sections of settings, each the default of a command-line
 * option ({@link ConfigKeys}), and {@code [[export]]} tables. Every key is known and every
 * value valid once {@link #read} returns: an unknown key, a value of the wrong type or one its
 * option refuses is an error naming the file, the line and the key. As a picocli default value
 * provider it supplies the settings to the options the command line does not give.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {
  private static final String EXPORT = "export";
  private static final Set<String> EXPORT_KEYS =
      Set.of("path", "alias", "backend", "directory", "clients", "options");

  /**
   * One {@code [[export]]} table, as written.
   *
   * @param line the line of its header
   * @param path the path clients mount
   * @param alias another path naming it, or null
   * @param backend where its files are kept
   * @param directory the local directory of a {@link ExportSpec.Backend#LOCAL} export, else null
   * @param clients the clients and their options in exports(5) syntax, e.g.
   *     {@code 10.0.0.0/8(rw) *(ro)}
   * @param options exports(5) option words for clients listed without their own, or null
   */
  record ExportTable(
      int line, String path, String alias, ExportSpec.Backend backend, Path directory,
      String clients,
      String options) {}

  private record Setting(String text, int line) {}

  private final Path file;
  private final Map<String, Setting> settingOfOption;
  private final List<ExportTable> exports;

  private ConfigFile(Path file, Map<String, Setting> settingOfOption, List<ExportTable> exports) {
    this.file = file;
    this.settingOfOption = settingOfOption;
    this.exports = List.copyOf(exports);
  }

  /**
   * Reads and checks a configuration file.
   *
   * @param file the file
   * @return its settings and exports
   * @throws ConfigurationException naming the line of the first mistake, or if it cannot be
   *     read
   */
  static ConfigFile read(Path file) throws ConfigurationException {
    TomlParseResult toml;
    try {
      toml = Toml.parse(file);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read configuration file " + file + ": " + e);
    }
    if (toml.hasErrors()) {
      TomlParseError error = toml.errors().get(0);
      throw new ConfigurationException(
          file + " line " + error.position().line() + ": " + error.getMessage());
    }
    Reader reader = new Reader(file, toml);
    reader.readAll();
    return new ConfigFile(file, reader.settings, reader.exports);
  }

  /** @return the file read */
  Path file() {
    return file;
  }

  /** @return the {@code [[export]]} tables, in file order */
  List<ExportTable> exports() {
    return exports;
  }

  /**
   * @param option an option's long name, e.g. {@code --port}
   * @return the file's value for it as the option would take it, or null if not set
   */
  String valueOf(String option) {
    Setting s = settingOfOption.get(option);
    return s == null ? null : s.text();
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    return argSpec instanceof OptionSpec option ? valueOf(option.longestName()) : null;
  }

  /** The options alone, to check one value as the command line would. */
  @Command
  private static final class OptionsOnly {
    @Mixin ServerOptions options;
  }

  /** Walks the parsed file once. */
  private static final class Reader {
    private final Path file;
    private final TomlParseResult toml;
    private final Map<String, String> keyToOption = ConfigKeys.OPTIONS;
    private final Map<String, OptionSpec> specs = new HashMap<>();
    final Map<String, Setting> settings = new HashMap<>();
    final List<ExportTable> exports = new ArrayList<>();

    Reader(Path file, TomlParseResult toml) {
      this.file = file;
      this.toml = toml;
      for (OptionSpec spec : new CommandLine(new OptionsOnly()).getCommandSpec().options()) {
        specs.put(spec.longestName(), spec);
      }
    }

    void readAll() throws ConfigurationException {
      Set<String> sections = sections();
      for (String top : toml.keySet()) {
        List<String> path = List.of(top);
        Object value = toml.get(path);
        if (top.equals(EXPORT)) {
          readExports(value);
        } else if (sections.contains(top) && value instanceof TomlTable table) {
          for (String key : table.keySet()) {
            readSetting(top + "." + key, List.of(top, key));
          }
        } else {
          throw error(toml.inputPositionOf(path), "unknown "
              + (value instanceof TomlTable ? "section [" + top + "]" : "key '" + top + "'"));
        }
      }
    }

    private Set<String> sections() {
      Set<String> sections = new HashSet<>();
      for (String key : keyToOption.keySet()) {
        sections.add(key.substring(0, key.indexOf('.')));
      }
      return sections;
    }

    private void readSetting(String key, List<String> path) throws ConfigurationException {
      TomlPosition position = toml.inputPositionOf(path);
      String option = keyToOption.get(key);
      if (option == null) {
        throw error(position, "unknown key '" + key + "'");
      }
      Object value = toml.get(path);
      OptionSpec spec = specs.get(option);
      String text = text(value);
      boolean flag = spec.type() == boolean.class;
      if (text == null || (flag && !(value instanceof Boolean))) {
        throw error(position, key + ": " + (flag ? "true or false" : "a string, number, boolean"
            + " or array of strings or numbers") + " is expected (" + option + ")");
      }
      if (!flag) {
        try {
          new CommandLine(new OptionsOnly()).parseArgs(option + "=" + text);
        } catch (CommandLine.ParameterException e) {
          throw error(position, key + ": " + e.getMessage());
        }
      }
      settings.put(option, new Setting(text, position.line()));
    }

    /** @return the value as an option's text; null for a kind no option takes */
    private static String text(Object value) {
      if (value instanceof String || value instanceof Long || value instanceof Boolean) {
        return value.toString();
      }
      if (value instanceof TomlArray array) {
        StringJoiner joined = new StringJoiner(",");
        for (int i = 0; i < array.size(); i++) {
          Object element = array.get(i);
          if (!(element instanceof String || element instanceof Long)) {
            return null;
          }
          joined.add(element.toString());
        }
        return joined.toString();
      }
      return null;
    }

    private void readExports(Object value) throws ConfigurationException {
      if (!(value instanceof TomlArray array)) {
        throw error(toml.inputPositionOf(List.of(EXPORT)),
            "'export' must be written as [[export]] tables");
      }
      for (int i = 0; i < array.size(); i++) {
        if (!(array.get(i) instanceof TomlTable table)) {
          throw error(array.inputPositionOf(i), "'export' must be written as [[export]] tables");
        }
        int line = array.inputPositionOf(i).line();
        for (String key : table.keySet()) {
          if (!EXPORT_KEYS.contains(key)) {
            throw error(table.inputPositionOf(List.of(key)), "unknown key '" + key
                + "' in [[export]] (known: path, alias, backend, directory, clients, options)");
          }
        }
        exports.add(exportOf(table, line));
      }
    }

    private ExportTable exportOf(TomlTable table, int line) throws ConfigurationException {
      String path = string(table, "path", line);
      if (path == null) {
        throw error(line, "[[export]] without a path");
      }
      String backendName = string(table, "backend", line);
      String directory = string(table, "directory", line);
      ExportSpec.Backend backend = ExportSpec.Backend.named(backendName == null ? "local" : backendName);
      if (backend == null) {
        throw error(table.inputPositionOf(List.of("backend")),
            "backend: '" + backendName + "' is not one of \"local\", \"memory\", \"demo\"");
      }
      if ((backend == ExportSpec.Backend.LOCAL) != (directory != null)) {
        throw error(line, "[[export]] " + path + ": " + (directory == null
            ? "a local export needs a directory (or backend = \"memory\")"
            : "only a local export has a directory"));
      }
      return new ExportTable(line, path, string(table, "alias", line), backend,
          directory == null ? null : Path.of(directory), string(table, "clients", line),
          string(table, "options", line));
    }

    private String string(TomlTable table, String key, int line) throws ConfigurationException {
      Object value = table.get(List.of(key));
      if (value == null || value instanceof String) {
        return (String) value;
      }
      TomlPosition position = table.inputPositionOf(List.of(key));
      throw error(position == null ? line : position.line(), key + ": a string is expected");
    }

    private ConfigurationException error(TomlPosition position, String message) {
      return error(position == null ? 0 : position.line(), message);
    }

    private ConfigurationException error(int line, String message) {
      return new ConfigurationException(file + " line " + line + ": " + message);
    }
  }
}
