package dev.jnfs.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads export rules written in the syntax of the Linux {@code /etc/exports} file
 * (exports(5)).
 *
 * <h2>Accepted syntax</h2>
 *
 * <pre>
 * # a comment; blank lines are ignored
 * /srv/data      192.168.1.0/24(rw,no_root_squash) 10.0.0.7(rw,no_root_squash)
 * /srv/public    -ro,insecure  *  fd00::/8
 * /srv/shared    10.0.0.0/8(rw,no_root_squash) *.example.com(rw) *(ro)
 * "/srv/my files" host.example.com(rw)
 * /srv/long      10.1.0.0/16(rw) \
 *                10.2.0.0/16(rw)
 * </pre>
 *
 * <ul>
 *   <li>A line names an absolute path, then any number of client specifications, each a
 *       client followed, without a space, by an option list in parentheses.
 *   <li>A client is {@code *} (everyone), an address, a CIDR range (IPv4 or IPv6, an IPv6
 *       address may be written in brackets), a host name, resolved when the file is read, or a
 *       host-name wildcard such as {@code *.example.com} ({@link ClientRange}).
 *   <li>A client without parentheses gets the line's default options. So does the world when
 *       a line names no client at all.
 *   <li>{@code -options} after the path sets default options for the rest of that line, as
 *       exports(5) describes; a client's own list is applied on top of them.
 *   <li>{@code #} starts a comment (outside quotes); a line ending in {@code \} continues on
 *       the next one.
 *   <li>A path with spaces is written in double quotes, or with exports(5)'s octal escapes
 *       ({@code \040} for a space).
 * </ul>
 *
 * <p>Options are those of {@link ExportOptions#with(String)}, including {@code
 * sec=sys:krb5:krb5i:krb5p} (the flavors in order of preference; an unknown flavor is an
 * error rather than silently weakened). Beyond them, {@code fsid=N} is accepted and ignored
 * (jnfs derives export ids from the path). Unspecified options follow exports(5): an export is read-only unless {@code rw}
 * is given, root is squashed, and clients must use a privileged source port unless {@code
 * insecure} is given. Another base can be passed to {@link #parse(String, ExportOptions)}.
 *
 * <h2>Options per client</h2>
 *
 * <p>Each client of a line gets its own options, so {@code /srv 10.0.0.0/8(rw) *(ro)} lets
 * the 10/8 network write and everyone else read. When several clients of one path match a
 * caller, the most specific wins as in exports(5) ({@link ExportOptions#select}); a path that
 * appears on several lines collects the clients of all of them, in order. An entry's {@link
 * Entry#options()} holds one option set per run of neighbouring clients with equal options.
 *
 * <h2>Rejected on purpose</h2>
 *
 * <ul>
 *   <li>A space between a client and its option list ({@code host (rw)}): exports(5) reads
 *       it as "host with defaults, and everyone with rw", which is almost never what was
 *       meant.
 *   <li>NIS netgroups ({@code @group}).
 * </ul>
 *
 * <p>Every error is an {@link IllegalArgumentException} whose message starts with the line
 * number and says what is wrong. Instances are immutable.
 */
public final class ExportsFile {

  /** The options an exports(5) file starts from: read-only, root squashed, secure ports. */
  public static final ExportOptions EXPORTS_DEFAULT = ExportOptions.DEFAULT.with("ro");

  private final List<Entry> entries;

  private ExportsFile(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * One exported path and the rules for it.
   *
   * @param path the absolute path, as written (quotes and escapes removed)
   * @param options the option sets of the path's clients, in the order written, each with
   *     its clients in {@link ExportOptions#clients()}
   * @param line the line on which the path first appears (1-based)
   */
  public record Entry(String path, List<ExportOptions> options, int line) {
    /** Copies the option sets. */
    public Entry {
      options = List.copyOf(options);
    }
  }

  /**
   * Reads a file in UTF-8.
   *
   * @param file the file
   * @return its entries
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException naming the line of the first error
   */
  public static ExportsFile read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Parses exports(5) text with {@link #EXPORTS_DEFAULT} as the starting options.
   *
   * @param text the file's contents
   * @return its entries
   * @throws IllegalArgumentException naming the line of the first error
   */
  public static ExportsFile parse(String text) {
    return parse(text, EXPORTS_DEFAULT);
  }

  /**
   * Parses exports(5) text.
   *
   * @param text the file's contents
   * @param base the options every client starts from, before the line's defaults and its
   *     own list; its client list is ignored
   * @return its entries
   * @throws IllegalArgumentException naming the line of the first error
   */
  public static ExportsFile parse(String text, ExportOptions base) {
    Map<String, Builder> byPath = new LinkedHashMap<>();
    String[] physical = text.split("\r?\n", -1);
    int i = 0;
    while (i < physical.length) {
      int firstLine = i + 1;
      StringBuilder logical = new StringBuilder();
      String current = physical[i++];
      while (endsWithContinuation(current) && i < physical.length) {
        logical.append(withoutContinuation(current)).append(' ');
        current = physical[i++];
      }
      if (endsWithContinuation(current)) {
        current = withoutContinuation(current);
      }
      logical.append(current);
      try {
        parseLine(logical.toString(), base, firstLine, byPath);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + firstLine + ": " + e.getMessage(), e);
      }
    }
    List<Entry> result = new ArrayList<>();
    for (Map.Entry<String, Builder> e : byPath.entrySet()) {
      result.add(e.getValue().build(e.getKey()));
    }
    return new ExportsFile(result);
  }

  /** @return the entries, one per path, in the order the paths first appear */
  public List<Entry> entries() {
    return entries;
  }

  private static boolean endsWithContinuation(String line) {
    return line.stripTrailing().endsWith("\\") && !withinComment(line);
  }

  private static String withoutContinuation(String line) {
    String s = line.stripTrailing();
    return s.substring(0, s.length() - 1);
  }

  /** Whether the trailing backslash sits in a comment (then it continues nothing). */
  private static boolean withinComment(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '#' && !quoted) {
        return true;
      }
    }
    return false;
  }

  private static void parseLine(
      String line, ExportOptions base, int lineNumber, Map<String, Builder> byPath) {
    List<String> tokens = tokenize(line);
    if (tokens.isEmpty()) {
      return;
    }
    String path = unescape(tokens.get(0));
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("export path must be absolute, got '" + path + "'");
    }
    List<ExportOptions> sets = clientSpecs(tokens.subList(1, tokens.size()), base, path);
    byPath.computeIfAbsent(path, p -> new Builder(lineNumber)).addAll(sets);
  }

  /** {@link ExportOptions#parseClients(String)}, from the given base options. */
  static List<ExportOptions> parseClients(String clients, ExportOptions base) {
    Builder builder = new Builder(1);
    builder.addAll(clientSpecs(tokenize(clients), base, "the path"));
    return builder.sets;
  }

  /**
   * Reads the default options and client specifications that follow a path.
   *
   * @return one option set per client, in order
   */
  private static List<ExportOptions> clientSpecs(
      List<String> tokens, ExportOptions base, String path) {
    ExportOptions defaults = base;
    int t = 0;
    while (t < tokens.size() && tokens.get(t).startsWith("-")) {
      String words = tokens.get(t).substring(1);
      if (words.isEmpty()) {
        throw new IllegalArgumentException("'-' without options after " + path);
      }
      defaults = applyWords(defaults, words);
      t++;
    }
    List<ExportOptions> sets = new ArrayList<>();
    if (t == tokens.size()) {
      sets.add(defaults.withClients(List.of(ClientRange.ANY)));
      return sets;
    }
    for (; t < tokens.size(); t++) {
      String spec = tokens.get(t);
      if (spec.startsWith("-")) {
        throw new IllegalArgumentException(
            "default options '" + spec + "' must come right after the path, before any client");
      }
      int open = spec.indexOf('(');
      String client = open < 0 ? spec : spec.substring(0, open);
      ExportOptions options = defaults;
      if (open >= 0) {
        if (!spec.endsWith(")") || spec.indexOf('(', open + 1) >= 0) {
          throw new IllegalArgumentException("unbalanced parentheses in '" + spec + "'");
        }
        if (client.isEmpty()) {
          throw new IllegalArgumentException(
              "option list '" + spec + "' has no client; write the client directly before"
                  + " '(' without a space, e.g. *" + spec);
        }
        options = applyWords(defaults, spec.substring(open + 1, spec.length() - 1));
      } else if (spec.indexOf(')') >= 0) {
        throw new IllegalArgumentException("unbalanced parentheses in '" + spec + "'");
      }
      sets.add(options.withClients(List.of(clientRange(client))));
    }
    return sets;
  }

  /** Splits on blanks outside quotes and parentheses; drops the comment. */
  private static List<String> tokenize(String line) {
    List<String> tokens = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    boolean quoted = false;
    boolean inToken = false;
    int depth = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        inToken = true;
        continue;
      }
      if (!quoted) {
        if (c == '#') {
          break;
        }
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
        }
        if (Character.isWhitespace(c) && depth <= 0) {
          if (inToken) {
            tokens.add(token.toString());
            token.setLength(0);
            inToken = false;
          }
          continue;
        }
      }
      token.append(c);
      inToken = true;
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quote");
    }
    if (depth > 0) {
      throw new IllegalArgumentException("unbalanced parentheses: '(' is never closed");
    }
    if (inToken) {
      tokens.add(token.toString());
    }
    return tokens;
  }

  /** Decodes exports(5)'s octal escapes such as {@code \040} (a space). */
  private static String unescape(String path) {
    if (path.indexOf('\\') < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\' && isOctal(path, i + 1)) {
        out.append((char) Integer.parseInt(path.substring(i + 1, i + 4), 8));
        i += 3;
      } else if (c == '\\') {
        throw new IllegalArgumentException(
            "bad escape in path '" + path + "': use \\ followed by three octal digits");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }

  private static ExportOptions applyWords(ExportOptions options, String words) {
    ExportOptions o = options;
    for (String raw : words.split(",")) {
      String word = raw.trim();
      if (word.isEmpty()) {
        continue;
      }
      o = applyWord(o, word);
    }
    return o;
  }

  private static ExportOptions applyWord(ExportOptions options, String word) {
    try {
      return options.with(word);
    } catch (IllegalArgumentException unknownToOptions) {
      if (word.startsWith("fsid=") && word.length() > "fsid=".length()) {
        return options;
      }
      throw unknownToOptions;
    }
  }

  private static ClientRange clientRange(String client) {
    if (client.startsWith("@")) {
      throw new IllegalArgumentException("netgroups are not supported: '" + client + "'");
    }
    String text = client;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in client '" + client + "'");
      }
      text = text.substring(1, close) + text.substring(close + 1);
    }
    return ClientRange.parse(text);
  }

  /**
   * Collects one path's option sets in order, joining a client to the set before it when
   * their options are equal (which changes no client's match: see {@link
   * ExportOptions#select}).
   */
  private static final class Builder {
    private final int line;
    private final List<ExportOptions> sets = new ArrayList<>();

    Builder(int line) {
      this.line = line;
    }

    void addAll(List<ExportOptions> more) {
      for (ExportOptions o : more) {
        int last = sets.size() - 1;
        if (last >= 0 && sameOptions(sets.get(last), o)) {
          List<ClientRange> joined = new ArrayList<>(sets.get(last).clients());
          joined.addAll(o.clients());
          sets.set(last, o.withClients(joined));
        } else {
          sets.add(o);
        }
      }
    }

    private static boolean sameOptions(ExportOptions a, ExportOptions b) {
      return a.withClients(List.of()).equals(b.withClients(List.of()));
    }

    Entry build(String path) {
      return new Entry(path, sets, line);
    }
  }
}
