package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * REMOVE (RFC 7530 §16.26, RFC 8881 §18.25): removes a name from the current directory,
 * a file or an empty directory alike.
 */
final class OpRemove implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    byte[] rawName = args.readOpaque(Names.DECODE_LIMIT);
    Nfs4Handle.Exported dir = ctx.requireWritable();
    NfsFileSystem fs = dir.export().fileSystem();
    String name = Names.check(rawName, fs.properties().maxNameLength());
    Caller caller = ctx.callerFor(dir.export());
    FileEntry entry = fs.lookup(caller, dir.handle(), name);
    FileType type = entry.attributes().type();
    if (type == FileType.REGULAR && ctx.state().holdsDelegations()) {
      ctx.state().recallBeforeChange(ctx, new Nfs4Handle.Exported(dir.export(), entry.handle()));
    }
    DirectoryChange change = DirectoryChange.begin(dir, caller);
    if (type == FileType.DIRECTORY) {
      fs.rmdir(caller, dir.handle(), name);
    } else {
      fs.remove(caller, dir.handle(), name);
    }
    change.end().encode(result);
  }
}
