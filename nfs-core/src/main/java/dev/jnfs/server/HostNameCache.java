package dev.jnfs.server;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The host names of client addresses, found by reverse lookup for host-name wildcards
 * ({@code *.example.com}) and kept for a while, so that a client's calls do not each ask the
 * name service. A lookup blocks: it runs only on threads that may block (an export with a
 * wildcard is never {@linkplain dev.jnfs.protocol.Export#isNonBlocking() non-blocking}). A
 * name is accepted only if it resolves back to the address (as the JDK's canonical-name lookup
 * checks), so a client cannot claim a name by controlling its reverse zone alone; an address
 * without such a name has none, and matches no wildcard. Thread-safe.
 */
final class HostNameCache {
  /** How long a name (or the lack of one) is trusted. */
  static final Duration TTL = Duration.ofSeconds(60);
  /** Beyond this many addresses the cache starts over, so clients cannot make it grow. */
  private static final int MAX_ENTRIES = 4096;

  static final HostNameCache SHARED = new HostNameCache(HostNameCache::canonicalName, System::nanoTime);

  private record Entry(Optional<String> name, long expiresAt) {}

  private final Function<InetAddress, Optional<String>> lookup;
  private final LongSupplier clock;
  private final Map<InetAddress, Entry> entries = new ConcurrentHashMap<>();

  /**
   * @param lookup the reverse lookup: an address's verified host name, or empty
   * @param clock nanoseconds, for expiry
   */
  HostNameCache(Function<InetAddress, Optional<String>> lookup, LongSupplier clock) {
    this.lookup = lookup;
    this.clock = clock;
  }

  /**
   * @param address a client's address
   * @return its host name in lower case, or empty when it has none (or the lookup failed)
   */
  Optional<String> nameOf(InetAddress address) {
    long now = clock.getAsLong();
    Entry e = entries.get(address);
    if (e != null && now - e.expiresAt() < 0) {
      return e.name();
    }
    Optional<String> name;
    try {
      name = lookup.apply(address).map(n -> n.toLowerCase(Locale.ROOT));
    } catch (RuntimeException failed) {
      name = Optional.empty();
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(address, new Entry(name, now + TTL.toNanos()));
    return name;
  }

  /** The JDK's reverse lookup answers the address itself when it finds no verified name. */
  private static Optional<String> canonicalName(InetAddress address) {
    InetAddress fresh;
    try {
      // a copy without the name the address may already carry, so the lookup is real
      fresh = InetAddress.getByAddress(address.getAddress());
    } catch (java.net.UnknownHostException impossible) {
      return Optional.empty();
    }
    String name = fresh.getCanonicalHostName();
    return name.equals(fresh.getHostAddress()) ? Optional.empty() : Optional.of(name);
  }
}
