package dev.jnfs.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A block appends exactly the bytes the encoder's item methods write, once it ends. */
class XdrBlockTest {
  private final ByteBuf direct = Unpooled.directBuffer();
  private final ByteBuf viaBlock = Unpooled.directBuffer();

  @AfterEach
  void release() {
    direct.release();
    viaBlock.release();
  }

  /** Writes the same items to {@link #direct} item by item and to {@link #viaBlock} in a block. */
  private void both(Consumer<XdrEncoder> items, Consumer<XdrEncoder.Block> blockItems) {
    items.accept(new XdrEncoder(direct));
    XdrEncoder.Block block = new XdrEncoder(viaBlock).block();
    blockItems.accept(block);
    assertEquals(direct.readableBytes(), block.size());
    block.end();
    assertEquals(ByteBufUtil.hexDump(direct), ByteBufUtil.hexDump(viaBlock));
  }

  @Test
  void fixedSizeItemsMatchTheEncoder() {
    both(
        e -> e.writeInt(-2).writeUnsignedInt(0xFFFF_FFFEL).writeHyper(0x8000_0000_0000_0001L)
            .writeHyper(-1).writeBoolean(true).writeBoolean(false).writeInt(0x01020304),
        b -> b.writeInt(-2).writeUnsignedInt(0xFFFF_FFFEL).writeHyper(0x8000_0000_0000_0001L)
            .writeHyper(-1).writeBoolean(true).writeBoolean(false).writeInt(0x01020304));
    assertEquals(4 + 4 + 8 + 8 + 4 + 4 + 4, viaBlock.readableBytes());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "ab", "abc", "abcd", "abcde", "caf\u00e9", "\u65e5\u672c", "x\ud83d\ude00"})
  void stringsMatchTheEncoder(String value) {
    both(e -> e.writeString(value).writeInt(7), b -> b.writeString(value).writeInt(7));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 13, 64})
  void opaquesMatchTheEncoder(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (0xA0 + i);
    }
    both(
        e -> e.writeOpaque(bytes).writeFixedOpaque(bytes).writeInt(1),
        b -> b.writeOpaque(bytes).writeFixedOpaque(bytes).writeInt(1));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 13, 300})
  void filledOpaquesMatchTheEncoder(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (0xC0 + i);
    }
    both(
        e -> e.writeInt(9).writeOpaque(bytes).writeInt(1),
        b -> b.writeInt(9).writeOpaque(length, (dst, at) -> System.arraycopy(bytes, 0, dst, at, length))
            .writeInt(1));
  }

  @Test
  void growsPastItsInitialCapacity() {
    String longName = "n".repeat(1001);
    both(
        e -> {
          for (int i = 0; i < 100; i++) {
            e.writeHyper(i);
          }
          e.writeString(longName);
        },
        b -> {
          for (int i = 0; i < 100; i++) {
            b.writeHyper(i);
          }
          b.writeString(longName);
        });
  }

  @Test
  void paddingIsZeroEvenWhereEarlierBlocksLeftBytes() {
    XdrEncoder out = new XdrEncoder(viaBlock);
    out.block().writeHyper(-1).writeHyper(-1).end();
    out.block().writeString("a").writeOpaque(new byte[] {1}).end();
    assertEquals("ffffffffffffffffffffffffffffffff" + "0000000161000000" + "0000000101000000",
        ByteBufUtil.hexDump(viaBlock));
  }

  @Test
  void nothingReachesTheBufferBeforeTheEndAndDiscardDropsAll() {
    XdrEncoder out = new XdrEncoder(viaBlock);
    XdrEncoder.Block block = out.block().writeInt(1);
    out.writeInt(2);
    assertEquals("00000002", ByteBufUtil.hexDump(viaBlock));
    block.end();
    assertEquals("0000000200000001", ByteBufUtil.hexDump(viaBlock));
    out.block().writeInt(3).discard();
    out.block().writeInt(4).end();
    assertEquals("000000020000000100000004", ByteBufUtil.hexDump(viaBlock));
  }

  @Test
  void aBlockIsOpenOnceAtATime() {
    XdrEncoder out = new XdrEncoder(viaBlock);
    XdrEncoder.Block block = out.block();
    assertThrows(IllegalStateException.class, out::block);
    block.end();
    assertThrows(IllegalStateException.class, block::end);
    assertThrows(IllegalStateException.class, block::discard);
    assertThrows(IllegalStateException.class, () -> block.writeInt(1));
    assertEquals(0, viaBlock.readableBytes());
  }
}
