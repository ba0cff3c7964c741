package dev.jnfs.v4;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * ACCESS (RFC 7530 §16.1, RFC 8881 §18.1): which of the requested access rights the caller
 * holds on the current filehandle. Undefined bits answer INVAL. The supported bits are the
 * requested ones meaningful for the object's type. Pseudo directories grant reading and
 * searching only; read-only exports never grant MODIFY, EXTEND or DELETE.
 */
final class OpAccess implements Nfs4Operation {
  private static final int WRITE_BITS = Access.MODIFY | Access.EXTEND | Access.DELETE;

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
    if ((requested & ~Access.ALL) != 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "undefined access bits " + Integer.toHexString(requested));
    }
    int supported;
    int granted;
    if (handle instanceof Nfs4Handle.Exported e) {
      Caller caller = ctx.callerFor(e.export());
      FileType type = e.export().fileSystem().getattr(caller, e.handle()).type();
      supported = requested & meaningfulFor(type == FileType.DIRECTORY);
      granted = supported == 0 ? 0 : e.export().fileSystem().access(caller, e.handle(), supported);
      if (e.export().options().readOnly()) {
        granted &= ~WRITE_BITS;
      }
    } else {
      supported = requested & meaningfulFor(true);
      granted = requested & (Access.READ | Access.LOOKUP);
    }
    result.writeInt(supported);
    result.writeInt(granted & supported);
  }
}
