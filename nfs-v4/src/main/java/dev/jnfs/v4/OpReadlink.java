package dev.jnfs.v4;

import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * READLINK (RFC 7530 §16.25, RFC 8881 §18.24): the target of the current symbolic link;
 * anything else answers INVAL.
 */
final class OpReadlink implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Nfs4Handle.Exported link = ctx.currentExported(Nfs4Status.INVAL);
    result.writeString(link.export().fileSystem().readlink(ctx.callerFor(link.export()), link.handle()));
  }
}
