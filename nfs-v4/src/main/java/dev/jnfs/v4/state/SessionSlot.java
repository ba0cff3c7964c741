package dev.jnfs.v4.state;

import dev.jnfs.v4.SequenceSlot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * The slot a SEQUENCE accepted, as the compound processor sees it: it bounds the reply by the
 * session's limits and hands back the finished COMPOUND4res, which the slot keeps when
 * sa_cachethis asked for it (RFC 8881 §2.10.6.1.3). Also how the other 4.1 operations of the
 * COMPOUND find their session and client.
 */
final class SessionSlot implements SequenceSlot {
  private final SessionTable sessions;
  final Session session;
  private final int slotId;
  private final boolean cacheThis;

  SessionSlot(SessionTable sessions, Session session, int slotId, boolean cacheThis) {
    this.sessions = sessions;
    this.session = session;
    this.slotId = slotId;
    this.cacheThis = cacheThis;
  }

  @Override
  public int maxResponseSize() {
    return session.fore.maxResponseSize();
  }

  @Override
  public int maxResponseSizeCached() {
    return session.fore.maxResponseSizeCached();
  }

  @Override
  public long clientId() {
    return session.client.clientId();
  }

  @Override
  public boolean cacheThis() {
    return cacheThis;
  }

  @Override
  public void complete(ByteBuf compoundReply) {
    byte[] kept = cacheThis ? ByteBufUtil.getBytes(compoundReply) : null;
    sessions.completeSlot(session, slotId, kept);
  }

  @Override
  public void abandon() {
    sessions.abandonSlot(session, slotId);
  }
}
