package dev.jnfs.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link Caller}: where a call comes from, added by copies that leave the original alone. */
class CallerTest {
  private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 700);

  @Test
  void aCallerBuiltByHandKnowsNothingOfItsClient() {
    Caller c = Caller.of(1000, 100, 4, 5);
    assertTrue(c.remoteAddress().isEmpty());
    assertTrue(c.connectionId().isEmpty());
    assertTrue(c.nfs4ClientId().isEmpty());
    assertTrue(c.receivedAt().isEmpty());
  }

  @Test
  void withCopiesAddTheClientAndKeepTheRest() {
    Caller original = new Caller(1000, 100, new int[] {4, 5}, "alice@EXAMPLE.COM");
    Caller c = original.withReceivedAt(-5).withRemoteAddress(FROM).withConnectionId(7).withNfs4ClientId(0xABCL);
    assertEquals(OptionalLong.of(-5), c.receivedAt(), "any nanoTime, negative ones too");
    assertEquals(Optional.of(FROM), c.remoteAddress());
    assertEquals(OptionalLong.of(7), c.connectionId());
    assertEquals(OptionalLong.of(0xABC), c.nfs4ClientId());
    assertEquals(1000, c.uid());
    assertEquals(100, c.gid());
    assertArrayEquals(new int[] {4, 5}, c.groups());
    assertEquals(Optional.of("alice@EXAMPLE.COM"), c.principal());
    assertTrue(original.remoteAddress().isEmpty(), "the original is unchanged");
    assertTrue(original.connectionId().isEmpty());
    assertTrue(original.receivedAt().isEmpty());
    assertTrue(c.toString().contains("connection 7"), c.toString());
  }

  @Test
  void aNullAddressIsRefused() {
    assertThrows(NullPointerException.class, () -> Caller.of(0, 0).withRemoteAddress(null));
  }
}
