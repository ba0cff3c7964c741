package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/** DESTROY_CLIENTID (RFC 8881 §18.50): forgets a client that has no sessions and no state. */
final class OpDestroyClientid implements Nfs4Operation {
  private final ClientIds clientIds;

  OpDestroyClientid(ClientIds clientIds) {
    this.clientIds = clientIds;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    clientIds.destroyClientId(args.readHyper());
  }
}
