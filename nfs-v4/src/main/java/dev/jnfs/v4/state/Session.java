package dev.jnfs.v4.state;

/**
 * An NFSv4.1 session (RFC 8881 §2.10): its client, its fore channel limits, its back channel
 * ({@link BackChannel}) and the slot table whose per-slot sequence ids and cached replies give exactly-once semantics
 * (§2.10.6). The slots are guarded by the session's own monitor, so SEQUENCE on different
 * sessions never waits on each other or on the engine.
 */
final class Session {
  final byte[] id;
  final ClientRecord client;
  final ChannelAttrs fore;
  final Slot[] slots;
  /** The back channel: bound connection, callback program and credential, its own slots. */
  final BackChannel back;

  Session(byte[] id, ClientRecord client, ChannelAttrs fore, BackChannel back) {
    this.id = id;
    this.client = client;
    this.fore = fore;
    this.back = back;
    this.slots = new Slot[fore.maxRequests()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Slot();
    }
  }

  /** @return whether a request is running in some slot */
  synchronized boolean isBusy() {
    for (Slot s : slots) {
      if (s.busy) {
        return true;
      }
    }
    return false;
  }

  /** One slot: the last sequence id accepted, whether a request runs in it, its cached reply. */
  static final class Slot {
    int seqid;
    boolean busy;
    /** The whole COMPOUND4res of the last request, or null when it was not cached. */
    byte[] reply;
  }
}
