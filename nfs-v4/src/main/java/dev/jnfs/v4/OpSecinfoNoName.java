package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;

/**
 * SECINFO_NO_NAME (RFC 8881 §18.45): the security flavors of the current filehandle
 * (SECINFO_STYLE4_CURRENT_FH) or of its parent (SECINFO_STYLE4_PARENT, NOENT at the root of
 * the namespace), encoded as SECINFO does. Like SECINFO it never answers WRONGSEC (RFC 8881
 * §2.6.3.1.1.5): it is how a client learns what a filehandle that PUTFH would refuse wants.
 * Consumes the current filehandle.
 */
final class OpSecinfoNoName implements Nfs4Operation {
  static final int STYLE_CURRENT_FH = 0;
  static final int STYLE_PARENT = 1;

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    int style = args.readInt();
    if (style != STYLE_CURRENT_FH && style != STYLE_PARENT) {
      throw new XdrException("secinfo_style4 " + style);
    }
    Nfs4Handle current = ctx.currentHandle();
    Nfs4Handle target = style == STYLE_PARENT ? parent(ctx, current) : current;
    OpSecinfo.encodeFlavors(result, PseudoFs.flavorsOf(target, ctx.call().remoteAddress()));
    ctx.clearCurrent();
  }

  /**
   * The parent as LOOKUPP would reach it (RFC 8881 §18.45.3: the same access methodology),
   * without applying the flavor rules of either end.
   */
  private static Nfs4Handle parent(CompoundContext ctx, Nfs4Handle current)
      throws Nfs4Exception, NfsException {
    if (current instanceof Nfs4Handle.Pseudo p) {
      if (p.node().parent() == null) {
        throw new Nfs4Exception(Nfs4Status.NOENT, "the root has no parent");
      }
      return ctx.pseudoFs().handleOf(p.node().parent());
    }
    Nfs4Handle.Exported e = (Nfs4Handle.Exported) current;
    Caller caller = OpSecinfo.existenceCaller(ctx, e);
    FileType type = e.export().fileSystem().getattr(caller, e.handle()).type();
    if (type != FileType.DIRECTORY) {
      throw new Nfs4Exception(type == FileType.SYMLINK ? Nfs4Status.SYMLINK : Nfs4Status.NOTDIR,
          "SECINFO_NO_NAME of the parent of a " + type);
    }
    if (e.isExportRoot()) {
      return OpLookupp.parentOfRoot(ctx, e);
    }
    return new Nfs4Handle.Exported(
        e.export(), e.export().fileSystem().lookup(caller, e.handle(), "..").handle());
  }
}
