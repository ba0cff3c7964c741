package dev.jnfs.nfs3;

import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FsStat;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;

/** FSSTAT (RFC 1813 §3.3.18): space and file counts; invarsec 0 (they change any time). */
final class Nfs3Fsstat extends Nfs3Procedure {
  Nfs3Fsstat() {
    super("FSSTAT", FailureBody.POST_OP);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fh = r.readHandle();
    FileHandle handle = r.resolve(Nfs3Request.FIRST, fh);
    FsStat stat = r.fs().fsstat(r.caller(), handle);
    out.writeInt(NFS3_OK);
    r.writePostOp(out, Nfs3Request.FIRST);
    out.writeHyper(stat.totalBytes());
    out.writeHyper(stat.freeBytes());
    out.writeHyper(stat.availableBytes());
    out.writeHyper(stat.totalFiles());
    out.writeHyper(stat.freeFiles());
    out.writeHyper(stat.availableFiles());
    out.writeInt(0);
  }
}
