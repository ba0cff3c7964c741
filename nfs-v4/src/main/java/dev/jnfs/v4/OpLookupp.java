package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * LOOKUPP (RFC 7530 §16.14, RFC 8881 §18.14): the current filehandle becomes its parent. From
 * an export's root it returns to the pseudo directory the export is mounted on; at the root
 * of the namespace it answers NOENT.
 */
final class OpLookupp implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Nfs4Handle dir = ctx.currentHandle();
    if (dir instanceof Nfs4Handle.Pseudo p) {
      if (p.node().parent() == null) {
        throw new Nfs4Exception(Nfs4Status.NOENT, "the root has no parent");
      }
      ctx.setCurrent(ctx.pseudoFs().handleOf(p.node().parent()));
      return;
    }
    Nfs4Handle.Exported e = (Nfs4Handle.Exported) dir;
    Caller caller;
    try {
      caller = ctx.callerFor(e.export());
    } catch (Nfs4Exception refused) {
      // from the root of an export that refuses the call's flavor the parent is still
      // reachable: LOOKUPP answers for the parent (RFC 8881 §2.6.3.1.1.4)
      if (refused.status() != Nfs4Status.WRONGSEC || !e.isExportRoot()) {
        throw refused;
      }
      ctx.setCurrent(parentOfRoot(ctx, e));
      return;
    }
    FileType type = e.export().fileSystem().getattr(caller, e.handle()).type();
    if (type != FileType.DIRECTORY) {
      throw new Nfs4Exception(type == FileType.SYMLINK ? Nfs4Status.SYMLINK : Nfs4Status.NOTDIR,
          "LOOKUPP from a " + type);
    }
    if (e.isExportRoot()) {
      ctx.setCurrent(parentOfRoot(ctx, e));
      return;
    }
    FileEntry parent = e.export().fileSystem().lookup(caller, e.handle(), "..");
    ctx.setCurrent(new Nfs4Handle.Exported(e.export(), parent.handle()));
  }

  /**
   * @return the directory an export's root is mounted on
   * @throws Nfs4Exception NOENT for the export at the root of the namespace
   */
  static Nfs4Handle parentOfRoot(CompoundContext ctx, Nfs4Handle.Exported root) throws Nfs4Exception {
    PseudoFs.Node node = ctx.pseudoFs().nodeOf(root.export());
    if (node == null) {
      throw new Nfs4Exception(Nfs4Status.NOENT, "the root has no parent");
    }
    return ctx.pseudoFs().handleOf(node.parent());
  }
}
