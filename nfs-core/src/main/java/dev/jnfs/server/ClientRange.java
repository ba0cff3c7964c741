package dev.jnfs.server;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A set of client addresses an export admits: everyone ({@code *}), one address, a CIDR
 * range (IPv4 or IPv6), a host name resolved once when parsed, or a host-name wildcard
 * ({@code *.example.com}, {@code host?.example.com}) matched against the client's name.
 * Immutable.
 *
 * <p>A wildcard is matched, case-insensitively, against the name a reverse lookup of the
 * client's address gives, accepted only when that name resolves back to the address. Names
 * are kept for a minute, so a change in the name service takes up to that long to show. An
 * address without such a name matches no wildcard. As in exports(5), {@code *} and {@code ?}
 * also match dots, so {@code *.example.com} admits hosts of sub-domains too. The lookup
 * blocks: see {@link #needsNameLookup()}.
 */
public final class ClientRange {
  /** Admits every client. */
  public static final ClientRange ANY = new ClientRange("*", null, 0, null, null);

  /** How a range ranks when several of an export's ranges match a client (exports(5)). */
  static final int SINGLE_HOST = 0;
  static final int NETWORK = 1;
  static final int WILDCARD = 2;
  static final int ANONYMOUS = 3;

  private final String text;
  private final byte[] network;
  private final int prefixLength;
  private final Pattern hostPattern;
  private final HostNameCache names;

  private ClientRange(
      String text, byte[] network, int prefixLength, Pattern hostPattern, HostNameCache names) {
    this.text = text;
    this.network = network;
    this.prefixLength = prefixLength;
    this.hostPattern = hostPattern;
    this.names = names;
  }

  /**
   * Parses {@code *}, {@code 192.168.1.0/24}, {@code 10.0.0.7}, {@code fd00::/8}, a host name,
   * or a host-name wildcard ({@code *.example.com}, {@code host?.example.com}).
   *
   * @param text the range as written in an exports file
   * @return the range
   * @throws IllegalArgumentException if it is malformed or the host cannot be resolved
   */
  public static ClientRange parse(String text) {
    return parse(text, HostNameCache.SHARED);
  }

  /** {@link #parse(String)} with the given cache for wildcards' lookups. */
  static ClientRange parse(String text, HostNameCache names) {
    String t = text.trim();
    if (t.equals("*")) {
      return ANY;
    }
    if (t.contains("*") || t.contains("?")) {
      return wildcard(t, names);
    }
    int slash = t.indexOf('/');
    String host = slash < 0 ? t : t.substring(0, slash);
    InetAddress address = resolve(host);
    int max = address.getAddress().length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in client range '" + text + "'");
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("prefix length out of range in '" + text + "'");
      }
    }
    return new ClientRange(t, address.getAddress(), prefix, null, null);
  }

  private static ClientRange wildcard(String pattern, HostNameCache names) {
    if (pattern.contains("/") || pattern.contains(":") || pattern.contains("@")) {
      throw new IllegalArgumentException(
          "wildcards are allowed in host names only, not in '" + pattern + "'");
    }
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> {
          if (!Character.isLetterOrDigit(c) && c != '.' && c != '-' && c != '_') {
            throw new IllegalArgumentException(
                "'" + c + "' cannot be part of the host name wildcard '" + pattern + "'");
          }
          regex.append(Pattern.quote(String.valueOf(c)));
        }
      }
    }
    return new ClientRange(pattern, null, 0, Pattern.compile(regex.toString()), names);
  }

  private static InetAddress resolve(String host) {
    if (InetAddresses.isInetAddress(host)) {
      return InetAddresses.forString(host);
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host '" + host + "' in client range");
    }
  }

  /**
   * @param address a client's address
   * @return whether the range admits it; for a wildcard this may ask the name service
   */
  public boolean matches(InetAddress address) {
    if (hostPattern != null) {
      Optional<String> name = names.nameOf(address);
      return name.isPresent() && hostPattern.matcher(name.get()).matches();
    }
    if (network == null) {
      return true;
    }
    // Java already presents IPv4-mapped IPv6 addresses as Inet4Address.
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xFF << (8 - rest) & 0xFF;
    return (a[full] & mask) == (network[full] & mask);
  }

  /**
   * @return whether {@link #matches} may block on a reverse lookup of the client's name (a
   *     host-name wildcard); such a range must not be matched on a network thread
   */
  public boolean needsNameLookup() {
    return hostPattern != null;
  }

  /**
   * The rank of this range among those of one export that match a client, lowest first:
   * exports(5) prefers a single host, then an IP network, then a wildcard, then everyone.
   */
  int rank() {
    if (hostPattern != null) {
      return WILDCARD;
    }
    if (network == null) {
      return ANONYMOUS;
    }
    return prefixLength == network.length * 8 ? SINGLE_HOST : NETWORK;
  }

  @Override
  public String toString() {
    return text;
  }
}
