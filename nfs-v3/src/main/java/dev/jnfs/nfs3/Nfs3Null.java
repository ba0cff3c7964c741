package dev.jnfs.nfs3;

import dev.jnfs.xdr.XdrEncoder;

/** NULL (RFC 1813 §3.3.0): does nothing, answers nothing; clients ping with it. */
final class Nfs3Null extends Nfs3Procedure {
  Nfs3Null() {
    super("NULL", FailureBody.NONE);
  }

  @Override
  void run(Nfs3Request request, XdrEncoder out) {}
}
