package dev.jnfs.v4;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * RESTOREFH (RFC 7530 §16.29, RFC 8881 §18.27): the saved filehandle becomes current;
 * NFS4ERR_RESTOREFH when none was saved.
 */
final class OpRestorefh implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    ctx.restoreSaved(args);
  }
}
