package dev.jnfs.nfs3;

import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FsProperties;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;

/**
 * PATHCONF (RFC 1813 §3.3.20): POSIX limits. Over-long names are refused (no_trunc), never
 * truncated.
 */
final class Nfs3Pathconf extends Nfs3Procedure {
  Nfs3Pathconf() {
    super("PATHCONF", FailureBody.POST_OP);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fh = r.readHandle();
    FileHandle handle = r.resolve(Nfs3Request.FIRST, fh);
    FileAttributes attributes = r.fs().getattr(r.caller(), handle);
    FsProperties p = r.fs().properties();
    out.writeInt(NFS3_OK);
    r.writePostOp(out, attributes);
    out.writeInt(p.maxLinkCount());
    out.writeInt(p.maxNameLength());
    out.writeBoolean(true);
    out.writeBoolean(p.chownRestricted());
    out.writeBoolean(p.caseInsensitive());
    out.writeBoolean(p.casePreserving());
  }
}
