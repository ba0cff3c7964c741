package dev.jnfs.v4;

import dev.jnfs.spi.Capability;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * GETXATTR (RFC 8276 §8.4.1): the value of one extended attribute of the current object.
 * NOTSUPP without {@link Capability#XATTRS} (and for pseudo-filesystem directories), NOXATTR
 * when the backend has no such attribute. A value too large for the session's reply answers
 * REP_TOO_BIG (or REP_TOO_BIG_TO_CACHE), as §8.4.1.3 demands, through the processor's reply
 * bound.
 */
final class OpGetxattr implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    String name = XattrNames.decode(args);
    Nfs4Handle.Exported object = ctx.currentExported(Nfs4Status.NOTSUPP);
    Io.requireCapability(object, Capability.XATTRS);
    byte[] value = object.export().fileSystem().getxattr(
        ctx.callerFor(object.export()), object.handle(), name);
    result.writeOpaque(value);
  }
}
