package dev.jnfs.examples;

import dev.jnfs.examples.StandaloneServer.ConfigurationException;
import dev.jnfs.examples.demo.HelloFileSystem;
import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.NfsFileSystem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One export the configuration asks for, before its backend is opened: what {@code
 * check-config} shows and what a reload compares with the running exports.
 *
 * @param path the path clients mount
 * @param alias another path naming it, or null
 * @param backend where its files are kept
 * @param directory the local directory of a {@link Backend#LOCAL} export, else null
 * @param optionSets who may use it, and how: one option set per group of clients, as one
 *     exports(5) line gives them ({@link ExportOptions#select} picks a client's)
 * @param source where it was asked for (a DIR argument, a file and line), for messages
 */
record ExportSpec(
    String path, String alias, Backend backend, Path directory, List<ExportOptions> optionSets,
    String source) {

  ExportSpec {
    optionSets = List.copyOf(optionSets);
  }

  /** The kinds of backend the standalone server exports. */
  enum Backend {
    /** A local directory. */
    LOCAL,
    /** An in-memory file system, empty at start and lost at exit. */
    MEMORY,
    /** The small read-only generated tree of {@link HelloFileSystem}. */
    DEMO;

    /** @return the backend of this name (as a configuration file writes it), or null */
    static Backend named(String name) {
      for (Backend b : values()) {
        if (b.name().toLowerCase(Locale.ROOT).equals(name)) {
          return b;
        }
      }
      return null;
    }

    String describe() {
      return switch (this) {
        case LOCAL -> "local directory";
        case MEMORY -> "in memory, lost at exit";
        case DEMO -> "read-only demo tree";
      };
    }
  }

  /**
   * What identifies the backend, so that a reload keeps the one already open: the directory
   * of a local export, the path of an in-memory one (its files stay while its path does).
   */
  Object backendKey() {
    return switch (backend) {
      case LOCAL -> directory.toAbsolutePath().normalize();
      case MEMORY -> "memory:" + path;
      case DEMO -> Backend.DEMO;
    };
  }

  /**
   * Opens the backend.
   *
   * @throws ConfigurationException if the local directory cannot be exported
   */
  NfsFileSystem open() throws ConfigurationException {
    return switch (backend) {
      case LOCAL -> {
        try {
          yield LocalFileSystem.of(directory);
        } catch (IOException | RuntimeException e) {
          throw new ConfigurationException(
              source + ": cannot export " + directory + ": " + e.getMessage());
        }
      }
      case MEMORY -> new InMemoryFileSystem();
      case DEMO -> new HelloFileSystem();
    };
  }
}
