package dev.jnfs.nfs3;

import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;

/**
 * COMMIT (RFC 1813 §3.3.21): makes earlier unstable writes durable and answers the write
 * verifier, by which the client learns whether a restart or a failed write-back lost them. A
 * backend failing to sync answers its error (IO) and changes the verifier. On an {@code async}
 * export the backend is not asked ({@link dev.jnfs.server.ExportOptions.WriteSync#ASYNC}).
 */
final class Nfs3Commit extends Nfs3Procedure {
  Nfs3Commit() {
    super("COMMIT", FailureBody.WCC);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fh = r.readHandle();
    long offset = r.args().readHyper();
    long count = r.args().readUnsignedInt();
    FileHandle handle = r.resolve(Nfs3Request.FIRST, fh);
    r.preOp(Nfs3Request.FIRST);
    if (r.options().writeSync().commitsToBackend()) {
      try {
        r.fs().commit(r.caller(), handle, offset, count);
      } catch (NfsException e) {
        // never OK with the verifier of writes that did not reach the disk: the error is
        // answered and the verifier changes, so the client sends them again
        r.context().writeFailed(e.status());
        throw e;
      }
    }
    out.writeInt(NFS3_OK);
    r.writeWcc(out, Nfs3Request.FIRST, null);
    out.writeHyper(r.context().writeVerifier());
  }
}
