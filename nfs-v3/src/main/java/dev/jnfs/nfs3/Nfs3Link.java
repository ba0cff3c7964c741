package dev.jnfs.nfs3;

import dev.jnfs.spi.Capability;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.xdr.XdrEncoder;

/**
 * LINK (RFC 1813 §3.3.15): adds a hard link to a non-directory. Backends without hard links
 * answer NOTSUPP.
 */
final class Nfs3Link extends Nfs3Procedure {
  Nfs3Link() {
    super("LINK", FailureBody.POST_OP_WCC);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fileHandle = r.readHandle();
    byte[] dirHandle = r.readHandle();
    byte[] rawName = r.readName();
    FileHandle file = r.resolve(Nfs3Request.FIRST, fileHandle);
    FileHandle dir = r.resolve(Nfs3Request.SECOND, dirHandle);
    r.requireWritable();
    String name = r.name(rawName);
    if (!r.fs().capabilities().contains(Capability.HARD_LINKS)) {
      throw new NfsException(NfsStatus.NOTSUPP, "backend has no hard links");
    }
    r.preOp(Nfs3Request.SECOND);
    r.recallDelegations(file);
    FileAttributes after = r.fs().link(r.caller(), file, dir, name);
    out.writeInt(NFS3_OK);
    r.writePostOp(out, after);
    r.writeWcc(out, Nfs3Request.SECOND, null);
  }
}
