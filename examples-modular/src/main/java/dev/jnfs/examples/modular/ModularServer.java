package dev.jnfs.examples.modular;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import java.io.IOException;

/**
 * Serves an in-memory file system on an ephemeral loopback port until its standard input
 * ends. Once listening it prints one line: {@code ready port=N module=M}, where {@code M} is
 * the name of the module {@code NfsServer} was loaded from ({@code unnamed} on the class path).
 */
public final class ModularServer {
  private ModularServer() {}

  /**
   * Starts the server, prints the ready line, and stops the server when standard input ends.
   *
   * @param args ignored
   * @throws IOException if the server cannot start or standard input fails
   */
  public static void main(String[] args) throws IOException {
    try (NfsServer server = NfsServer.builder()
        .bind("127.0.0.1")
        .port(0)
        .export("/", new InMemoryFileSystem(), ExportOptions.DEFAULT.with("insecure"))
        .build()) {
      server.start();
      Module module = NfsServer.class.getModule();
      System.out.println("ready port=" + server.port() + " module="
          + (module.isNamed() ? module.getName() : "unnamed"));
      System.out.flush();
      while (System.in.read() >= 0) {
        // serve until the parent closes our standard input
      }
    }
  }
}
