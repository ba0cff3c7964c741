package dev.jnfs.v4;

import dev.jnfs.spi.Capability;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * READLINK (RFC 7530 §16.25, RFC 8881 §18.24): the target of the current symbolic link;
 * anything else answers INVAL. A backend without symlinks is not called: NOTSUPP, which
 * RFC 7530 §13.2 lists for READLINK.
 */
final class OpReadlink implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Nfs4Handle.Exported link = ctx.currentExported(Nfs4Status.INVAL);
    NfsFileSystem fs = link.export().fileSystem();
    if (!fs.capabilities().contains(Capability.SYMLINKS)) {
      throw new Nfs4Exception(Nfs4Status.NOTSUPP, "backend has no symbolic links");
    }
    result.writeString(fs.readlink(ctx.callerFor(link.export()), link.handle()));
  }
}
