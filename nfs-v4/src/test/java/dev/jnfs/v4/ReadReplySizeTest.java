package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The reply size a reading COMPOUND announces before it runs. */
class ReadReplySizeTest {
  private static final int MAX_READ = 1 << 20;

  private static int size(Consumer<XdrEncoder> compound) {
    ByteBuf b = Unpooled.buffer();
    try {
      b.writeInt(0x11111111); // bytes before the arguments are not looked at
      b.readerIndex(4);
      compound.accept(new XdrEncoder(b));
      int reader = b.readerIndex();
      int size = ReadReplySize.of(b, MAX_READ);
      assertEquals(reader, b.readerIndex(), "peeking moves no index");
      return size;
    } finally {
      b.release();
    }
  }

  private static void header(XdrEncoder e, String tag, int minor, int ops) {
    e.writeString(tag).writeInt(minor).writeInt(ops);
  }

  private static void sequence(XdrEncoder e) {
    e.writeInt(Nfs4Opcode.SEQUENCE).writeFixedOpaque(new byte[16]).writeInt(1).writeInt(0)
        .writeInt(0).writeBoolean(false);
  }

  private static void putfh(XdrEncoder e, int length) {
    e.writeInt(Nfs4Opcode.PUTFH).writeOpaque(new byte[length]);
  }

  private static void read(XdrEncoder e, long count) {
    e.writeInt(Nfs4Opcode.READ).writeFixedOpaque(new byte[16]).writeHyper(0).writeUnsignedInt(count);
  }

  @Test
  void minorVersionOneReadAnnouncesItsCount() {
    int size = size(e -> { header(e, "", 1, 3); sequence(e); putfh(e, 37); read(e, 65536); });
    assertEquals(65536 + ReadReplySize.REPLY_OVERHEAD, size);
  }

  @Test
  void minorVersionTwoReadPlusAnnouncesItsCount() {
    int size = size(e -> {
      header(e, "", 2, 3);
      sequence(e);
      putfh(e, 37);
      e.writeInt(Nfs4Opcode.READ_PLUS).writeFixedOpaque(new byte[16]).writeHyper(0).writeUnsignedInt(8192);
    });
    assertEquals(8192 + ReadReplySize.REPLY_OVERHEAD, size);
  }

  @Test
  void minorVersionZeroReadWithATag() {
    int size = size(e -> { header(e, "read", 0, 2); putfh(e, 28); read(e, 4096); });
    assertEquals(4096 + ReadReplySize.REPLY_OVERHEAD, size);
    assertEquals(
        100 + ReadReplySize.REPLY_OVERHEAD,
        size(e -> { header(e, "", 0, 2); e.writeInt(Nfs4Opcode.PUTROOTFH); read(e, 100); }));
  }

  @Test
  void countIsCutToTheServerMaximum() {
    int size = size(e -> { header(e, "", 1, 3); sequence(e); putfh(e, 16); read(e, 0xffffffffL); });
    assertEquals(MAX_READ + ReadReplySize.REPLY_OVERHEAD, size);
  }

  @Test
  void otherShapesAndDamagedArgumentsAnnounceNothing() {
    assertEquals(0, size(e -> { header(e, "", 1, 2); sequence(e); putfh(e, 16); }), "no READ");
    assertEquals(0, size(e -> {
      header(e, "", 1, 3); sequence(e); putfh(e, 16); e.writeInt(Nfs4Opcode.GETATTR); }));
    assertEquals(0, size(e -> { header(e, "", 0, 2); putfh(e, 129); read(e, 4096); }), "long handle");
    assertEquals(0, size(e -> { e.writeInt(5000); }), "tag longer than allowed");
    assertEquals(0, size(e -> { header(e, "", 0, 2); putfh(e, 16); e.writeInt(Nfs4Opcode.READ); }),
        "READ cut short");
    assertEquals(0, size(e -> { header(e, "", 0, 2); e.writeInt(Nfs4Opcode.PUTFH).writeInt(64); }),
        "handle cut short");
    assertEquals(0, size(e -> {}), "empty");
  }
}
