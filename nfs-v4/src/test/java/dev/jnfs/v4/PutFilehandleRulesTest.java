package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Reading ahead to decide whether a put filehandle operation answers WRONGSEC. */
class PutFilehandleRulesTest {
  private static boolean due(int following, int minor, Consumer<XdrEncoder> next) {
    ByteBuf b = Unpooled.buffer();
    try {
      next.accept(new XdrEncoder(b));
      return PutFilehandleRules.wrongsecIsDue(b, 0, following, minor);
    } finally {
      b.release();
    }
  }

  private static boolean byName(Consumer<XdrEncoder> open) {
    ByteBuf b = Unpooled.buffer();
    try {
      open.accept(new XdrEncoder(b));
      return PutFilehandleRules.opensByName(b, 0);
    } finally {
      b.release();
    }
  }

  @Test
  void minorVersion1FollowsTheSubseriesRules() {
    assertFalse(due(0, 1, e -> {}));
    assertFalse(due(1, 1, e -> e.writeInt(Nfs4Opcode.SAVEFH)));
    assertTrue(due(2, 1, e -> e.writeInt(Nfs4Opcode.SAVEFH).writeInt(Nfs4Opcode.GETATTR)));
    assertFalse(due(2, 1, e -> e.writeInt(Nfs4Opcode.SAVEFH).writeInt(Nfs4Opcode.PUTFH)));
    for (int op : new int[] {Nfs4Opcode.PUTFH, Nfs4Opcode.PUTROOTFH, Nfs4Opcode.PUTPUBFH,
        Nfs4Opcode.RESTOREFH, Nfs4Opcode.LOOKUP, Nfs4Opcode.LOOKUPP, Nfs4Opcode.SECINFO,
        Nfs4Opcode.SECINFO_NO_NAME}) {
      assertFalse(due(1, 1, e -> e.writeInt(op)), Nfs4Opcode.name(op));
    }
    for (int op : new int[] {Nfs4Opcode.GETATTR, Nfs4Opcode.GETFH, Nfs4Opcode.READ,
        Nfs4Opcode.CREATE, Nfs4Opcode.REMOVE, Nfs4Opcode.RENAME}) {
      assertTrue(due(1, 1, e -> e.writeInt(op)), Nfs4Opcode.name(op));
    }
  }

  @Test
  void opcodesPastTheDeclaredCountOrTheBytesAreNotLookedAt() {
    // the COMPOUND declares no further operation: trailing bytes are not one
    assertFalse(due(0, 1, e -> e.writeInt(Nfs4Opcode.GETATTR)));
    // a declared operation whose opcode is missing: nothing to judge, the processor answers it
    assertFalse(due(1, 1, e -> e.buffer().writeShort(0)));
    assertFalse(due(3, 1, e -> e.writeInt(Nfs4Opcode.SAVEFH)));
  }

  @Test
  void minorVersion0AnswersUnlessSecinfoFollows() {
    assertTrue(due(0, 0, e -> {}));
    assertTrue(due(1, 0, e -> e.writeInt(Nfs4Opcode.LOOKUP)));
    assertTrue(due(1, 0, e -> e.writeInt(Nfs4Opcode.SAVEFH)));
    assertFalse(due(1, 0, e -> e.writeInt(Nfs4Opcode.SECINFO)));
  }

  @Test
  void openWithoutCreationIsJudgedByItsClaim() {
    for (int claim : new int[] {0, 2, 3}) {
      assertTrue(byName(e -> open(e, false).writeInt(claim)), "claim " + claim);
    }
    for (int claim : new int[] {1, 4, 5, 6}) {
      assertFalse(byName(e -> open(e, false).writeInt(claim)), "claim " + claim);
    }
  }

  @Test
  void everyCreateHowIsSkipped() {
    assertTrue(byName(e -> fattr(open(e, true).writeInt(0)).writeInt(0))); // UNCHECKED4
    assertTrue(byName(e -> fattr(open(e, true).writeInt(1)).writeInt(0))); // GUARDED4
    assertTrue(byName(e -> open(e, true).writeInt(2).writeHyper(7).writeInt(0))); // EXCLUSIVE4
    assertTrue(byName(e -> fattr(open(e, true).writeInt(3).writeHyper(7)).writeInt(0)));
    assertFalse(byName(e -> fattr(open(e, true).writeInt(3).writeHyper(7)).writeInt(4)));
  }

  @Test
  void truncatedOrHostileArgumentsAreNotByName() {
    assertFalse(byName(e -> e.writeInt(0)));
    assertFalse(byName(e -> open(e, false)));
    // an owner longer than the bytes present
    assertFalse(byName(e -> e.writeInt(0).writeInt(1).writeInt(0).writeHyper(1).writeInt(0x7fffffff)));
    assertFalse(byName(e -> e.writeInt(0).writeInt(1).writeInt(0).writeHyper(1).writeInt(-1)));
    // a bitmap of 2^32 - 1 words
    assertFalse(byName(e -> open(e, true).writeInt(1).writeInt(-1).writeInt(0)));
    // an attribute list longer than the bytes present
    assertFalse(byName(e -> open(e, true).writeInt(0).writeInt(1).writeInt(2).writeInt(1000)));
    // an unknown createmode4
    assertFalse(byName(e -> open(e, true).writeInt(9).writeInt(0)));
  }

  /** seqid, share_access, share_deny, open_owner4, opentype. */
  private static XdrEncoder open(XdrEncoder e, boolean create) {
    return e.writeInt(0).writeInt(1).writeInt(0).writeHyper(1).writeOpaque(new byte[] {1, 2, 3, 4, 5})
        .writeInt(create ? 1 : 0);
  }

  /** A fattr4 with the mode attribute. */
  private static XdrEncoder fattr(XdrEncoder e) {
    return e.writeInt(2).writeInt(0).writeInt(2).writeOpaque(new byte[] {0, 0, 1, (byte) 0xa4});
  }
}
