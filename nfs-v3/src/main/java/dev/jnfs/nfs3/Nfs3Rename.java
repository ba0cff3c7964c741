package dev.jnfs.nfs3;

import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;

/**
 * RENAME (RFC 1813 §3.3.14): moves a name, atomically replacing a compatible target. Both
 * directories must belong to one export (else XDEV).
 */
final class Nfs3Rename extends Nfs3Procedure {
  Nfs3Rename() {
    super("RENAME", FailureBody.WCC_WCC);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fromDir = r.readHandle();
    byte[] rawFrom = r.readName();
    byte[] toDir = r.readHandle();
    byte[] rawTo = r.readName();
    FileHandle from = r.resolve(Nfs3Request.FIRST, fromDir);
    FileHandle to = r.resolve(Nfs3Request.SECOND, toDir);
    r.requireWritable();
    String fromName = r.name(rawFrom);
    String toName = r.name(rawTo);
    r.preOp(Nfs3Request.FIRST);
    r.preOp(Nfs3Request.SECOND);
    r.recallDelegations(from, fromName);
    r.recallDelegations(to, toName);
    r.fs().rename(r.caller(), from, fromName, to, toName);
    out.writeInt(NFS3_OK);
    r.writeWcc(out, Nfs3Request.FIRST, null);
    r.writeWcc(out, Nfs3Request.SECOND, null);
  }
}
