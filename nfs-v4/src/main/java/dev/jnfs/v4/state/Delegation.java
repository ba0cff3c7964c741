package dev.jnfs.v4.state;

import java.time.Instant;

/**
 * A delegation one client holds on one file (RFC 8881 §10.4): with a read delegation the
 * client may open and read the file and cache its data without asking the server; with a
 * write delegation it may also write and cache its writes, so the server asks it for the
 * file's size and change (CB_GETATTR) before answering another client's GETATTR. Held until
 * returned (DELEGRETURN) or revoked. Changed under the state lock; what the I/O check, GETATTR
 * and the recall thread read is final or volatile.
 */
final class Delegation extends StateObject {
  /** The file's NFSv4 file handle, as CB_RECALL and CB_GETATTR name it. */
  final byte[] fileHandle;
  /** Whether this is a write delegation (OPEN_DELEGATE_WRITE). */
  final boolean write;
  /** When a recall started, the instant after which the delegation is revoked; else null. */
  volatile Instant recallDeadline;
  /** Revoked because its recall outlived a lease (counted in the client's revokedDelegations). */
  boolean revokedAfterRecall;
  /**
   * A write delegation's change attribute as the server last presented it (RFC 8881 §10.4.3's
   * "sc"): the file's at the grant, advanced each time CB_GETATTR shows the holder modified
   * the file. Under the delegation's own monitor.
   */
  private long presentedChange;
  /** Whether CB_GETATTR showed the holder modified the file (§10.4.3's "modified"). */
  private boolean modified;

  Delegation(ClientRecord client, int index, OpenFile file, byte[] fileHandle, boolean write, long change) {
    super(client, index, file);
    this.fileHandle = fileHandle;
    this.write = write;
    this.presentedChange = change;
  }

  /**
   * Folds the holder's CB_GETATTR answer into the change attribute presented to others (RFC
   * 8881 §10.4.3): once the holder's change differs from what it was given, or its size from
   * the server's, the file counts as modified, and each later query presents a change greater
   * than any presented before and than the server's own.
   *
   * @param holderChange the change the holder reported ("cc")
   * @param holderSize the size the holder reported
   * @param serverChange the file's change attribute at the server now
   * @param serverSize the file's size at the server now
   * @return the change attribute to present, or the server's own when the holder modified
   *     nothing
   */
  synchronized long presentChange(long holderChange, long holderSize, long serverChange, long serverSize) {
    if (!modified && (holderChange != presentedChange || holderSize != serverSize)) {
      modified = true;
    }
    if (!modified) {
      return serverChange;
    }
    // change is an unsigned 64-bit counter (RFC 8881 §10.4.3)
    presentedChange = (Long.compareUnsigned(presentedChange, serverChange) >= 0 ? presentedChange : serverChange) + 1;
    return presentedChange;
  }
}
