package dev.jnfs.rpc;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decoded call waiting to run: it owns the received record until {@link #run} or
 * {@link #discard}, exactly one of which is called once. It counts as in flight from its
 * creation until {@link #discard}, or until {@link #done} after its reply was handed to the
 * transport (so that a connection closed once no call is in flight has written every reply).
 */
final class RpcCallTask implements Inbound {
  private static final Logger log = LoggerFactory.getLogger(RpcCallTask.class);

  private final RpcProgram program;
  private final RpcCall call;
  private final ByteBuf record;
  private final DuplicateRequestCache cache;
  private final DuplicateRequestCache.Key cacheKey;
  private final boolean nonBlocking;
  private final InFlightCalls inFlight;
  private final GssCall gss;
  private final ProgramMeters.Version meters;
  /** When the call was decoded ({@link System#nanoTime()}), if it is measured. */
  private final long decodedAt;

  /**
   * @param gss the RPCSEC_GSS part of the call, or null for other flavors
   * @param meters the meters of the call's program version, or null when not measured
   */
  RpcCallTask(
      RpcProgram program,
      RpcCall call,
      ByteBuf record,
      DuplicateRequestCache cache,
      DuplicateRequestCache.Key cacheKey,
      boolean nonBlocking,
      InFlightCalls inFlight,
      GssCall gss,
      ProgramMeters.Version meters) {
    this.program = program;
    this.call = call;
    this.record = record;
    this.cache = cache;
    this.cacheKey = cacheKey;
    this.nonBlocking = nonBlocking;
    this.inFlight = inFlight;
    this.gss = gss;
    this.meters = meters;
    this.decodedAt = meters == null ? 0 : System.nanoTime();
    inFlight.begin();
  }

  /** @return whether the program said this call never blocks */
  boolean isNonBlocking() {
    return nonBlocking;
  }

  /** @return the call */
  RpcCall call() {
    return call;
  }

  /**
   * Runs the procedure and encodes its reply. Never throws: a failing procedure is answered
   * with the matching rejection. Releases the record.
   *
   * @param alloc where to allocate the reply
   * @return the reply, framed for TCP when the call came over TCP
   */
  ByteBuf run(ByteBufAllocator alloc) {
    // file bytes are offered to plain TCP calls only (RpcDispatcher), so this is a buffer
    try {
      return gss != null ? runGss(alloc) : (ByteBuf) runPlain(alloc);
    } finally {
      endRunning();
    }
  }

  /**
   * Runs the call for a stream connection, where the results may end with file bytes.
   *
   * @return the reply: a {@link ByteBuf}, or a {@link StreamReply} when it ends with file bytes
   */
  Object runOnStream(ByteBufAllocator alloc) {
    try {
      return gss != null ? runGss(alloc) : runPlain(alloc);
    } finally {
      endRunning();
    }
  }

  /**
   * Ends the call's running mark in the duplicate request cache even if it failed before
   * storing its reply, so that a retransmission is run rather than dropped forever.
   */
  private void endRunning() {
    if (cacheKey != null) {
      cache.abandon(cacheKey);
    }
  }

  private Object runPlain(ByteBufAllocator alloc) {
    boolean framed = call.transport() == Transport.TCP;
    ByteBuf reply = RpcMessages.begin(alloc, framed, sizeHint(call));
    int start = reply.writerIndex();
    try {
      execute(call, reply, start);
    } finally {
      record.release();
    }
    RpcMessages.finish(reply, framed);
    if (cacheKey != null) {
      cache.complete(cacheKey, reply, start);
    }
    FileBytes data = call.takeFileBytes(); // only on framed calls the cache does not keep
    if (data == null) {
      return reply;
    }
    int padding = (int) (-data.count() & 3);
    RpcMessages.finish(reply, data.count() + padding);
    return new StreamReply(reply, data, padding);
  }

  /**
   * Runs an RPCSEC_GSS call (RFC 2203): a context creation step, or a data request whose
   * arguments are unprotected before and whose results are protected after the procedure.
   * Its reply is cached in the clear, to be protected anew for a retransmission's seq_num.
   */
  private ByteBuf runGss(ByteBufAllocator alloc) {
    boolean framed = call.transport() == Transport.TCP;
    if (gss.isCreation()) {
      try {
        return gss.establish(call.xid(), call.arguments(), framed, alloc);
      } finally {
        record.release();
      }
    }
    ByteBuf plain = null;
    ByteBuf args = null;
    try {
      try {
        args = gss.unprotect(record);
      } catch (RpcException e) {
        log.debug("{}: {}", this, e.getMessage());
        plain = RpcMessages.begin(alloc, false);
        RpcMessages.writeAccepted(plain, call.xid(), e.status());
      }
      if (args != null) {
        RpcCall plainCall =
            args == record
                ? call
                : new RpcCall(
                    call.xid(), call.program(), call.version(), call.procedure(),
                    call.credential(), call.remoteAddress(), call.localAddress(),
                    call.transport(), new XdrDecoder(args), call.transportSecurity());
        if (plainCall != call) {
          // the unprotected call is the same call: on the same connection, with the same contexts
          plainCall.arrivedAs(call);
          plainCall.gssContexts(call.gssContexts());
        }
        plain = RpcMessages.begin(alloc, false, sizeHint(plainCall));
        execute(plainCall, plain, 0);
      }
    } finally {
      record.release();
      if (args != null && args != record) {
        args.release();
      }
    }
    try {
      if (cacheKey != null) {
        cache.complete(cacheKey, plain, 0);
      }
      return gss.protect(plain, framed, alloc);
    } finally {
      plain.release();
    }
  }

  /**
   * Writes the accepted reply header and the procedure's results, or the rejection it asks
   * for, from {@code start}.
   */
  private void execute(RpcCall call, ByteBuf reply, int start) {
    try {
      RpcMessages.writeAccepted(reply, call.xid(), RpcMessages.SUCCESS);
      program.handle(call, new XdrEncoder(reply));
    } catch (RpcException e) {
      if (meters != null) {
        meters.rejected(call.procedure(), e.status(), e.isAuthError());
      }
      call.withdrawFileBytes(); // an error replaces the results
      log.debug("{}: rejected with {}: {}", this, e.status(), e.getMessage());
      reply.writerIndex(start);
      RpcMessages.writeRejection(reply, call.xid(), e);
    } catch (XdrException e) {
      call.withdrawFileBytes(); // an error replaces the results
      log.debug("{}: garbage arguments: {}", this, e.getMessage());
      if (meters != null) {
        meters.rejected(call.procedure(), RpcException.GARBAGE_ARGS, false);
      }
      reply.writerIndex(start);
      RpcMessages.writeAccepted(reply, call.xid(), RpcException.GARBAGE_ARGS);
    } catch (Throwable e) {
      call.withdrawFileBytes(); // an error replaces the results
      log.warn("{}: procedure failed, answering SYSTEM_ERR", this, e);
      if (meters != null) {
        meters.rejected(call.procedure(), RpcException.SYSTEM_ERR, false);
      }
      reply.writerIndex(start);
      RpcMessages.writeAccepted(reply, call.xid(), RpcException.SYSTEM_ERR);
    } finally {
      if (meters != null) {
        meters.timers().record(call.procedure(), System.nanoTime() - decodedAt);
      }
    }
  }

  private int sizeHint(RpcCall call) {
    try {
      return program.resultSizeHint(call);
    } catch (RuntimeException e) {
      log.warn("{}: result size hint failed", this, e);
      return 0;
    }
  }

  /** Marks the call as no longer in flight: its reply was handed to the transport. */
  void done() {
    inFlight.end();
  }

  /** Releases the call without running it; it is no longer in flight. */
  void discard() {
    record.release();
    if (cacheKey != null) {
      cache.abandon(cacheKey);
    }
    inFlight.end();
  }

  @Override
  public String toString() {
    return "call xid="
        + Integer.toUnsignedString(call.xid(), 16)
        + " prog="
        + call.program()
        + " vers="
        + call.version()
        + " proc="
        + call.procedure()
        + " from "
        + call.remoteAddress();
  }
}
