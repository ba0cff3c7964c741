package dev.jnfs.nfs3;

import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;

/**
 * LOOKUP (RFC 1813 §3.3.3): finds a name in a directory. "." and ".." are the backend's to
 * answer; ".." of the export root is the root itself, so no lookup leaves the export. A file
 * an NFSv4 client holds a write delegation of is answered without its attributes.
 */
final class Nfs3Lookup extends Nfs3Procedure {
  Nfs3Lookup() {
    super("LOOKUP", FailureBody.POST_OP);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fh = r.readHandle();
    byte[] rawName = r.readName();
    FileHandle dir = r.resolve(Nfs3Request.FIRST, fh);
    String name = r.name(rawName);
    FileEntry entry = r.fs().lookup(r.caller(), dir, name);
    out.writeInt(NFS3_OK);
    out.writeOpaque(r.wire(entry.handle()));
    // a write-delegated file's attributes may be behind the holder's: left out, the client's
    // GETATTR recalls the delegation (RFC 8881 §10.4.3)
    r.writePostOp(out, r.writeDelegated(entry.handle()) ? null : entry.attributes());
    // the directory as the backend saw it during the lookup, else as it is now
    r.writePostOp(out, entry.directory() != null ? entry.directory() : r.current(Nfs3Request.FIRST));
  }
}
