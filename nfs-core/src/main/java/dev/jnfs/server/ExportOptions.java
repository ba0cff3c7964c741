package dev.jnfs.server;

import java.util.List;

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
 */
public record ExportOptions(
    boolean readOnly,
    List<ClientRange> clients,
    Squash squash,
    int anonUid,
    int anonGid,
    boolean secure) {

  /** The nobody id used for squashed callers unless configured otherwise. */
  public static final int NOBODY = 65534;

  /** Read-write for every client, root squashed, secure ports required. */
  public static final ExportOptions DEFAULT =
      new ExportOptions(false, List.of(ClientRange.ANY), Squash.ROOT, NOBODY, NOBODY, true);

  /** Copies the client list. */
  public ExportOptions {
    clients = List.copyOf(clients);
  }

  /**
   * Applies exports(5) option words to these options: {@code rw}, {@code ro},
   * {@code root_squash}, {@code no_root_squash}, {@code all_squash}, {@code no_all_squash},
   * {@code anonuid=N}, {@code anongid=N}, {@code secure}, {@code insecure}; words that only
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
      case "rw" -> new ExportOptions(false, clients, squash, anonUid, anonGid, secure);
      case "ro" -> new ExportOptions(true, clients, squash, anonUid, anonGid, secure);
      case "root_squash", "no_all_squash" ->
          new ExportOptions(readOnly, clients, Squash.ROOT, anonUid, anonGid, secure);
      case "no_root_squash" -> new ExportOptions(readOnly, clients, Squash.NONE, anonUid, anonGid, secure);
      case "all_squash" -> new ExportOptions(readOnly, clients, Squash.ALL, anonUid, anonGid, secure);
      case "secure" -> new ExportOptions(readOnly, clients, squash, anonUid, anonGid, true);
      case "insecure" -> new ExportOptions(readOnly, clients, squash, anonUid, anonGid, false);
      case "sync", "async", "no_subtree_check", "subtree_check", "wdelay", "no_wdelay", "hide",
          "nohide", "crossmnt" -> this;
      default -> {
        if (w.startsWith("anonuid=")) {
          yield new ExportOptions(readOnly, clients, squash, number(w), anonGid, secure);
        }
        if (w.startsWith("anongid=")) {
          yield new ExportOptions(readOnly, clients, squash, anonUid, number(w), secure);
        }
        throw new IllegalArgumentException("unknown export option '" + w + "'");
      }
    };
  }

  private static int number(String word) {
    try {
      return Integer.parseInt(word.substring(word.indexOf('=') + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in export option '" + word + "'");
    }
  }

  /**
   * @param ranges the client ranges to admit
   * @return these options admitting only those ranges
   */
  public ExportOptions withClients(List<ClientRange> ranges) {
    return new ExportOptions(readOnly, ranges, squash, anonUid, anonGid, secure);
  }
}
