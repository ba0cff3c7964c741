package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * RENAME (RFC 7530 §16.27, RFC 8881 §18.26): moves {@code oldname} of the saved directory to
 * {@code newname} of the current directory; answers change_info4 for both. Directories of
 * different exports (or a pseudo directory and an export) answer XDEV.
 */
final class OpRename implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    byte[] rawOld = args.readOpaque(Names.DECODE_LIMIT);
    byte[] rawNew = args.readOpaque(Names.DECODE_LIMIT);
    Nfs4Handle saved = ctx.savedHandle();
    Nfs4Handle current = ctx.currentHandle();
    if (saved instanceof Nfs4Handle.Pseudo && current instanceof Nfs4Handle.Pseudo) {
      throw new Nfs4Exception(Nfs4Status.ROFS, "pseudo-filesystem");
    }
    if (!(saved instanceof Nfs4Handle.Exported from) || !(current instanceof Nfs4Handle.Exported)
        || from.export() != ((Nfs4Handle.Exported) current).export()) {
      throw new Nfs4Exception(Nfs4Status.XDEV, "rename across file systems");
    }
    Nfs4Handle.Exported to = ctx.requireWritable();
    NfsFileSystem fs = to.export().fileSystem();
    int max = fs.properties().maxNameLength();
    String oldName = Names.check(rawOld, max);
    String newName = Names.check(rawNew, max);
    Caller caller = ctx.callerFor(to.export());
    DelegationConflicts.recallNamed(ctx, from, caller, oldName);
    DelegationConflicts.recallNamed(ctx, to, caller, newName);
    DirectoryChange sourceChange = DirectoryChange.begin(from, caller);
    DirectoryChange targetChange = DirectoryChange.begin(to, caller);
    fs.rename(caller, from.handle(), oldName, to.handle(), newName);
    sourceChange.end().encode(result);
    targetChange.end().encode(result);
  }
}
