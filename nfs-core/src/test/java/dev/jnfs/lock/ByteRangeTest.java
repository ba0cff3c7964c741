package dev.jnfs.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

  @Test
  void zeroLengthIsInvalid() {
    NfsException e = assertThrows(NfsException.class, () -> ByteRange.of(10, 0));
    assertEquals(NfsStatus.INVAL, e.status());
  }

  @Test
  void offsetPlusLengthOverflowingSixtyFourBitsIsInvalid() {
    // 2^64 - 1 is the last byte; offset 2^64 - 10 with length 11 would end at 2^64.
    long offset = -10L;
    assertThrows(NfsException.class, () -> ByteRange.of(offset, 11));
    assertThrows(NfsException.class, () -> ByteRange.of(-1L, 2));
    assertThrows(NfsException.class, () -> ByteRange.of(Long.MIN_VALUE, Long.MIN_VALUE + 1));
  }

  @Test
  void sumReachingExactlyTheMaximumIsValidOneMoreIsNot() throws NfsException {
    // offset + length may be at most 2^64 - 1 (RFC 7530 §16.10.5; knfsd: length <= ~offset)
    ByteRange r = ByteRange.of(-10L, 9);
    assertEquals(-2L, r.last());
    assertFalse(r.toEnd());
    assertThrows(NfsException.class, () -> ByteRange.of(-10L, 10));
    assertThrows(NfsException.class, () -> ByteRange.of(-1L, 1));
  }

  @Test
  void allOnesLengthRunsToEndFromAnyOffset() throws NfsException {
    ByteRange r = ByteRange.of(-5L, ByteRange.TO_END);
    assertTrue(r.toEnd());
    assertEquals(-1L, r.last());
    assertTrue(ByteRange.of(Long.MAX_VALUE, ByteRange.TO_END).contains(ByteRange.of(-2L, 1)));
  }

  @Test
  void overlapIsComputedUnsigned() throws NfsException {
    ByteRange high = ByteRange.of(Long.MIN_VALUE, 100); // offsets above 2^63
    ByteRange low = ByteRange.of(0, 100);
    assertFalse(high.overlaps(low));
    assertFalse(low.overlaps(high));
    assertTrue(ByteRange.of(50, ByteRange.TO_END).overlaps(high));
    assertTrue(ByteRange.of(99, 1).overlaps(low));
    assertFalse(ByteRange.of(100, 1).overlaps(low));
  }

  @Test
  void adjacentRangesTouchButDoNotOverlap() throws NfsException {
    ByteRange a = ByteRange.of(0, 10);
    ByteRange b = ByteRange.of(10, 5);
    assertFalse(a.overlaps(b));
    assertTrue(a.touches(b));
    assertTrue(b.touches(a));
    assertFalse(a.touches(ByteRange.of(11, 5)));
    assertEquals(ByteRange.of(0, 15), a.union(b));
  }

  @Test
  void cuttingTheMiddleLeavesBothEnds() throws NfsException {
    ByteRange whole = ByteRange.of(0, 100);
    ByteRange cut = ByteRange.of(40, 20);
    assertEquals(ByteRange.of(0, 40), whole.before(cut));
    assertEquals(ByteRange.of(60, 40), whole.after(cut));
  }

  @Test
  void cuttingFromAnEofRangeKeepsTheTailToEof() throws NfsException {
    ByteRange whole = ByteRange.of(10, ByteRange.TO_END);
    ByteRange cut = ByteRange.of(20, 5);
    assertEquals(ByteRange.of(10, 10), whole.before(cut));
    ByteRange after = whole.after(cut);
    assertEquals(25, after.offset());
    assertTrue(after.toEnd());
  }

  @Test
  void cuttingToEofLeavesNoTail() throws NfsException {
    ByteRange whole = ByteRange.of(10, 100);
    assertNull(whole.after(ByteRange.of(50, ByteRange.TO_END)));
    assertNull(ByteRange.of(10, ByteRange.TO_END).after(ByteRange.of(0, ByteRange.TO_END)));
    assertNull(whole.before(ByteRange.of(5, 10)));
  }
}
