package dev.jnfs.v4;

import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * IO_ADVISE (RFC 7862 §15.5): takes the client's access pattern hints for a range of the
 * current file and answers which it will honour — none: the SPI carries no hints to a backend.
 * The stateid is checked as READ's; a directory answers ISDIR, another non-regular object
 * INVAL or SYMLINK as READ does. Hints the server does not honour are not an error (§15.5.3).
 */
final class OpIoAdvise implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Stateid stateid = Stateid.decode(args);
    long offset = args.readHyper();
    long count = args.readHyper();
    Bitmap4.decode(args); // iaa_hints: none honoured
    Nfs4Handle.Exported file = ctx.currentExported(Nfs4Status.ISDIR);
    Io.requireRegular(ctx, file);
    ctx.state().checkIo(ctx, ctx.resolve(stateid), file, Nfs4StateService.Io.READ,
        Math.max(0, offset), Math.max(0, count));
    Bitmap4.EMPTY.encode(result);
  }
}
