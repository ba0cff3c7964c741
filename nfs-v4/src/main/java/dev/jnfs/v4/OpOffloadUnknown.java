package dev.jnfs.v4;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * OFFLOAD_CANCEL and OFFLOAD_STATUS (RFC 7862 §15.8, §15.9): both name an asynchronous copy by
 * the stateid COPY returned in {@code wr_callback_id}. This server copies synchronously and
 * never returns one, so every stateid is unknown: BAD_STATEID, after the current filehandle is
 * checked (NOFILEHANDLE).
 */
final class OpOffloadUnknown implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception {
    Stateid.decode(args);
    ctx.currentHandle();
    throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "no asynchronous copy has this stateid");
  }
}
