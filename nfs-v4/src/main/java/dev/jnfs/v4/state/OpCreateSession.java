package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;

/**
 * CREATE_SESSION (RFC 8881 §18.36): confirms a client made by EXCHANGE_ID and opens a
 * session with negotiated channel attributes. No flag is granted: sessions do not persist
 * and the server makes no callbacks, so no back channel is bound. Undefined flags answer INVAL
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
    int flags = args.readInt(); // nothing requested can be granted
    ChannelAttrs fore = ChannelAttrs.decode(args);
    ChannelAttrs back = ChannelAttrs.decode(args);
    args.readInt(); // csa_cb_program
    int secParms = args.readArrayLength(16, 4);
    for (int i = 0; i < secParms; i++) {
      int flavor = args.readInt();
      switch (flavor) {
        case 0 -> { }
        case 1 -> {
          args.readInt();
          args.readString(255);
          args.readInt();
          args.readInt();
          int gids = args.readArrayLength(16, 4);
          for (int g = 0; g < gids; g++) {
            args.readInt();
          }
        }
        case 6 -> {
          args.readInt();
          args.readOpaque(StateOps.OPAQUE_LIMIT);
          args.readOpaque(StateOps.OPAQUE_LIMIT);
        }
        default -> throw new XdrException("callback_sec_parms4 flavor " + flavor);
      }
    }
    if ((flags & ~DEFINED_FLAGS) != 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "undefined csa_flags " + Integer.toHexString(flags));
    }
    fore.requireRoomForSequence();
    CreateSessionResult r = sessions.createSession(clientId, sequence, fore, back, StateOps.principal(ctx));
    result.writeFixedOpaque(r.sessionId());
    result.writeInt(r.sequence());
    result.writeInt(r.flags());
    r.fore().encode(result);
    r.back().encode(result);
  }
}
