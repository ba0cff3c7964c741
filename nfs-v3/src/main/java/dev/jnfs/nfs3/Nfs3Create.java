package dev.jnfs.nfs3;

import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;

/**
 * CREATE (RFC 1813 §3.3.8): makes a regular file. UNCHECKED opens an existing file (applying
 * the attributes), GUARDED fails with EXIST, EXCLUSIVE stores the client's createverf3 so
 * that a retransmitted request finds its own file and succeeds; the client then sets the
 * attributes with SETATTR.
 */
final class Nfs3Create extends Nfs3Procedure {
  Nfs3Create() {
    super("CREATE", FailureBody.WCC);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] dir = r.readHandle();
    byte[] rawName = r.readName();
    int how = r.args().readInt();
    CreateMode mode;
    SetAttributes attributes = SetAttributes.NONE;
    long verifier = 0;
    switch (how) {
      case 0, 1 -> {
        mode = how == 0 ? CreateMode.UNCHECKED : CreateMode.GUARDED;
        attributes = Nfs3Xdr.readSattr(r.args());
      }
      case 2 -> {
        mode = CreateMode.EXCLUSIVE;
        verifier = r.args().readHyper();
      }
      default -> throw new XdrException("createmode3 out of range: " + how);
    }
    String name = r.modifyingDirectoryCall(dir, rawName);
    if (mode == CreateMode.UNCHECKED) {
      r.recallDelegations(r.object(Nfs3Request.FIRST), name); // may truncate an existing file
    }
    FileEntry entry =
        r.fs().create(r.caller(), r.object(Nfs3Request.FIRST), name, mode, attributes, verifier);
    out.writeInt(NFS3_OK);
    r.writeCreated(out, entry);
  }
}
