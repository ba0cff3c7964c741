package dev.jnfs.v4;

import io.netty.buffer.ByteBuf;

/**
 * Which COMPOUNDs the server's duplicate request cache keeps, so that a retransmission (same
 * xid, same client) is answered with the first reply instead of running again: a directory
 * CREATE run twice would answer EXIST. NFSv4.0 relies on that traditional cache for the
 * operations its owner seqids do not cover (RFC 7530 §9.1.7, where the seqid replay is
 * described as the more reliable complement of that cache). NFSv4.1 and later have the
 * session's slot cache (RFC 8881 §2.10.6) and are never kept here.
 *
 * <p>A 4.0 COMPOUND is kept unless it is made only of operations that change nothing, so
 * that reads keep their zero-copy path and do not fill the cache. The operations are
 * recognised by peeking at the bytes without moving any index (RFC 7530 §16.2: tag,
 * minorversion, the operations); arguments this scan cannot step over, cut short or of an
 * unknown operation count as changing something.
 */
final class Nfs40DuplicateRequests {
  private static final int MAX_TAG = 1024;
  private static final int MAX_OPAQUE = 8192;
  private static final int MAX_BITMAP_WORDS = 8;
  private static final int STATEID = 16;

  private Nfs40DuplicateRequests() {}

  /**
   * @param args the COMPOUND arguments, from their reader index
   * @return whether a reply to them is to be kept for a retransmission
   */
  static boolean isKept(ByteBuf args) {
    Scan s = new Scan(args);
    if (!s.opaque(MAX_TAG) || !s.has(8)) {
      return true;
    }
    int minor = args.getInt(s.pos);
    if (minor != 0) {
      return false;
    }
    long ops = args.getUnsignedInt(s.pos + 4);
    s.pos += 8;
    for (long i = 0; i < ops; i++) {
      if (!s.has(4)) {
        return true;
      }
      int op = args.getInt(s.pos);
      s.pos += 4;
      if (!s.skipReadOnly(op)) {
        return true;
      }
    }
    return false;
  }

  /** A position in the arguments and the steps over the arguments of read-only operations. */
  private static final class Scan {
    private final ByteBuf args;
    private final int end;
    int pos;

    Scan(ByteBuf args) {
      this.args = args;
      this.pos = args.readerIndex();
      this.end = args.writerIndex();
    }

    boolean has(int bytes) {
      return end - pos >= bytes;
    }

    boolean fixed(int bytes) {
      if (!has(bytes)) {
        return false;
      }
      pos += bytes;
      return true;
    }

    boolean opaque(int max) {
      if (!has(4)) {
        return false;
      }
      long length = args.getUnsignedInt(pos);
      if (length > max) {
        return false;
      }
      return fixed(4 + (((int) length + 3) & ~3));
    }

    boolean bitmap() {
      if (!has(4)) {
        return false;
      }
      long words = args.getUnsignedInt(pos);
      return words <= MAX_BITMAP_WORDS && fixed(4 + 4 * (int) words);
    }

    /** Steps over the arguments of an operation that changes nothing; false for any other. */
    boolean skipReadOnly(int op) {
      return switch (op) {
        case Nfs4Opcode.GETFH, Nfs4Opcode.LOOKUPP, Nfs4Opcode.PUTPUBFH, Nfs4Opcode.PUTROOTFH,
            Nfs4Opcode.READLINK, Nfs4Opcode.RESTOREFH, Nfs4Opcode.SAVEFH -> true;
        case Nfs4Opcode.ACCESS -> fixed(4);
        case Nfs4Opcode.RENEW -> fixed(8);
        case Nfs4Opcode.GETATTR -> bitmap();
        case Nfs4Opcode.PUTFH -> opaque(OpPutfh.FH_SIZE);
        case Nfs4Opcode.LOOKUP, Nfs4Opcode.SECINFO -> opaque(MAX_OPAQUE);
        case Nfs4Opcode.READ -> fixed(STATEID + 8 + 4);
        case Nfs4Opcode.READDIR -> fixed(8 + 8 + 4 + 4) && bitmap();
        case Nfs4Opcode.VERIFY, Nfs4Opcode.NVERIFY -> bitmap() && opaque(Fattr4.MAX_ATTRLIST);
        case Nfs4Opcode.LOCKT -> fixed(4 + 8 + 8 + 8) && opaque(MAX_TAG);
        default -> false;
      };
    }
  }
}
