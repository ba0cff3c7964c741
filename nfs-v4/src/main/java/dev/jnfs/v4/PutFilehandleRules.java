package dev.jnfs.v4;

import io.netty.buffer.ByteBuf;

/**
 * When a put filehandle operation (PUTFH, PUTROOTFH, PUTPUBFH, RESTOREFH) answers
 * NFS4ERR_WRONGSEC for a filehandle whose security policy refuses the call's flavor, judged by
 * the operations that follow it in the COMPOUND.
 *
 * <p>NFSv4.0 (RFC 7530 §16.20.4, §16.31.5): always, except when SECINFO follows, so that a
 * client can ask what the object wants.
 *
 * <p>NFSv4.1 (RFC 8881 §2.6.3.1.1):
 *
 * <ul>
 *   <li>followed by nothing: no error (§2.6.3.1.1.6);
 *   <li>followed by SAVEFH: as if SAVEFH were not there (§2.6.3.1.1.1);
 *   <li>followed by another put filehandle operation: no error (§2.6.3.1.1.2);
 *   <li>followed by LOOKUP, LOOKUPP or an OPEN by component name: no error, the operation
 *       answers WRONGSEC for the object it reaches (§2.6.3.1.1.3, §2.6.3.1.1.4);
 *   <li>followed by SECINFO or SECINFO_NO_NAME: no error, they tell the client what the object
 *       wants (§2.6.3.1.1.5);
 *   <li>followed by anything else, OPEN by filehandle included: the put operation answers
 *       WRONGSEC (§2.6.3.1.1.7).
 * </ul>
 *
 * <p>Operations decode their own arguments when they run, so the next opcodes are read ahead
 * without consuming anything; every read is bounded by the bytes present.
 */
final class PutFilehandleRules {
  private static final int OPEN4_CREATE = 1;
  private static final int UNCHECKED4 = 0;
  private static final int GUARDED4 = 1;
  private static final int EXCLUSIVE4 = 2;
  private static final int EXCLUSIVE4_1 = 3;
  private static final int CLAIM_NULL = 0;
  private static final int CLAIM_DELEGATE_CUR = 2;
  private static final int CLAIM_DELEGATE_PREV = 3;
  private static final int VERIFIER_SIZE = 8;

  private PutFilehandleRules() {}

  /**
   * @param b the COMPOUND's arguments
   * @param at where the operation after the put filehandle operation begins
   * @param following how many operations the COMPOUND declares after the put operation
   * @param minorVersion the COMPOUND's minor version
   * @return whether the put operation itself must answer WRONGSEC
   */
  static boolean wrongsecIsDue(ByteBuf b, int at, int following, int minorVersion) {
    if (minorVersion == 0) {
      return following == 0
          || b.writerIndex() - at < 4
          || b.getInt(at) != Nfs4Opcode.SECINFO;
    }
    int pos = at;
    int left = following;
    while (left > 0 && b.writerIndex() - pos >= 4 && b.getInt(pos) == Nfs4Opcode.SAVEFH) {
      pos += 4;
      left--;
    }
    if (left == 0 || b.writerIndex() - pos < 4) {
      return false;
    }
    return switch (b.getInt(pos)) {
      case Nfs4Opcode.PUTFH, Nfs4Opcode.PUTROOTFH, Nfs4Opcode.PUTPUBFH, Nfs4Opcode.RESTOREFH,
          Nfs4Opcode.LOOKUP, Nfs4Opcode.LOOKUPP, Nfs4Opcode.SECINFO, Nfs4Opcode.SECINFO_NO_NAME ->
          false;
      case Nfs4Opcode.OPEN -> !opensByName(b, pos + 4);
      default -> true;
    };
  }

  /**
   * Reads ahead through OPEN4args (RFC 8881 §18.16.1) to its open_claim4.
   *
   * @return whether the claim names a component of the current directory (CLAIM_NULL,
   *     CLAIM_DELEGATE_CUR, CLAIM_DELEGATE_PREV); false when it works on the current
   *     filehandle or the arguments are too short to tell (the put operation then decides)
   */
  static boolean opensByName(ByteBuf b, int at) {
    int end = b.writerIndex();
    long pos = at + 4L * 3 + 8; // seqid, share_access, share_deny, owner's clientid
    pos = skipOpaque(b, pos, end); // owner
    if (pos < 0 || end - pos < 4) {
      return false;
    }
    int opentype = b.getInt((int) pos);
    pos += 4;
    if (opentype == OPEN4_CREATE) {
      if (end - pos < 4) {
        return false;
      }
      int mode = b.getInt((int) pos);
      pos += 4;
      pos = switch (mode) {
        case UNCHECKED4, GUARDED4 -> skipFattr4(b, pos, end);
        case EXCLUSIVE4 -> pos + VERIFIER_SIZE;
        case EXCLUSIVE4_1 -> skipFattr4(b, pos + VERIFIER_SIZE, end);
        default -> -1;
      };
    }
    if (pos < 0 || end - pos < 4) {
      return false;
    }
    int claim = b.getInt((int) pos);
    return claim == CLAIM_NULL || claim == CLAIM_DELEGATE_CUR || claim == CLAIM_DELEGATE_PREV;
  }

  /** @return the position after an opaque<> at {@code pos}, or -1 when it overruns the bytes */
  private static long skipOpaque(ByteBuf b, long pos, int end) {
    if (pos < 0 || end - pos < 4) {
      return -1;
    }
    long length = b.getUnsignedInt((int) pos);
    long after = pos + 4 + ((length + 3) & ~3L);
    return after > end ? -1 : after;
  }

  /** @return the position after a fattr4 (bitmap4 then attrlist4), or -1 */
  private static long skipFattr4(ByteBuf b, long pos, int end) {
    if (pos < 0 || end - pos < 4) {
      return -1;
    }
    long words = b.getUnsignedInt((int) pos);
    long afterBitmap = pos + 4 + 4 * words;
    if (afterBitmap > end) {
      return -1;
    }
    return skipOpaque(b, afterBitmap, end);
  }
}
