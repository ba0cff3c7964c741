package dev.jnfs.v4;

import dev.jnfs.spi.Capability;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * CLONE (RFC 7862 §15.13): makes a range of the file in CURRENT_FH share the storage of a range
 * of the file in SAVED_FH, with the checks of {@link CopyFiles}; overlapping ranges of one file
 * answer INVAL. A backend without {@link Capability#CLONE} answers NOTSUPP; the backend checks
 * the alignment its storage needs (INVAL).
 */
final class OpClone implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Stateid sourceStateid = Stateid.decode(args);
    Stateid destinationStateid = Stateid.decode(args);
    long sourceOffset = args.readHyper();
    long destinationOffset = args.readHyper();
    long count = args.readHyper();
    Nfs4Handle.Exported destination = ctx.requireWritable();
    Io.requireCapability(destination, Capability.CLONE);
    CopyFiles files = CopyFiles.check(
        ctx, sourceStateid, destinationStateid, sourceOffset, destinationOffset, count);
    if (files.sameFile()
        && sourceOffset < destinationOffset + files.count()
        && destinationOffset < sourceOffset + files.count()) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "overlapping ranges of one file");
    }
    if (files.count() != 0) {
      destination.export().fileSystem().clone(files.destinationCaller(), files.source().handle(),
          sourceOffset, destination.handle(), destinationOffset, files.count());
    }
  }
}
