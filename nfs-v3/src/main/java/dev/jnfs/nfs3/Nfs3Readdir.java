package dev.jnfs.nfs3;

import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;

/** READDIR (RFC 1813 §3.3.16): names and file ids of a directory, one page per call. */
final class Nfs3Readdir extends Nfs3Procedure {
  Nfs3Readdir() {
    super("READDIR", FailureBody.POST_OP);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fh = r.readHandle();
    long cookie = r.args().readHyper();
    long verifier = r.args().readHyper();
    long count = r.args().readUnsignedInt();
    Nfs3DirectoryListing.list(r, out, fh, cookie, verifier, Long.MAX_VALUE, count, false);
  }
}
