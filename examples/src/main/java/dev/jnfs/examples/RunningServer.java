package dev.jnfs.examples;

import dev.jnfs.examples.StandaloneServer.ConfigurationException;
import dev.jnfs.protocol.Export;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.NfsFileSystem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server while it runs: the {@code NfsServer}, the backends it serves (opened
 * here, closed here once nothing serves them) and the reload of its exports. A reload reads
 * the exports again ({@link ExportSource}), keeps the backend of every export whose directory
 * (or, in memory, whose path) is unchanged, opens the new ones, serves the new set on the
 * running server (connections stay) and closes the backends no export uses any more; when the
 * configuration is wrong it logs why and keeps serving what it served. Thread-safe.
 */
final class RunningServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunningServer.class);

  /** Where the exports come from: the configuration, read again at each reload. */
  @FunctionalInterface
  interface ExportSource {
    /**
     * @return the exports the configuration asks for now
     * @throws ConfigurationException if it is wrong
     */
    List<ExportSpec> read() throws ConfigurationException;
  }

  private final ServerAssembly assembly;
  private final ExportSource source;
  private final Map<Object, NfsFileSystem> backends = new LinkedHashMap<>();
  private List<ExportSpec> specs = List.of();
  private List<Export> exports = List.of();
  private NfsServer server;

  RunningServer(ServerAssembly assembly, ExportSource source) {
    this.assembly = assembly;
    this.source = source;
  }

  /**
   * Opens the exports and starts serving them.
   *
   * @param initial the exports to serve
   * @throws ConfigurationException if a backend cannot be opened or the library refuses the
   *     settings; call {@link #close}
   * @throws RuntimeException if the server cannot start (a port in use); call {@link #close}
   */
  synchronized void start(List<ExportSpec> initial) throws ConfigurationException {
    exports = open(initial);
    specs = initial;
    try {
      server = assembly.build(exports);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage());
    }
    server.start();
  }

  /** @return the server */
  synchronized NfsServer server() {
    return server;
  }

  /** @return the exports served, as configured */
  synchronized List<ExportSpec> specs() {
    return specs;
  }

  /**
   * Reads the exports again and serves them, and reloads the TLS certificate if its files
   * changed. Logs the outcome.
   *
   * @return whether the new exports are served; false when the configuration is wrong (the
   *     old ones still are)
   */
  synchronized boolean reload() {
    reloadCertificate();
    List<ExportSpec> next;
    List<Export> nextExports;
    try {
      next = source.read();
      nextExports = open(next);
    } catch (ConfigurationException | RuntimeException e) {
      closeUnused();
      log.warn("reload refused, the exports stay as they were: {}", e.getMessage());
      return false;
    }
    try {
      serve(nextExports);
    } catch (RuntimeException e) {
      closeUnused();
      log.warn("reload failed, the exports stay as they were: {}", e.toString());
      return false;
    }
    exports = nextExports;
    specs = next;
    closeUnused();
    log.info("exports reloaded: {}", next.stream().map(ExportSpec::path).toList());
    return true;
  }

  /** Reads the TLS certificate and key again if their files changed. */
  synchronized void reloadCertificate() {
    try {
      if (assembly.tls() != null && assembly.tls().reloadIfChanged()) {
        log.info("TLS certificate reloaded");
      }
    } catch (IllegalArgumentException e) {
      log.warn("TLS files changed but are unusable, keeping the old ones: {}", e.getMessage());
    }
  }

  /**
   * Makes the server serve {@code next} in place of its current exports, without dropping a
   * connection: exports whose path stays keep their handles, removed ones answer STALE.
   *
   * @throws IllegalArgumentException if two of the new exports collide (nothing changes)
   */
  private void serve(List<Export> next) {
    server.replaceExports(next);
  }

  private List<Export> open(List<ExportSpec> wanted) throws ConfigurationException {
    List<Export> opened = new ArrayList<>();
    for (ExportSpec spec : wanted) {
      NfsFileSystem fs = backends.get(spec.backendKey());
      if (fs == null) {
        fs = spec.open();
        backends.put(spec.backendKey(), fs);
      }
      opened.add(new Export(spec.path(), spec.alias(), fs, spec.optionSets()));
    }
    return opened;
  }

  /** Closes the backends that no served export uses. */
  private void closeUnused() {
    Set<NfsFileSystem> used = Collections.newSetFromMap(new IdentityHashMap<>());
    exports.forEach(e -> used.add(e.fileSystem()));
    for (Object key : new HashSet<>(backends.keySet())) {
      NfsFileSystem fs = backends.get(key);
      if (!used.contains(fs)) {
        backends.remove(key);
        closeQuietly(fs);
      }
    }
  }

  private static void closeQuietly(NfsFileSystem fs) {
    if (fs instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.warn("closing {} failed", fs, e);
      }
    }
  }

  /** Stops the server and closes every backend. */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.close();
    }
    exports = List.of();
    closeUnused();
  }
}
