package dev.jnfs.v4.testing;

import dev.jnfs.v4.Bitmap4;
import dev.jnfs.v4.Nfs4Opcode;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A test-side NFSv4 COMPOUND: a builder of COMPOUND4args and the decoder of the matching
 * COMPOUND4res. Each added operation brings the encoder of its arguments and the reader of its
 * resok body; {@link #op} adds any operation (the state operations, malformed ones).
 *
 * <pre>{@code
 * Reply r = client.call(Compound.v41().sequence(...).putrootfh().lookup("data").getfh());
 * byte[] fh = r.last().value();
 * }</pre>
 */
public final class Compound {
  /** Reads the body of a successful result; null for results without one. */
  @FunctionalInterface
  public interface ResultReader {
    /**
     * @param in a decoder after the status
     * @return the decoded value
     */
    Object read(XdrDecoder in);
  }

  private record Op(int opcode, Consumer<XdrEncoder> args, ResultReader reader) {}

  private static final ResultReader NONE = in -> null;

  private final int minorVersion;
  private byte[] tag = new byte[0];
  private final List<Op> ops = new ArrayList<>();
  private Integer declaredCount;

  private Compound(int minorVersion) {
    this.minorVersion = minorVersion;
  }

  /** @return an empty NFSv4.0 COMPOUND */
  public static Compound v40() {
    return new Compound(0);
  }

  /** @return an empty NFSv4.1 COMPOUND */
  public static Compound v41() {
    return new Compound(1);
  }

  /**
   * @param minorVersion any minor version, valid or not
   * @return an empty COMPOUND
   */
  public static Compound minor(int minorVersion) {
    return new Compound(minorVersion);
  }

  /** @return the minor version */
  public int minorVersion() {
    return minorVersion;
  }

  /**
   * @param value the tag
   * @return this
   */
  public Compound tag(String value) {
    this.tag = value.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /**
   * Makes the encoded operation count differ from the operations added (hostile input).
   *
   * @param count the count to send
   * @return this
   */
  public Compound declareCount(int count) {
    this.declaredCount = count;
    return this;
  }

  /**
   * Adds any operation.
   *
   * @param opcode the opcode to send
   * @param args encodes its arguments (may write anything, even garbage)
   * @param reader decodes its resok body
   * @return this
   */
  public Compound op(int opcode, Consumer<XdrEncoder> args, ResultReader reader) {
    ops.add(new Op(opcode, args, reader));
    return this;
  }

  // ---- filehandle operations

  /** @return this with PUTROOTFH */
  public Compound putrootfh() {
    return op(Nfs4Opcode.PUTROOTFH, a -> {}, NONE);
  }

  /** @return this with PUTPUBFH */
  public Compound putpubfh() {
    return op(Nfs4Opcode.PUTPUBFH, a -> {}, NONE);
  }

  /**
   * @param fh a filehandle
   * @return this with PUTFH
   */
  public Compound putfh(byte[] fh) {
    return op(Nfs4Opcode.PUTFH, a -> a.writeOpaque(fh), NONE);
  }

  /** @return this with GETFH; the value is the handle's bytes */
  public Compound getfh() {
    return op(Nfs4Opcode.GETFH, a -> {}, in -> in.readOpaque(128));
  }

  /** @return this with SAVEFH */
  public Compound savefh() {
    return op(Nfs4Opcode.SAVEFH, a -> {}, NONE);
  }

  /** @return this with RESTOREFH */
  public Compound restorefh() {
    return op(Nfs4Opcode.RESTOREFH, a -> {}, NONE);
  }

  /**
   * @param name the component
   * @return this with LOOKUP
   */
  public Compound lookup(String name) {
    return lookup(name.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param name the component's raw bytes
   * @return this with LOOKUP
   */
  public Compound lookup(byte[] name) {
    return op(Nfs4Opcode.LOOKUP, a -> a.writeOpaque(name), NONE);
  }

  /** @return this with LOOKUPP */
  public Compound lookupp() {
    return op(Nfs4Opcode.LOOKUPP, a -> {}, NONE);
  }

  /**
   * @param attributes attribute numbers
   * @return this with GETATTR; the value is an {@link Attrs}
   */
  public Compound getattr(int... attributes) {
    Bitmap4 bm = Bitmap4.of(attributes);
    return op(Nfs4Opcode.GETATTR, bm::encode, Attrs::decode);
  }

  /**
   * @param access ACCESS4 bits
   * @return this with ACCESS; the value is {@code int[]{supported, access}}
   */
  public Compound access(int access) {
    return op(Nfs4Opcode.ACCESS, a -> a.writeInt(access), in -> new int[] {in.readInt(), in.readInt()});
  }

  /** @return this with READLINK; the value is the target */
  public Compound readlink() {
    return op(Nfs4Opcode.READLINK, a -> {}, in -> in.readString(4096));
  }

  /**
   * @param stateid the stateid
   * @param offset where
   * @param count how much
   * @return this with READ; the value is a {@link ReadReply}
   */
  public Compound read(Stateid stateid, long offset, int count) {
    return op(Nfs4Opcode.READ, a -> {
      stateid.encode(a);
      a.writeHyper(offset).writeInt(count);
    }, in -> new ReadReply(in.readBoolean(), in.readOpaque(Integer.MAX_VALUE)));
  }

  /**
   * @param stateid the stateid
   * @param offset where
   * @param stable UNSTABLE4 0, DATA_SYNC4 1, FILE_SYNC4 2
   * @param data the bytes
   * @return this with WRITE; the value is a {@link WriteReply}
   */
  public Compound write(Stateid stateid, long offset, int stable, byte[] data) {
    return op(Nfs4Opcode.WRITE, a -> {
      stateid.encode(a);
      a.writeHyper(offset).writeInt(stable).writeOpaque(data);
    }, in -> new WriteReply(in.readInt(), in.readInt(), in.readHyper()));
  }

  /**
   * @param offset start
   * @param count length
   * @return this with COMMIT; the value is the verifier
   */
  public Compound commit(long offset, int count) {
    return op(Nfs4Opcode.COMMIT, a -> a.writeHyper(offset).writeInt(count), XdrDecoder::readHyper);
  }

  /**
   * @param name the directory's name
   * @param attrs the createattrs
   * @return this with CREATE of a directory; the value is a {@link ChangeReply}
   */
  public Compound mkdir(String name, Attrs.Builder attrs) {
    return op(Nfs4Opcode.CREATE, a -> {
      a.writeInt(2);
      a.writeString(name);
      attrs.encode(a);
    }, ChangeReply::decodeCreate);
  }

  /**
   * @param name the link's name
   * @param target its contents
   * @return this with CREATE of a symbolic link; the value is a {@link ChangeReply}
   */
  public Compound symlink(String name, String target) {
    return op(Nfs4Opcode.CREATE, a -> {
      a.writeInt(5);
      a.writeString(target);
      a.writeString(name);
      Attrs.set().encode(a);
    }, ChangeReply::decodeCreate);
  }

  /**
   * @param type nfs_ftype4 (3 BLK, 4 CHR, 6 SOCK, 7 FIFO, or any other to test BADTYPE)
   * @param name the name
   * @param major device major (BLK, CHR)
   * @param minor device minor
   * @return this with CREATE of a special file; the value is a {@link ChangeReply}
   */
  public Compound mknod(int type, String name, int major, int minor) {
    return op(Nfs4Opcode.CREATE, a -> {
      a.writeInt(type);
      if (type == 3 || type == 4) {
        a.writeInt(major).writeInt(minor);
      }
      a.writeString(name);
      Attrs.set().encode(a);
    }, ChangeReply::decodeCreate);
  }

  /**
   * @param name the new name in the current directory for the saved object
   * @return this with LINK; the value is a {@link ChangeReply}
   */
  public Compound link(String name) {
    return op(Nfs4Opcode.LINK, a -> a.writeString(name), ChangeReply::decode);
  }

  /**
   * @param name the name
   * @return this with REMOVE; the value is a {@link ChangeReply}
   */
  public Compound remove(String name) {
    return op(Nfs4Opcode.REMOVE, a -> a.writeString(name), ChangeReply::decode);
  }

  /**
   * @param from the name in the saved directory
   * @param to the name in the current directory
   * @return this with RENAME; the value is {@code ChangeReply[]{source, target}}
   */
  public Compound rename(String from, String to) {
    return op(Nfs4Opcode.RENAME, a -> a.writeString(from).writeString(to),
        in -> new ChangeReply[] {ChangeReply.decode(in), ChangeReply.decode(in)});
  }

  /**
   * @param cookie the cookie
   * @param verifier the cookie verifier
   * @param dircount dircount
   * @param maxcount maxcount
   * @param attributes the attributes per entry
   * @return this with READDIR; the value is a {@link DirList}
   */
  public Compound readdir(long cookie, long verifier, int dircount, int maxcount, int... attributes) {
    Bitmap4 bm = Bitmap4.of(attributes);
    return op(Nfs4Opcode.READDIR, a -> {
      a.writeHyper(cookie).writeHyper(verifier).writeInt(dircount).writeInt(maxcount);
      bm.encode(a);
    }, DirList::decode);
  }

  /**
   * @param stateid the stateid
   * @param attrs what to set
   * @return this with SETATTR; the value is the attrsset {@link Bitmap4}
   */
  public Compound setattr(Stateid stateid, Attrs.Builder attrs) {
    return op(Nfs4Opcode.SETATTR, a -> {
      stateid.encode(a);
      attrs.encode(a);
    }, Bitmap4::decode);
  }

  /**
   * @param attrs the attributes to compare
   * @return this with VERIFY
   */
  public Compound verify(Attrs.Builder attrs) {
    return op(Nfs4Opcode.VERIFY, attrs::encode, NONE);
  }

  /**
   * @param attrs the attributes to compare
   * @return this with NVERIFY
   */
  public Compound nverify(Attrs.Builder attrs) {
    return op(Nfs4Opcode.NVERIFY, attrs::encode, NONE);
  }

  /**
   * @param name the name
   * @return this with SECINFO; the value is the list of flavors
   */
  public Compound secinfo(String name) {
    return op(Nfs4Opcode.SECINFO, a -> a.writeString(name), Compound::readSecinfo);
  }

  /**
   * @param style SECINFO_STYLE4_CURRENT_FH 0 or SECINFO_STYLE4_PARENT 1
   * @return this with SECINFO_NO_NAME; the value is the list of flavors
   */
  public Compound secinfoNoName(int style) {
    return op(Nfs4Opcode.SECINFO_NO_NAME, a -> a.writeInt(style), Compound::readSecinfo);
  }

  private static Object readSecinfo(XdrDecoder in) {
    int n = in.readArrayLength(64, 4);
    List<Integer> flavors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int flavor = in.readInt();
      flavors.add(flavor);
      if (flavor == 6) {
        in.readOpaque(1024);
        in.readInt();
        in.readInt();
      }
    }
    return flavors;
  }

  // ---- sessions (4.1)

  /**
   * @param ownerId the client owner's id
   * @param verifier the client's boot verifier
   * @return this with EXCHANGE_ID (SP4_NONE, no implementation id); the value is the clientid
   *     and the sequenceid for CREATE_SESSION, as {@code long[]{clientid, sequenceid}}
   */
  public Compound exchangeId(String ownerId, long verifier) {
    return op(Nfs4Opcode.EXCHANGE_ID, a -> {
      a.writeHyper(verifier);
      a.writeOpaque(ownerId.getBytes(StandardCharsets.UTF_8));
      a.writeInt(0); // flags
      a.writeInt(0); // SP4_NONE
      a.writeInt(0); // no nfs_impl_id4
    }, in -> {
      long clientId = in.readHyper();
      long sequence = in.readUnsignedInt();
      in.readInt(); // flags
      in.readInt(); // SP4_NONE
      in.readHyper(); // so_minor_id
      in.readOpaque(1024); // so_major_id
      in.readOpaque(1024); // scope
      int impl = in.readInt();
      for (int i = 0; i < impl; i++) {
        in.readOpaque(1024);
        in.readOpaque(1024);
        in.readHyper();
        in.readInt();
      }
      return new long[] {clientId, sequence};
    });
  }

  /**
   * @param clientId the clientid from EXCHANGE_ID
   * @param sequence the sequenceid from EXCHANGE_ID
   * @param maxOperations the fore channel's ca_maxoperations to ask for
   * @return this with CREATE_SESSION (one slot wanted per 16 requests, AUTH_NONE callbacks);
   *     the value is the 16-byte session id
   */
  public Compound createSession(long clientId, int sequence, int maxOperations) {
    return op(Nfs4Opcode.CREATE_SESSION, a -> {
      a.writeHyper(clientId).writeInt(sequence).writeInt(0);
      channel(a, maxOperations);
      channel(a, 8);
      a.writeInt(0x40000000); // cb_program
      a.writeInt(1).writeInt(0); // AUTH_NONE
    }, in -> {
      byte[] session = in.readFixedOpaque(16);
      in.readInt();
      in.readInt();
      for (int c = 0; c < 2; c++) {
        for (int i = 0; i < 6; i++) {
          in.readInt();
        }
        int ird = in.readInt();
        for (int i = 0; i < ird; i++) {
          in.readInt();
        }
      }
      return session;
    });
  }

  private static void channel(XdrEncoder a, int maxOperations) {
    a.writeInt(0).writeInt(1 << 20).writeInt(1 << 20).writeInt(8192).writeInt(maxOperations)
        .writeInt(16).writeInt(0);
  }

  /**
   * @param sessionId the session
   * @param sequenceId the slot's sequence id for this request
   * @param slot the slot
   * @param cacheThis whether the reply is to be cached
   * @return this with SEQUENCE; the value is the sequence id echoed
   */
  public Compound sequence(byte[] sessionId, int sequenceId, int slot, boolean cacheThis) {
    return op(Nfs4Opcode.SEQUENCE, a -> {
      a.writeFixedOpaque(sessionId);
      a.writeInt(sequenceId).writeInt(slot).writeInt(slot).writeBoolean(cacheThis);
    }, in -> {
      in.readFixedOpaque(16);
      int seq = in.readInt();
      for (int i = 0; i < 4; i++) {
        in.readInt();
      }
      return seq;
    });
  }

  /**
   * @param oneFs whether only this file system's state is reclaimed
   * @return this with RECLAIM_COMPLETE
   */
  public Compound reclaimComplete(boolean oneFs) {
    return op(Nfs4Opcode.RECLAIM_COMPLETE, a -> a.writeBoolean(oneFs), in -> null);
  }

  // ---- encoding and decoding

  /** @param out where to encode the COMPOUND4args */
  public void encode(XdrEncoder out) {
    out.writeOpaque(tag);
    out.writeInt(minorVersion);
    out.writeInt(declaredCount != null ? declaredCount : ops.size());
    for (Op op : ops) {
      out.writeInt(op.opcode);
      op.args.accept(out);
    }
  }

  /**
   * Decodes a COMPOUND4res, reading each result with the reader of the operation it answers.
   *
   * @param in a decoder at the COMPOUND4res
   * @return the reply
   */
  public Reply decode(XdrDecoder in) {
    int status = in.readInt();
    String replyTag = new String(in.readOpaque(4096), StandardCharsets.UTF_8);
    int n = in.readInt();
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int opcode = in.readInt();
      int opStatus = in.readInt();
      Object value = null;
      if (opStatus == Nfs4Status.OK && i < ops.size() && opcode == ops.get(i).opcode) {
        value = ops.get(i).reader.read(in);
      }
      results.add(new Result(opcode, opStatus, value));
      if (opStatus != Nfs4Status.OK) {
        break;
      }
    }
    return new Reply(status, replyTag, results);
  }

  /**
   * @param eof whether the end was reached
   * @param data the bytes
   */
  public record ReadReply(boolean eof, byte[] data) {}

  /**
   * @param count bytes written
   * @param committed stable_how4 reached
   * @param verifier the write verifier
   */
  public record WriteReply(int count, int committed, long verifier) {}
}
