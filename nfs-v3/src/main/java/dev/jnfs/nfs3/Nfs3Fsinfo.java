package dev.jnfs.nfs3;

import dev.jnfs.spi.Capability;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FsProperties;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * FSINFO (RFC 1813 §3.3.19): the server's transfer sizes and the file system's static
 * properties. rtmax and wtmax are the server's limits and also the preferred sizes (the
 * Linux client mounts with the preferred size unless told otherwise); the preferred READDIR
 * size is capped at {@link #DTPREF_MAX}; sizes are multiples of {@link #MULTIPLE}.
 */
final class Nfs3Fsinfo extends Nfs3Procedure {
  /** The preferred READDIR size at most. */
  static final int DTPREF_MAX = 1 << 20;
  /** rtmult and wtmult: a page. */
  static final int MULTIPLE = 4096;
  static final int FSF3_LINK = 0x0001;
  static final int FSF3_SYMLINK = 0x0002;
  static final int FSF3_HOMOGENEOUS = 0x0008;
  static final int FSF3_CANSETTIME = 0x0010;

  Nfs3Fsinfo() {
    super("FSINFO", FailureBody.POST_OP);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fh = r.readHandle();
    FileHandle handle = r.resolve(Nfs3Request.FIRST, fh);
    FileAttributes attributes = r.fs().getattr(r.caller(), handle);
    FsProperties p = r.fs().properties();
    Set<Capability> capabilities = r.fs().capabilities();
    int rtmax = r.context().maxReadSize();
    int wtmax = r.context().maxWriteSize();
    out.writeInt(NFS3_OK);
    r.writePostOp(out, attributes);
    out.writeInt(rtmax);
    out.writeInt(rtmax);
    out.writeInt(MULTIPLE);
    out.writeInt(wtmax);
    out.writeInt(wtmax);
    out.writeInt(MULTIPLE);
    out.writeInt(Math.min(rtmax, DTPREF_MAX));
    out.writeHyper(p.maxFileSize());
    Duration delta = p.timeDelta();
    Nfs3Xdr.writeTime(out, Instant.ofEpochSecond(delta.getSeconds(), delta.getNano()));
    int properties = FSF3_HOMOGENEOUS | FSF3_CANSETTIME;
    if (capabilities.contains(Capability.HARD_LINKS)) {
      properties |= FSF3_LINK;
    }
    if (capabilities.contains(Capability.SYMLINKS)) {
      properties |= FSF3_SYMLINK;
    }
    out.writeInt(properties);
  }
}
