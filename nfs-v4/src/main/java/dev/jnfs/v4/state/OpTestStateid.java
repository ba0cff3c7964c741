package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/** TEST_STATEID (RFC 8881 §18.48): the status each stateid would get, without using it. */
final class OpTestStateid implements Nfs4Operation {
  /** More stateids than any client holds in one call. */
  private static final int MAX_STATEIDS = 4096;

  private final StateidTable stateids;

  OpTestStateid(StateidTable stateids) {
    this.stateids = stateids;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    int count = args.readArrayLength(MAX_STATEIDS, 16);
    Stateid[] ids = new Stateid[count];
    for (int i = 0; i < count; i++) {
      ids[i] = Stateid.decode(args);
    }
    ClientRecord client = StateOps.sessionClient(ctx);
    result.writeInt(count);
    for (Stateid id : ids) {
      result.writeInt(stateids.testStateid(client, id));
    }
  }
}
