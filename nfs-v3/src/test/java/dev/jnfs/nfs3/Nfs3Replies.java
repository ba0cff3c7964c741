package dev.jnfs.nfs3;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Decoders for NFSv3 results and encoders for arguments, written from RFC 1813 for the tests. */
final class Nfs3Replies {
  private Nfs3Replies() {}

  /** fattr3. */
  record Fattr(int type, int mode, int nlink, int uid, int gid, long size, long used, int major,
      int minor, long fsid, long fileid, Instant atime, Instant mtime, Instant ctime) {}

  /** wcc_attr. */
  record WccAttr(long size, Instant mtime, Instant ctime) {}

  /** wcc_data. */
  record Wcc(WccAttr before, Fattr after) {}

  static Instant time(XdrDecoder d) {
    long s = d.readUnsignedInt();
    long n = d.readUnsignedInt();
    return Instant.ofEpochSecond(s, n);
  }

  static Fattr fattr(XdrDecoder d) {
    return new Fattr(d.readInt(), d.readInt(), d.readInt(), d.readInt(), d.readInt(), d.readHyper(),
        d.readHyper(), d.readInt(), d.readInt(), d.readHyper(), d.readHyper(), time(d), time(d), time(d));
  }

  static Fattr postOp(XdrDecoder d) {
    return d.readBoolean() ? fattr(d) : null;
  }

  static Wcc wcc(XdrDecoder d) {
    WccAttr before = d.readBoolean() ? new WccAttr(d.readHyper(), time(d), time(d)) : null;
    return new Wcc(before, postOp(d));
  }

  static byte[] postOpFh(XdrDecoder d) {
    return d.readBoolean() ? d.readOpaque(64) : null;
  }

  static void name(XdrEncoder e, String name) {
    e.writeOpaque(name.getBytes(StandardCharsets.UTF_8));
  }

  /** A sattr3 that sets nothing. */
  static void noSattr(XdrEncoder e) {
    for (int i = 0; i < 6; i++) {
      e.writeInt(0);
    }
  }

  /** A sattr3 that sets only the mode. */
  static void modeSattr(XdrEncoder e, int mode) {
    e.writeBoolean(true).writeInt(mode);
    for (int i = 0; i < 5; i++) {
      e.writeInt(0);
    }
  }

  /** A sattr3 that sets only the size. */
  static void sizeSattr(XdrEncoder e, long size) {
    e.writeInt(0).writeInt(0).writeInt(0);
    e.writeBoolean(true).writeHyper(size);
    e.writeInt(0).writeInt(0);
  }
}
