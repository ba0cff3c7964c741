package dev.jnfs.v4;

import io.netty.buffer.ByteBuf;

/**
 * Recognises, before a COMPOUND runs, one that only reads the attributes of the object it
 * starts from or of a name looked up in it: the shapes clients send for a stat, an access
 * check or a lookup (RFC 8881 §16.2.3: tag, minorversion, the operations), an optional
 * SEQUENCE, then PUTFH, then only GETATTR, ACCESS, GETFH and at most one LOOKUP. Such a
 * COMPOUND may run on the network thread when the backend holds the object's attributes in
 * memory. Anything else, or arguments cut short, is not recognised. Peeks at the bytes
 * without moving any index.
 */
final class AttributeReadCompound {
  private static final int MAX_TAG = 1024;
  private static final int MAX_OPS = 8;
  private static final int MAX_NAME = 1024;
  private static final int MAX_BITMAP_WORDS = 8;
  private static final int SEQUENCE_ARGS = 16 + 4 + 4 + 4 + 4;

  private AttributeReadCompound() {}

  /**
   * @param args the COMPOUND arguments, from their reader index
   * @return the handle PUTFH sets, when the COMPOUND has the shape above; else null
   */
  static byte[] startingHandle(ByteBuf args) {
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
    for (int i = 0; i < ops; i++) {
      if (end - pos < 4) {
        return null;
      }
      int op = args.getInt(pos);
      pos += 4;
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
        default -> {
          return null;
        }
      }
      if (op != Nfs4Opcode.SEQUENCE && op != Nfs4Opcode.PUTFH && handle == null) {
        return null; // reads before any object is set: the pseudo file system's root or an error
      }
      pos += length;
      if (pos > end) {
        return null;
      }
    }
    return handle;
  }

  private static int padded(int length) {
    return (length + 3) & ~3;
  }
}
