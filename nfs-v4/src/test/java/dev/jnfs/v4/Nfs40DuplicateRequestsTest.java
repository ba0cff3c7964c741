package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class Nfs40DuplicateRequestsTest {
  private static boolean kept(Compound c) {
    ByteBuf buf = Unpooled.buffer();
    try {
      c.encode(new XdrEncoder(buf));
      int reader = buf.readerIndex();
      boolean kept = Nfs40DuplicateRequests.isKept(buf);
      if (buf.readerIndex() != reader) {
        throw new AssertionError("the scan moved the reader index");
      }
      return kept;
    } finally {
      buf.release();
    }
  }

  private static boolean keptCutShort(Compound c, int bytes) {
    ByteBuf buf = Unpooled.buffer();
    try {
      c.encode(new XdrEncoder(buf));
      return Nfs40DuplicateRequests.isKept(buf.slice(0, buf.readableBytes() - bytes));
    } finally {
      buf.release();
    }
  }

  @Test
  void compoundsThatChangeNothingAreNotKept() {
    byte[] fh = new byte[40];
    assertFalse(kept(Compound.v40().putfh(fh).read(Stateid.ANONYMOUS, 0, 4096).getattr(Fattr4.SIZE)));
    assertFalse(kept(Compound.v40().tag("walk").putrootfh().lookup("a").lookup("b").getfh().access(0x3F)
        .readdir(0, 0, 100, 8192, Fattr4.TYPE).savefh().restorefh().lookupp().readlink()
        .verify(Attrs.set().size(3)).nverify(Attrs.set().mode(0644)).secinfo("x")));
    assertFalse(kept(Compound.v40()));
  }

  @Test
  void compoundsThatChangeSomethingOrCannotBeReadAreKept() {
    assertTrue(kept(Compound.v40().putrootfh().mkdir("d", Attrs.set())));
    assertTrue(kept(Compound.v40().putrootfh().lookup("a").remove("b")));
    assertTrue(kept(Compound.v40().putrootfh().op(12345, a -> { }, in -> null)));
    assertTrue(keptCutShort(Compound.v40().putrootfh().lookup("abc"), 4));
  }

  @Test
  void sessionsKeepTheirOwnReplies() {
    assertFalse(kept(Compound.v41().putrootfh().mkdir("d", Attrs.set())));
  }
}
