package dev.jnfs.v4.state;

import dev.jnfs.lock.ShareReservation;
import dev.jnfs.spi.OpenContext;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One open-owner's open of one file: its share reservation and the lock states derived
 * from it.
 */
final class OpenState extends StateObject {
  final OpenOwner owner;
  volatile ShareReservation share;
  /** The open as the backend knows it; replaced when its modes change. */
  volatile OpenContext context;
  /** Every access mode the owner opened with, for OPEN_DOWNGRADE's checks (RFC 7530 §16.19). */
  int accessModesUsed;
  int denyModesUsed;
  final Set<LockState> lockStates = new LinkedHashSet<>();
  /** 4.0: closed, kept only so a retransmitted CLOSE replays from the owner's cache. */
  volatile boolean closed;

  OpenState(ClientRecord client, int index, OpenFile file, OpenOwner owner, ShareReservation share,
      OpenContext context) {
    super(client, index, file);
    this.owner = owner;
    this.share = share;
    this.context = context;
    this.accessModesUsed = 1 << share.access();
    this.denyModesUsed = 1 << share.deny();
  }
}
