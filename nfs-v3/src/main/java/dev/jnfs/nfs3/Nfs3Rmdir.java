package dev.jnfs.nfs3;

import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;

/** RMDIR (RFC 1813 §3.3.13): removes an empty directory. */
final class Nfs3Rmdir extends Nfs3Procedure {
  Nfs3Rmdir() {
    super("RMDIR", FailureBody.WCC);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] dir = r.readHandle();
    byte[] rawName = r.readName();
    String name = r.modifyingDirectoryCall(dir, rawName);
    r.fs().rmdir(r.caller(), r.object(Nfs3Request.FIRST), name);
    out.writeInt(NFS3_OK);
    r.writeWcc(out, Nfs3Request.FIRST, null);
  }
}
