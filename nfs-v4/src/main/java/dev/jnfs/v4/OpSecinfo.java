package dev.jnfs.v4;

import dev.jnfs.rpc.Credential;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.SecurityFlavor;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.util.List;

/**
 * SECINFO (RFC 7530 §16.31, RFC 8881 §18.29): the security flavors of a name in the current
 * directory, which must exist: the {@code sec=} list of the export the name belongs to (an
 * export mounted at the name counts), or for a pseudo directory the flavors of the exports it
 * leads to, in order of preference. Kerberos v5 flavors are RPCSEC_GSS entries with the
 * mechanism's OID, QOP 0 and the service. SECINFO never answers WRONGSEC (RFC 8881
 * §2.6.3.1.1.5). In 4.1 the operation consumes the current filehandle (RFC 8881 §2.6.3.1.1.8);
 * in 4.0 it stays.
 */
final class OpSecinfo implements Nfs4Operation {
  /**
   * The Kerberos v5 mechanism, 1.2.840.113554.1.2.2 (RFC 1964 §1), as GSS-API passes a
   * mech_type (RFC 2744 §3.5: the contents octets of the DER encoding, without its tag and
   * length), which is what sec_oid4 holds (RFC 7530 §2.1) and what Linux clients and servers
   * put on the wire.
   */
  static final byte[] KRB5_OID = {
    0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x12, 0x01, 0x02, 0x02
  };

  /** The default quality of protection of the mechanism. */
  static final int QOP_DEFAULT = 0;

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    byte[] raw = args.readOpaque(Names.DECODE_LIMIT);
    Nfs4Handle dir = ctx.currentHandle();
    Nfs4Handle target;
    // the name is only checked for existence: SECINFO is how a client that met WRONGSEC
    // learns the flavors, so it must not itself apply the target export's flavor rules
    if (dir instanceof Nfs4Handle.Pseudo p) {
      String name = Names.check(raw, dev.jnfs.spi.FsProperties.POSIX.maxNameLength());
      PseudoFs.Node child = p.node().children().get(name);
      if (child == null || !child.visibleTo(ctx.call().remoteAddress())) {
        throw new Nfs4Exception(Nfs4Status.NOENT, "no " + name + " in " + p.node().path());
      }
      target = ctx.pseudoFs().handleOf(child);
    } else {
      Nfs4Handle.Exported e = (Nfs4Handle.Exported) dir;
      String name = Names.check(raw, e.export().fileSystem().properties().maxNameLength());
      PseudoFs.Node mounted = e.isExportRoot() ? nestedNode(ctx, e, name) : null;
      if (mounted != null) {
        target = ctx.pseudoFs().handleOf(mounted);
      } else {
        e.export().fileSystem().lookup(existenceCaller(ctx, e), e.handle(), name);
        target = e;
      }
    }
    encodeFlavors(result, PseudoFs.flavorsOf(target, ctx.call().remoteAddress()));
    if (ctx.minorVersion() >= 1) {
      ctx.clearCurrent();
    }
  }

  /**
   * The caller for checking that a name exists: the client's own, or, when the export wants
   * another flavor or port (WRONGSEC, the address being admitted), its anonymous identity, so
   * SECINFO can still answer (RFC 8881 §2.6.3.1.1.5).
   */
  static Caller existenceCaller(CompoundContext ctx, Nfs4Handle.Exported e) throws Nfs4Exception {
    try {
      return ctx.callerFor(e.export());
    } catch (Nfs4Exception refused) {
      if (refused.status() != Nfs4Status.WRONGSEC) {
        throw refused;
      }
      ExportOptions options = ctx.optionsFor(e.export());
      return Caller.of(options.anonUid(), options.anonGid());
    }
  }

  private static PseudoFs.Node nestedNode(CompoundContext ctx, Nfs4Handle.Exported root, String name) {
    PseudoFs.Node node = ctx.pseudoFs().nodeOf(root.export());
    PseudoFs.Node child = (node == null ? ctx.pseudoFs().root() : node).children().get(name);
    return child != null && child.visibleTo(ctx.call().remoteAddress()) ? child : null;
  }

  /**
   * Encodes SECINFO4resok (RFC 8881 §18.29.2): one secinfo4 per flavor, in order; AUTH_SYS
   * as its flavor number, a Kerberos flavor as RPCSEC_GSS with {@code rpcsec_gss_info}.
   */
  static void encodeFlavors(XdrEncoder out, List<SecurityFlavor> flavors) {
    out.writeInt(flavors.size());
    for (SecurityFlavor flavor : flavors) {
      if (flavor.isGss()) {
        out.writeInt(Credential.RPCSEC_GSS);
        out.writeOpaque(KRB5_OID);
        out.writeInt(QOP_DEFAULT);
        out.writeInt(flavor.gssService().wireValue());
      } else {
        out.writeInt(Credential.AUTH_SYS);
      }
    }
  }
}
