package dev.jnfs.nfs3;

import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;

/**
 * READDIRPLUS (RFC 1813 §3.3.17): a directory page whose entries carry attributes and
 * handles.
 */
final class Nfs3Readdirplus extends Nfs3Procedure {
  Nfs3Readdirplus() {
    super("READDIRPLUS", FailureBody.POST_OP);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fh = r.readHandle();
    long cookie = r.args().readHyper();
    long verifier = r.args().readHyper();
    long dircount = r.args().readUnsignedInt();
    long maxcount = r.args().readUnsignedInt();
    Nfs3DirectoryListing.list(r, out, fh, cookie, verifier, dircount, maxcount, true);
  }
}
