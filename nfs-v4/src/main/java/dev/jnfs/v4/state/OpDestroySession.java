package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/** DESTROY_SESSION (RFC 8881 §18.37): ends a session; its slots and cached replies go. */
final class OpDestroySession implements Nfs4Operation {
  private final SessionTable sessions;

  OpDestroySession(SessionTable sessions) {
    this.sessions = sessions;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    sessions.destroySession(args.readFixedOpaque(16));
  }
}
