package dev.jnfs.nfs3;

import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;

/**
 * GETATTR (RFC 1813 §3.3.1): an object's attributes. A file an NFSv4 client holds a write
 * delegation of is recalled first (JUKEBOX meanwhile): its size may be the holder's to tell.
 */
final class Nfs3Getattr extends Nfs3Procedure {
  Nfs3Getattr() {
    super("GETATTR", FailureBody.NONE);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fh = r.readHandle();
    FileHandle handle = r.resolve(Nfs3Request.FIRST, fh);
    r.recallWriteDelegations(handle);
    FileAttributes attributes = r.fs().getattr(r.caller(), handle);
    out.writeInt(NFS3_OK);
    r.writeAttributes(out, attributes);
  }
}
