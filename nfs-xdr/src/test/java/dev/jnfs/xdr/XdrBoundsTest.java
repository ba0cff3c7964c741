package dev.jnfs.xdr;

import static dev.jnfs.xdr.XdrRoundTripTest.assertThrowsXdr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and truncated input: every length is checked against the declared maximum and the
 * bytes present before anything is allocated, and a failed read is reported as XdrException.
 */
class XdrBoundsTest {
  private final ByteBuf buf = Unpooled.buffer();
  private final XdrEncoder out = new XdrEncoder(buf);
  private final XdrDecoder in = new XdrDecoder(buf);

  @AfterEach
  void release() {
    buf.release();
  }

  @Test
  void truncatedIntegers() {
    buf.writeByte(1).writeByte(2).writeByte(3);
    assertThrowsXdr(in::readInt);
    assertThrowsXdr(in::readHyper);
    assertThrowsXdr(in::readBoolean);
  }

  @Test
  void opaqueOverItsMaximumIsRejectedBeforeAllocation() {
    out.writeInt(65).writeFixedOpaque(new byte[65]);
    assertThrowsXdr(() -> in.readOpaque(64));
  }

  @Test
  void hugeDeclaredLengthIsRejectedWithoutAllocating() {
    out.writeInt(0x7FFF_FFFF);
    assertThrowsXdr(() -> in.readOpaque(Integer.MAX_VALUE));
    buf.readerIndex(0);
    assertThrowsXdr(() -> in.readOpaqueSlice(Integer.MAX_VALUE));
    buf.readerIndex(0);
    assertThrowsXdr(() -> in.readString(Integer.MAX_VALUE));
  }

  @Test
  void lengthWithTheHighBitSetIsNotNegative() {
    out.writeInt(0xFFFF_FFF0);
    assertThrowsXdr(() -> in.readOpaque(Integer.MAX_VALUE));
  }

  @Test
  void opaqueMissingItsPaddingIsTruncated() {
    out.writeInt(3);
    buf.writeBytes(new byte[] {1, 2, 3});
    assertThrowsXdr(() -> in.readOpaque(8));
  }

  @Test
  void fixedOpaqueNeedsAllItsBytes() {
    buf.writeBytes(new byte[] {1, 2, 3, 4});
    assertThrowsXdr(() -> in.readFixedOpaque(8));
    assertThrowsXdr(() -> in.readFixedOpaque(-1));
  }

  @Test
  void arrayCountOverMaximum() {
    out.writeInt(17);
    for (int i = 0; i < 17; i++) {
      out.writeInt(i);
    }
    assertThrowsXdr(() -> in.readArrayLength(16, 4));
  }

  @Test
  void arrayCountBeyondTheBytesPresent() {
    out.writeInt(1_000_000).writeInt(1);
    assertThrowsXdr(() -> in.readArrayLength(Integer.MAX_VALUE, 4));
  }

  @Test
  void failedReadLeavesOtherReadsPossible() {
    out.writeInt(100).writeInt(7);
    assertThrowsXdr(() -> in.readOpaque(10));
    // The declared length was consumed; what follows is still decodable by position.
    assertEquals(7, in.readInt());
  }

  @Test
  void skipBeyondTheEndIsTruncated() {
    out.writeInt(1);
    assertThrowsXdr(() -> in.skipOpaque(8));
  }
}
