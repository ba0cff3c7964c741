package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * LINK (RFC 7530 §16.9, RFC 8881 §18.9): adds a name in the current directory for the object
 * of the saved filehandle. Objects of different exports answer XDEV; a pseudo directory as
 * source answers ISDIR, as target ROFS. A backend without hard links is not called: NOTSUPP
 * (RFC 7530 §13.2 lists it for LINK).
 */
final class OpLink implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    byte[] rawName = args.readOpaque(Names.DECODE_LIMIT);
    Nfs4Handle saved = ctx.savedHandle();
    Nfs4Handle.Exported dir = ctx.requireWritable();
    if (!(saved instanceof Nfs4Handle.Exported source)) {
      throw new Nfs4Exception(Nfs4Status.ISDIR, "cannot link a pseudo directory");
    }
    if (source.export() != dir.export()) {
      throw new Nfs4Exception(Nfs4Status.XDEV, "link across exports");
    }
    if (!dir.export().fileSystem().capabilities().contains(Capability.HARD_LINKS)) {
      throw new Nfs4Exception(Nfs4Status.NOTSUPP, "backend has no hard links");
    }
    String name = Names.check(rawName, dir.export().fileSystem().properties().maxNameLength());
    Caller caller = ctx.callerFor(dir.export());
    if (ctx.state().holdsDelegations()) {
      ctx.state().recallBeforeChange(ctx, source); // its link count and change attribute change
    }
    DirectoryChange change = DirectoryChange.begin(dir, caller);
    dir.export().fileSystem().link(caller, source.handle(), dir.handle(), name);
    change.end().encode(result);
  }
}
