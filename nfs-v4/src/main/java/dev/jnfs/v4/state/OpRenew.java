package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
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
    ClientRecord c = clientIds.client40(clientId);
    ctx.actForClient(clientId);
    if (c.delegationCount > 0 && c.backChannel() == null) {
      // the lease is renewed, but the client must learn that its recalls cannot reach it
      throw new Nfs4Exception(Nfs4Status.CB_PATH_DOWN, "callback path down");
    }
  }
}
