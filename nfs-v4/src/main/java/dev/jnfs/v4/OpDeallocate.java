package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * DEALLOCATE (RFC 7862 §15.4): punches a hole into a range of the current file; the size stays.
 * The stateid is checked as WRITE's; a read-only export answers ROFS, a backend without {@link
 * Capability#DEALLOCATE} NOTSUPP, anything but a regular file WRONG_TYPE, an empty range INVAL
 * and a range past 2^63 FBIG.
 */
final class OpDeallocate implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Stateid stateid = Stateid.decode(args);
    long offset = args.readHyper();
    long length = args.readHyper();
    Nfs4Handle.Exported file = ctx.requireWritable();
    Io.requireCapability(file, Capability.DEALLOCATE);
    Io.requireRegularOrWrongType(ctx, file);
    OpAllocate.checkRange(offset, length);
    Caller caller = ctx.callerFor(file.export()).withOpen(ctx.state().checkIo(
        ctx, ctx.resolve(stateid), file, Nfs4StateService.Io.WRITE, offset, length));
    file.export().fileSystem().deallocate(caller, file.handle(), offset, length);
  }
}
