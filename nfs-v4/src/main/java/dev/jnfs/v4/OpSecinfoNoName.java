package dev.jnfs.v4;

import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;

/**
 * SECINFO_NO_NAME (RFC 8881 §18.45): the security flavors of the current filehandle
 * (SECINFO_STYLE4_CURRENT_FH) or of its parent (SECINFO_STYLE4_PARENT, NOENT at the root).
 * Consumes the current filehandle.
 */
final class OpSecinfoNoName implements Nfs4Operation {
  static final int STYLE_CURRENT_FH = 0;
  static final int STYLE_PARENT = 1;
  private final OpLookupp lookupp = new OpLookupp();

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    int style = args.readInt();
    if (style != STYLE_CURRENT_FH && style != STYLE_PARENT) {
      throw new XdrException("secinfo_style4 " + style);
    }
    ctx.currentHandle();
    if (style == STYLE_PARENT) {
      lookupp.execute(ctx, args, result);
    }
    OpSecinfo.encodeFlavors(result);
    ctx.clearCurrent();
  }
}
