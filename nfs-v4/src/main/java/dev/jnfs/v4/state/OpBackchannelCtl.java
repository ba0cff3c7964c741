package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * BACKCHANNEL_CTL (RFC 8881 §18.33): gives the session of the COMPOUND's SEQUENCE a new
 * callback program and callback credential.
 */
final class OpBackchannelCtl implements Nfs4Operation {
  private final SessionTable sessions;

  OpBackchannelCtl(SessionTable sessions) {
    this.sessions = sessions;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    int program = args.readInt();
    CallbackSecurity security = CallbackSecurity.decode(args, ctx.call());
    SessionSlot slot = (SessionSlot) ctx.sequence();
    sessions.updateBackChannel(slot.session.id, null, program, security);
  }
}
