package dev.jnfs.nfs3;

import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.xdr.XdrEncoder;
import java.time.Instant;

/**
 * SETATTR (RFC 1813 §3.3.2): changes attributes, optionally guarded by the object's ctime
 * (a mismatch answers NOT_SYNC; the backend makes check and change atomic).
 */
final class Nfs3Setattr extends Nfs3Procedure {
  Nfs3Setattr() {
    super("SETATTR", FailureBody.WCC);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fh = r.readHandle();
    SetAttributes changes = Nfs3Xdr.readSattr(r.args());
    Instant guard = r.args().readBoolean() ? Nfs3Xdr.readTime(r.args()) : null;
    FileHandle handle = r.resolve(Nfs3Request.FIRST, fh);
    r.requireWritable();
    r.recallDelegations(handle);
    r.preOp(Nfs3Request.FIRST);
    FileAttributes after = r.fs().setattr(r.caller(), handle, changes, guard);
    out.writeInt(NFS3_OK);
    r.writeWcc(out, Nfs3Request.FIRST, after);
  }
}
