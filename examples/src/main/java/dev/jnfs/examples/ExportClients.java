package dev.jnfs.examples;

import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.ExportsFile;
import java.util.List;

/**
 * Reads the {@code clients} of an {@code [[export]]} table: clients and their options as one
 * line of an exports(5) file writes them after the path ({@code 10.0.0.0/8(rw) *(ro)}), with
 * the table's {@code options} as that line's default options ({@code -rw}). The line is handed
 * to {@link ExportsFile}, so the configuration file and an exports file accept the same text.
 */
final class ExportClients {
  private ExportClients() {}

  /**
   * @param clients clients with their options, or null for every client ({@code *})
   * @param options option words for clients listed without their own, or null
   * @return the export's option sets, one per group of clients (read-only unless {@code rw} is
   *     given, as in exports(5))
   * @throws IllegalArgumentException saying what is wrong
   */
  static List<ExportOptions> optionsOf(String clients, String options) {
    String list = clients == null ? "*" : clients;
    if (list.isBlank() || list.contains("\n") || list.contains("\\") || list.contains("#")) {
      throw new IllegalArgumentException("clients: '" + list + "' is not a list of clients");
    }
    String defaults = options == null ? "" : "-" + options.strip() + " ";
    try {
      return ExportsFile.parse("/ " + defaults + list).entries().get(0).options();
    } catch (IllegalArgumentException e) {
      // the parser names line 1 of the text it was given: only the content is of use here
      throw new IllegalArgumentException(e.getMessage().replaceFirst("^line 1: ", ""), e);
    }
  }
}
