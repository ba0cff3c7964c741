package dev.jnfs.nfs3;

import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.TimeUpdate;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import java.time.Instant;

/** Encoding and decoding of the NFSv3 data types shared by several procedures (RFC 1813 §2.5, §2.6). */
final class Nfs3Xdr {
  /** NFS3_FHSIZE: the largest file handle (RFC 1813 §2.4). */
  static final int FHSIZE = 64;
  /** NFS3_COOKIEVERFSIZE, NFS3_CREATEVERFSIZE and NFS3_WRITEVERFSIZE are all 8 bytes. */
  static final int VERIFIER_SIZE = 8;
  /** The encoded size of fattr3. */
  static final int FATTR_SIZE = 84;
  /** The encoded size of a post_op_attr that carries attributes. */
  static final int POST_OP_ATTR_SIZE = 4 + FATTR_SIZE;

  /** NF3REG .. NF3FIFO (RFC 1813 §2.6 ftype3). */
  static final int NF3REG = 1;
  static final int NF3DIR = 2;
  static final int NF3BLK = 3;
  static final int NF3CHR = 4;
  static final int NF3LNK = 5;
  static final int NF3SOCK = 6;
  static final int NF3FIFO = 7;

  private static final int DONT_CHANGE = 0;
  private static final int SET_TO_SERVER_TIME = 1;
  private static final int SET_TO_CLIENT_TIME = 2;

  private Nfs3Xdr() {}

  /** @return the ftype3 value of a type */
  static int ftype(FileType type) {
    return switch (type) {
      case REGULAR -> NF3REG;
      case DIRECTORY -> NF3DIR;
      case BLOCK_DEVICE -> NF3BLK;
      case CHAR_DEVICE -> NF3CHR;
      case SYMLINK -> NF3LNK;
      case SOCKET -> NF3SOCK;
      case FIFO -> NF3FIFO;
    };
  }

  /**
   * Writes an nfstime3: unsigned seconds and nanoseconds since the epoch. Times before 1970
   * or after 2106 wrap, as they do on every NFSv3 server.
   */
  static void writeTime(XdrEncoder out, Instant time) {
    out.writeUnsignedInt(time.getEpochSecond());
    out.writeInt(time.getNano());
  }

  /** {@link #writeTime(XdrEncoder, Instant)} into a block. */
  static void writeTime(XdrEncoder.Block out, Instant time) {
    out.writeUnsignedInt(time.getEpochSecond());
    out.writeInt(time.getNano());
  }

  /** Reads an nfstime3; a nanosecond field of a billion or more carries into the seconds. */
  static Instant readTime(XdrDecoder in) {
    long seconds = in.readUnsignedInt();
    long nanos = in.readUnsignedInt();
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /**
   * Writes fattr3. The mode carries only the permission, set-id and sticky bits, never the
   * type; fsid is the backend's with the export id mixed in, so two exports never look like one
   * file system to a client.
   */
  static void writeFattr(XdrEncoder out, FileAttributes a, int exportId) {
    XdrEncoder.Block block = out.block();
    writeFattr(block, a, exportId);
    block.end();
  }

  /** {@link #writeFattr(XdrEncoder, FileAttributes, int)} into a block. */
  static void writeFattr(XdrEncoder.Block out, FileAttributes a, int exportId) {
    DeviceNumber rdev = a.rdev() == null ? DeviceNumber.NONE : a.rdev();
    out.writeInt(ftype(a.type()))
        .writeInt(a.mode() & 07777)
        .writeInt(a.nlink())
        .writeInt(a.uid())
        .writeInt(a.gid())
        .writeHyper(a.size())
        .writeHyper(a.used())
        .writeInt(rdev.major())
        .writeInt(rdev.minor())
        .writeHyper(fsid(a, exportId))
        .writeHyper(a.fileid());
    writeTime(out, a.atime());
    writeTime(out, a.mtime());
    writeTime(out, a.ctime());
  }

  /** @return the fsid clients see for an object of an export */
  static long fsid(FileAttributes a, int exportId) {
    return a.fsid() ^ ((long) exportId << 32);
  }

  /** Writes post_op_attr: the attributes when known, else just FALSE. */
  static void writePostOpAttr(XdrEncoder out, FileAttributes a, int exportId) {
    if (a == null) {
      out.writeBoolean(false);
    } else {
      XdrEncoder.Block block = out.block();
      writePostOpAttr(block, a, exportId);
      block.end();
    }
  }

  /** {@link #writePostOpAttr(XdrEncoder, FileAttributes, int)} into a block. */
  static void writePostOpAttr(XdrEncoder.Block out, FileAttributes a, int exportId) {
    if (a == null) {
      out.writeBoolean(false);
    } else {
      out.writeBoolean(true);
      writeFattr(out, a, exportId);
    }
  }

  /** Writes pre_op_attr: size, mtime and ctime from before the operation, when known. */
  static void writePreOpAttr(XdrEncoder out, FileAttributes before) {
    if (before == null) {
      out.writeBoolean(false);
      return;
    }
    XdrEncoder.Block block = out.block();
    block.writeBoolean(true).writeHyper(before.size());
    writeTime(block, before.mtime());
    writeTime(block, before.ctime());
    block.end();
  }

  /** Writes post_op_fh3. */
  static void writePostOpFh(XdrEncoder out, byte[] handle) {
    if (handle == null) {
      out.writeBoolean(false);
    } else {
      out.writeBoolean(true);
      out.writeOpaque(handle);
    }
  }

  /** Reads sattr3 (RFC 1813 §2.6). Modes keep only their low twelve bits. */
  static SetAttributes readSattr(XdrDecoder in) {
    Integer mode = in.readBoolean() ? in.readInt() & 07777 : null;
    Integer uid = in.readBoolean() ? in.readInt() : null;
    Integer gid = in.readBoolean() ? in.readInt() : null;
    Long size = in.readBoolean() ? in.readHyper() : null;
    TimeUpdate atime = readTimeUpdate(in);
    TimeUpdate mtime = readTimeUpdate(in);
    return new SetAttributes(mode, uid, gid, size, atime, mtime);
  }

  private static TimeUpdate readTimeUpdate(XdrDecoder in) {
    int how = in.readInt();
    return switch (how) {
      case DONT_CHANGE -> TimeUpdate.UNCHANGED;
      case SET_TO_SERVER_TIME -> TimeUpdate.SERVER_TIME;
      case SET_TO_CLIENT_TIME -> TimeUpdate.to(readTime(in));
      default -> throw new XdrException("time_how out of range: " + how);
    };
  }
}
