package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * GETATTR (RFC 7530 §16.7, RFC 8881 §18.7): the requested attributes of the current
 * filehandle; unsupported ones are left out, write-only ones answer INVAL. The size and change
 * of a file another client holds a write delegation of are the holder's to tell (CB_GETATTR,
 * RFC 8881 §10.4.3, through {@link Nfs4StateService#attributesOf}).
 */
final class OpGetattr implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Bitmap4 requested = Bitmap4.decode(args);
    Nfs4Handle handle = ctx.currentHandle();
    Fattr4.checkReadable(requested, ctx.minorVersion());
    AttrSubject subject = AttrSubject.of(ctx, handle);
    if (handle instanceof Nfs4Handle.Exported file && ctx.state().holdsDelegations()
        && (requested.contains(Fattr4.SIZE) || requested.contains(Fattr4.CHANGE))) {
      FileAttributes presented = ctx.state().attributesOf(ctx, file, subject.attrs);
      if (presented != subject.attrs) {
        Caller caller = ctx.callerFor(file.export());
        subject = AttrSubject.exported(ctx, file, presented, caller);
      }
    }
    Fattr4.encode(ctx, subject, requested, Nfs4Status.OK, result);
  }
}
