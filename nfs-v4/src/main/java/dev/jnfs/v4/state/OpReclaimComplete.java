package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/** RECLAIM_COMPLETE (RFC 8881 §18.51): the client has reclaimed all it will. */
final class OpReclaimComplete implements Nfs4Operation {
  private final Leases leases;

  OpReclaimComplete(Leases leases) {
    this.leases = leases;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    boolean oneFs = args.readBoolean();
    leases.reclaimComplete(StateOps.sessionClient(ctx), oneFs);
  }
}
