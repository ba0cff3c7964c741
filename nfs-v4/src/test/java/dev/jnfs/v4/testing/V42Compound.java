package dev.jnfs.v4.testing;

import dev.jnfs.v4.Nfs4Opcode;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The NFSv4.2 operations (RFC 7862, RFC 8276) for a test {@link Compound}. */
public final class V42Compound {
  private V42Compound() {}

  /** A SEEK result. */
  public record SeekReply(boolean eof, long offset) {}

  /** One READ_PLUS segment: data (with its bytes) or a hole (with its length). */
  public record Segment(boolean hole, long offset, long length, byte[] data) {}

  /** A READ_PLUS result. */
  public record ReadPlusReply(boolean eof, List<Segment> segments) {}

  /** A COPY result. */
  public record CopyReply(int callbackIds, long count, int committed, boolean consecutive,
      boolean synchronous) {}

  /**
   * A COPY result with its callback stateid and verifier.
   *
   * @param callbackId {@code wr_callback_id}: the copy stateid of an asynchronous copy, else null
   * @param count {@code wr_count}
   * @param committed {@code wr_committed}
   * @param verifier {@code wr_writeverf}
   * @param consecutive {@code cr_consecutive}
   * @param synchronous {@code cr_synchronous}
   */
  public record CopyResult(Stateid callbackId, long count, int committed, long verifier, boolean consecutive,
      boolean synchronous) {}

  /**
   * An OFFLOAD_STATUS result.
   *
   * @param count {@code osr_count}
   * @param complete {@code osr_complete}: the copy's status once over, else null
   */
  public record OffloadStatusReply(long count, Integer complete) {}

  /** A LISTXATTRS result. */
  public record ListReply(long cookie, List<String> names, boolean eof) {}

  /** @return this with SEEK (what: 0 data, 1 hole) */
  public static Compound seek(Compound c, Stateid stateid, long offset, int what) {
    return c.op(Nfs4Opcode.SEEK, a -> {
      stateid.encode(a);
      a.writeHyper(offset).writeInt(what);
    }, in -> new SeekReply(in.readBoolean(), in.readHyper()));
  }

  /** @return this with READ_PLUS */
  public static Compound readPlus(Compound c, Stateid stateid, long offset, int count) {
    return c.op(Nfs4Opcode.READ_PLUS, a -> {
      stateid.encode(a);
      a.writeHyper(offset).writeInt(count);
    }, V42Compound::readPlusReply);
  }

