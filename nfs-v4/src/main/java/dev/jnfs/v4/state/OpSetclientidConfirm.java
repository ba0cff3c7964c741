package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/** SETCLIENTID_CONFIRM (RFC 7530 §16.34): confirms a client record made by SETCLIENTID. */
final class OpSetclientidConfirm implements Nfs4Operation {
  private final ClientIds clientIds;

  OpSetclientidConfirm(ClientIds clientIds) {
    this.clientIds = clientIds;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    long clientId = args.readHyper();
    long confirm = args.readHyper();
    clientIds.setClientIdConfirm(clientId, confirm, StateOps.principal(ctx));
    ctx.actForClient(clientId);
  }
}
