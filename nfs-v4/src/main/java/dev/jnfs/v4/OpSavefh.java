package dev.jnfs.v4;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/** SAVEFH (RFC 7530 §16.30, RFC 8881 §18.28): saves the current filehandle. */
final class OpSavefh implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    ctx.saveCurrent();
  }
}
