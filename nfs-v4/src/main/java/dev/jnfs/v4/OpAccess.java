package dev.jnfs.v4;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * ACCESS (RFC 7530 §16.1, RFC 8881 §18.1): which of the requested access rights the caller
 * holds on the current filehandle. Undefined bits answer INVAL. Pseudo directories grant
 * reading and searching only; read-only exports never grant MODIFY, EXTEND or DELETE.
 */
final class OpAccess implements Nfs4Operation {
  private static final int WRITE_BITS = Access.MODIFY | Access.EXTEND | Access.DELETE;

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    int requested = args.readInt();
    Nfs4Handle handle = ctx.currentHandle();
    if ((requested & ~Access.ALL) != 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "undefined access bits " + Integer.toHexString(requested));
    }
    int granted;
    if (handle instanceof Nfs4Handle.Exported e) {
      granted = e.export().fileSystem().access(ctx.callerFor(e.export()), e.handle(), requested);
      if (e.export().options().readOnly()) {
        granted &= ~WRITE_BITS;
      }
    } else {
      granted = requested & (Access.READ | Access.LOOKUP | Access.EXECUTE);
    }
    result.writeInt(requested);
    result.writeInt(granted & requested);
  }
}
