package dev.jnfs.v4.state;

import dev.jnfs.rpc.Credential;
import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * SETCLIENTID (RFC 7530 §16.33): a 4.0 client introduces itself; the record stays
 * unconfirmed until SETCLIENTID_CONFIRM. The callback address is kept for the confirmation,
 * which probes it ({@link Callback40}).
 */
final class OpSetclientid implements Nfs4Operation {
  private final ClientIds clientIds;

  OpSetclientid(ClientIds clientIds) {
    this.clientIds = clientIds;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    long verifier = args.readHyper();
    byte[] id = args.readOpaque(StateOps.OPAQUE_LIMIT);
    Callback40.Address callback = Callback40.Address.decode(args);
    if (ctx.call().credential() instanceof Credential.Gss) {
      // a Kerberos client's callback service expects RPCSEC_GSS, for which the server would
      // need initiator credentials of its own (RFC 7530 §3.3.3): no callbacks, no delegations
      callback = callback.withoutPath();
    }
    long[] granted;
    try {
      granted = clientIds.setClientId(id, verifier, StateOps.principal(ctx));
    } catch (Nfs4Exception e) {
      if (e.status() == Nfs4Status.CLID_INUSE) {
        // clientaddr4 of the client holding the id: its callback address is not kept
        throw new Nfs4Exception(e.status(), e.getMessage(), out -> out.writeString("tcp").writeString(""));
      }
      throw e;
    }
    clientIds.noteCallback(granted[0], callback);
    result.writeHyper(granted[0]);
    result.writeHyper(granted[1]);
  }
}
