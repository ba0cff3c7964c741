package dev.jnfs.v4;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * ACCESS (RFC 7530 §16.1, RFC 8881 §18.1): which of the requested access rights the caller
 * holds on the current filehandle. Undefined bits answer INVAL. Pseudo directories grant
 * reading and searching only; read-only exports never grant MODIFY, EXTEND or DELETE.
 *
 * <p>In 4.2 the extended attribute rights of RFC 8276 §8.5 are defined too: XAREAD and XALIST
 * follow READ, XAWRITE follows MODIFY (never on a read-only export). They are evaluated, and
 * answered as supported, only when the backend has {@link Capability#XATTRS}.
 */
final class OpAccess implements Nfs4Operation {
  private static final int WRITE_BITS = Access.MODIFY | Access.EXTEND | Access.DELETE;
  /** ACCESS4_XAREAD (RFC 8276 §8.5). */
  static final int XAREAD = 0x40;
  /** ACCESS4_XAWRITE. */
  static final int XAWRITE = 0x80;
  /** ACCESS4_XALIST. */
  static final int XALIST = 0x100;
  private static final int XATTR_BITS = XAREAD | XAWRITE | XALIST;

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    int requested = args.readInt();
    Nfs4Handle handle = ctx.currentHandle();
    int defined = ctx.minorVersion() >= 2 ? Access.ALL | XATTR_BITS : Access.ALL;
    if ((requested & ~defined) != 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "undefined access bits " + Integer.toHexString(requested));
    }
    int supported = requested & Access.ALL;
    int granted;
    if (handle instanceof Nfs4Handle.Exported e) {
      boolean xattrs = e.export().fileSystem().capabilities().contains(Capability.XATTRS);
      int xattrRights = xattrs ? requested & XATTR_BITS : 0;
      int asked = (requested & Access.ALL)
          | ((xattrRights & (XAREAD | XALIST)) != 0 ? Access.READ : 0)
          | ((xattrRights & XAWRITE) != 0 ? Access.MODIFY : 0);
      int backend = e.export().fileSystem().access(ctx.callerFor(e.export()), e.handle(), asked);
      granted = backend & requested & Access.ALL;
      if ((backend & Access.READ) != 0) {
        granted |= xattrRights & (XAREAD | XALIST);
      }
      if ((backend & Access.MODIFY) != 0) {
        granted |= xattrRights & XAWRITE;
      }
      if (e.export().options().readOnly()) {
        granted &= ~(WRITE_BITS | XAWRITE);
      }
      supported |= xattrRights;
    } else {
      granted = requested & (Access.READ | Access.LOOKUP | Access.EXECUTE);
    }
    result.writeInt(supported);
    result.writeInt(granted);
  }
}
