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
 * <p><b>Synchronous or not</b> (RFC 7862 §4.4, §15.2.3 leave it to the server). A COPY with
 * {@code ca_synchronous} false of more than {@link ChunkedCopy#CHUNK} bytes runs asynchronously
 * when the state service can start it ({@link Nfs4StateService#startCopy}: the client has a
 * usable back channel for CB_OFFLOAD and is under its limit of running copies). It then answers
 * at once with the copy stateid in {@code wr_callback_id}, {@code wr_count} 0 and {@code
 * cr_synchronous} false; the copy runs chunk by chunk on a thread of its own ({@link
 * ChunkedCopy}), OFFLOAD_STATUS and OFFLOAD_CANCEL reach it, and CB_OFFLOAD reports its end.
 * Every other COPY is synchronous, with no callback stateid: {@code ca_synchronous} copies,
 * copies of clients without a back channel, and copies of one chunk or less (Linux knfsd goes
 * asynchronous at any size; here such a copy is one backend call, whose reply comes sooner
 * than a callback would). Either way the bytes are copied in order, so {@code cr_consecutive} is always met.
 *
 * <p>The copied bytes are written unstable ({@code wr_committed} UNSTABLE4, with the write
 * verifier read before the first byte is written), in the reply or in CB_OFFLOAD: the client
 * commits them as it commits its WRITEs.
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
    boolean synchronous = args.readBoolean();
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
    if (!synchronous && files.count() > ChunkedCopy.CHUNK) {
      ChunkedCopy work = new ChunkedCopy(ctx, files, sourceOffset, destinationOffset);
      Stateid callbackId = ctx.state().startCopy(ctx, destination, work);
      if (callbackId != null) {
        result.writeInt(1);
        callbackId.encode(result);
        writeResponse(result, 0, work.verifier(), false);
        return;
      }
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
    writeResponse(result, copied, verifier, true);
  }

  /** The rest of write_response4 after {@code wr_callback_id}, and copy_requirements4. */
  private static void writeResponse(XdrEncoder result, long count, long verifier, boolean synchronous) {
    result.writeHyper(count);
    result.writeInt(Stability.UNSTABLE.ordinal());
    result.writeHyper(verifier);
    result.writeBoolean(true); // cr_consecutive
    result.writeBoolean(synchronous); // cr_synchronous
  }
}