  private static ReadPlusReply readPlusReply(XdrDecoder in) {
    boolean eof = in.readBoolean();
    int n = in.readInt();
    List<Segment> segments = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int content = in.readInt();
      long offset = in.readHyper();
      if (content == 0) {
        byte[] data = in.readOpaque(Integer.MAX_VALUE);
        segments.add(new Segment(false, offset, data.length, data));
      } else {
        segments.add(new Segment(true, offset, in.readHyper(), null));
      }
    }
    return new ReadPlusReply(eof, segments);
  }

  /** @return this with ALLOCATE */
  public static Compound allocate(Compound c, Stateid stateid, long offset, long length) {
    return c.op(Nfs4Opcode.ALLOCATE, a -> {
      stateid.encode(a);
      a.writeHyper(offset).writeHyper(length);
    }, in -> null);
  }

  /** @return this with DEALLOCATE */
  public static Compound deallocate(Compound c, Stateid stateid, long offset, long length) {
    return c.op(Nfs4Opcode.DEALLOCATE, a -> {
      stateid.encode(a);
      a.writeHyper(offset).writeHyper(length);
    }, in -> null);
  }

  /** @return this with COPY (SAVED_FH to CURRENT_FH), with {@code sourceServers} NL4_NAME entries */
  public static Compound copy(Compound c, Stateid source, Stateid destination, long sourceOffset,
      long destinationOffset, long count, int sourceServers) {
    return c.op(Nfs4Opcode.COPY, a -> {
      source.encode(a);
      destination.encode(a);
      a.writeHyper(sourceOffset).writeHyper(destinationOffset).writeHyper(count);
      a.writeBoolean(false).writeBoolean(true);
      a.writeInt(sourceServers);
      for (int i = 0; i < sourceServers; i++) {
        a.writeInt(1).writeString("elsewhere");
      }
    }, in -> {
      int ids = in.readInt();
      for (int i = 0; i < ids; i++) {
        in.readInt();
        in.readFixedOpaque(12);
      }
      long count1 = in.readHyper();
      int committed = in.readInt();
      in.readHyper();
      return new CopyReply(ids, count1, committed, in.readBoolean(), in.readBoolean());
    });
  }

  /** @return this with an intra-server COPY (SAVED_FH to CURRENT_FH), synchronous or not as asked */
  public static Compound copy(Compound c, Stateid source, Stateid destination, long sourceOffset,
      long destinationOffset, long count, boolean synchronous) {
    return c.op(Nfs4Opcode.COPY, a -> {
      source.encode(a);
      destination.encode(a);
      a.writeHyper(sourceOffset).writeHyper(destinationOffset).writeHyper(count);
      a.writeBoolean(true).writeBoolean(synchronous);
      a.writeInt(0);
    }, in -> {
      Stateid callbackId = in.readInt() == 0 ? null : Stateid.decode(in);
      long count1 = in.readHyper();
      int committed = in.readInt();
      long verifier = in.readHyper();
      return new CopyResult(callbackId, count1, committed, verifier, in.readBoolean(), in.readBoolean());
    });
  }

  /** @return this with OFFLOAD_STATUS */
  public static Compound offloadStatus(Compound c, Stateid stateid) {
    return c.op(Nfs4Opcode.OFFLOAD_STATUS, stateid::encode, in -> {
      long count = in.readHyper();
      return new OffloadStatusReply(count, in.readInt() == 0 ? null : in.readInt());
    });
  }

  /** @return this with CLONE (SAVED_FH to CURRENT_FH) */
  public static Compound cloneRange(Compound c, Stateid source, Stateid destination, long sourceOffset,
      long destinationOffset, long count) {
    return c.op(Nfs4Opcode.CLONE, a -> {
      source.encode(a);
      destination.encode(a);
      a.writeHyper(sourceOffset).writeHyper(destinationOffset).writeHyper(count);
    }, in -> null);
  }

  /** @return this with IO_ADVISE of one hint; the value is the number of bitmap words answered */
  public static Compound ioAdvise(Compound c, Stateid stateid, int hint) {
    return c.op(Nfs4Opcode.IO_ADVISE, a -> {
      stateid.encode(a);
      a.writeHyper(0).writeHyper(0).writeInt(1).writeInt(1 << hint);
    }, in -> {
      int words = in.readInt();
      for (int i = 0; i < words; i++) {
        in.readInt();
      }
      return words;
    });
  }

  /** @return this with an operation whose arguments are one stateid (OFFLOAD_STATUS, OFFLOAD_CANCEL) */
  public static Compound withStateid(Compound c, int opcode, Stateid stateid) {
    return c.op(opcode, stateid::encode, in -> null);
  }

  /** @return this with GETXATTR; the value is the bytes */
  public static Compound getxattr(Compound c, String name) {
    return c.op(Nfs4Opcode.GETXATTR, a -> a.writeString(name), in -> in.readOpaque(1 << 20));
  }

  /** @return this with SETXATTR (option: 0 either, 1 create, 2 replace); the value is a {@link ChangeReply} */
  public static Compound setxattr(Compound c, int option, String name, byte[] value) {
    return c.op(Nfs4Opcode.SETXATTR, a -> {
      a.writeInt(option).writeString(name).writeOpaque(value);
    }, ChangeReply::decode);
  }

  /** @return this with REMOVEXATTR; the value is a {@link ChangeReply} */
  public static Compound removexattr(Compound c, String name) {
    return c.op(Nfs4Opcode.REMOVEXATTR, a -> a.writeString(name), ChangeReply::decode);
  }

  /** @return this with LISTXATTRS */
  public static Compound listxattrs(Compound c, long cookie, int maxCount) {
    return c.op(Nfs4Opcode.LISTXATTRS, a -> a.writeHyper(cookie).writeInt(maxCount), in -> {
      long next = in.readHyper();
      int n = in.readInt();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        names.add(new String(in.readOpaque(1024), StandardCharsets.UTF_8));
      }
      return new ListReply(next, names, in.readBoolean());
    });
  }

}
