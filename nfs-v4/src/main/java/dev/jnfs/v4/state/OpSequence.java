package dev.jnfs.v4.state;

import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * SEQUENCE (RFC 8881 §18.46): the first operation of every 4.1 COMPOUND in a session. A new
 * request takes its slot and renews the lease; a retry of the slot's last request is answered
 * with the cached COMPOUND reply, byte for byte, and nothing runs again (§2.10.6.1).
 */
final class OpSequence implements Nfs4Operation {
  private final SessionTable sessions;

  OpSequence(SessionTable sessions) {
    this.sessions = sessions;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    byte[] sessionId = args.readFixedOpaque(16);
    int seqid = args.readInt();
    int slotId = args.readInt();
    args.readInt(); // sa_highest_slotid: the server does not shrink slot tables
    boolean cacheThis = args.readBoolean();
    SequenceOutcome outcome = sessions.sequence(sessionId, seqid, slotId, ctx.operationCount(), ctx.requestSize());
    if (outcome instanceof SequenceOutcome.Replay replay) {
      ctx.replyFromCache(replay.reply());
      return;
    }
    SequenceOutcome.Accepted a = (SequenceOutcome.Accepted) outcome;
    ctx.beginSequence(new SessionSlot(sessions, a.session(), slotId, cacheThis));
    result.writeFixedOpaque(sessionId);
    result.writeInt(seqid);
    result.writeInt(slotId);
    result.writeInt(a.highestSlotId());
    result.writeInt(a.targetHighestSlotId());
    result.writeInt(a.statusFlags());
  }
}
