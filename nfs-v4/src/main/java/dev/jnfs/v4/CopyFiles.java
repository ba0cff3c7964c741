package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.NfsException;

/**
 * The checks COPY and CLONE share (RFC 7862 §15.2.3, §15.13.3): SAVED_FH is the source and
 * CURRENT_FH the destination, both regular files (else WRONG_TYPE) of one backend (else XDEV),
 * the destination writable (ROFS), the source range inside the source file (else INVAL), and
 * both stateids accepted, the source's for reading and the destination's for writing.
 *
 * @param source the source file
 * @param destination the destination file
 * @param destinationCaller the caller for the destination, with its open (the backend call's
 *     caller: the state service has accepted the source's stateid)
 * @param count the bytes to copy, never 0 (a count of 0 is resolved to the end of the source)
 */
record CopyFiles(
    Nfs4Handle.Exported source,
    Nfs4Handle.Exported destination,
    Caller destinationCaller,
    long count) {

  /**
   * Checks what both operations check; the caller has checked the capability already.
   *
   * @return the files and callers; {@code count} is 0 when the source range is empty
   */
  static CopyFiles check(CompoundContext ctx, Stateid sourceStateid, Stateid destinationStateid,
      long sourceOffset, long destinationOffset, long count) throws Nfs4Exception, NfsException {
    Nfs4Handle.Exported destination = ctx.requireWritable();
    if (!(ctx.savedHandle() instanceof Nfs4Handle.Exported source)) {
      throw new Nfs4Exception(Nfs4Status.WRONG_TYPE, "the source is a pseudo-filesystem directory");
    }
    if (source.export().fileSystem() != destination.export().fileSystem()) {
      throw new Nfs4Exception(Nfs4Status.XDEV, "source and destination in different backends");
    }
    FileAttributes sourceAttrs = Io.requireRegularOrWrongType(ctx, source);
    Io.requireRegularOrWrongType(ctx, destination);
    if (sourceOffset < 0 || destinationOffset < 0 || count < 0
        || sourceOffset > sourceAttrs.size()
        || count > sourceAttrs.size() - sourceOffset) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "source range outside the source file");
    }
    long resolved = count == 0 ? sourceAttrs.size() - sourceOffset : count;
    if (destinationOffset + resolved < 0) {
      throw new Nfs4Exception(Nfs4Status.FBIG, "destination range past 2^63");
    }
    ctx.state().checkIo(
        ctx, ctx.resolve(sourceStateid), source, Nfs4StateService.Io.READ, sourceOffset, resolved);
    Caller destinationCaller = ctx.callerFor(destination.export()).withOpen(ctx.state().checkIo(
        ctx, ctx.resolve(destinationStateid), destination, Nfs4StateService.Io.WRITE,
        destinationOffset, resolved));
    return new CopyFiles(source, destination, destinationCaller, resolved);
  }

  /** @return whether source and destination are one file */
  boolean sameFile() {
    return source.handle().equals(destination.handle());
  }
}
