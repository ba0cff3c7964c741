package dev.jnfs.v4;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * OFFLOAD_CANCEL (RFC 7862 §15.8): stops an asynchronous COPY the COMPOUND's client started into
 * the current file before its next chunk, and releases its copy stateid; the bytes copied so far
 * stay, and no CB_OFFLOAD follows. A stateid that names no such copy answers BAD_STATEID; see
 * {@link Nfs4StateService#offloadCancel}.
 */
final class OpOffloadCancel implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    Stateid stateid = Stateid.decode(args);
    ctx.state().offloadCancel(ctx, stateid, ctx.currentExported(Nfs4Status.BAD_STATEID));
  }
}
