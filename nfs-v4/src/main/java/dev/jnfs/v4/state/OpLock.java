package dev.jnfs.v4.state;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.LockType;
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
 * LOCK (RFC 7530 §16.10, RFC 8881 §18.10): takes a byte-range lock, either for a new
 * lock-owner (open_to_lock_owner4: from an open stateid, the open-owner's seqid advancing) or
 * for a known one (exist_lock_owner4: from its lock stateid). A conflict answers DENIED with
 * the holder's range, type and owner. A 4.1 client's denied blocking lock type (READW_LT,
 * WRITEW_LT) is also remembered in {@link LockWaiters}, which sends CB_NOTIFY_LOCK once the
 * conflict is gone (RFC 8881 §9.6); the client still polls, and retries itself. Reclaims are
 * accepted only in the grace period. An object that is not a regular file answers its type's
 * error ({@link StateOps#requireLockable}).
 */
final class OpLock implements Nfs4Operation {
  private final StateEngine engine;

  OpLock(StateEngine engine) {
    this.engine = engine;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    int wireType = args.readInt();
    LockType type = StateOps.lockType(wireType);
    boolean blocking = StateOps.blocking(wireType);
    boolean reclaim = args.readBoolean();
    long offset = args.readHyper();
    long length = args.readHyper();
    boolean newOwner = args.readBoolean();
    Nfs4Handle.Exported file = ctx.currentExported(Nfs4Status.ISDIR);
    ClientRecord caller = StateOps.callerClient(ctx);
    if (newOwner) {
      int openSeqid = args.readInt();
      Stateid openStateid = ctx.resolve(Stateid.decode(args));
      int lockSeqid = args.readInt();
      long clientId = args.readHyper();
      byte[] ownerName = args.readOpaque(StateOps.OPAQUE_LIMIT);
      OpenState open = engine.stateids.resolve(openStateid, caller, OpenState.class);
      LockOwner[] made = new LockOwner[1];
      try {
        StateOps.withSeqid(ctx, engine.stateids, open.owner, openSeqid, result, () -> {
          StateidTable.checkSeqid(open, openStateid);
          StateOps.requireLockable(ctx, file);
          checkFile(open, file);
          if (ctx.minorVersion() == 0 && clientId != open.client.clientId()) {
            throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "lock-owner of another client than the open");
          }
          ByteRange range = StateOps.range(offset, length);
          engine.leases.checkGrace(open.client, reclaim);
          LockState state = engine.locks.lockStateFor(ownerName, open, lockSeqid);
          made[0] = state.owner;
          lock(ctx, file, state, type, blocking, range, result);
        });
      } finally {
        // the new lock-owner's sequence starts at lock_seqid, with this request's reply
        ReplyRecord last = open.owner.lastReply();
        if (ctx.minorVersion() == 0 && made[0] != null && last != null && last.seqid() == openSeqid) {
          engine.stateids.recordReply(made[0], new ReplyRecord(lockSeqid, last.status(), last.body()));
        }
      }
    } else {
      Stateid lockStateid = ctx.resolve(Stateid.decode(args));
      int lockSeqid = args.readInt();
      LockState state = engine.stateids.resolve(lockStateid, caller, LockState.class);
      StateOps.withSeqid(ctx, engine.stateids, state.owner, lockSeqid, result, () -> {
        StateidTable.checkSeqid(state, lockStateid);
        StateOps.requireLockable(ctx, file);
        checkFile(state, file);
        ByteRange range = StateOps.range(offset, length);
        engine.leases.checkGrace(state.client, reclaim);
        lock(ctx, file, state, type, blocking, range, result);
      });
    }
  }

  private void lock(CompoundContext ctx, Nfs4Handle.Exported file, LockState state, LockType type,
      boolean blocking, ByteRange range, XdrEncoder result) throws Nfs4Exception {
    // a delegation's holder may lock locally (RFC 8881 §10.4): others' delegations go first
    engine.delegations.recallConflicting(state.client, state.file);
    // trying again ends the wait: its own grant must not notify it, a new denial waits anew
    engine.lockWaiters.forget(state.owner, state.file);
    Stateid locked;
    try {
      locked = engine.locks.lock(state, type, range);
    } catch (Nfs4Exception e) {
      if (blocking && e.status() == Nfs4Status.DENIED && ctx.minorVersion() > 0) {
        engine.lockWaiters.await(state.owner, state.file, file.toWire(ctx.pseudoFs().table()), type, range);
      }
      throw e;
    }
    ctx.setCurrentStateid(locked);
    locked.encode(result);
  }

  static void checkFile(StateObject state, Nfs4Handle.Exported file) throws Nfs4Exception {
    if (!state.file.equals(StateOps.file(file))) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "stateid of another file");
    }
  }
}
