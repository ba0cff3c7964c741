package dev.jnfs.v4.state;

/** What SEQUENCE decided about a request (RFC 8881 §2.10.6.1). */
sealed interface SequenceOutcome {

  /**
   * A retry of the slot's last request: answer the cached COMPOUND reply, run nothing.
   *
   * @param reply the cached COMPOUND4res bytes
   */
  record Replay(byte[] reply) implements SequenceOutcome {}

  /**
   * A new request, accepted: run the rest of the COMPOUND in the slot.
   *
   * @param session the session
   * @param slotId the slot
   * @param highestSlotId sr_highest_slotid
   * @param targetHighestSlotId sr_target_highest_slotid
   * @param statusFlags sr_status_flags
   */
  record Accepted(Session session, int slotId, int highestSlotId, int targetHighestSlotId, int statusFlags)
      implements SequenceOutcome {}
}
