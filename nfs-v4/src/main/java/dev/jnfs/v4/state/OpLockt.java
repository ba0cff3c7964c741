package dev.jnfs.v4.state;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.LockType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Handle;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * LOCKT (RFC 7530 §16.11, RFC 8881 §18.11): tests whether a lock could be granted, answering
 * DENIED with a conflicting lock's holder. Refused in the grace period, as a LOCK would be. An
 * object that is not a regular file answers its type's error ({@link StateOps#requireLockable}).
 */
final class OpLockt implements Nfs4Operation {
  private final StateEngine engine;

  OpLockt(StateEngine engine) {
    this.engine = engine;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    LockType type = StateOps.lockType(args.readInt());
    long offset = args.readHyper();
    long length = args.readHyper();
    long clientId = args.readHyper();
    byte[] ownerName = args.readOpaque(StateOps.OPAQUE_LIMIT);
    Nfs4Handle.Exported file = ctx.currentExported(Nfs4Status.ISDIR);
    StateOps.requireLockable(ctx, file);
    ByteRange range = StateOps.range(offset, length);
    ClientRecord client = ctx.minorVersion() == 0 ? engine.clientIds.client40(clientId) : StateOps.sessionClient(ctx);
    engine.leases.checkGrace(client, false, false);
    engine.locks.testLock(client, ownerName, StateOps.file(file), type, range);
  }
}
