package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/** RENEW (RFC 7530 §16.28): renews a 4.0 client's lease. */
final class OpRenew implements Nfs4Operation {
  private final ClientIds clientIds;

  OpRenew(ClientIds clientIds) {
    this.clientIds = clientIds;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    long clientId = args.readHyper();
    clientIds.client40(clientId);
    ctx.actForClient(clientId);
  }
}
