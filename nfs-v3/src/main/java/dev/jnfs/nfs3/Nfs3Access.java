package dev.jnfs.nfs3;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;

/**
 * ACCESS (RFC 1813 §3.3.4): which of the asked access bits the caller holds. Bits the
 * protocol does not define are ignored. On a read-only export MODIFY, EXTEND and DELETE are
 * never granted, as the corresponding operations would answer ROFS. A file an NFSv4 client
 * holds a write delegation of is answered without its attributes.
 */
final class Nfs3Access extends Nfs3Procedure {
  private static final int MODIFYING = Access.MODIFY | Access.EXTEND | Access.DELETE;

  Nfs3Access() {
    super("ACCESS", FailureBody.POST_OP);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fh = r.readHandle();
    int requested = r.args().readInt() & Access.ALL;
    FileHandle handle = r.resolve(Nfs3Request.FIRST, fh);
    int granted = r.fs().access(r.caller(), handle, requested) & requested;
    if (r.options().readOnly()) {
      granted &= ~MODIFYING;
    }
    out.writeInt(NFS3_OK);
    // a write-delegated file's attributes may be behind the holder's: left out (RFC 8881 §10.4.3)
    r.writePostOp(out, r.writeDelegated(handle) ? null : r.current(Nfs3Request.FIRST));
    out.writeInt(granted);
  }
}
