package dev.jnfs.nfs3;

import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.xdr.XdrEncoder;

/** MKDIR (RFC 1813 §3.3.9): makes a directory. */
final class Nfs3Mkdir extends Nfs3Procedure {
  Nfs3Mkdir() {
    super("MKDIR", FailureBody.WCC);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] dir = r.readHandle();
    byte[] rawName = r.readName();
    SetAttributes attributes = Nfs3Xdr.readSattr(r.args());
    String name = r.modifyingDirectoryCall(dir, rawName);
    FileEntry entry = r.fs().mkdir(r.caller(), r.object(Nfs3Request.FIRST), name, attributes);
    out.writeInt(NFS3_OK);
    r.writeCreated(out, entry);
  }
}
