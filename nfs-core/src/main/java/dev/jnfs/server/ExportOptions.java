package dev.jnfs.server;

import dev.jnfs.rpc.TransportSecurity;
import dev.jnfs.spi.Stability;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How an export may be used: by whom, read-only or not, with which identity mapping.
 * {@link #DEFAULT} is read-write (an embedded server usually exports what it means to share);
 * every other default follows exports(5): {@code root_squash}, {@code secure}, anonymous id
 * 65534. Immutable.
 *
 * <p>One option set applies to the clients of its {@link #clients()}; an export may carry
 * several, one per group of clients, as an exports(5) line such as {@code /srv
 * 10.0.0.0/8(rw,no_root_squash) *(ro)} does. {@link #parseClients(String)} reads such a line's
 * client part, and {@link #select(List, InetAddress)} picks the set that applies to a client.
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
 * @param writeSync when WRITE data reach stable storage ({@code sync}, {@code async}, or as the
 *     client asks when neither is given)
 */
public record ExportOptions(
    boolean readOnly,
    List<ClientRange> clients,
    Squash squash,
    int anonUid,
    int anonGid,
    boolean secure,
    Set<TransportSecurity.Level> xprtsec,
    List<SecurityFlavor> sec,
    WriteSync writeSync) {

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
    Objects.requireNonNull(writeSync, "writeSync");
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
   * Options that leave WRITE stability to the client ({@link WriteSync#AS_ASKED}).
   *
   * @param readOnly whether modifying calls answer ROFS
   * @param clients the client ranges admitted; empty admits nobody
   * @param squash which callers become the anonymous identity
   * @param anonUid the anonymous user id
   * @param anonGid the anonymous group id
   * @param secure whether calls must come from a source port below 1024
   * @param xprtsec the transport protections a call may arrive with
   * @param sec the security flavors a call may use, most preferred first
   */
  public ExportOptions(
      boolean readOnly,
      List<ClientRange> clients,
      Squash squash,
      int anonUid,
      int anonGid,
      boolean secure,
      Set<TransportSecurity.Level> xprtsec,
      List<SecurityFlavor> sec) {
    this(readOnly, clients, squash, anonUid, anonGid, secure, xprtsec, sec, WriteSync.AS_ASKED);
  }

  /**
   * When the data of a WRITE reach stable storage, as the words {@code sync} and {@code async}
   * of exports(5) say. The backend sees the stability this asks for, and the client is told
   * what it answers, except under {@link #ASYNC}.
   */
  public enum WriteSync {
    /**
     * Neither word given: every WRITE is passed on with the stability the client asked for,
     * and COMMIT makes unstable data durable. For UNSTABLE writes this is what the Linux
     * server does under its default {@code sync}: the client COMMITs before it relies on them.
     */
    AS_ASKED,
    /**
     * {@code sync}: every WRITE, UNSTABLE ones included, is written FILE_SYNC and answered
     * FILE_SYNC, so its data are on stable storage when the reply leaves; COMMIT still
     * works. Slower for clients that write UNSTABLE and COMMIT later.
     */
    SYNC,
    /**
     * {@code async}: every WRITE is written UNSTABLE yet answered with the stability the
     * client asked for, and COMMIT answers at once without asking the backend. <b>Risk:</b>
     * data the client was told are on stable storage can be lost if the server or its host
     * crashes, and the client cannot tell (the write verifier only changes when the server
     * restarts); use it only for data that can be recreated. Operations other than WRITE and
     * COMMIT are unchanged: the backend decides when their changes are durable.
     */
    ASYNC;

    /**
     * @param asked the stability the client asked for
     * @return the stability to ask the backend for
     */
    public Stability toBackend(Stability asked) {
      return switch (this) {
        case AS_ASKED -> asked;
        case SYNC -> Stability.FILE_SYNC;
        case ASYNC -> Stability.UNSTABLE;
      };
    }

    /**
     * @param asked the stability the client asked for
     * @param reached the stability the backend answered
     * @return the stability to answer the client: what the backend reached, or under {@link
     *     #ASYNC} at least what the client asked for
     */
    public Stability toClient(Stability asked, Stability reached) {
      return this == ASYNC && asked.compareTo(reached) > 0 ? asked : reached;
    }

    /** @return whether COMMIT asks the backend to make data durable (all but {@link #ASYNC}) */
    public boolean commitsToBackend() {
      return this != ASYNC;
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
   * per-flavor option sections of the Linux server are not supported), {@code sync} and
   * {@code async} (see {@link WriteSync}); words that only matter to the Linux kernel server
   * ({@code no_subtree_check},
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
      case "rw" -> copy(false, squash, anonUid, anonGid, secure, xprtsec, sec, writeSync);
      case "ro" -> copy(true, squash, anonUid, anonGid, secure, xprtsec, sec, writeSync);
      case "root_squash", "no_all_squash" ->
          copy(readOnly, Squash.ROOT, anonUid, anonGid, secure, xprtsec, sec, writeSync);
      case "no_root_squash" ->
          copy(readOnly, Squash.NONE, anonUid, anonGid, secure, xprtsec, sec, writeSync);
      case "all_squash" ->
          copy(readOnly, Squash.ALL, anonUid, anonGid, secure, xprtsec, sec, writeSync);
      case "secure" -> copy(readOnly, squash, anonUid, anonGid, true, xprtsec, sec, writeSync);
      case "insecure" -> copy(readOnly, squash, anonUid, anonGid, false, xprtsec, sec, writeSync);
      case "sync" -> copy(readOnly, squash, anonUid, anonGid, secure, xprtsec, sec, WriteSync.SYNC);
      case "async" ->
          copy(readOnly, squash, anonUid, anonGid, secure, xprtsec, sec, WriteSync.ASYNC);
      case "no_subtree_check", "subtree_check", "wdelay", "no_wdelay", "hide", "nohide",
          "crossmnt" -> this;
      default -> {
        if (w.startsWith("anonuid=")) {
          yield copy(readOnly, squash, number(w), anonGid, secure, xprtsec, sec, writeSync);
        }
        if (w.startsWith("anongid=")) {
          yield copy(readOnly, squash, anonUid, number(w), secure, xprtsec, sec, writeSync);
        }
        if (w.startsWith("xprtsec=")) {
          yield copy(readOnly, squash, anonUid, anonGid, secure, xprtsec(w), sec, writeSync);
        }
        if (w.startsWith("sec=")) {
          yield copy(readOnly, squash, anonUid, anonGid, secure, xprtsec, sec(w), writeSync);
        }
        throw new IllegalArgumentException("unknown export option '" + w + "'");
      }
    };
  }

  private ExportOptions copy(
      boolean readOnly,
      Squash squash,
      int anonUid,
      int anonGid,
      boolean secure,
      Set<TransportSecurity.Level> xprtsec,
      List<SecurityFlavor> sec,
      WriteSync writeSync) {
    return new ExportOptions(
        readOnly, clients, squash, anonUid, anonGid, secure, xprtsec, sec, writeSync);
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
    return copy(readOnly, squash, anonUid, anonGid, secure, xprtsec, List.of(flavors), writeSync);
  }

  /**
   * @param ranges the client ranges to admit
   * @return these options admitting only those ranges
   */
  public ExportOptions withClients(List<ClientRange> ranges) {
    return new ExportOptions(
        readOnly, ranges, squash, anonUid, anonGid, secure, xprtsec, sec, writeSync);
  }

  /**
   * Reads the client part of an exports(5) line: optional default options ({@code -ro,sync}),
   * then client specifications, each a client followed without a space by its option list,
   * e.g. {@code 10.0.0.0/8(rw,no_root_squash) *(ro)}. A client without a list gets the
   * defaults; an empty text (or defaults only) admits everyone. Options start from {@link
   * ExportsFile#EXPORTS_DEFAULT} (read-only, root squashed, secure), as in an exports file.
   * Neighbouring clients with equal options share one option set.
   *
   * @param clients the client part of a line
   * @return the option sets in the order written, for {@link #select}
   * @throws IllegalArgumentException naming what is wrong
   */
  public static List<ExportOptions> parseClients(String clients) {
    return ExportsFile.parseClients(clients, ExportsFile.EXPORTS_DEFAULT);
  }

  /**
   * Picks the option set that applies to a client, as exports(5) does when several of an
   * export's client specifications match: a single host (an address or a host name) before
   * an IP network, a network before a host-name wildcard, a wildcard before {@code *}; among
   * matches of the same kind, the one listed first. A wildcard is only tried when nothing
   * ranked above it matched, so most calls never wait for a name lookup.
   *
   * @param optionSets an export's option sets, in the order configured
   * @param client the client's address
   * @return the set whose clients admit it, or empty when none does
   */
  public static Optional<ExportOptions> select(List<ExportOptions> optionSets, InetAddress client) {
    ExportOptions best = null;
    int bestRank = Integer.MAX_VALUE;
    for (ExportOptions o : optionSets) {
      for (ClientRange range : o.clients()) {
        int rank = range.rank();
        if (rank != ClientRange.WILDCARD && rank < bestRank && range.matches(client)) {
          best = o;
          bestRank = rank;
        }
      }
    }
    if (bestRank < ClientRange.WILDCARD) {
      return Optional.of(best);
    }
    for (ExportOptions o : optionSets) {
      for (ClientRange range : o.clients()) {
        if (range.rank() == ClientRange.WILDCARD && range.matches(client)) {
          return Optional.of(o);
        }
      }
    }
    return Optional.ofNullable(best);
  }

}
