package dev.jnfs.v4;

import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * GETATTR (RFC 7530 §16.7, RFC 8881 §18.7): the requested attributes of the current
 * filehandle; unsupported ones are left out, write-only ones answer INVAL.
 */
final class OpGetattr implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Bitmap4 requested = Bitmap4.decode(args);
    Nfs4Handle handle = ctx.currentHandle();
    Fattr4.checkReadable(requested, ctx.minorVersion());
    Fattr4.encode(ctx, AttrSubject.of(ctx, handle), requested, Nfs4Status.OK, result);
  }
}
