package dev.jnfs.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every XDR item encodes to the RFC 4506 bytes and decodes back to the same value. */
class XdrRoundTripTest {
  private final ByteBuf buf = Unpooled.buffer();
  private final XdrEncoder out = new XdrEncoder(buf);
  private final XdrDecoder in = new XdrDecoder(buf);

  @AfterEach
  void release() {
    buf.release();
  }

  private String hex() {
    return ByteBufUtil.hexDump(buf);
  }

  @Test
  void integersAreBigEndianFourBytes() {
    out.writeInt(-2).writeUnsignedInt(0xFFFF_FFFEL).writeInt(0x01020304);
    assertEquals("fffffffe" + "fffffffe" + "01020304", hex());
    assertEquals(-2, in.readInt());
    assertEquals(0xFFFF_FFFEL, in.readUnsignedInt());
    assertEquals(0x01020304, in.readInt());
    assertEquals(0, in.remaining());
  }

  @Test
  void hypersAreEightBytes() {
    out.writeHyper(0x0102030405060708L).writeHyper(-1L);
    assertEquals("0102030405060708ffffffffffffffff", hex());
    assertEquals(0x0102030405060708L, in.readHyper());
    assertEquals(-1L, in.readHyper());
  }

  @Test
  void booleansAreZeroOrOne() {
    out.writeBoolean(true).writeBoolean(false);
    assertEquals("0000000100000000", hex());
    assertTrue(in.readBoolean());
    assertFalse(in.readBoolean());
  }

  @Test
  void booleanOutOfRangeIsRejected() {
    out.writeInt(2);
    assertThrowsXdr(in::readBoolean);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 7, 8, 255})
  void variableOpaqueIsLengthBytesAndPadding(int length) {
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) (i + 1);
    }
    out.writeOpaque(data);
    assertEquals(4 + Xdr.padded(length), buf.readableBytes());
    assertEquals(length, buf.getInt(0));
    for (int i = 4 + length; i < buf.writerIndex(); i++) {
      assertEquals(0, buf.getByte(i), "padding must be zero");
    }
    assertArrayEquals(data, in.readOpaque(length));
    assertEquals(0, in.remaining());
  }

  @Test
  void fixedOpaqueHasNoLength() {
    out.writeFixedOpaque(new byte[] {9, 8, 7});
    assertEquals("09080700", hex());
    assertArrayEquals(new byte[] {9, 8, 7}, in.readFixedOpaque(3));
  }

  @Test
  void opaqueFromBuffersLeavesSourcesAlone() {
    ByteBuf src = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5});
    ByteBuffer nio = ByteBuffer.wrap(new byte[] {6, 7});
    try {
      out.writeOpaque(src).writeOpaque(nio);
      assertEquals(0, src.readerIndex());
      assertEquals(0, nio.position());
      assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, in.readOpaque(5));
      assertArrayEquals(new byte[] {6, 7}, in.readOpaque(2));
    } finally {
      src.release();
    }
  }

  @Test
  void opaqueSliceSharesBytesAndSkipsPadding() {
    out.writeOpaque(new byte[] {1, 2, 3, 4, 5}).writeInt(42);
    ByteBuf slice = in.readOpaqueSlice(16);
    assertEquals(5, slice.readableBytes());
    assertEquals(5, slice.getByte(4));
    assertEquals(42, in.readInt());
  }

  @Test
  void stringsAreUtf8WithByteLength() {
    out.writeString("héllo");
    assertEquals(6, buf.getInt(0), "length counts UTF-8 bytes");
    assertEquals(4 + 8, buf.readableBytes());
    assertEquals("héllo", in.readString(255));
  }

  @Test
  void reservedIntIsPatched() {
    int at = out.reserveInt();
    out.writeInt(7);
    out.patchInt(at, 99);
    assertEquals(99, in.readInt());
    assertEquals(7, in.readInt());
  }

  @Test
  void arrayLengthWithinBoundsIsAccepted() {
    out.writeInt(2).writeInt(10).writeInt(20);
    assertEquals(2, in.readArrayLength(16, 4));
    assertEquals(10, in.readInt());
    assertEquals(20, in.readInt());
  }

  @Test
  void optionalIsABooleanDiscriminant() {
    out.writeBoolean(true).writeInt(5).writeBoolean(false);
    assertTrue(in.readOptional());
    assertEquals(5, in.readInt());
    assertFalse(in.readOptional());
  }

  @Test
  void skipOpaqueSkipsPadding() {
    out.writeFixedOpaque(new byte[] {1, 2, 3, 4, 5}).writeInt(3);
    in.skipOpaque(5);
    assertEquals(3, in.readInt());
  }

  static void assertThrowsXdr(Runnable r) {
    org.junit.jupiter.api.Assertions.assertThrows(XdrException.class, r::run);
  }
}
