package dev.jnfs.server;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A set of client addresses an export admits: everyone ({@code *}), one address, a CIDR
 * range (IPv4 or IPv6), or a host name resolved once when parsed. Immutable.
 */
public final class ClientRange {
  /** Admits every client. */
  public static final ClientRange ANY = new ClientRange("*", null, 0);

  private final String text;
  private final byte[] network;
  private final int prefixLength;

  private ClientRange(String text, byte[] network, int prefixLength) {
    this.text = text;
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /**
   * Parses {@code *}, {@code 192.168.1.0/24}, {@code 10.0.0.7}, {@code fd00::/8} or a host name.
   *
   * @param text the range as written in an exports file
   * @return the range
   * @throws IllegalArgumentException if it is malformed or the host cannot be resolved
   */
  public static ClientRange parse(String text) {
    String t = text.trim();
    if (t.equals("*")) {
      return ANY;
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
    return new ClientRange(t, address.getAddress(), prefix);
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
   * @return whether the range admits it
   */
  public boolean matches(InetAddress address) {
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

  @Override
  public String toString() {
    return text;
  }
}
