package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * RELEASE_LOCKOWNER (RFC 7530 §16.37): forgets a 4.0 lock-owner and its lock stateids;
 * LOCKS_HELD while it still holds a lock. An unknown owner is not an error.
 */
final class OpReleaseLockowner implements Nfs4Operation {
  private final StateEngine engine;

  OpReleaseLockowner(StateEngine engine) {
    this.engine = engine;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    long clientId = args.readHyper();
    byte[] owner = args.readOpaque(StateOps.OPAQUE_LIMIT);
    engine.locks.releaseLockOwner(engine.clientIds.client40(clientId), owner);
  }
}
