package dev.jnfs.examples;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;

/**
 * The smallest embedding of jnfs: an in-memory file system served over NFSv3 on an ephemeral
 * port of the loopback address, until the process is stopped.
 */
public final class EmbeddedExample {
  private EmbeddedExample() {}

  /**
   * Starts the server and waits.
   *
   * @param args ignored
   * @throws Exception if the server cannot start
   */
  public static void main(String[] args) throws Exception {
    try (NfsServer server = NfsServer.builder()
        .bind("127.0.0.1")
        .port(0) // any free port
        .export("/", new InMemoryFileSystem(), ExportOptions.DEFAULT.with("insecure"))
        .build()) {
      server.start();
      System.out.println("NFS server on port " + server.port());
      Thread.currentThread().join(); // serve until the process is stopped
    }
  }
}
