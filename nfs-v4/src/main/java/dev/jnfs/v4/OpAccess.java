package dev.jnfs.v4;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * ACCESS (RFC 7530 §16.1, RFC 8881 §18.1): which of the requested access rights the caller
 * holds on the current filehandle. Undefined bits answer INVAL. The supported bits are the
 * requested ones meaningful for the object's type. Pseudo directories grant reading and
 * searching only; read-only exports never grant MODIFY, EXTEND or DELETE.
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

  /**
   * The bits that mean something for the object (RFC 8881 §18.1.3, RFC 7530 §16.1.4): LOOKUP
   * only for a directory, EXECUTE never for one; DELETE, the removal of a directory entry,
   * only for a directory, since whether a file may be removed depends on its directory and
   * not on the file (§18.1.4).
   */
  private static int meaningfulFor(boolean directory) {
    return directory
        ? Access.READ | Access.LOOKUP | Access.MODIFY | Access.EXTEND | Access.DELETE
        : Access.READ | Access.MODIFY | Access.EXTEND | Access.EXECUTE;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    int requested = args.readInt();
    Nfs4Handle handle = ctx.currentHandle();
    int defined = ctx.minorVersion() >= 2 ? Access.ALL | XATTR_BITS : Access.ALL;
    if ((requested & ~defined) != 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "undefined access bits " + Integer.toHexString(requested));
    }
    int supported;
    int granted;
    if (handle instanceof Nfs4Handle.Exported e) {
      Caller caller = ctx.callerFor(e.export());
      FileType type = e.export().fileSystem().getattr(caller, e.handle()).type();
      supported = requested & meaningfulFor(type == FileType.DIRECTORY);
      boolean xattrs = e.export().fileSystem().capabilities().contains(Capability.XATTRS);
      int xattrRights = xattrs ? requested & XATTR_BITS : 0;
      int asked = supported
          | ((xattrRights & (XAREAD | XALIST)) != 0 ? Access.READ : 0)
          | ((xattrRights & XAWRITE) != 0 ? Access.MODIFY : 0);
      int backend = asked == 0 ? 0 : e.export().fileSystem().access(caller, e.handle(), asked);
      granted = backend & supported;
      if ((backend & Access.READ) != 0) {
        granted |= xattrRights & (XAREAD | XALIST);
      }
      if ((backend & Access.MODIFY) != 0) {
        granted |= xattrRights & XAWRITE;
      }
      if (ctx.optionsFor(e.export()).readOnly()) {
        granted &= ~(WRITE_BITS | XAWRITE);
      }
      supported |= xattrRights;
    } else {
      supported = requested & meaningfulFor(true);
      granted = requested & (Access.READ | Access.LOOKUP);
    }
    result.writeInt(supported);
    result.writeInt(granted & supported);
  }
}
