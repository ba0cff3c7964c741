package dev.jnfs.v4.state;

import dev.jnfs.lock.ShareReservation;
import dev.jnfs.spi.NfsException;
import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * OPEN_DOWNGRADE (RFC 7530 §16.19, RFC 8881 §18.18): reduces an open's access and denial to
 * modes the owner opened with.
 */
final class OpOpenDowngrade implements Nfs4Operation {
  private final StateEngine engine;

  OpOpenDowngrade(StateEngine engine) {
    this.engine = engine;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Stateid raw = Stateid.decode(args);
    int seqid = args.readInt();
    int access = args.readInt();
    int deny = args.readInt();
    Stateid stateid = ctx.resolve(raw);
    ctx.currentExported(Nfs4Status.ISDIR);
    OpenState open = engine.stateids.resolve(stateid, StateOps.callerClient(ctx), OpenState.class);
    StateOps.withSeqid(ctx, engine.stateids, open.owner, seqid, result, () -> {
      StateidTable.checkSeqid(open, stateid);
      ShareReservation to = StateOps.share(ctx, access, deny);
      Stateid downgraded = engine.opens.downgradeOpen(open, to);
      ctx.setCurrentStateid(downgraded);
      downgraded.encode(result);
    });
  }
}
