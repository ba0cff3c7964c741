package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * BIND_CONN_TO_SESSION (RFC 8881 §18.34): associates the connection with a session. Every
 * connection may already carry any session's fore channel; BACK and the "or both" requests
 * make it the session's back channel (answered BACK, or BOTH as Linux knfsd does), replacing
 * the connection bound before.
 */
final class OpBindConnToSession implements Nfs4Operation {
  private static final int CDFC4_FORE = 1;
  private static final int CDFC4_BACK = 2;
  private static final int CDFC4_FORE_OR_BOTH = 3;
  private static final int CDFC4_BACK_OR_BOTH = 7;
  private static final int CDFS4_BOTH = 3;

  private final SessionTable sessions;

  OpBindConnToSession(SessionTable sessions) {
    this.sessions = sessions;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    byte[] sessionId = args.readFixedOpaque(16);
    int dir = args.readInt();
    args.readBoolean(); // RDMA mode: not offered
    int granted = switch (dir) {
      case CDFC4_FORE -> CDFC4_FORE;
      case CDFC4_BACK -> CDFC4_BACK;
      case CDFC4_FORE_OR_BOTH, CDFC4_BACK_OR_BOTH -> CDFS4_BOTH;
      default -> throw new Nfs4Exception(Nfs4Status.INVAL, "channel_dir_from_client4 " + dir);
    };
    if (granted != CDFC4_FORE) {
      sessions.updateBackChannel(sessionId, ctx.call().connection(), 0, null);
    } else {
      sessions.session(sessionId);
    }
    result.writeFixedOpaque(sessionId);
    result.writeInt(granted);
    result.writeBoolean(false);
  }
}
