package dev.jnfs.server;

import dev.jnfs.rpc.TransportSecurity;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How an export may be used: by whom, read-only or not, with which identity mapping.
 * {@link #DEFAULT} is read-write (an embedded server usually exports what it means to share);
 * every other default follows exports(5): {@code root_squash}, {@code secure}, anonymous id
 * 65534. Immutable.
 *
 * @param readOnly whether modifying calls answer ROFS
 * @param clients the client ranges admitted; empty admits nobody
 * @param squash which callers become the anonymous identity
 * @param anonUid the anonymous user id
 * @param anonGid the anonymous group id
 * @param secure whether calls must come from a source port below 1024
 * @param xprtsec the transport protections a call may arrive with (RFC 9289); a connection
 *     with a verified client certificate also satisfies {@code tls}
 * @param sec the security flavors a call may use, most preferred first (exports(5)
 *     {@code sec=}); MOUNT and NFSv4 SECINFO list them in this order
 */
public record ExportOptions(
    boolean readOnly,
    List<ClientRange> clients,
    Squash squash,
    int anonUid,
    int anonGid,
    boolean secure,
    Set<TransportSecurity.Level> xprtsec,
    List<SecurityFlavor> sec) {

  /** The nobody id used for squashed callers unless configured otherwise. */
  public static final int NOBODY = 65534;

  /** Every transport protection: {@code xprtsec=none:tls:mtls}. */
  public static final Set<TransportSecurity.Level> ANY_XPRTSEC =
      Set.copyOf(EnumSet.allOf(TransportSecurity.Level.class));

  /** The security flavors of an export without {@code sec=}: AUTH_SYS (exports(5)). */
  public static final List<SecurityFlavor> DEFAULT_SEC = List.of(SecurityFlavor.SYS);

  /**
   * Read-write for every client, root squashed, secure ports required, TLS optional, AUTH_SYS.
   */
  public static final ExportOptions DEFAULT =
      new ExportOptions(false, List.of(ClientRange.ANY), Squash.ROOT, NOBODY, NOBODY, true);

  /**
   * Copies the client list, the protections and the flavors; checks that at least one
   * protection and one flavor is allowed and that no flavor is listed twice.
   */
  public ExportOptions {
    clients = List.copyOf(clients);
    xprtsec = Set.copyOf(xprtsec);
    sec = List.copyOf(sec);
    if (xprtsec.isEmpty()) {
      throw new IllegalArgumentException("xprtsec allows no transport");
    }
    if (sec.isEmpty()) {
      throw new IllegalArgumentException("sec allows no security flavor");
    }
    if (Set.copyOf(sec).size() != sec.size()) {
      throw new IllegalArgumentException("sec lists a flavor twice: " + sec);
    }
  }

  /**
   * Options that allow AUTH_SYS only.
   *
   * @param readOnly whether modifying calls answer ROFS
   * @param clients the client ranges admitted; empty admits nobody
   * @param squash which callers become the anonymous identity
   * @param anonUid the anonymous user id
   * @param anonGid the anonymous group id
   * @param secure whether calls must come from a source port below 1024
   * @param xprtsec the transport protections a call may arrive with
   */
  public ExportOptions(
      boolean readOnly,
      List<ClientRange> clients,
      Squash squash,
      int anonUid,
      int anonGid,
      boolean secure,
      Set<TransportSecurity.Level> xprtsec) {
    this(readOnly, clients, squash, anonUid, anonGid, secure, xprtsec, DEFAULT_SEC);
  }

  /**
   * Options that allow any transport protection and AUTH_SYS.
   *
   * @param readOnly whether modifying calls answer ROFS
   * @param clients the client ranges admitted; empty admits nobody
   * @param squash which callers become the anonymous identity
   * @param anonUid the anonymous user id
   * @param anonGid the anonymous group id
   * @param secure whether calls must come from a source port below 1024
   */
  public ExportOptions(
      boolean readOnly,
      List<ClientRange> clients,
      Squash squash,
      int anonUid,
      int anonGid,
      boolean secure) {
    this(readOnly, clients, squash, anonUid, anonGid, secure, ANY_XPRTSEC);
  }

  /**
   * @param security how a call's connection is protected
   * @return whether this export may be used over it: its level is listed, or it is mutual TLS
   *     and plain {@code tls} is listed
   */
  public boolean allows(TransportSecurity security) {
    TransportSecurity.Level level = security.level();
    return xprtsec.contains(level)
        || (level == TransportSecurity.Level.MTLS
            && xprtsec.contains(TransportSecurity.Level.TLS));
  }

  /**
   * @param flavor the flavor a call was made with
   * @return whether this export may be used with it
   */
  public boolean allows(SecurityFlavor flavor) {
    return sec.contains(flavor);
  }

  /**
   * Applies exports(5) option words to these options: {@code rw}, {@code ro},
   * {@code root_squash}, {@code no_root_squash}, {@code all_squash}, {@code no_all_squash},
   * {@code anonuid=N}, {@code anongid=N}, {@code secure}, {@code insecure},
   * {@code xprtsec=MODE[:MODE...]} with modes {@code none}, {@code tls}, {@code mtls},
   * {@code sec=FLAVOR[:FLAVOR...]} with flavors {@code sys}, {@code krb5}, {@code krb5i},
   * {@code krb5p} in order of preference (a later {@code sec=} replaces an earlier one: the
   * per-flavor option sections of the Linux server are not supported); words that only
   * matter to the Linux kernel server ({@code sync}, {@code async}, {@code no_subtree_check},
   * {@code subtree_check}, {@code wdelay}, {@code no_wdelay}, {@code hide}, {@code nohide},
   * {@code crossmnt}) are accepted and ignored.
   *
   * @param words comma-separated option words
   * @return the new options
   * @throws IllegalArgumentException naming the first unknown or malformed word
   */
  public ExportOptions with(String words) {
    ExportOptions o = this;
    for (String raw : words.split(",")) {
      String w = raw.trim();
      if (w.isEmpty()) {
        continue;
      }
      o = o.withWord(w);
    }
    return o;
  }

  private ExportOptions withWord(String w) {
    return switch (w) {
      case "rw" -> new ExportOptions(false, clients, squash, anonUid, anonGid, secure, xprtsec, sec);
      case "ro" -> new ExportOptions(true, clients, squash, anonUid, anonGid, secure, xprtsec, sec);
      case "root_squash", "no_all_squash" ->
          new ExportOptions(readOnly, clients, Squash.ROOT, anonUid, anonGid, secure, xprtsec, sec);
      case "no_root_squash" -> new ExportOptions(readOnly, clients, Squash.NONE, anonUid, anonGid, secure, xprtsec, sec);
      case "all_squash" -> new ExportOptions(readOnly, clients, Squash.ALL, anonUid, anonGid, secure, xprtsec, sec);
      case "secure" -> new ExportOptions(readOnly, clients, squash, anonUid, anonGid, true, xprtsec, sec);
      case "insecure" -> new ExportOptions(readOnly, clients, squash, anonUid, anonGid, false, xprtsec, sec);
      case "sync", "async", "no_subtree_check", "subtree_check", "wdelay", "no_wdelay", "hide",
          "nohide", "crossmnt" -> this;
      default -> {
        if (w.startsWith("anonuid=")) {
          yield new ExportOptions(readOnly, clients, squash, number(w), anonGid, secure, xprtsec, sec);
        }
        if (w.startsWith("xprtsec=")) {
          yield new ExportOptions(
              readOnly, clients, squash, anonUid, anonGid, secure, xprtsec(w), sec);
        }
        if (w.startsWith("sec=")) {
          yield new ExportOptions(
              readOnly, clients, squash, anonUid, anonGid, secure, xprtsec, sec(w));
        }
        if (w.startsWith("anongid=")) {
          yield new ExportOptions(readOnly, clients, squash, anonUid, number(w), secure, xprtsec, sec);
        }
        throw new IllegalArgumentException("unknown export option '" + w + "'");
      }
    };
  }

  /** Parses {@code xprtsec=none:tls:mtls} (exports(5)): a colon-separated list of modes. */
  private static Set<TransportSecurity.Level> xprtsec(String word) {
    EnumSet<TransportSecurity.Level> levels = EnumSet.noneOf(TransportSecurity.Level.class);
    for (String mode : word.substring("xprtsec=".length()).split(":", -1)) {
      switch (mode) {
        case "none" -> levels.add(TransportSecurity.Level.NONE);
        case "tls" -> levels.add(TransportSecurity.Level.TLS);
        case "mtls" -> levels.add(TransportSecurity.Level.MTLS);
        default ->
            throw new IllegalArgumentException(
                "unknown mode '" + mode + "' in export option '" + word + "'");
      }
    }
    return levels;
  }

  /**
   * Parses {@code sec=krb5p:sys} (exports(5)): a colon-separated list of flavors, most
   * preferred first.
   */
  private static List<SecurityFlavor> sec(String word) {
    List<SecurityFlavor> flavors = new ArrayList<>();
    for (String name : word.substring("sec=".length()).split(":", -1)) {
      SecurityFlavor flavor;
      try {
        flavor = SecurityFlavor.ofOptionName(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown security flavor '" + name + "' in export option '" + word
                + "' (known: sys, krb5, krb5i, krb5p)");
      }
      if (flavors.contains(flavor)) {
        throw new IllegalArgumentException(
            "security flavor '" + name + "' listed twice in export option '" + word + "'");
      }
      flavors.add(flavor);
    }
    return flavors;
  }

  private static int number(String word) {
    try {
      return Integer.parseInt(word.substring(word.indexOf('=') + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in export option '" + word + "'");
    }
  }

  /**
   * @param flavors the security flavors to allow, most preferred first
   * @return these options allowing only those flavors ({@code sec=})
   * @throws IllegalArgumentException when none or one twice is given
   */
  public ExportOptions withSec(SecurityFlavor... flavors) {
    return new ExportOptions(
        readOnly, clients, squash, anonUid, anonGid, secure, xprtsec, List.of(flavors));
  }

  /**
   * @param ranges the client ranges to admit
   * @return these options admitting only those ranges
   */
  public ExportOptions withClients(List<ClientRange> ranges) {
    return new ExportOptions(readOnly, ranges, squash, anonUid, anonGid, secure, xprtsec, sec);
  }
}
