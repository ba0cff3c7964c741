package dev.jnfs.v4.state;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.spi.NfsException;
import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Handle;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * LOCKU (RFC 7530 §16.12, RFC 8881 §18.12): releases a range of a lock-owner's locks,
 * splitting locks that extend beyond it.
 */
final class OpLocku implements Nfs4Operation {
  private final StateEngine engine;

  OpLocku(StateEngine engine) {
    this.engine = engine;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    StateOps.lockType(args.readInt());
    int seqid = args.readInt();
    Stateid stateid = ctx.resolve(Stateid.decode(args));
    long offset = args.readHyper();
    long length = args.readHyper();
    Nfs4Handle.Exported file = ctx.currentExported(Nfs4Status.ISDIR);
    LockState state = engine.stateids.resolve(stateid, StateOps.callerClient(ctx), LockState.class);
    StateOps.withSeqid(ctx, engine.stateids, state.owner, seqid, result, () -> {
      StateidTable.checkSeqid(state, stateid);
      OpLock.checkFile(state, file);
      ByteRange range = StateOps.range(offset, length);
      Stateid unlocked = engine.locks.unlock(state, range);
      ctx.setCurrentStateid(unlocked);
      unlocked.encode(result);
    });
  }
}
