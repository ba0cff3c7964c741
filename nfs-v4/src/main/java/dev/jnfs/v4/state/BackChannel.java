package dev.jnfs.v4.state;

import dev.jnfs.rpc.GssCallbackCredential;
import dev.jnfs.rpc.RpcConnection;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The back channel of a 4.1 session (RFC 8881 §2.10.3.1): the connection bound to it, the
 * callback program and credential the client gave in CREATE_SESSION or BACKCHANNEL_CTL, and
 * the back channel's slot table, whose sequence ids are the server's own (§2.10.6.3).
 *
 * <p>{@link #call} sends a CB_COMPOUND of CB_SEQUENCE and one operation (CB_RECALL,
 * CB_RECALL_ANY, CB_GETATTR) and waits for the answer, a bounded time per try, on a virtual
 * thread that may wait (a recall's own, or the worker of the GETATTR that asked; never the
 * event loop, never under the state lock). A slot in use makes the next call take another slot, or wait
 * for one. A slot's sequence id advances when the client accepts it; a CB_SEQUENCE answered
 * SEQ_MISORDERED is retried once from sequence id 1, as Linux knfsd does.
 *
 * <p>Security: AUTH_SYS, AUTH_NONE or RPCSEC_GSS with a context of the client's, as {@code
 * cb_sec_parms} says ({@link CallbackSecurity}). A session whose RPCSEC_GSS context went away
 * or expired has no usable back channel: its client gets no delegations, and SEQUENCE says
 * SEQ4_STATUS_CB_GSS_CONTEXTS_EXPIRED (RFC 8881 §18.46.3). A reply whose RPCSEC_GSS verifier
 * or protection does not check fails the call.
 */
final class BackChannel implements CallbackPath {
  private static final Logger LOG = LoggerFactory.getLogger(BackChannel.class);

  /** CB_COMPOUND, procedure 1 of the callback program, version 1. */
  static final int CB_COMPOUND = 1;
  static final int OP_CB_GETATTR = 3;
  static final int OP_CB_RECALL = 4;
  static final int OP_CB_RECALL_ANY = 8;
  static final int OP_CB_SEQUENCE = 11;
  /** CB_OFFLOAD (RFC 7862 §16.1), callback operation 15. */
  static final int OP_CB_OFFLOAD = 15;
  /**
   * @return how long one callback waits for its answer: half a lease, between 0.5 and 5
   *     seconds, so that a recall is tried within the lease that bounds it
   */
  static Duration timeout(dev.jnfs.v4.StateConfig config) {
    long half = config.leaseTime().toMillis() / 2;
    return Duration.ofMillis(Math.max(500, Math.min(5000, half)));
  }

  /** Back-channel slots the server uses at most. */
  static final int MAX_SLOTS = 8;

  private final byte[] sessionId;
  private final int minorVersion;
  private final Duration timeout;
  private final int[] slotSeqids;
  private final boolean[] slotBusy;
  private volatile RpcConnection connection;
  private volatile int program;
  private volatile int authFlavor;
  private volatile byte[] authBody = new byte[0];
  private volatile GssCallbackCredential gss;

  /**
   * @param sessionId the session
   * @param minorVersion the session's minor version, which its callbacks carry
   * @param slots the back channel's granted slot count
   * @param timeout how long one try waits for the client's answer
   */
  BackChannel(byte[] sessionId, int minorVersion, int slots, Duration timeout) {
    this.sessionId = sessionId;
    this.minorVersion = minorVersion;
    this.timeout = timeout;
    this.slotSeqids = new int[Math.max(1, Math.min(slots, MAX_SLOTS))];
    this.slotBusy = new boolean[slotSeqids.length];
  }

  /** Binds a connection as the back channel (CREATE_SESSION with CONN_BACK_CHAN, BIND_CONN_TO_SESSION). */
  void bind(RpcConnection c) {
    if (c != null) {
      connection = c;
    }
  }

  /**
   * Sets the program and security the client named (CREATE_SESSION, BACKCHANNEL_CTL).
   *
   * @param program cb_program
   * @param security what {@code cb_sec_parms} offered, the first usable one chosen
   */
  void configure(int program, CallbackSecurity security) {
    this.program = program;
    this.authFlavor = security.flavor();
    this.authBody = security.body();
    this.gss = security.gss();
  }

  /**
   * @return whether callbacks can be sent: a connection is bound and open, and the credential
   *     is at hand (an RPCSEC_GSS context still usable)
   */
  @Override
  public boolean usable() {
    RpcConnection c = connection;
    GssCallbackCredential g = gss;
    return c != null && c.isOpen() && (g == null || g.usable());
  }

  /** @return whether the callbacks' RPCSEC_GSS context went away or expired since it was given */
  boolean gssContextExpired() {
    GssCallbackCredential g = gss;
    return g != null && !g.usable();
  }

  /** @return whether a connection was ever bound to the back channel */
  boolean bound() {
    return connection != null;
  }

