package dev.jnfs.v4.state;

import java.util.HashMap;
import java.util.Map;

/**
 * An open-owner (open_owner4): its opens, one per file, and in 4.0 whether OPEN_CONFIRM has
 * confirmed it (RFC 7530 §16.18). Its {@link #id} is the share reservation owner in the
 * {@link dev.jnfs.lock.LockManager}.
 */
final class OpenOwner extends StateOwner {
  final Map<OpenFile, OpenState> opens = new HashMap<>();
  volatile boolean confirmed;
  /** 4.0: the owner's most recently closed open, kept for a retransmitted CLOSE. */
  OpenState lastClosed;

  /** When the owner was made: a 4.0 owner still unconfirmed a lease later is dropped. */
  final java.time.Instant created;

  OpenOwner(ClientRecord client, byte[] name, boolean confirmed, java.time.Instant created) {
    super(client, name);
    this.confirmed = confirmed;
    this.created = created;
  }

  @Override
  public String toString() {
    return "OpenOwner[client=" + client.index + "]";
  }
}
