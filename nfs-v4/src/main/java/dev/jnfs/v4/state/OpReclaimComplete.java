package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/** RECLAIM_COMPLETE (RFC 8881 §18.51): the client has reclaimed all it will. */
final class OpReclaimComplete implements Nfs4Operation {
  private final StateEngine engine;

  OpReclaimComplete(StateEngine engine) {
    this.engine = engine;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    boolean oneFs = args.readBoolean();
    engine.reclaimComplete(StateOps.sessionClient(ctx), oneFs);
  }
}