  /**
   * Sends CB_COMPOUND(CB_SEQUENCE, one operation) and waits for its result.
   *
   * @param opcode the operation
   * @param opArgs its XDR-encoded arguments
   * @return the decoder positioned after the operation's status, with that status
   * @throws CallbackFailure the path is down, the client did not answer in time, or answered
   *     something other than a result for the operation
   */
  @Override
  public Result call(int opcode, byte[] opArgs) throws CallbackFailure {
    int slot = takeSlot();
    try {
      Result r = callOnSlot(slot, opcode, opArgs);
      if (r.sequenceStatus() == Nfs4Status.SEQ_MISORDERED) {
        synchronized (this) {
          slotSeqids[slot] = 0;
        }
        r = callOnSlot(slot, opcode, opArgs);
      }
      if (r.sequenceStatus() != Nfs4Status.OK) {
        throw new CallbackFailure("CB_SEQUENCE answered " + r.sequenceStatus());
      }
      return r;
    } finally {
      releaseSlot(slot);
    }
  }

  private Result callOnSlot(int slot, int opcode, byte[] opArgs) throws CallbackFailure {
    RpcConnection c = connection;
    GssCallbackCredential g = gss;
    if (!usable()) {
      throw new CallbackFailure("no back channel");
    }
    int seqid;
    synchronized (this) {
      seqid = slotSeqids[slot] + 1;
    }
    ByteBuf buf = Unpooled.buffer();
    byte[] args;
    try {
      XdrEncoder e = new XdrEncoder(buf);
      e.writeOpaque(new byte[0]); // tag
      e.writeInt(minorVersion);
      e.writeInt(0); // callback_ident: unused in 4.1
      e.writeInt(2);
      e.writeInt(OP_CB_SEQUENCE);
      e.writeFixedOpaque(sessionId).writeInt(seqid).writeInt(slot).writeInt(slotSeqids.length - 1);
      e.writeBoolean(false); // csa_cachethis
      e.writeInt(0); // csa_referring_call_lists
      e.writeInt(opcode);
      buf.writeBytes(opArgs);
      args = ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
    CompletableFuture<byte[]> reply = g != null
        ? c.call(program, 1, CB_COMPOUND, g, args)
        : c.call(program, 1, CB_COMPOUND, authFlavor, authBody, args);
    byte[] results;
    try {
      results = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      reply.cancel(false);
      throw new CallbackFailure("no answer in " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new CallbackFailure("callback failed: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply.cancel(false);
      throw new CallbackFailure("interrupted");
    }
    Result r = decode(results, opcode);
    if (r.sequenceStatus() == Nfs4Status.OK) {
      // the slot moves on only once the client accepted the sequence id: after a call that got
      // no answer, the next one repeats it (the client answers a retry, or misordering)
      synchronized (this) {
        slotSeqids[slot] = seqid;
      }
    }
    return r;
  }

  /** Decodes CB_COMPOUND4res down to the operation's status. */
  private static Result decode(byte[] results, int opcode) throws CallbackFailure {
    try {
      XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(results));
      int status = d.readInt();
      d.readOpaque(1024); // tag
      int count = d.readArrayLength(16, 8);
      if (count < 1 || d.readInt() != OP_CB_SEQUENCE) {
        throw new CallbackFailure("CB_COMPOUND answered " + status + " without CB_SEQUENCE");
      }
      int sequenceStatus = d.readInt();
      if (sequenceStatus != Nfs4Status.OK) {
        return new Result(sequenceStatus, status, d);
      }
      d.readFixedOpaque(16);
      d.readInt();
      d.readInt();
      d.readInt();
      d.readInt();
      if (count < 2) {
        throw new CallbackFailure("CB_COMPOUND answered " + status + " after CB_SEQUENCE");
      }
      if (d.readInt() != opcode) {
        throw new CallbackFailure("CB_COMPOUND answered another operation");
      }
      return new Result(Nfs4Status.OK, d.readInt(), d);
    } catch (XdrException | IndexOutOfBoundsException e) {
      throw new CallbackFailure("undecodable CB_COMPOUND result: " + e.getMessage());
    }
  }

  /** Takes a free slot, waiting for one while all are in use (each call is bounded in time). */
  private synchronized int takeSlot() throws CallbackFailure {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (int i = 0; i < slotBusy.length; i++) {
        if (!slotBusy[i]) {
          slotBusy[i] = true;
          return i;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new CallbackFailure("every back-channel slot in use");
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CallbackFailure("interrupted");
      }
    }
  }

  private synchronized void releaseSlot(int slot) {
    slotBusy[slot] = false;
    notifyAll();
  }

  /**
   * An answered callback.
   *
   * @param sequenceStatus CB_SEQUENCE's status
   * @param status the operation's status (or CB_COMPOUND's, when CB_SEQUENCE failed)
   * @param rest the operation's result after its status
   */
  record Result(int sequenceStatus, int status, XdrDecoder rest) {}

  /** A callback that could not be made or got no usable answer. */
  static final class CallbackFailure extends Exception {
    private static final long serialVersionUID = 1L;

    CallbackFailure(String message) {
      super(message, null, false, false);
      LOG.debug("callback failed: {}", message);
    }
  }
}
