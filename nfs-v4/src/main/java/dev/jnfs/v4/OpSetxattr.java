package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsFileSystem.XattrMode;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * SETXATTR (RFC 8276 §8.4.2): creates or replaces one extended attribute of the current
 * object, as {@code sxa_option} says (SETXATTR4_CREATE: EXIST if it is there; SETXATTR4_REPLACE:
 * NOXATTR if it is not), and answers the object's change attribute before and after (not
 * atomic). ROFS on a read-only export or a pseudo-filesystem directory, NOTSUPP without {@link
 * Capability#XATTRS}, XATTR2BIG for a value over {@link XattrNames#MAX_VALUE_SIZE}.
 */
final class OpSetxattr implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    int option = args.readInt();
    XattrMode mode = switch (option) {
      case 0 -> XattrMode.EITHER;
      case 1 -> XattrMode.CREATE;
      case 2 -> XattrMode.REPLACE;
      default -> throw new XdrException("setxattr_option4 " + option);
    };
    String name = XattrNames.decode(args);
    ByteBuf value = args.readOpaqueSlice(Integer.MAX_VALUE);
    Nfs4Handle.Exported object = ctx.requireWritable();
    Io.requireCapability(object, Capability.XATTRS);
    if (value.readableBytes() > XattrNames.MAX_VALUE_SIZE) {
      throw new Nfs4Exception(Nfs4Status.XATTR2BIG, "value of " + value.readableBytes() + " bytes");
    }
    NfsFileSystem fs = object.export().fileSystem();
    Caller caller = ctx.callerFor(object.export());
    long before = fs.getattr(caller, object.handle()).change();
    FileAttributes after = fs.setxattr(
        caller, object.handle(), name, ByteBufUtil.getBytes(value), mode);
    new ChangeInfo(false, before, after.change()).encode(result);
  }
}
