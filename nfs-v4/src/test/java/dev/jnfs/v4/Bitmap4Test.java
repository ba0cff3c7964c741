package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Bitmap4Test {
  private static List<Integer> bits(Bitmap4 b) {
    List<Integer> out = new ArrayList<>();
    for (int a = b.next(0); a >= 0; a = b.next(a + 1)) {
      out.add(a);
    }
    return out;
  }

  @Test
  void iteratesSetBitsInOrderAcrossWords() {
    assertEquals(List.of(0, 1, 31, 32, 55, 63, 64, 75, 95), bits(Bitmap4.of(95, 0, 31, 1, 32, 55, 63, 64, 75)));
    assertEquals(List.of(), bits(Bitmap4.EMPTY));
    assertEquals(-1, Bitmap4.of(3).next(4));
    assertEquals(40, Bitmap4.of(3, 40).next(4));
  }

  @Test
  void encodesWithoutTrailingZeroWordsAndDecodesBack() {
    ByteBuf buf = Unpooled.buffer();
    try {
      Bitmap4.of(1, 33).encode(new XdrEncoder(buf));
      assertEquals(12, buf.readableBytes());
      assertEquals(Bitmap4.of(1, 33), Bitmap4.decode(new XdrDecoder(buf)));
      Bitmap4.EMPTY.encode(new XdrEncoder(buf));
      assertEquals(4, buf.readableBytes());
      assertTrue(Bitmap4.decode(new XdrDecoder(buf)).isEmpty());
    } finally {
      buf.release();
    }
  }

  @Test
  void bitsBeyondTheKeptWordsAreRemembered() {
    ByteBuf buf = Unpooled.buffer();
    try {
      new XdrEncoder(buf).writeInt(5).writeInt(2).writeInt(0).writeInt(0).writeInt(0).writeInt(8);
      Bitmap4 b = Bitmap4.decode(new XdrDecoder(buf));
      assertTrue(b.hasUnknownBits());
      assertFalse(b.isEmpty());
      assertEquals(List.of(1), bits(b));
    } finally {
      buf.release();
    }
  }
}
