package dev.jnfs.v4;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/** GETFH (RFC 7530 §16.8, RFC 8881 §18.8): returns the current filehandle. */
final class OpGetfh implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    result.writeOpaque(ctx.currentHandle().toWire(ctx.pseudoFs().table()));
  }
}
