package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Handle;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * DELEGRETURN (RFC 7530 §16.6, RFC 8881 §18.6): the client gives back a delegation of the
 * current file ({@link DelegationTable#delegreturn}). Open and lock stateids answer
 * BAD_STATEID, a revoked delegation DELEG_REVOKED (4.1).
 */
final class OpDelegreturn implements Nfs4Operation {
  private final StateEngine engine;

  OpDelegreturn(StateEngine engine) {
    this.engine = engine;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    Stateid stateid = ctx.resolve(Stateid.decode(args));
    ctx.currentHandle();
    Nfs4Handle.Exported file = ctx.currentExported(Nfs4Status.BAD_STATEID);
    engine.delegations.delegreturn(StateOps.callerClient(ctx), stateid, engine.stateids, StateOps.file(file));
  }
}
