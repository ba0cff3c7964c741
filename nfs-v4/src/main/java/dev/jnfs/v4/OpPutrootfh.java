package dev.jnfs.v4;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * PUTROOTFH (RFC 7530 §16.22, RFC 8881 §18.21): the current filehandle becomes the root of
 * the server's namespace: the pseudo root, or the export at {@code /} when there is one.
 * Also serves PUTPUBFH (RFC 7530 §16.21, RFC 8881 §18.20), as this server's public filehandle is its root.
 */
final class OpPutrootfh implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    ctx.putCurrent(root(ctx), args);
  }

  static Nfs4Handle root(CompoundContext ctx) {
    PseudoFs fs = ctx.pseudoFs();
    if (fs.rootExport() != null) {
      return new Nfs4Handle.Exported(fs.rootExport(), fs.rootExport().fileSystem().root());
    }
    return new Nfs4Handle.Pseudo(fs.root());
  }
}
