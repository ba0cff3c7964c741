package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * CREATE_SESSION (RFC 8881 §18.36): confirms a client made by EXCHANGE_ID and opens a
 * session with negotiated channel attributes. CONN_BACK_CHAN is granted when asked for over
 * TCP: the connection becomes the session's back channel, with csa_cb_program and the
 * credential chosen from csa_sec_parms ({@link CallbackSecurity}); PERSIST is never granted
 * (sessions do not survive a restart). Undefined flags answer INVAL
 * and a fore channel too small for a lone SEQUENCE answers TOOSMALL, before the sequence is
 * looked at.
 */
final class OpCreateSession implements Nfs4Operation {
  /** CREATE_SESSION4_FLAG_PERSIST, CONN_BACK_CHAN and CONN_RDMA: any other bit is INVAL (RFC 8881 §18.36.3). */
  private static final int DEFINED_FLAGS = 0x1 | 0x2 | 0x4;

  private final SessionTable sessions;

  OpCreateSession(SessionTable sessions) {
    this.sessions = sessions;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    long clientId = args.readHyper();
    int sequence = args.readInt();
    int flags = args.readInt();
    ChannelAttrs fore = ChannelAttrs.decode(args);
    ChannelAttrs back = ChannelAttrs.decode(args);
    int cbProgram = args.readInt();
    CallbackSecurity security = CallbackSecurity.decode(args, ctx.call());
    if ((flags & ~DEFINED_FLAGS) != 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "undefined csa_flags " + Integer.toHexString(flags));
    }
    fore.requireRoomForSequence();
    CreateSessionResult r = sessions.createSession(clientId, sequence, fore, back, StateOps.principal(ctx),
        flags, cbProgram, security, ctx.call().connection(), ctx.minorVersion());
    result.writeFixedOpaque(r.sessionId());
    result.writeInt(r.sequence());
    result.writeInt(r.flags());
    r.fore().encode(result);
    r.back().encode(result);
  }
}
