package dev.jnfs.v4.state;

import dev.jnfs.spi.NfsException;
import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * CLOSE (RFC 7530 §16.2, RFC 8881 §18.2): ends an open. As Linux knfsd does, the locks of
 * lock stateids made from the open are released with it and those stateids become invalid,
 * so a client that reuses one afterwards (macOS does) gets BAD_STATEID and opens again. The
 * backend's {@code close} runs at the file's last close.
 */
final class OpClose implements Nfs4Operation {
  private final StateEngine engine;

  OpClose(StateEngine engine) {
    this.engine = engine;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    int seqid = args.readInt();
    Stateid stateid = ctx.resolve(Stateid.decode(args));
    ctx.currentExported(Nfs4Status.ISDIR);
    OpenState open = engine.stateids.resolve(stateid, StateOps.callerClient(ctx), OpenState.class);
    StateOps.withSeqid(ctx, engine.stateids, open.owner, seqid, result, () -> {
      StateidTable.checkSeqid(open, stateid);
      Stateid closed = engine.opens.close(open);
      closed.encode(result);
    });
  }
}
