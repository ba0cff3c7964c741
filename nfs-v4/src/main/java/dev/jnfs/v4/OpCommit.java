package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * COMMIT (RFC 7530 §16.3, RFC 8881 §18.3): makes earlier unstable writes durable and answers
 * the server's write verifier. A range that wraps past 2^64 answers INVAL. A backend failing
 * to sync answers its error (IO) and changes the verifier. On an {@code async} export the
 * backend is not asked ({@link dev.jnfs.server.ExportOptions.WriteSync#ASYNC}).
 */
final class OpCommit implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    long offset = args.readHyper();
    long count = args.readUnsignedInt();
    Nfs4Handle.Exported file = ctx.currentExported(Nfs4Status.ISDIR);
    if (count != 0 && Long.compareUnsigned(offset + count, offset) < 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "commit range wraps");
    }
    // COMMIT is rare: check the type first, as backends accept it on any object
    Io.requireRegular(ctx, file);
    Caller caller = ctx.callerFor(file.export());
    if (ctx.optionsFor(file.export()).writeSync().commitsToBackend()) {
      try {
        file.export().fileSystem().commit(caller, file.handle(), offset, count);
      } catch (NfsException e) {
        // never OK with the verifier of writes that did not reach the disk: the error is
        // answered and the verifier changes, so the client sends them again
        ctx.server().writeFailed(e.status());
        throw e;
      }
    }
    result.writeHyper(ctx.server().writeVerifier());
  }
}
