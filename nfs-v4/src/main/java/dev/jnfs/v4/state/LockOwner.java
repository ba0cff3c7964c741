package dev.jnfs.v4.state;

import java.util.HashMap;
import java.util.Map;

/**
 * A lock-owner (lock_owner4): its lock states, one per file. Its {@link #id} is the byte-range
 * lock owner in the {@link dev.jnfs.lock.LockManager}, so a conflict names it back.
 */
final class LockOwner extends StateOwner {
  final Map<OpenFile, LockState> locks = new HashMap<>();

  LockOwner(ClientRecord client, byte[] name) {
    super(client, name);
  }

  @Override
  public String toString() {
    return "LockOwner[client=" + client.index + "]";
  }
}
