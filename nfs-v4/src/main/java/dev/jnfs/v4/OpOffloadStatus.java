package dev.jnfs.v4;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * OFFLOAD_STATUS (RFC 7862 §15.9): the progress of an asynchronous COPY the COMPOUND's client
 * started into the current file, named by its copy stateid: the bytes copied so far and, once
 * the copy is over, its status ({@code osr_complete}), which releases the copy stateid. A
 * stateid that names no such copy (unknown, released, another client's or another file's)
 * answers BAD_STATEID; see {@link Nfs4StateService#offloadStatus}.
 */
final class OpOffloadStatus implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    Stateid stateid = Stateid.decode(args);
    Nfs4Handle.Exported file = ctx.currentExported(Nfs4Status.BAD_STATEID);
    Nfs4StateService.OffloadStatus status = ctx.state().offloadStatus(ctx, stateid, file);
    result.writeHyper(status.copied());
    if (status.complete().isPresent()) {
      result.writeInt(1).writeInt(status.complete().getAsInt());
    } else {
      result.writeInt(0);
    }
  }
}
