package dev.jnfs.v4;

import dev.jnfs.spi.Capability;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.Stability;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * COPY (RFC 7862 §15.2): copies a range of the file in SAVED_FH to the file in CURRENT_FH on
 * the server, with the checks of {@link CopyFiles}; SAVED_FH and CURRENT_FH naming one file
 * answers INVAL. A backend without {@link Capability#COPY} answers NOTSUPP, and so does an
 * inter-server copy (a non-empty {@code ca_source_server}): this server copies only within
 * itself and offers no COPY_NOTIFY.
 *
 * <p>Every copy is synchronous, also when {@code ca_synchronous} is false: RFC 7862 §15.2.3
 * lets the server answer synchronously, with no callback stateid in {@code wr_callback_id}.
 * Synchronous and consecutive are thus always met, and {@code cr_requirements} says so. The
 * copied bytes are written unstable ({@code wr_committed} UNSTABLE4, with the write verifier):
 * the client commits them as it commits its WRITEs.
 */
final class OpCopy implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Stateid sourceStateid = Stateid.decode(args);
    Stateid destinationStateid = Stateid.decode(args);
    long sourceOffset = args.readHyper();
    long destinationOffset = args.readHyper();
    long count = args.readHyper();
    args.readBoolean(); // ca_consecutive: always met
    args.readBoolean(); // ca_synchronous: always met
    long sourceServers = args.readUnsignedInt();
    if (sourceServers != 0) {
      throw new Nfs4Exception(Nfs4Status.NOTSUPP, "inter-server copy");
    }
    Nfs4Handle.Exported destination = ctx.requireWritable();
    Io.requireCapability(destination, Capability.COPY);
    CopyFiles files = CopyFiles.check(
        ctx, sourceStateid, destinationStateid, sourceOffset, destinationOffset, count);
    if (files.sameFile()) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "source and destination are one file");
    }
    // the copy's bytes are UNSTABLE as a WRITE's: the verifier is read before they are written
    long verifier = ctx.server().writeVerifier();
    long copied;
    try {
      copied = files.count() == 0 ? 0 : destination.export().fileSystem().copy(
          files.destinationCaller(), files.source().handle(), sourceOffset,
          destination.handle(), destinationOffset, files.count(), Stability.UNSTABLE);
    } catch (NfsException e) {
      ctx.server().writeFailed(e.status());
      throw e;
    }
    result.writeInt(0); // wr_callback_id: none, the copy is done
    result.writeHyper(copied);
    result.writeInt(Stability.UNSTABLE.ordinal());
    result.writeHyper(verifier);
    result.writeBoolean(true); // cr_consecutive
    result.writeBoolean(true); // cr_synchronous
  }
}
