package dev.jnfs.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The default {@link PrincipalMapper}: a user principal {@code name@REALM} maps to the local
 * user {@code name} and its ids from a table; a machine principal ({@code host/...}, {@code
 * nfs/...} or {@code root/...}, which the Linux client uses for root's calls and for NFSv4
 * lease operations) maps to the machine identity (uid 0, gid 0 by default, so the export's
 * root squashing decides what it may do); anything else, including a principal of a realm
 * other than the one configured, maps to the anonymous identity 65534/65534. Immutable.
 *
 * <p>The table file has one user per line, either {@code name uid gid [gid,gid,...]} or in
 * {@code /etc/passwd} syntax ({@code name:x:uid:gid:...}, no supplementary groups). Blank
 * lines and lines starting with {@code #} are ignored.
 */
public final class LocalPrincipalMapper implements PrincipalMapper {
  private static final List<String> MACHINE_SERVICES = List.of("host", "nfs", "root");

  private final Map<String, Identity> users;
  private final Identity machine;
  private final Identity anonymous;
  private final String realm;

  /**
   * @param users local user name → identity
   * @param machine the identity of machine principals
   * @param anonymous the identity of principals without an entry
   * @param realm the only realm whose principals are mapped, or null for any
   */
  public LocalPrincipalMapper(
      Map<String, Identity> users, Identity machine, Identity anonymous, String realm) {
    this.users = Map.copyOf(users);
    this.machine = Objects.requireNonNull(machine);
    this.anonymous = Objects.requireNonNull(anonymous);
    this.realm = realm;
  }

  /**
   * @param users local user name → identity
   * @return a mapper of any realm, machine principals as 0/0, others anonymous
   */
  public static LocalPrincipalMapper of(Map<String, Identity> users) {
    return new LocalPrincipalMapper(
        users, new Identity(0, 0, new int[0]), Identity.ANONYMOUS, null);
  }

  /**
   * Reads a table file (see the class documentation).
   *
   * @param file the table
   * @return a mapper of any realm, machine principals as 0/0, others anonymous
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if a line is malformed (its number is in the message)
   */
  public static LocalPrincipalMapper fromFile(Path file) throws IOException {
    return of(parse(Files.readAllLines(file, StandardCharsets.UTF_8)));
  }

  /**
   * @param lines the lines of a table file
   * @return local user name → identity
   * @throws IllegalArgumentException if a line is malformed
   */
  static Map<String, Identity> parse(List<String> lines) {
    Map<String, Identity> users = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        if (line.contains(":")) {
          String[] f = line.split(":", -1);
          if (f.length < 4) {
            throw new IllegalArgumentException("passwd line needs name:x:uid:gid");
          }
          users.put(f[0], new Identity(id(f[2]), id(f[3]), new int[0]));
        } else {
          String[] f = line.split("\\s+");
          if (f.length < 3 || f.length > 4) {
            throw new IllegalArgumentException("expected: name uid gid [gid,gid,...]");
          }
          int[] gids =
              f.length == 4
                  ? java.util.Arrays.stream(f[3].split(",")).mapToInt(LocalPrincipalMapper::id)
                      .toArray()
                  : new int[0];
          users.put(f[0], new Identity(id(f[1]), id(f[2]), gids));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return users;
  }

  private static int id(String s) {
    long v = Long.parseLong(s.strip());
    if (v < 0 || v > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("id out of range: " + s);
    }
    return (int) v;
  }

  /**
   * @param realm the only realm whose principals are mapped, or null for any
   * @return a mapper like this one, limited to that realm
   */
  public LocalPrincipalMapper withRealm(String realm) {
    return new LocalPrincipalMapper(users, machine, anonymous, realm);
  }

  /**
   * @param machine the identity of {@code host/}, {@code nfs/} and {@code root/} principals
   * @return a mapper like this one with that machine identity
   */
  public LocalPrincipalMapper withMachineIdentity(Identity machine) {
    return new LocalPrincipalMapper(users, machine, anonymous, realm);
  }

  @Override
  public Identity map(String principal) {
    int at = principal.lastIndexOf('@');
    String name = at < 0 ? principal : principal.substring(0, at);
    String principalRealm = at < 0 ? null : principal.substring(at + 1);
    if (realm != null && !realm.equals(principalRealm)) {
      return anonymous;
    }
    int slash = name.indexOf('/');
    if (slash >= 0) {
      return MACHINE_SERVICES.contains(name.substring(0, slash)) ? machine : anonymous;
    }
    Identity id = users.get(name);
    return id != null ? id : anonymous;
  }

  @Override
  public String toString() {
    return "LocalPrincipalMapper[" + users.size() + " users"
        + (realm == null ? "" : ", realm " + realm) + "]";
  }
}
