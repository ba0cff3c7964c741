package dev.jnfs.v4;

import io.netty.buffer.ByteBuf;

/**
 * The NFSv4.1 session slot a COMPOUND runs in (RFC 8881 §2.10.6.1), as the compound processor
 * sees it. SEQUENCE, having accepted a new request on a slot, hands one of these to {@link
 * CompoundContext#beginSequence}; the processor then bounds the reply by the session's limits
 * and, once the whole COMPOUND4res is encoded, gives it back through {@link #complete} so the
 * slot's reply cache can keep it. Exactly one of {@link #complete} and {@link #abandon} is
 * called, once.
 */
public interface SequenceSlot {

  /** @return ca_maxresponsesize of the session's fore channel */
  int maxResponseSize();

  /** @return ca_maxresponsesize_cached of the session's fore channel */
  int maxResponseSizeCached();

  /** @return the client id of the session's client */
  long clientId();

  /** @return whether SEQUENCE asked for the reply to be cached (sa_cachethis) */
  boolean cacheThis();

  /**
   * The COMPOUND finished; its reply is final.
   *
   * @param compoundReply the encoded COMPOUND4res (status, tag, results), readable bytes only;
   *     a view into the reply buffer, valid only during this call and not retained, so a
   *     cache copies what it keeps
   */
  void complete(ByteBuf compoundReply);

  /** The COMPOUND produced no reply (an RPC-level failure); the slot is freed, nothing cached. */
  void abandon();
}
