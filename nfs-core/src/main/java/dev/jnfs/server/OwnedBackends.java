package dev.jnfs.server;

import dev.jnfs.protocol.Export;
import dev.jnfs.spi.NfsFileSystem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends a server was told it owns ({@link NfsServer.Builder#ownBackend}), closed by
 * {@link NfsServer#close()} once the server has stopped. Each is closed once, even when it is
 * exported under several paths, and only if it is {@link AutoCloseable}; a backend whose close
 * fails is logged at warn and the others are still closed.
 */
final class OwnedBackends {
  private static final Logger log = LoggerFactory.getLogger(OwnedBackends.class);

  private final List<NfsFileSystem> backends;

  /**
   * @param backends the owned backends, in the order given; repeats are closed once
   * @param exports the server's exports
   * @throws IllegalArgumentException if an owned backend is not the backend of any export
   */
  OwnedBackends(List<NfsFileSystem> backends, List<Export> exports) {
    Set<NfsFileSystem> exported = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Export e : exports) {
      exported.add(e.fileSystem());
    }
    Set<NfsFileSystem> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<NfsFileSystem> distinct = new ArrayList<>();
    for (NfsFileSystem b : backends) {
      if (!exported.contains(b)) {
        throw new IllegalArgumentException("owned backend " + b + " is not exported");
      }
      if (seen.add(b)) {
        distinct.add(b);
      }
    }
    this.backends = List.copyOf(distinct);
  }

  /** Closes every owned backend that is {@link AutoCloseable}, in the order they were given. */
  void closeAll() {
    for (NfsFileSystem b : backends) {
      if (b instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          log.warn("closing backend {} failed", b, e);
        }
      }
    }
  }
}
