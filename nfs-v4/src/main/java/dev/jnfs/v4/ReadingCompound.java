package dev.jnfs.v4;

import io.netty.buffer.ByteBuf;

/**
 * Recognises, before a COMPOUND runs, one that only reads: the attributes of the object it
 * starts from or of a name looked up in it, or a range of that object's data. These are the
 * shapes clients send for a stat, an access check, a lookup and a read (RFC 8881 §16.2.3:
 * tag, minorversion, the operations): an optional SEQUENCE, then PUTFH, then either only
 * GETATTR, ACCESS, GETFH and at most one LOOKUP, or one READ. Such a COMPOUND may run on the
 * network thread when the backend holds what it reads in memory. Anything else, or arguments
 * cut short, is not recognised. Peeks at the bytes without moving any index.
 */
final class ReadingCompound {
  private static final int MAX_TAG = 1024;
  private static final int MAX_OPS = 8;
  private static final int MAX_NAME = 1024;
  private static final int MAX_BITMAP_WORDS = 8;
  private static final int SEQUENCE_ARGS = 16 + 4 + 4 + 4 + 4;
  /** READ4args: a stateid, then the offset and the count (RFC 8881 §18.22.1). */
  private static final int READ_ARGS = 16 + 8 + 4;

  /**
   * What a recognised COMPOUND reads.
   *
   * @param handle the handle PUTFH sets
   * @param offset where its READ begins; -1 when it reads attributes only
   * @param count how many bytes its READ asks for
   */
  record Reading(byte[] handle, long offset, long count) {
    boolean readsData() {
      return offset >= 0;
    }
  }

  private ReadingCompound() {}

  /**
   * @param args the COMPOUND arguments, from their reader index
   * @return what it reads when it has one of the shapes above; else null
   */
  static Reading of(ByteBuf args) {
    int pos = args.readerIndex();
    int end = args.writerIndex();
    if (end - pos < 4) {
      return null;
    }
    long tag = args.getUnsignedInt(pos);
    if (tag > MAX_TAG) {
      return null;
    }
    pos += 4 + padded((int) tag) + 4; // the tag, then minorversion
    if (end - pos < 4) {
      return null;
    }
    long ops = args.getUnsignedInt(pos);
    pos += 4;
    if (ops < 2 || ops > MAX_OPS) {
      return null;
    }
    byte[] handle = null;
    boolean looked = false;
    int afterPutfh = 0; // operations after PUTFH, the current one included
    for (int i = 0; i < ops; i++) {
      if (end - pos < 4) {
        return null;
      }
      int op = args.getInt(pos);
      pos += 4;
      if (op != Nfs4Opcode.SEQUENCE && op != Nfs4Opcode.PUTFH) {
        if (handle == null) {
          return null; // reads before any object is set: the pseudo file system's root or an error
        }
        afterPutfh++;
      }
      int length;
      switch (op) {
        case Nfs4Opcode.SEQUENCE -> {
          if (i != 0) {
            return null;
          }
          length = SEQUENCE_ARGS;
        }
        case Nfs4Opcode.PUTFH -> {
          if (handle != null || end - pos < 4) {
            return null;
          }
          long size = args.getUnsignedInt(pos);
          if (size > OpPutfh.FH_SIZE || end - pos - 4 < size) {
            return null;
          }
          handle = new byte[(int) size];
          args.getBytes(pos + 4, handle);
          length = 4 + padded((int) size);
        }
        case Nfs4Opcode.GETATTR -> {
          if (end - pos < 4) {
            return null;
          }
          long words = args.getUnsignedInt(pos);
          if (words > MAX_BITMAP_WORDS) {
            return null;
          }
          length = 4 + 4 * (int) words;
        }
        case Nfs4Opcode.ACCESS -> length = 4;
        case Nfs4Opcode.GETFH -> length = 0;
        case Nfs4Opcode.LOOKUP -> {
          if (looked || end - pos < 4) {
            return null;
          }
          looked = true;
          long name = args.getUnsignedInt(pos);
          if (name > MAX_NAME) {
            return null;
          }
          length = 4 + padded((int) name);
        }
        case Nfs4Opcode.READ -> {
          if (afterPutfh != 1 || i != ops - 1 || end - pos < READ_ARGS) {
            return null; // a READ right after PUTFH, and last
          }
          long offset = args.getLong(pos + 16);
          return offset < 0 ? null : new Reading(handle, offset, args.getUnsignedInt(pos + 24));
        }
        default -> {
          return null;
        }
      }
      pos += length;
      if (pos > end) {
        return null;
      }
    }
    return new Reading(handle, -1, 0);
  }

  private static int padded(int length) {
    return (length + 3) & ~3;
  }
}
