package dev.jnfs.v4.state;

import dev.jnfs.v4.Stateid;

/**
 * Something a stateid names: an open or a byte-range lock state of one owner on one file
 * (RFC 8881 §8.2), a delegation, or an asynchronous copy (RFC 7862 §4.8). Its seqid starts at 1 and grows with each change. Changed under the
 * state lock ({@link StateEngine}); the fields I/O checks read are volatile, as those checks
 * run without it.
 */
abstract sealed class StateObject permits OpenState, LockState, Delegation, CopyState {
  final ClientRecord client;
  final int index;
  final OpenFile file;
  volatile int seqid = 1;
  /** Set when the lease expired and the state was taken away (4.1 keeps it for FREE_STATEID). */
  volatile boolean revoked;
  /** Set once what the state held was given back to the lock manager and backend. */
  volatile boolean released;

  StateObject(ClientRecord client, int index, OpenFile file) {
    this.client = client;
    this.index = index;
    this.file = file;
  }

  /** @return the current stateid */
  Stateid stateid() {
    return StateIds.stateid(seqid, client.boot, client.index, index);
  }

  /** Advances the seqid after a change (wrapping past 0xFFFFFFFF to 1). */
  void bump() {
    seqid = seqid == -1 ? 1 : seqid + 1;
  }
}
