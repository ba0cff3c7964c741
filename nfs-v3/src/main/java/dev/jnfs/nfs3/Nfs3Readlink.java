package dev.jnfs.nfs3;

import dev.jnfs.spi.Capability;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.xdr.XdrEncoder;

/**
 * READLINK (RFC 1813 §3.3.5): a symbolic link's target; INVAL for other objects. Backends
 * without symlinks answer NOTSUPP (one of the procedure's listed errors).
 */
final class Nfs3Readlink extends Nfs3Procedure {
  Nfs3Readlink() {
    super("READLINK", FailureBody.POST_OP);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fh = r.readHandle();
    FileHandle handle = r.resolve(Nfs3Request.FIRST, fh);
    if (!r.fs().capabilities().contains(Capability.SYMLINKS)) {
      throw new NfsException(NfsStatus.NOTSUPP, "backend has no symbolic links");
    }
    String target = r.fs().readlink(r.caller(), handle);
    out.writeInt(NFS3_OK);
    r.writePostOp(out, Nfs3Request.FIRST);
    out.writeString(target);
  }
}
