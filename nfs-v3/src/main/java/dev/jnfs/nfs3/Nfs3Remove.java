package dev.jnfs.nfs3;

import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;

/** REMOVE (RFC 1813 §3.3.12): removes a non-directory name. */
final class Nfs3Remove extends Nfs3Procedure {
  Nfs3Remove() {
    super("REMOVE", FailureBody.WCC);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] dir = r.readHandle();
    byte[] rawName = r.readName();
    String name = r.modifyingDirectoryCall(dir, rawName);
    r.recallDelegations(r.object(Nfs3Request.FIRST), name);
    r.fs().remove(r.caller(), r.object(Nfs3Request.FIRST), name);
    out.writeInt(NFS3_OK);
    r.writeWcc(out, Nfs3Request.FIRST, null);
  }
}
