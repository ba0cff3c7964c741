package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * LOOKUP (RFC 7530 §16.13, RFC 8881 §18.13): the current filehandle becomes the named child.
 * In the pseudo-filesystem this walks pseudo directories and crosses into exports (checking
 * the export's rules for this client); in an export it asks the backend. The object reached
 * must allow the call's security flavor (WRONGSEC otherwise, RFC 8881 §2.6.3.1.1.3). "." and ".." are not
 * names in NFSv4 (BADNAME), a non-directory answers NOTDIR (SYMLINK for a symbolic link).
 */
final class OpLookup implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    byte[] raw = args.readOpaque(Names.DECODE_LIMIT);
    Nfs4Handle dir = ctx.currentHandle();
    if (dir instanceof Nfs4Handle.Pseudo p) {
      String name = Names.check(raw, dev.jnfs.spi.FsProperties.POSIX.maxNameLength());
      ctx.setCurrent(pseudoChild(ctx, p.node(), name));
      return;
    }
    Nfs4Handle.Exported e = (Nfs4Handle.Exported) dir;
    String name = Names.check(raw, e.export().fileSystem().properties().maxNameLength());
    // the directory's export may refuse the call's flavor while an export mounted below it
    // allows it: LOOKUP answers for the object it reaches (RFC 8881 §2.6.3.1.1.3, approach c)
    Nfs4Exception wrongsec = null;
    Caller caller = null;
    try {
      caller = ctx.callerFor(e.export());
    } catch (Nfs4Exception refused) {
      if (refused.status() != Nfs4Status.WRONGSEC) {
        throw refused;
      }
      wrongsec = refused;
    }
    Nfs4Handle nested = nestedExport(ctx, e, name);
    if (nested != null) {
      ctx.setCurrent(nested);
      return;
    }
    if (wrongsec != null) {
      throw wrongsec;
    }
    FileType type = e.export().fileSystem().getattr(caller, e.handle()).type();
    if (type != FileType.DIRECTORY) {
      throw new Nfs4Exception(type == FileType.SYMLINK ? Nfs4Status.SYMLINK : Nfs4Status.NOTDIR,
          "LOOKUP in a " + type);
    }
    FileEntry child = e.export().fileSystem().lookup(caller, e.handle(), name);
    ctx.setCurrent(new Nfs4Handle.Exported(e.export(), child.handle()));
  }

  /**
   * An export mounted directly below another export's root (exports {@code /} and
   * {@code /srv}, or {@code /data} and {@code /data/a}) is reached by name from that root,
   * whatever the outer backend holds under the name.
   */
  static Nfs4Handle nestedExport(CompoundContext ctx, Nfs4Handle.Exported dir, String name)
      throws Nfs4Exception {
    if (!dir.isExportRoot()) {
      return null;
    }
    PseudoFs.Node node = ctx.pseudoFs().nodeOf(dir.export());
    if (node == null) {
      node = ctx.pseudoFs().root();
    }
    PseudoFs.Node child = node.children().get(name);
    if (child == null || !child.visibleTo(ctx.call().remoteAddress())) {
      return null;
    }
    return pseudoChild(ctx, node, name);
  }

  static Nfs4Handle pseudoChild(CompoundContext ctx, PseudoFs.Node dir, String name)
      throws Nfs4Exception {
    PseudoFs.Node child = dir.children().get(name);
    if (child == null || !child.visibleTo(ctx.call().remoteAddress())) {
      throw new Nfs4Exception(Nfs4Status.NOENT, "no " + name + " in " + dir.path());
    }
    if (child.export() != null) {
      ctx.callerFor(child.export());
    }
    return ctx.pseudoFs().handleOf(child);
  }
}
