package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Which COMPOUNDs count as only reading, and what they read. */
class ReadingCompoundTest {
  private static final byte[] FH = {1, 2, 3, 4, 5, 6, 7};

  private static byte[] start(Consumer<XdrEncoder> compound) {
    ReadingCompound.Reading reading = reading(compound);
    if (reading == null) {
      return null;
    }
    assertEquals(false, reading.readsData());
    return reading.handle();
  }

  private static ReadingCompound.Reading reading(Consumer<XdrEncoder> compound) {
    ByteBuf b = Unpooled.buffer();
    try {
      b.writeInt(0x11111111); // bytes before the arguments are not looked at
      b.readerIndex(4);
      compound.accept(new XdrEncoder(b));
      int reader = b.readerIndex();
      ReadingCompound.Reading reading = ReadingCompound.of(b);
      assertEquals(reader, b.readerIndex(), "peeking moves no index");
      return reading;
    } finally {
      b.release();
    }
  }

  private static void header(XdrEncoder e, int minor, int ops) {
    e.writeString("").writeInt(minor).writeInt(ops);
  }

  private static void sequence(XdrEncoder e) {
    e.writeInt(Nfs4Opcode.SEQUENCE).writeFixedOpaque(new byte[16]).writeInt(1).writeInt(0)
        .writeInt(0).writeBoolean(false);
  }

  private static void putfh(XdrEncoder e) {
    e.writeInt(Nfs4Opcode.PUTFH).writeOpaque(FH);
  }

  private static void getattr(XdrEncoder e) {
    e.writeInt(Nfs4Opcode.GETATTR).writeInt(2).writeInt(0x0010011a).writeInt(0x00b0a23a);
  }

  @Test
  void theShapesOfAStatAnAccessCheckAndALookupAreRecognised() {
    assertArrayEquals(FH, start(e -> { header(e, 1, 3); sequence(e); putfh(e); getattr(e); }));
    assertArrayEquals(FH, start(e -> { header(e, 0, 2); putfh(e); getattr(e); }));
    assertArrayEquals(FH, start(e -> {
      header(e, 2, 4);
      sequence(e);
      putfh(e);
      e.writeInt(Nfs4Opcode.ACCESS).writeInt(0x1f);
      getattr(e);
    }));
    assertArrayEquals(FH, start(e -> {
      header(e, 1, 5);
      sequence(e);
      putfh(e);
      e.writeInt(Nfs4Opcode.LOOKUP).writeString("a-name");
      e.writeInt(Nfs4Opcode.GETFH);
      getattr(e);
    }));
  }

  private static void read(XdrEncoder e, long offset) {
    e.writeInt(Nfs4Opcode.READ).writeFixedOpaque(new byte[16]).writeHyper(offset).writeInt(4096);
  }

  @Test
  void aReadRightAfterPutfhIsRecognisedWithItsRange() {
    ReadingCompound.Reading r = reading(e -> { header(e, 1, 3); sequence(e); putfh(e); read(e, 8192); });
    assertArrayEquals(FH, r.handle());
    assertEquals(true, r.readsData());
    assertEquals(8192, r.offset());
    assertEquals(4096, r.count());
    assertEquals(0, reading(e -> { header(e, 0, 2); putfh(e); read(e, 0); }).offset());

    assertNull(reading(e -> { header(e, 1, 4); sequence(e); putfh(e); getattr(e); read(e, 0); }),
        "a READ after other reads");
    assertNull(reading(e -> { header(e, 1, 4); sequence(e); putfh(e); read(e, 0); getattr(e); }), "not last");
    assertNull(reading(e -> { header(e, 1, 3); sequence(e); putfh(e); read(e, -1); }), "offset beyond 2^63");
    assertNull(reading(e -> {
      header(e, 1, 3);
      sequence(e);
      putfh(e);
      e.writeInt(Nfs4Opcode.READ).writeFixedOpaque(new byte[16]).writeHyper(0);
    }), "count cut short");
  }

  @Test
  void compoundsThatChangeOrStartElsewhereAreNot() {
    assertNull(start(e -> {
      header(e, 1, 3);
      sequence(e);
      putfh(e);
      e.writeInt(Nfs4Opcode.WRITE).writeFixedOpaque(new byte[16]).writeHyper(0).writeInt(0).writeOpaque(new byte[4]);
    }), "a WRITE");
    assertNull(start(e -> {
      header(e, 1, 4);
      sequence(e);
      putfh(e);
      e.writeInt(Nfs4Opcode.LOOKUP).writeString("a");
      e.writeInt(Nfs4Opcode.LOOKUP).writeString("b");
    }), "a second LOOKUP goes below what the forecast covers");
    assertNull(start(e -> { header(e, 1, 3); sequence(e); e.writeInt(Nfs4Opcode.PUTROOTFH); getattr(e); }));
    assertNull(start(e -> { header(e, 1, 2); sequence(e); getattr(e); }), "no current object");
    assertNull(start(e -> { header(e, 1, 4); sequence(e); putfh(e); getattr(e); putfh(e); }));
    assertNull(start(e -> { header(e, 1, 3); putfh(e); sequence(e); getattr(e); }), "SEQUENCE not first");
    assertNull(start(e -> {
      header(e, 1, 3);
      sequence(e);
      putfh(e);
      e.writeInt(Nfs4Opcode.SETATTR);
    }));
  }

  @Test
  void damagedArgumentsAreNotRecognised() {
    assertNull(start(e -> {}));
    assertNull(start(e -> e.writeInt(5000)), "tag longer than any client sends");
    assertNull(start(e -> { header(e, 1, 3); sequence(e); putfh(e); }), "fewer operations than announced");
    assertNull(start(e -> { header(e, 1, 3); sequence(e); e.writeInt(Nfs4Opcode.PUTFH).writeInt(129); }),
        "handle longer than NFS4_FHSIZE");
    assertNull(start(e -> { header(e, 1, 3); sequence(e); e.writeInt(Nfs4Opcode.PUTFH).writeInt(64); }),
        "handle cut short");
    assertNull(start(e -> {
      header(e, 1, 3);
      sequence(e);
      putfh(e);
      e.writeInt(Nfs4Opcode.GETATTR).writeInt(1000);
    }), "bitmap longer than any attribute");
    assertNull(start(e -> { header(e, 1, 3); sequence(e); putfh(e); e.writeInt(Nfs4Opcode.GETATTR).writeInt(2); }),
        "bitmap cut short");
    assertNull(start(e -> { header(e, 1, 100); sequence(e); putfh(e); getattr(e); }), "too many operations");
  }
}
