package dev.jnfs.v4;

import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * VERIFY (RFC 7530 §16.35, RFC 8881 §18.31) and NVERIFY (RFC 7530 §16.15, RFC 8881 §18.15):
 * compares the client's fattr4 with the current object's attributes, encoded the same way.
 * VERIFY answers NOT_SAME on a difference, NVERIFY answers SAME on equality. Unsupported
 * attributes answer ATTRNOTSUPP; rdattr_error and write-only attributes answer INVAL.
 */
final class OpVerify implements Nfs4Operation {
  private final boolean negated;

  /** @param negated true for NVERIFY */
  OpVerify(boolean negated) {
    this.negated = negated;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Bitmap4 bitmap = Bitmap4.decode(args);
    ByteBuf given = args.readOpaqueSlice(Fattr4.MAX_ATTRLIST);
    Nfs4Handle handle = ctx.currentHandle();
    if (bitmap.hasUnknownBits() || !bitmap.andNot(Fattr4.supported(ctx.minorVersion())).isEmpty()) {
      throw new Nfs4Exception(Nfs4Status.ATTRNOTSUPP, "unsupported attribute in " + bitmap);
    }
    if (bitmap.contains(Fattr4.RDATTR_ERROR) || !bitmap.and(Fattr4.WRITE_ONLY).isEmpty()) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "attribute not comparable in " + bitmap);
    }
    ByteBuf mine = Unpooled.buffer();
    try {
      Fattr4.encode(ctx, AttrSubject.of(ctx, handle), bitmap, Nfs4Status.OK, new XdrEncoder(mine));
      XdrDecoder d = new XdrDecoder(mine);
      Bitmap4.decode(d);
      ByteBuf values = d.readOpaqueSlice(Integer.MAX_VALUE);
      boolean same = ByteBufUtil.equals(values, given);
      if (negated && same) {
        throw new Nfs4Exception(Nfs4Status.SAME, "attributes are the same");
      }
      if (!negated && !same) {
        throw new Nfs4Exception(Nfs4Status.NOT_SAME, "attributes differ");
      }
    } finally {
      mine.release();
    }
  }
}
