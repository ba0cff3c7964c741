package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * REMOVEXATTR (RFC 8276 §8.4.4): removes one extended attribute of the current object (NOXATTR
 * if it is not there) and answers the object's change attribute before and after (not
 * atomic). ROFS on a read-only export or a pseudo-filesystem directory, NOTSUPP without {@link
 * Capability#XATTRS}.
 */
final class OpRemovexattr implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    String name = XattrNames.decode(args);
    Nfs4Handle.Exported object = ctx.requireWritable();
    Io.requireCapability(object, Capability.XATTRS);
    NfsFileSystem fs = object.export().fileSystem();
    Caller caller = ctx.callerFor(object.export());
    long before = fs.getattr(caller, object.handle()).change();
    FileAttributes after = fs.removexattr(caller, object.handle(), name);
    new ChangeInfo(false, before, after.change()).encode(result);
  }
}
