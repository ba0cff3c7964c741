package dev.jnfs.v4;

import io.netty.buffer.ByteBuf;

/**
 * Tells, before a COMPOUND runs, how large its reply may be when it reads file data, so the
 * server can take the reply buffer whole from its large-buffer pool instead of growing a
 * small one to a READ's size. Only the shapes clients send to read are recognised: optional
 * SEQUENCE, then PUTFH or PUTROOTFH, then READ or READ_PLUS, whose arguments begin alike (RFC
 * 8881 §16.2.3: tag, minorversion, the operations). Anything else, or arguments cut short,
 * gives 0: nothing to announce. Peeks at the bytes without moving any index.
 */
final class ReadReplySize {
  /** Room for the COMPOUND header, SEQUENCE's and PUTFH's results and READ's own header. */
  static final int REPLY_OVERHEAD = 1024;

  private static final int MAX_TAG = 1024;
  private static final int MAX_OPS_SCANNED = 4;
  private static final int SEQUENCE_ARGS = 16 + 4 + 4 + 4 + 4;
  private static final int STATEID = 16;

  private ReadReplySize() {}

  /**
   * @param args the COMPOUND arguments, from their reader index
   * @param maxRead the server's largest READ
   * @return an upper bound of the reply's size, or 0
   */
  static int of(ByteBuf args, int maxRead) {
    int pos = args.readerIndex();
    int end = args.writerIndex();
    if (end - pos < 4) {
      return 0;
    }
    long tag = args.getUnsignedInt(pos);
    if (tag > MAX_TAG) {
      return 0;
    }
    pos += 4 + padded((int) tag) + 4; // the tag, then minorversion
    if (end - pos < 4) {
      return 0;
    }
    long ops = args.getUnsignedInt(pos);
    pos += 4;
    for (int i = 0; i < Math.min(ops, MAX_OPS_SCANNED); i++) {
      if (end - pos < 4) {
        return 0;
      }
      int op = args.getInt(pos);
      pos += 4;
      switch (op) {
        case Nfs4Opcode.SEQUENCE -> pos += SEQUENCE_ARGS;
        case Nfs4Opcode.PUTROOTFH -> {}
        case Nfs4Opcode.PUTFH -> {
          if (end - pos < 4) {
            return 0;
          }
          long length = args.getUnsignedInt(pos);
          if (length > OpPutfh.FH_SIZE) {
            return 0;
          }
          pos += 4 + padded((int) length);
        }
        case Nfs4Opcode.READ, Nfs4Opcode.READ_PLUS -> {
          if (end - pos < STATEID + 8 + 4) {
            return 0;
          }
          long count = args.getUnsignedInt(pos + STATEID + 8);
          return (int) Math.min(count, maxRead) + REPLY_OVERHEAD;
        }
        default -> {
          return 0;
        }
      }
    }
    return 0;
  }

  private static int padded(int length) {
    return (length + 3) & ~3;
  }
}
