package dev.jnfs.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ConnectionRateLimit}: the sliding-window count of each address's connections. */
class ConnectionRateLimitTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MINUTE = ConnectionRateLimit.WINDOW_NANOS;

  private static InetAddress address(int last) throws Exception {
    return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
  }

  private static int admitted(ConnectionRateLimit limit, InetAddress a, long now, int attempts) {
    int n = 0;
    for (int i = 0; i < attempts; i++) {
      if (limit.tryAcquire(a, now)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void theFirstMinuteIsCountedExactlyPerAddress() throws Exception {
    ConnectionRateLimit limit = new ConnectionRateLimit(60);
    long start = 1_000 * MINUTE;
    assertEquals(60, admitted(limit, address(1), start, 60));
    assertFalse(limit.tryAcquire(address(1), start + 59 * SECOND));
    assertTrue(limit.tryAcquire(address(2), start + 59 * SECOND), "another address");
  }

  @Test
  void thePreviousMinuteWeighsAsMuchAsTheLastSixtySecondsCoverOfIt() throws Exception {
    ConnectionRateLimit limit = new ConnectionRateLimit(60);
    InetAddress a = address(1);
    long start = 5 * MINUTE;
    assertEquals(60, admitted(limit, a, start, 60));
    // a quarter into the next minute, three quarters of the 60 still count: 45, so 15 more
    assertEquals(15, admitted(limit, a, start + MINUTE + 15 * SECOND, 100));
    // half-way, 30 of the previous minute and the 15 of this one count: 15 more
    assertEquals(15, admitted(limit, a, start + MINUTE + 30 * SECOND, 100));
  }

  @Test
  void aSilentAddressStartsAfresh() throws Exception {
    ConnectionRateLimit limit = new ConnectionRateLimit(2);
    InetAddress a = address(1);
    assertEquals(2, admitted(limit, a, 0, 5));
    assertEquals(2, admitted(limit, a, 2 * MINUTE, 5));
  }

  @Test
  void refusedAttemptsDoNotCount() throws Exception {
    ConnectionRateLimit limit = new ConnectionRateLimit(1);
    InetAddress a = address(1);
    assertTrue(limit.tryAcquire(a, 0));
    assertEquals(0, admitted(limit, a, 30 * SECOND, 1000));
    // a minute on, the first connection's minute still weighs almost all of it
    assertFalse(limit.tryAcquire(a, MINUTE + SECOND));
    // once that minute lies wholly outside the last 60 seconds, it weighs nothing
    assertTrue(limit.tryAcquire(a, 2 * MINUTE));
  }

  @Test
  void zeroIsNoLimitAndNegativeIsRefused() throws Exception {
    ConnectionRateLimit none = new ConnectionRateLimit(0);
    assertEquals(10_000, admitted(none, address(1), 0, 10_000));
    assertThrows(IllegalArgumentException.class, () -> new ConnectionRateLimit(-1));
  }

  @Test
  void manyAddressesAreSweptOnceSilent() throws Exception {
    ConnectionRateLimit limit = new ConnectionRateLimit(1);
    long now = System.nanoTime();
    for (int i = 0; i <= ConnectionRateLimit.SWEEP_ABOVE; i++) {
      InetAddress a = InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i});
      assertTrue(limit.tryAcquire(a, now));
    }
    // two minutes later the table is swept: an address that used its one connection then
    // starts afresh, and so does every other
    assertTrue(limit.tryAcquire(address(9), now + 3 * MINUTE));
    assertTrue(limit.tracked() <= 1, "swept down to the new address: " + limit.tracked());
  }
}
