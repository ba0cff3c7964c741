package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * DELEGRETURN (RFC 7530 §16.6, RFC 8881 §18.6). The server grants no delegations, so every
 * stateid is answered with the error it earns: STALE_STATEID from an earlier server
 * instance, EXPIRED for a client whose lease ran out, BAD_STATEID otherwise (including open
 * and lock stateids).
 */
final class OpDelegreturn implements Nfs4Operation {
  private final StateidTable stateids;

  OpDelegreturn(StateidTable stateids) {
    this.stateids = stateids;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    Stateid stateid = ctx.resolve(Stateid.decode(args));
    ctx.currentHandle();
    ctx.currentExported(Nfs4Status.BAD_STATEID);
    stateids.checkDelegation(stateid, StateOps.callerClient(ctx));
  }
}
