package dev.jnfs.v4;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;

/**
 * SEEK (RFC 7862 §15.11): where the next data or hole begins at or after an offset. The stateid
 * is checked as READ_PLUS checks it. An offset at or past the end of the file answers NXIO;
 * data that does not come answers NFS4_OK with {@code sr_eof} set, and so does the virtual
 * hole every file ends in.
 *
 * <p>A backend without {@link Capability#SEEK} is taken to have no holes, and the answer comes
 * from the attributes (after the backend's ACCESS check for reading): data at the offset, the
 * hole at the size — RFC 7862 §15.11.3's rule for a file system without sparse files.
 */
final class OpSeek implements Nfs4Operation {
  private static final int CONTENT_DATA = 0;
  private static final int CONTENT_HOLE = 1;

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Stateid stateid = Stateid.decode(args);
    long offset = args.readHyper();
    int what = args.readInt();
    if (what != CONTENT_DATA && what != CONTENT_HOLE) {
      throw new XdrException("data_content4 " + what);
    }
    boolean data = what == CONTENT_DATA;
    Nfs4Handle.Exported file = ctx.currentExported(Nfs4Status.ISDIR);
    Caller caller = ctx.callerFor(file.export());
    NfsFileSystem fs = file.export().fileSystem();
    FileAttributes attrs = fs.getattr(caller, file.handle());
    if (attrs.type() != FileType.REGULAR) {
      Io.requireRegular(ctx, file);
    }
    caller = caller.withOpen(ctx.state().checkIo(
        ctx, ctx.resolve(stateid), file, Nfs4StateService.Io.READ, Math.max(0, offset), 0));
    long size = attrs.size();
    if (offset < 0 || offset >= size) {
      throw new Nfs4Exception(Nfs4Status.NXIO, "seek from " + Long.toUnsignedString(offset)
          + " at or past the end " + size);
    }
    long found;
    if (fs.capabilities().contains(Capability.SEEK)) {
      found = fs.seek(caller, file.handle(), offset, data);
    } else {
      if ((fs.access(caller, file.handle(), Access.READ) & Access.READ) == 0) {
        throw new Nfs4Exception(Nfs4Status.ACCESS, "no read permission");
      }
      found = data ? offset : size;
    }
    if (found < 0) {
      result.writeBoolean(true).writeHyper(size);
      return;
    }
    result.writeBoolean(found >= size).writeHyper(found);
  }
}
