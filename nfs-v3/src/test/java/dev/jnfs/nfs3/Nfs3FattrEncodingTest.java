package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileType;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * fattr3, post_op_attr and pre_op_attr are written through a staged block: the bytes are those
 * of the RFC 1813 §2.6 / §2.5 layouts written field by field, here with every field set and
 * with values whose high bits are set.
 */
class Nfs3FattrEncodingTest {
  private static final int EXPORT_ID = 0x7ABC_DEF1;
  private static final FileAttributes EVERY_FIELD_SET =
      new FileAttributes(
          FileType.CHAR_DEVICE,
          0xFFFF_FFFF,
          -1,
          0xFFFF_FFFE,
          Integer.MIN_VALUE,
          0x8000_0000_0000_0001L,
          -1L,
          new DeviceNumber(0xFFFF_FFFF, 0x8000_0000),
          0xF0F0_F0F0_1234_5678L,
          0xFFFF_FFFF_FFFF_FFFEL,
          Instant.ofEpochSecond(0xFFFF_FFFFL, 999_999_999),
          Instant.ofEpochSecond(-1, 1),
          Instant.ofEpochSecond(0x8000_0000L, 500_000_000),
          42);

  /** fattr3 written one field at a time, in the order of RFC 1813 §2.6. */
  private static void fieldByField(XdrEncoder out, FileAttributes a) {
    out.writeInt(Nfs3Xdr.ftype(a.type()))
        .writeInt(a.mode() & 07777)
        .writeInt(a.nlink())
        .writeInt(a.uid())
        .writeInt(a.gid())
        .writeHyper(a.size())
        .writeHyper(a.used())
        .writeInt(a.rdev().major())
        .writeInt(a.rdev().minor())
        .writeHyper(a.fsid() ^ ((long) EXPORT_ID << 32))
        .writeHyper(a.fileid());
    for (Instant t : new Instant[] {a.atime(), a.mtime(), a.ctime()}) {
      out.writeUnsignedInt(t.getEpochSecond()).writeInt(t.getNano());
    }
  }

  private static String hex(Consumer<XdrEncoder> writer) {
    ByteBuf buf = Unpooled.directBuffer();
    try {
      writer.accept(new XdrEncoder(buf));
      return ByteBufUtil.hexDump(buf);
    } finally {
      buf.release();
    }
  }

  @Test
  void fattrMatchesTheFieldByFieldEncoding() {
    String expected = hex(e -> fieldByField(e, EVERY_FIELD_SET));
    assertEquals(Nfs3Xdr.FATTR_SIZE * 2, expected.length());
    assertEquals(expected, hex(e -> Nfs3Xdr.writeFattr(e, EVERY_FIELD_SET, EXPORT_ID)));
    assertEquals(
        "00000004" + "00000fff" + "ffffffff" + "fffffffe" + "80000000"
            + "8000000000000001" + "ffffffffffffffff" + "ffffffff" + "80000000"
            + "8a4c2e0112345678" + "fffffffffffffffe"
            + "ffffffff3b9ac9ff" + "ffffffff00000001" + "800000001dcd6500",
        expected);
  }

  @Test
  void postOpAttrMatchesTheFieldByFieldEncoding() {
    String expected = hex(e -> {
      e.writeBoolean(true);
      fieldByField(e, EVERY_FIELD_SET);
    });
    assertEquals(expected, hex(e -> Nfs3Xdr.writePostOpAttr(e, EVERY_FIELD_SET, EXPORT_ID)));
    assertEquals("00000000", hex(e -> Nfs3Xdr.writePostOpAttr(e, null, EXPORT_ID)));
  }

  @Test
  void preOpAttrMatchesTheFieldByFieldEncoding() {
    assertEquals(
        "00000001" + "8000000000000001" + "ffffffff00000001" + "800000001dcd6500",
        hex(e -> Nfs3Xdr.writePreOpAttr(e, EVERY_FIELD_SET)));
    assertEquals("00000000", hex(e -> Nfs3Xdr.writePreOpAttr(e, null)));
  }

  @Test
  void aMissingDeviceNumberIsZero() {
    FileAttributes a = FileAttributes.builder(FileType.REGULAR, 7).build();
    FileAttributes noRdev = new FileAttributes(a.type(), a.mode(), a.nlink(), a.uid(), a.gid(), a.size(),
        a.used(), null, a.fsid(), a.fileid(), a.atime(), a.mtime(), a.ctime(), a.change());
    String written = hex(e -> Nfs3Xdr.writeFattr(e, noRdev, 0));
    assertEquals("0000000000000000", written.substring(2 * 36, 2 * 44));
  }
}
