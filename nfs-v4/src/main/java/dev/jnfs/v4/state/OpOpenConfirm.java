package dev.jnfs.v4.state;

import dev.jnfs.spi.NfsException;
import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/** OPEN_CONFIRM (RFC 7530 §16.18): confirms the first open of a new 4.0 open-owner. */
final class OpOpenConfirm implements Nfs4Operation {
  private final StateEngine engine;

  OpOpenConfirm(StateEngine engine) {
    this.engine = engine;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Stateid stateid = Stateid.decode(args);
    int seqid = args.readInt();
    ctx.currentExported(dev.jnfs.v4.Nfs4Status.ISDIR);
    OpenState open = engine.stateids.resolve(stateid, null, OpenState.class);
    StateOps.withSeqid(ctx, engine.stateids, open.owner, seqid, result, () -> {
      StateidTable.checkSeqid(open, stateid);
      Stateid confirmed = engine.opens.confirmOpen(open);
      confirmed.encode(result);
    });
  }
}
