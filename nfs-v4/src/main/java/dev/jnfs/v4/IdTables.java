package dev.jnfs.v4;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The users and groups of {@code passwd(5)} and {@code group(5)} files, both ways, with the
 * owner strings ({@code name@domain}) made once. When a name or an id appears twice, the first
 * line counts, as for {@code getpwnam(3)} and {@code getpwuid(3)}. Lines that are comments,
 * malformed, or NIS markers ({@code +}, {@code -}) are skipped. Immutable.
 */
record IdTables(
    Map<Integer, String> owners,
    Map<String, Integer> uids,
    Map<Integer, String> groups,
    Map<String, Integer> gids) {

  static final IdTables EMPTY = new IdTables(Map.of(), Map.of(), Map.of(), Map.of());

  /**
   * @param passwd the users ({@code name:password:uid:...})
   * @param group the groups ({@code name:password:gid:...})
   * @param domain the domain the owner strings name
   * @return the tables; a file that cannot be read adds nothing
   * @throws IOException if a file exists but cannot be read
   */
  static IdTables read(Path passwd, Path group, String domain) throws IOException {
    Map<Integer, String> owners = new HashMap<>();
    Map<String, Integer> uids = new HashMap<>();
    Map<Integer, String> groups = new HashMap<>();
    Map<String, Integer> gids = new HashMap<>();
    parse(passwd, domain, owners, uids);
    parse(group, domain, groups, gids);
    return new IdTables(Map.copyOf(owners), Map.copyOf(uids), Map.copyOf(groups), Map.copyOf(gids));
  }

  private static void parse(
      Path file, String domain, Map<Integer, String> names, Map<String, Integer> ids)
      throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] fields = line.split(":", -1);
      if (fields.length < 3
          || fields[0].isEmpty()
          || fields[0].startsWith("#")
          || fields[0].startsWith("+")
          || fields[0].startsWith("-")) {
        continue;
      }
      long id;
      try {
        id = Long.parseLong(fields[2].trim());
      } catch (NumberFormatException e) {
        continue;
      }
      if (id < 0 || id > 0xFFFF_FFFFL) {
        continue;
      }
      String name = fields[0];
      names.putIfAbsent((int) id, name + "@" + domain);
      ids.putIfAbsent(name, (int) id);
    }
  }
}
