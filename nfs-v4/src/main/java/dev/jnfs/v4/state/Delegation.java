package dev.jnfs.v4.state;

import java.time.Instant;

/**
 * A read delegation one client holds on one file (RFC 8881 §10.4): the client may open and
 * read the file and cache its data without asking the server, until the delegation is
 * returned (DELEGRETURN) or revoked. Changed under the state lock; what the I/O check and the
 * recall thread read is final or volatile.
 */
final class Delegation extends StateObject {
  /** The file's NFSv4 file handle, as CB_RECALL names it. */
  final byte[] fileHandle;
  /** When a recall started, the instant after which the delegation is revoked; else null. */
  volatile Instant recallDeadline;
  /** Revoked because its recall outlived a lease (counted in the client's revokedDelegations). */
  boolean revokedAfterRecall;

  Delegation(ClientRecord client, int index, OpenFile file, byte[] fileHandle) {
    super(client, index, file);
    this.fileHandle = fileHandle;
  }
}
