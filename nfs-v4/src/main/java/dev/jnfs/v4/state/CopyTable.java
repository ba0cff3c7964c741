package dev.jnfs.v4.state;

import dev.jnfs.spi.NfsException;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4StateService;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous COPY (RFC 7862 §4.4, §4.8, §15.2, §15.8, §15.9, §16.1): starts copies on
 * virtual threads of their own, answers OFFLOAD_STATUS and OFFLOAD_CANCEL, and reports each
 * copy's end with CB_OFFLOAD on the client's back channel.
 *
 * <ul>
 *   <li><b>Starting.</b> A copy starts only for a client with a usable callback path and fewer
 *       than {@link #MAX_PER_CLIENT} copies running; otherwise the COPY runs synchronously.
 *   <li><b>Running.</b> The worker copies chunk by chunk ({@link Nfs4StateService.OffloadedCopy})
 *       and checks between chunks whether it was cancelled: by OFFLOAD_CANCEL, by DESTROY_SESSION
 *       of the session that started it, when its client goes (purge, lease expiry: {@link
 *       StateRelease}), or when the server stops ({@link #shutdown}).
 *   <li><b>Ending.</b> A copy that was not cancelled sends CB_OFFLOAD with its outcome: on
 *       success the bytes copied, UNSTABLE, with the write verifier; on failure the error and
 *       the bytes copied before it. An answered CB_OFFLOAD releases the copy stateid (§4.8);
 *       one that could not be delivered keeps the outcome for OFFLOAD_STATUS a lease long.
 *       A cancelled copy sends nothing: OFFLOAD_CANCEL released its stateid already.
 * </ul>
 *
 * <p>Stateid lookups run under the state lock; the worker takes it only to record its end, never
 * while it copies or calls back.
 */
final class CopyTable {
  private static final Logger LOG = LoggerFactory.getLogger(CopyTable.class);
  /** Asynchronous copies one client may run at once; more COPYs run synchronously. */
  static final int MAX_PER_CLIENT = 16;
  /** How long {@link #shutdown} waits for the workers, within the server's wait for a program. */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(4);
  /** stable_how4 UNSTABLE4. */
  private static final int UNSTABLE4 = 0;

  private final Object lock;
  private final StateConfig config;
  private final Leases leases;
  private final StateidTable stateids;
  /** The copies running, under the lock. */
  private final Set<CopyState> running = new HashSet<>();
  private boolean closed;

  CopyTable(Object lock, StateConfig config, Leases leases, StateidTable stateids) {
    this.lock = lock;
    this.config = config;
    this.leases = leases;
    this.stateids = stateids;
  }

  /**
   * Starts an asynchronous copy for {@code session}'s client.
   *
   * @param session the session of the COPY
   * @param file the destination
   * @param work the copy's work
   * @return the copy stateid, or null when the copy must run synchronously
   */
  Stateid start(Session session, OpenFile file, Nfs4StateService.OffloadedCopy work) {
    ClientRecord client = session.client;
    synchronized (lock) {
      if (closed || client.backChannel() == null || runningOf(client) >= MAX_PER_CLIENT) {
        return null;
      }
      forgetUndelivered(client);
      CopyState copy = new CopyState(client, client.newStateIndex(), file, session, work);
      client.states.put(copy.index, copy);
      running.add(copy);
      copy.worker = Thread.ofVirtual().name("nfs4-copy").unstarted(() -> run(copy));
      copy.worker.start();
      return copy.stateid();
    }
  }

  private int runningOf(ClientRecord client) {
    int n = 0;
    for (CopyState c : running) {
      if (c.client == client) {
        n++;
      }
    }
    return n;
  }

  /** Drops the client's outcomes that waited for OFFLOAD_STATUS longer than a lease. */
  private void forgetUndelivered(ClientRecord client) {
    Instant now = leases.now();
    for (StateObject s : new ArrayList<>(client.states.values())) {
      if (s instanceof CopyState c && c.keptUntil != null && now.isAfter(c.keptUntil)) {
        client.states.remove(c.index, c);
      }
    }
  }

  /** The worker: copies chunk by chunk until done, failed or cancelled, then reports. */
  private void run(CopyState copy) {
    int outcome = Nfs4Status.SERVERFAULT; // unless the loop ends or the backend answers an error
    try {
      while (!copy.cancelled) {
        long n = copy.work.copyChunk();
        if (n <= 0) {
          break;
        }
        copy.copied += n;
      }
      outcome = Nfs4Status.OK;
    } catch (NfsException e) {
      outcome = e.status().nfs4Code();
      LOG.debug("asynchronous copy {} of {} failed: {}", copy.index, copy.client, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("asynchronous copy {} of {} failed", copy.index, copy.client, e);
    } finally {
      finish(copy, outcome);
    }
  }

  /** Records a copy's end and, unless it was cancelled, reports it. */
  private void finish(CopyState copy, int outcome) {
    synchronized (lock) {
      running.remove(copy);
      copy.outcome = outcome;
      copy.released = true;
      if (copy.cancelled) {
        return;
      }
    }
    boolean delivered = report(copy);
    synchronized (lock) {
      if (delivered) {
        copy.client.states.remove(copy.index, copy);
      } else {
        copy.keptUntil = leases.now().plus(config.leaseTime());
      }
    }
  }

  /** Sends CB_OFFLOAD; @return whether the client answered it */
  private static boolean report(CopyState copy) {
    CallbackPath channel = copy.client.backChannel();
    if (channel == null) {
      LOG.debug("no back channel for CB_OFFLOAD of copy {} of {}", copy.index, copy.client);
      return false;
    }
    try {
      BackChannel.Result r = channel.call(BackChannel.OP_CB_OFFLOAD, offloadArguments(copy));
      if (r.status() != Nfs4Status.OK) {
        LOG.debug("CB_OFFLOAD to {} answered {}", copy.client, r.status());
      }
      return true;
    } catch (BackChannel.CallbackFailure e) {
      LOG.debug("CB_OFFLOAD to {} failed: {}", copy.client, e.getMessage());
      return false;
    }
  }

  /** CB_OFFLOAD4args: coa_fh, coa_stateid, offload_info4 (RFC 7862 §16.1.1). */
  private static byte[] offloadArguments(CopyState copy) {
    ByteBuf buf = Unpooled.buffer();
    try {
      XdrEncoder e = new XdrEncoder(buf);
      e.writeOpaque(copy.work.destinationHandle());
      copy.stateid().encode(e);
      e.writeInt(copy.outcome);
      if (copy.outcome == Nfs4Status.OK) {
        e.writeInt(0); // wr_callback_id: MUST NOT be set (§16.1.3)
        e.writeHyper(copy.copied);
        e.writeInt(UNSTABLE4);
        e.writeHyper(copy.work.verifier());
      } else {
        e.writeHyper(copy.copied); // coa_bytes_copied
      }
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  /**
   * OFFLOAD_STATUS: the progress and, once over, the outcome, which releases the stateid.
   *
   * @param caller the session's client
   * @param stateid the copy stateid
   * @param file the current file
   * @return the status
   * @throws Nfs4Exception BAD_STATEID, STALE_STATEID, EXPIRED
   */
  Nfs4StateService.OffloadStatus status(ClientRecord caller, Stateid stateid, OpenFile file) throws Nfs4Exception {
    synchronized (lock) {
      CopyState copy = resolve(caller, stateid, file);
      int outcome = copy.outcome;
      if (outcome == CopyState.RUNNING) {
        return new Nfs4StateService.OffloadStatus(copy.copied, OptionalInt.empty());
      }
      copy.client.states.remove(copy.index, copy);
      return new Nfs4StateService.OffloadStatus(copy.copied, OptionalInt.of(outcome));
    }
  }

  /**
   * OFFLOAD_CANCEL: stops the copy before its next chunk and releases the stateid.
   *
   * @param caller the session's client
   * @param stateid the copy stateid
   * @param file the current file
   * @throws Nfs4Exception BAD_STATEID, STALE_STATEID, EXPIRED
   */
  void cancel(ClientRecord caller, Stateid stateid, OpenFile file) throws Nfs4Exception {
    synchronized (lock) {
      CopyState copy = resolve(caller, stateid, file);
      copy.cancelled = true;
      copy.client.states.remove(copy.index, copy);
    }
  }

  /** Finds a live copy stateid of the caller's for {@code file}; under the lock. */
  private CopyState resolve(ClientRecord caller, Stateid stateid, OpenFile file) throws Nfs4Exception {
    if (stateid.seqid() == 0) {
      // "the current stateid" makes no sense for copies, several may run on one file (§4.8)
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "a copy stateid's seqid is never 0");
    }
    CopyState copy = stateids.resolve(stateid, caller, CopyState.class);
    StateidTable.checkSeqid(copy, stateid);
    if (!copy.file.equals(file)) {
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "copy into another file");
    }
    Instant kept = copy.keptUntil;
    if (kept != null && leases.now().isAfter(kept)) {
      copy.client.states.remove(copy.index, copy);
      throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "copy outcome forgotten after a lease");
    }
    return copy;
  }

  /**
   * DESTROY_SESSION: cancels the copies the session started and forgets their stateids. Under
   * the lock.
   *
   * @param session the session destroyed
   */
  void sessionDestroyed(Session session) {
    for (StateObject s : new ArrayList<>(session.client.states.values())) {
      if (s instanceof CopyState c && c.session == session) {
        c.cancelled = true;
        session.client.states.remove(c.index, c);
      }
    }
  }

  /**
   * The server stops: cancels every copy and waits, a bounded time, for the workers to end
   * (each finishes the chunk it is copying).
   */
  void shutdown() {
    List<Thread> workers = new ArrayList<>();
    synchronized (lock) {
      closed = true;
      for (CopyState c : running) {
        c.cancelled = true;
        workers.add(c.worker);
      }
    }
    long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
    try {
      for (Thread t : workers) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !t.join(Duration.ofNanos(left))) {
          LOG.warn("an asynchronous copy did not stop within {} ms", SHUTDOWN_WAIT.toMillis());
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
