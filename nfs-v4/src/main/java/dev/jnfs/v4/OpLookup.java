package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * LOOKUP (RFC 7530 §16.13, RFC 8881 §18.15): the current filehandle becomes the named child.
 * In the pseudo-filesystem this walks pseudo directories and crosses into exports (checking
 * the export's rules for this client); in an export it asks the backend. "." and ".." are not
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
    Caller caller = ctx.callerFor(e.export());
    FileType type = e.export().fileSystem().getattr(caller, e.handle()).type();
    if (type != FileType.DIRECTORY) {
      throw new Nfs4Exception(type == FileType.SYMLINK ? Nfs4Status.SYMLINK : Nfs4Status.NOTDIR,
          "LOOKUP in a " + type);
    }
    FileEntry child = e.export().fileSystem().lookup(caller, e.handle(), name);
    ctx.setCurrent(new Nfs4Handle.Exported(e.export(), child.handle()));
  }

  static Nfs4Handle pseudoChild(CompoundContext ctx, PseudoFs.Node dir, String name)
      throws Nfs4Exception {
    PseudoFs.Node child = dir.children().get(name);
    if (child == null || !child.visibleTo(ctx.call().remoteAddress())) {
      throw new Nfs4Exception(Nfs4Status.NOENT, "no " + name + " in " + dir.path());
    }
    if (child.export() != null) {
      ctx.callerFor(child.export());
      return new Nfs4Handle.Exported(child.export(), child.export().fileSystem().root());
    }
    return new Nfs4Handle.Pseudo(child);
  }
}
