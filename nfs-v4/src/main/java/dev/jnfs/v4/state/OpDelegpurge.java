package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * DELEGPURGE (RFC 7530 §16.5, RFC 8881 §18.5). Its support must match that of
 * CLAIM_DELEGATE_PREV; this server keeps no delegations across client restarts (it grants
 * none), so it supports neither and answers NOTSUPP after checking the clientid.
 */
final class OpDelegpurge implements Nfs4Operation {
  private final ClientIds clientIds;

  OpDelegpurge(ClientIds clientIds) {
    this.clientIds = clientIds;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    long clientId = args.readHyper();
    if (ctx.minorVersion() == 0) {
      clientIds.client40(clientId);
    }
    throw new Nfs4Exception(Nfs4Status.NOTSUPP, "no delegations are kept for recovery");
  }
}
