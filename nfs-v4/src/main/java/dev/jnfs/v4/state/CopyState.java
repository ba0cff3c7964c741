package dev.jnfs.v4.state;

import dev.jnfs.v4.Nfs4StateService;
import java.time.Instant;

/**
 * An asynchronous COPY and its copy stateid (RFC 7862 §4.8): it belongs to the client whose
 * session started it and names the destination file. The stateid lives until OFFLOAD_CANCEL,
 * until the client has the outcome (CB_OFFLOAD answered, or OFFLOAD_STATUS after the end), or
 * until the session or client goes; an outcome CB_OFFLOAD could not deliver is kept a lease.
 * Changed under the state lock but for the progress and outcome, which its worker thread
 * writes and OFFLOAD_STATUS reads, volatile.
 */
final class CopyState extends StateObject {
  /** {@link #outcome} while the copy runs. */
  static final int RUNNING = -1;

  /** The session that started the copy: destroying it cancels the copy. */
  final Session session;
  final Nfs4StateService.OffloadedCopy work;
  /** Bytes copied so far. */
  volatile long copied;
  /** Set by OFFLOAD_CANCEL or when the session, client or server goes: stop before the next chunk. */
  volatile boolean cancelled;
  /** The copy's nfsstat4 once it is over, {@link #RUNNING} before. */
  volatile int outcome = RUNNING;
  /** When an undelivered outcome is forgotten; null while running or delivering. */
  volatile Instant keptUntil;
  /** The thread that copies; set under the state lock once started. */
  Thread worker;

  CopyState(ClientRecord client, int index, OpenFile file, Session session, Nfs4StateService.OffloadedCopy work) {
    super(client, index, file);
    this.session = session;
    this.work = work;
  }
}
