package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * ALLOCATE (RFC 7862 §15.1): reserves space for a range of the current file, which grows to
 * cover it. The stateid is checked as WRITE's; a read-only export answers ROFS, a backend
 * without {@link Capability#ALLOCATE} NOTSUPP, anything but a regular file WRONG_TYPE, an
 * empty range INVAL and a range past 2^63 FBIG.
 */
final class OpAllocate implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Stateid stateid = Stateid.decode(args);
    long offset = args.readHyper();
    long length = args.readHyper();
    Nfs4Handle.Exported file = ctx.requireWritable();
    Io.requireCapability(file, Capability.ALLOCATE);
    Io.requireRegularOrWrongType(ctx, file);
    checkRange(offset, length);
    Caller caller = ctx.callerFor(file.export()).withOpen(ctx.state().checkIo(
        ctx, ctx.resolve(stateid), file, Nfs4StateService.Io.WRITE, offset, length));
    file.export().fileSystem().allocate(caller, file.handle(), offset, length);
  }

  /**
   * Checks an ALLOCATE or DEALLOCATE range.
   *
   * @throws Nfs4Exception INVAL for an empty range, FBIG for one reaching past 2^63
   */
  static void checkRange(long offset, long length) throws Nfs4Exception {
    if (length == 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "empty range");
    }
    if (offset < 0 || length < 0 || offset + length < 0) {
      throw new Nfs4Exception(Nfs4Status.FBIG, "range past 2^63");
    }
  }
}
