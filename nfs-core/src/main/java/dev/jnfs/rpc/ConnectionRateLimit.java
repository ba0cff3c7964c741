package dev.jnfs.rpc;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How many new connections each client address may open per minute. The count over the last
 * minute is a sliding-window estimate: the connections of the current minute plus those of the
 * previous minute weighted by how much of it still lies within the last 60 seconds (as if they
 * had been spread evenly over it). Minutes are counted from an address's first connection, so
 * an address's first minute is counted exactly. Only admitted connections count; refused ones
 * do not, so a client that keeps trying is let in again once its rate drops.
 *
 * <p>The table of addresses is swept of those silent for two minutes once it grows beyond
 * {@link #SWEEP_ABOVE} entries, at most once a minute. Thread-safe.
 */
final class ConnectionRateLimit {
  static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
  static final int SWEEP_ABOVE = 1024;

  private final int perMinute;
  private final Map<InetAddress, Window> windows = new ConcurrentHashMap<>();
  private volatile long lastSweep = System.nanoTime();

  /** @param perMinute connections per address and minute; 0 for no limit */
  ConnectionRateLimit(int perMinute) {
    if (perMinute < 0) {
      throw new IllegalArgumentException("connection rate must not be negative: " + perMinute);
    }
    this.perMinute = perMinute;
  }

  /**
   * Counts a new connection from {@code address} if the address is below its rate.
   *
   * @param address the client's address
   * @param now a {@link System#nanoTime()} value
   * @return whether the connection may proceed
   */
  boolean tryAcquire(InetAddress address, long now) {
    if (perMinute == 0) {
      return true;
    }
    boolean admitted = windows.computeIfAbsent(address, a -> new Window(now)).tryAdd(now, perMinute);
    if (windows.size() > SWEEP_ABOVE && now - lastSweep > WINDOW_NANOS) {
      lastSweep = now;
      windows.values().removeIf(w -> w.silentSince(now));
    }
    return admitted;
  }

  /** @return how many addresses are tracked */
  int tracked() {
    return windows.size();
  }

  /** One address's counts of the current and the previous minute. */
  private static final class Window {
    private long start;
    private int previous;
    private int current;

    Window(long start) {
      this.start = start;
    }

    synchronized boolean tryAdd(long now, int max) {
      long elapsed = now - start;
      if (elapsed >= 2 * WINDOW_NANOS) {
        start = now;
        previous = 0;
        current = 0;
        elapsed = 0;
      } else if (elapsed >= WINDOW_NANOS) {
        start += WINDOW_NANOS;
        previous = current;
        current = 0;
        elapsed -= WINDOW_NANOS;
      }
      double estimate = current + previous * (double) (WINDOW_NANOS - elapsed) / WINDOW_NANOS;
      if (estimate + 1 > max) {
        return false;
      }
      current++;
      return true;
    }

    synchronized boolean silentSince(long now) {
      return now - start >= 2 * WINDOW_NANOS;
    }
  }
}
