package dev.jnfs.v4;

import dev.jnfs.rpc.Credential;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * SECINFO (RFC 7530 §16.31, RFC 8881 §18.29): the security flavors for a name in the current
 * directory, which must exist. This server offers AUTH_SYS. In 4.1 the operation consumes the
 * current filehandle (RFC 8881 §2.6.3.1.1.8); in 4.0 it stays.
 */
final class OpSecinfo implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    byte[] raw = args.readOpaque(Names.DECODE_LIMIT);
    Nfs4Handle dir = ctx.currentHandle();
    // the name is only checked for existence: SECINFO is how a client that met WRONGSEC
    // learns the flavors, so it must not itself apply the target export's rules
    if (dir instanceof Nfs4Handle.Pseudo p) {
      String name = Names.check(raw, dev.jnfs.spi.FsProperties.POSIX.maxNameLength());
      PseudoFs.Node child = p.node().children().get(name);
      if (child == null || !child.visibleTo(ctx.call().remoteAddress())) {
        throw new Nfs4Exception(Nfs4Status.NOENT, "no " + name + " in " + p.node().path());
      }
    } else {
      Nfs4Handle.Exported e = (Nfs4Handle.Exported) dir;
      String name = Names.check(raw, e.export().fileSystem().properties().maxNameLength());
      PseudoFs.Node mounted = e.isExportRoot() ? nestedNode(ctx, e, name) : null;
      if (mounted == null) {
        e.export().fileSystem().lookup(existenceCaller(ctx, e), e.handle(), name);
      }
    }
    encodeFlavors(result);
    if (ctx.minorVersion() >= 1) {
      ctx.clearCurrent();
    }
  }

  /**
   * The caller for checking that the name exists: the client's own, or, when the export wants
   * another flavor or port (WRONGSEC, the address being admitted), its anonymous identity, so
   * SECINFO can still answer (RFC 8881 §2.6.3.1.1.8).
   */
  private static dev.jnfs.spi.Caller existenceCaller(CompoundContext ctx, Nfs4Handle.Exported e)
      throws Nfs4Exception {
    try {
      return ctx.callerFor(e.export());
    } catch (Nfs4Exception refused) {
      if (refused.status() != Nfs4Status.WRONGSEC) {
        throw refused;
      }
      return dev.jnfs.spi.Caller.of(e.export().options().anonUid(), e.export().options().anonGid());
    }
  }

  private static PseudoFs.Node nestedNode(CompoundContext ctx, Nfs4Handle.Exported root, String name) {
    PseudoFs.Node node = ctx.pseudoFs().nodeOf(root.export());
    PseudoFs.Node child = (node == null ? ctx.pseudoFs().root() : node).children().get(name);
    return child != null && child.visibleTo(ctx.call().remoteAddress()) ? child : null;
  }

  /** Encodes SECINFO4resok: the flavors offered, AUTH_SYS only. */
  static void encodeFlavors(XdrEncoder out) {
    out.writeInt(1);
    out.writeInt(Credential.AUTH_SYS);
  }
}
