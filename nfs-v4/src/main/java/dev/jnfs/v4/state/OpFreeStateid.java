package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * FREE_STATEID (RFC 8881 §18.38): forgets a lock stateid without locks or a revoked one;
 * LOCKS_HELD while locks remain or for an open (which CLOSE ends).
 */
final class OpFreeStateid implements Nfs4Operation {
  private final StateidTable stateids;

  OpFreeStateid(StateidTable stateids) {
    this.stateids = stateids;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    Stateid id = ctx.resolve(Stateid.decode(args));
    stateids.freeStateid(StateOps.sessionClient(ctx), id);
  }
}
