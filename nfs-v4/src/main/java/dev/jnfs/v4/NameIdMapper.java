package dev.jnfs.v4;

import dev.jnfs.protocol.ServerContext.OwnerNames;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owner and group names {@code name@domain} from the host's user and group tables (RFC 7530
 * §5.9, RFC 8881 §5.9), falling back to decimal strings for ids without a name.
 *
 * <ul>
 *   <li>Answering: the id's name in the domain, else the id as a decimal string (as knfsd
 *       answers ids its id mapper cannot name; the client shows the number).
 *   <li>Accepting: a decimal string is the id, whatever the security flavor (§5.9 lets a server
 *       accept them; clients with id mapping off send nothing else). {@code name@domain} in
 *       this server's domain (compared without regard to case, as DNS names are) is the
 *       name's id; a name of another domain, an unknown name, or a bare name (§5.9: a string
 *       without "@" had no translation at its sender and is not to be translated) is
 *       BADOWNER, as knfsd answers what its id mapper cannot map. {@code 1000@domain}, the
 *       numeric form with a domain, is read as the number when no user has that name.
 * </ul>
 *
 * <p>Cost: the tables are an immutable snapshot behind one volatile read, with the owner
 * strings made when the tables are read, so answering is a map lookup. Whether the files
 * changed is checked at most every {@link #CHECK_PERIOD}, on a thread of its own (a call
 * may run on the network thread, which must not touch the disk); a change is read there and
 * swapped in. Thread-safe.
 */
final class NameIdMapper implements IdMapper {
  private static final Logger log = LoggerFactory.getLogger(NameIdMapper.class);
  static final Duration CHECK_PERIOD = Duration.ofSeconds(5);
  static final String DEFAULT_DOMAIN = "localdomain";

  private final String domain;
  private final Path passwd;
  private final Path group;
  private final long checkPeriodNanos;
  private final AtomicBoolean checking = new AtomicBoolean();
  private volatile IdTables tables;
  private volatile long nextCheck;
  /** What the files were when last read; touched by the checking thread only. */
  private List<Object> stamps;

  /**
   * Reads the tables now.
   *
   * @param names the tables and the domain (null: the host's)
   */
  NameIdMapper(OwnerNames names) {
    this(names, CHECK_PERIOD);
  }

  NameIdMapper(OwnerNames names, Duration checkPeriod) {
    this.domain =
        (names.domain() != null ? names.domain() : hostDomain()).toLowerCase(Locale.ROOT);
    this.passwd = names.passwd();
    this.group = names.group();
    this.checkPeriodNanos = checkPeriod.toNanos();
    this.stamps = stamps();
    this.tables = read();
    this.nextCheck = System.nanoTime() + checkPeriodNanos;
    log.info("NFSv4 owner names in domain {} from {} and {}", domain, passwd, group);
  }

  /**
   * The host's DNS domain: its canonical name less the first label; {@value #DEFAULT_DOMAIN}
   * when it has none, as nfsidmap chooses.
   */
  static String hostDomain() {
    try {
      String fqdn = InetAddress.getLocalHost().getCanonicalHostName();
      int dot = fqdn.indexOf('.');
      boolean literal = fqdn.chars().allMatch(c -> c == '.' || c == ':' || Character.isDigit(c));
      if (dot > 0 && dot < fqdn.length() - 1 && !literal) {
        return fqdn.substring(dot + 1);
      }
    } catch (IOException e) {
      log.debug("no host name to take the NFSv4 domain from", e);
    }
    return DEFAULT_DOMAIN;
  }

  /** @return the domain owner names are in */
  String domain() {
    return domain;
  }

  @Override
  public Object names() {
    return tables;
  }

  private IdTables read() {
    try {
      return IdTables.read(passwd, group, domain);
    } catch (IOException | RuntimeException e) {
      log.warn("cannot read the users and groups from {} and {}", passwd, group, e);
      return tables != null ? tables : IdTables.EMPTY;
    }
  }

  private List<Object> stamps() {
    return List.of(stamp(passwd), stamp(group));
  }

  private static Object stamp(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return List.of(
          a.lastModifiedTime(), a.size(), Objects.requireNonNullElse(a.fileKey(), "no key"));
    } catch (IOException e) {
      return "absent";
    }
  }

  /** The tables, after starting a check of the files when one is due. */
  private IdTables tables() {
    if (System.nanoTime() - nextCheck >= 0 && checking.compareAndSet(false, true)) {
      Thread.ofVirtual().name("jnfs-idmap-check").start(this::check);
    }
    return tables;
  }

  /** Reads the tables again if either file changed. Runs on a thread of its own. */
  void check() {
    try {
      List<Object> now = stamps();
      if (!now.equals(stamps)) {
        stamps = now;
        tables = read();
        log.debug("users and groups read again from {} and {}", passwd, group);
      }
    } finally {
      nextCheck = System.nanoTime() + checkPeriodNanos;
      checking.set(false);
    }
  }

  @Override
  public String ownerOf(int uid) {
    String name = tables().owners().get(uid);
    return name != null ? name : Integer.toUnsignedString(uid);
  }

  @Override
  public String groupOf(int gid) {
    String name = tables().groups().get(gid);
    return name != null ? name : Integer.toUnsignedString(gid);
  }

  @Override
  public int uidOf(String owner) throws Nfs4Exception {
    Integer id = idOf(owner, tables().uids());
    return id != null ? id : IdMapper.NUMERIC.uidOf(owner);
  }

  @Override
  public int gidOf(String group) throws Nfs4Exception {
    Integer id = idOf(group, tables().gids());
    return id != null ? id : IdMapper.NUMERIC.gidOf(group);
  }

  /**
   * @return the id a name in this domain has, or null when the string is to be read as a
   *     number (the numeric parser then answers BADOWNER for anything else)
   * @throws Nfs4Exception BADOWNER for a name of another domain or unknown here
   */
  private Integer idOf(String owner, Map<String, Integer> ids) throws Nfs4Exception {
    int at = owner.lastIndexOf('@');
    String name = at < 0 ? owner : owner.substring(0, at);
    if (at >= 0 && owner.substring(at + 1).equalsIgnoreCase(domain)) {
      Integer id = ids.get(name);
      if (id != null) {
        return id;
      }
    }
    if (isDecimal(name)) {
      return null;
    }
    throw new Nfs4Exception(Nfs4Status.BADOWNER, "no id for '" + owner + "' in " + domain);
  }

  private static boolean isDecimal(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
