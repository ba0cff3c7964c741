package dev.jnfs.nlm;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.HeldLock;
import dev.jnfs.lock.LockType;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * The NLM types of {@code nlm_prot.x} in their two sizes: versions 1 and 3 carry offsets and
 * lengths as 32-bit numbers, version 4 as 64-bit numbers, and version 4 has more statuses.
 * Everything else is the same, so one decoder serves all three, told the version.
 */
final class NlmXdr {
  /** LM_MAXSTRLEN and MAXNAMELEN: the longest caller name. */
  static final int MAX_NAME = 1024;
  /** MAXNETOBJ_SZ: the longest netobj (cookie, file handle, owner handle). */
  static final int MAX_NETOBJ = 1024;

  static final int GRANTED = 0;
  static final int DENIED = 1;
  static final int DENIED_NOLOCKS = 2;
  static final int BLOCKED = 3;
  static final int DENIED_GRACE_PERIOD = 4;
  static final int DEADLCK = 5;
  static final int ROFS = 6;
  static final int STALE_FH = 7;
  static final int FBIG = 8;
  static final int FAILED = 9;

  private NlmXdr() {}

  /** @return the bytes {@code writer} encodes, for a call this server makes */
  static byte[] encode(java.util.function.Consumer<XdrEncoder> writer) {
    io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer(256);
    try {
      writer.accept(new XdrEncoder(buf));
      return io.netty.buffer.ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  /**
   * An nlm_lock or nlm4_lock (and, with svid 0 and no range, the parts of an nlm_share).
   *
   * @param callerName the client's name for itself (not used to identify it)
   * @param fileHandle the NFS file handle
   * @param ownerHandle the owner handle
   * @param svid the client's process id for the owner
   * @param offset the first byte, unsigned
   * @param length the byte count, unsigned, 0 meaning to the end of the file
   */
  record Lock(String callerName, byte[] fileHandle, byte[] ownerHandle, int svid, long offset, long length) {

    static Lock decode(XdrDecoder in, int version) {
      String caller = in.readString(MAX_NAME);
      byte[] fh = in.readOpaque(MAX_NETOBJ);
      byte[] oh = in.readOpaque(MAX_NETOBJ);
      int svid = in.readInt();
      long offset = version == 4 ? in.readHyper() : in.readUnsignedInt();
      long length = version == 4 ? in.readHyper() : in.readUnsignedInt();
      return new Lock(caller, fh, oh, svid, offset, length);
    }

    void encode(XdrEncoder out, int version) {
      out.writeString(callerName);
      out.writeOpaque(fileHandle);
      out.writeOpaque(ownerHandle);
      out.writeInt(svid);
      writeOffsetAndLength(out, version, offset, length);
    }

    /** @return the bytes, or null when offset and length overflow 64 bits */
    ByteRange range() {
      long len = length == 0 ? ByteRange.TO_END : length;
      return ByteRange.isValid(offset, len) ? new ByteRange(offset, len) : null;
    }
  }

  /**
   * The status a client of the version can read: versions 1 and 3 know only the first six,
   * and hear the others as {@link #DENIED_NOLOCKS}, as the Linux server answers them.
   */
  static int status(int version, int status) {
    return version == 4 || status <= DEADLCK ? status : DENIED_NOLOCKS;
  }

  /** Encodes an nlm_holder or nlm4_holder: the conflicting lock a TEST reports. */
  static void writeHolder(XdrEncoder out, int version, HeldLock holder) {
    out.writeBoolean(holder.type() == LockType.WRITE);
    out.writeInt(NlmOwners.svid(holder.owner()));
    byte[] oh = NlmOwners.ownerHandle(holder.owner());
    out.writeOpaque(oh.length > MAX_NETOBJ ? java.util.Arrays.copyOf(oh, MAX_NETOBJ) : oh);
    ByteRange r = holder.range();
    writeOffsetAndLength(out, version, r.offset(), r.toEnd() ? 0 : r.length());
  }

  /** Versions 1 and 3 clamp what does not fit 32 bits: the offset to the largest, the length to "to the end". */
  private static void writeOffsetAndLength(XdrEncoder out, int version, long offset, long length) {
    if (version == 4) {
      out.writeHyper(offset);
      out.writeHyper(length);
    } else {
      out.writeUnsignedInt(Long.compareUnsigned(offset, 0xFFFFFFFFL) > 0 ? 0xFFFFFFFFL : offset);
      out.writeUnsignedInt(Long.compareUnsigned(length, 0xFFFFFFFFL) > 0 ? 0 : length);
    }
  }
}
