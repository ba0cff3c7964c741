package dev.jnfs.rpc;

import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a received record into an {@link Inbound}: decodes the call header (RFC 5531 §9),
 * authenticates it, finds the program and consults the duplicate request cache. Rejections
 * that need no procedure (RPC_MISMATCH, authentication errors, PROG_UNAVAIL, PROG_MISMATCH)
 * are answered here, on the network thread. Thread-safe.
 *
 * <p>A record that is not a call (msg_type REPLY or anything else) is dropped. A call whose
 * header is cut short before its verifier ends cannot be answered meaningfully (RFC 5531 has
 * no rejection for it); it is {@link Inbound.Disposition#UNPARSABLE}: the stream transport
 * closes the connection, UDP drops the datagram. An RPC version other than 2 is answered
 * RPC_MISMATCH as soon as the version is read.
 *
 * <p>A dispatcher made with a TLS context answers the AUTH_TLS probe (RFC 9289 §4.1) of a
 * plain-text TCP connection with the "STARTTLS" verifier; the connection then starts TLS. Every
 * other use of AUTH_TLS (a procedure other than NULL, a probe within TLS, over UDP, or to a
 * server without TLS) is refused with AUTH_BADCRED, as §4.1 requires.
 */
public final class RpcDispatcher {
  private static final Logger log = LoggerFactory.getLogger(RpcDispatcher.class);
  private static final int FIXED_HEADER = 24;

  private final ProgramTable programs;
  private final AuthFlavors flavors;
  private final DuplicateRequestCache cache;
  private final Supplier<SslContext> tls;
  private final boolean tlsFromFirstByte;
  private final RpcSecGss gss;
  private final InFlightCalls inFlight = new InFlightCalls();
  private final ServerMetrics metrics;
  /** The meters of the programs served; null when nothing is measured. */
  private final ProgramMeters meters;

  /**
   * @param programs the programs to serve
   * @param duplicateCacheEntries how many non-idempotent replies to remember (0 for none)
   */
  public RpcDispatcher(ProgramTable programs, int duplicateCacheEntries) {
    this(programs, duplicateCacheEntries, null);
  }

  /**
   * @param programs the programs to serve
   * @param duplicateCacheEntries how many non-idempotent replies to remember (0 for none)
   * @param tls the TLS context for connections that start TLS, asked once per handshake so
   *     it may change (certificate reload); null when RPC-with-TLS is not offered
   */
  public RpcDispatcher(
      ProgramTable programs, int duplicateCacheEntries, Supplier<SslContext> tls) {
    this(programs, duplicateCacheEntries, tls, false);
  }

  /**
   * @param programs the programs to serve
   * @param duplicateCacheEntries how many non-idempotent replies to remember (0 for none)
   * @param tls the TLS context, asked once per handshake so it may change; null for no TLS
   * @param tlsFromFirstByte whether TCP connections are TLS from their first byte (an
   *     implicit-TLS port, without the AUTH_TLS probe); needs {@code tls}
   */
  public RpcDispatcher(
      ProgramTable programs,
      int duplicateCacheEntries,
      Supplier<SslContext> tls,
      boolean tlsFromFirstByte) {
    this(programs, duplicateCacheEntries, tls, tlsFromFirstByte, null);
  }

  /**
   * @param programs the programs to serve
   * @param duplicateCacheEntries how many non-idempotent replies to remember (0 for none)
   * @param tls the TLS context, asked once per handshake so it may change; null for no TLS
   * @param tlsFromFirstByte whether TCP connections are TLS from their first byte (an
   *     implicit-TLS port, without the AUTH_TLS probe); needs {@code tls}
   * @param gss RPCSEC_GSS (RFC 2203), shared by every dispatcher of a server so that a
   *     context made over one connection serves the others; null when not offered
   */
  public RpcDispatcher(
      ProgramTable programs,
      int duplicateCacheEntries,
      Supplier<SslContext> tls,
      boolean tlsFromFirstByte,
      RpcSecGss gss) {
    this(programs, duplicateCacheEntries, tls, tlsFromFirstByte, gss, ServerMetrics.NONE);
  }

  /**
   * @param programs the programs to serve
   * @param duplicateCacheEntries how many non-idempotent replies to remember (0 for none)
   * @param tls the TLS context, asked once per handshake so it may change; null for no TLS
   * @param tlsFromFirstByte whether TCP connections are TLS from their first byte (an
   *     implicit-TLS port, without the AUTH_TLS probe); needs {@code tls}
   * @param gss RPCSEC_GSS (RFC 2203), shared by every dispatcher of a server; null when not
   *     offered
   * @param metrics where calls, rejections and duplicate-cache hits are measured
   */
  public RpcDispatcher(
      ProgramTable programs,
      int duplicateCacheEntries,
      Supplier<SslContext> tls,
      boolean tlsFromFirstByte,
      RpcSecGss gss,
      ServerMetrics metrics) {
    this(
        programs,
        AuthFlavors.standard(),
        duplicateCacheEntries > 0
            ? new DuplicateRequestCache(duplicateCacheEntries, 32L << 20, 64 << 10)
            : null,
        tls,
        tlsFromFirstByte,
        gss,
        metrics);
  }

  RpcDispatcher(ProgramTable programs, AuthFlavors flavors, DuplicateRequestCache cache) {
    this(programs, flavors, cache, null);
  }

  RpcDispatcher(
      ProgramTable programs,
      AuthFlavors flavors,
      DuplicateRequestCache cache,
      Supplier<SslContext> tls) {
    this(programs, flavors, cache, tls, false, null, ServerMetrics.NONE);
  }

  RpcDispatcher(
      ProgramTable programs,
      AuthFlavors flavors,
      DuplicateRequestCache cache,
      Supplier<SslContext> tls,
      boolean tlsFromFirstByte,
      RpcSecGss gss,
      ServerMetrics metrics) {
    if (tlsFromFirstByte && tls == null) {
      throw new IllegalArgumentException("TLS from the first byte needs a TLS context");
    }
    this.programs = programs;
    this.flavors = flavors;
    this.cache = cache;
    this.tls = tls;
    this.tlsFromFirstByte = tlsFromFirstByte;
    this.gss = gss;
    this.metrics = metrics;
    this.meters = metrics.enabled() ? new ProgramMeters(programs, metrics) : null;
  }

  /** @return where this dispatcher's calls are measured */
  ServerMetrics metrics() {
    return metrics;
  }

  /** @return whether TCP connections start TLS at their first byte (implicit TLS) */
  boolean tlsFromFirstByte() {
    return tlsFromFirstByte;
  }

  /** @return the TLS context for a connection that starts TLS now, or null if not offered */
  SslContext tlsContext() {
    return tls == null ? null : tls.get();
  }

  /** @return the calls decoded here that have not handed over their reply yet */
  InFlightCalls inFlight() {
    return inFlight;
  }

  /** @return the programs served */
  public ProgramTable programs() {
    return programs;
  }

  /**
   * Decodes one record. Takes ownership of {@code record}: it is released here unless the
   * result is an {@link RpcCallTask}, which then owns it.
   */
  Inbound accept(
      ByteBuf record,
      InetSocketAddress remote,
      InetSocketAddress local,
      Transport transport,
      ByteBufAllocator alloc) {
    return accept(record, remote, local, transport, TransportSecurity.NONE, null, 0, alloc);
  }

  /**
   * Decodes one record that arrived on a connection with the given protection. Takes
   * ownership of {@code record} as {@link #accept(ByteBuf, InetSocketAddress,
   * InetSocketAddress, Transport, ByteBufAllocator)} does. An AUTH_TLS probe is answered with
   * {@link Inbound.StartTls} only over plain-text TCP and when TLS is offered. The Kerberos
   * principal of an RPCSEC_GSS call is noted on its connection.
   *
   * @param connection the TCP connection the record came on; null for UDP
   * @param receivedNanos with a connection, {@link System#nanoTime()} read after the whole
   *     record had been read from it ({@link RpcCall#receivedNanos})
   */
  Inbound accept(
      ByteBuf record,
      InetSocketAddress remote,
      InetSocketAddress local,
      Transport transport,
      TransportSecurity security,
      RpcConnection connection,
      long receivedNanos,
      ByteBufAllocator alloc) {
    RpcCallTask task = null;
    try {
      int readable = record.readableBytes();
      if (readable < 8) {
        log.debug("{}: {} byte record is no RPC message", remote, readable);
        return Inbound.Disposition.UNPARSABLE;
      }
      int base = record.readerIndex();
      int xid = record.getInt(base);
      int type = record.getInt(base + 4);
      if (type != RpcMessages.CALL) {
        log.debug("{}: message of type {} ignored", remote, type);
        return Inbound.Disposition.DROP;
      }
      boolean framed = transport == Transport.TCP;
      if (readable >= 12 && record.getInt(base + 8) != RpcMessages.RPC_VERSION) {
        log.debug("{}: RPC version {} refused", remote, record.getInt(base + 8));
        ByteBuf reply = RpcMessages.begin(alloc, framed);
        RpcMessages.writeRpcMismatch(reply, xid);
        return new Inbound.Reply(RpcMessages.finish(reply, framed));
      }
      if (readable < FIXED_HEADER + 16) {
        log.debug("{}: call header of {} bytes is truncated", remote, readable);
        return Inbound.Disposition.UNPARSABLE;
      }
      int prog = record.getInt(base + 12);
      int vers = record.getInt(base + 16);
      int proc = record.getInt(base + 20);
      int pos = base + FIXED_HEADER;
      int credFlavor = record.getInt(pos);
      long credLength = record.getUnsignedInt(pos + 4);
      pos += 8;
      if (credLength > RpcMessages.MAX_AUTH_BYTES) {
        return reject(
            alloc, framed, xid, RpcException.AUTH_BADCRED, remote, "opaque_auth too long");
      }
      int credPadded = (int) ((credLength + 3) & ~3);
      if (base + readable - pos < credPadded + 8) {
        log.debug("{}: call header truncated in the credential", remote);
        return Inbound.Disposition.UNPARSABLE;
      }
      ByteBuf credBody = record.slice(pos, (int) credLength);
      pos += credPadded;
      int credEnd = pos;
      int verfFlavor = record.getInt(pos);
      long verfLength = record.getUnsignedInt(pos + 4);
      pos += 8;
      if (verfLength > RpcMessages.MAX_AUTH_BYTES) {
        return reject(
            alloc, framed, xid, RpcException.AUTH_BADVERF, remote, "opaque_auth too long");
      }
      int verfPadded = (int) ((verfLength + 3) & ~3);
      if (base + readable - pos < verfPadded) {
        log.debug("{}: call header truncated in the verifier", remote);
        return Inbound.Disposition.UNPARSABLE;
      }
      ByteBuf verfBody = record.slice(pos, (int) verfLength);
      pos += verfPadded;
      if (credFlavor == Credential.AUTH_TLS) {
        boolean probe =
            proc == 0
                && credLength == 0
                && verfFlavor == Credential.AUTH_NONE
                && verfLength == 0
                && transport == Transport.TCP
                && security.level() == TransportSecurity.Level.NONE
                && tls != null;
        return probe
            ? startTls(alloc, xid, prog, vers, remote)
            : reject(alloc, framed, xid, RpcException.AUTH_BADCRED, remote, "AUTH_TLS refused");
      }
      Credential credential;
      GssCall gssCall = null;
      try {
        if (credFlavor == Credential.RPCSEC_GSS && gss != null) {
          gssCall = gss.authenticate(record, base, credEnd, credBody, verfFlavor, verfBody, proc);
          if (gssCall == null) {
            // RFC 2203 §5.3.3.1: a replayed or too old seq_num is discarded silently
            log.debug("{}: RPCSEC_GSS seq_num of xid {} replayed or below the window", remote, xid);
            return Inbound.Disposition.DROP;
          }
          credential = gssCall.isCreation() ? Credential.None.INSTANCE : gssCall.credential();
        } else {
          credential = flavors.authenticate(credFlavor, credBody, verfFlavor, verfBody);
        }
      } catch (RpcException e) {
        log.debug("{}: authentication refused: {}", remote, e.getMessage());
        ByteBuf reply = RpcMessages.begin(alloc, framed);
        RpcMessages.writeRejection(reply, xid, e);
        return new Inbound.Reply(RpcMessages.finish(reply, framed));
      }
      RpcProgram program = programs.find(prog, vers);
      if (program == null) {
        return unavailable(alloc, framed, xid, prog, vers, remote, gssCall);
      }
      record.readerIndex(pos);
      if (gssCall != null && gssCall.isDestroy()) {
        return destroy(alloc, framed, xid, gssCall, remote);
      }
      DuplicateRequestCache.Key key = null;
      // under RPCSEC_GSS the arguments may be wrapped: the procedure alone decides
      boolean nonIdempotent =
          cache != null
              && (gssCall == null
                  ? program.isNonIdempotent(vers, proc, record.duplicate())
                  : program.isNonIdempotent(vers, proc));
      if (nonIdempotent && !isCreation(gssCall)) {
        // a retransmission under RPCSEC_GSS has a new seq_num and so other argument bytes:
        // the context handle stands in for them
        key =
            gssCall == null
                ? DuplicateRequestCache.keyOf(xid, prog, vers, proc, remote.getAddress(), record)
                : DuplicateRequestCache.keyOf(
                    xid, prog, vers, proc, remote.getAddress(),
                    Unpooled.wrappedBuffer(gssCall.handle()));
        DuplicateRequestCache.Lookup found = cache.begin(key);
        if (found instanceof DuplicateRequestCache.InProgress) {
          metrics.duplicateRequest(false);
          log.debug("{}: retransmission of xid {} still running, dropped", remote, xid);
          return Inbound.Disposition.DROP;
        }
        if (found instanceof DuplicateRequestCache.Replay replay) {
          metrics.duplicateRequest(true);
          log.debug("{}: retransmission of xid {} answered from cache", remote, xid);
          if (gssCall != null) {
            // cached in the clear; protected anew for this request's seq_num
            return new Inbound.Reply(
                gssCall.protect(Unpooled.wrappedBuffer(replay.reply()), framed, alloc));
          }
          ByteBuf reply = RpcMessages.begin(alloc, framed);
          reply.writeBytes(replay.reply());
          return new Inbound.Reply(RpcMessages.finish(reply, framed));
        }
      }
      RpcCall call =
          new RpcCall(
              xid, prog, vers, proc, credential, remote, local, transport,
              new XdrDecoder(record), security);
      call.gssContexts(gss);
      if (connection != null) {
        call.arrivedOn(connection, receivedNanos);
        if (credential instanceof Credential.Gss g) {
          connection.notePrincipal(g.principal());
        }
      }
      // under RPCSEC_GSS the arguments may be wrapped: the procedure alone decides
      boolean nonBlocking =
          gssCall == null
              ? program.isNonBlocking(vers, proc, record)
              : program.isNonBlocking(vers, proc) && !gssCall.needsWorker();
      if (transport == Transport.TCP && security == TransportSecurity.NONE && gssCall == null
          && key == null) {
        call.allowFileBytes();
      }
      task =
          new RpcCallTask(
              program, call, record, cache, key, nonBlocking, inFlight, gssCall,
              meters == null ? null : meters.find(prog, vers));
      return task;
    } finally {
      if (task == null) {
        record.release();
      }
    }
  }

  /**
   * Answers an AUTH_TLS probe: MSG_ACCEPTED with the "STARTTLS" verifier; the accept_stat
   * still says whether the program and version are served (RFC 9289 §4.1 lets the client
   * proceed with TLS either way).
   */
  private Inbound startTls(
      ByteBufAllocator alloc, int xid, int prog, int vers, InetSocketAddress remote) {
    log.debug("{}: AUTH_TLS probe, starting TLS", remote);
    ByteBuf reply = RpcMessages.begin(alloc, true);
    if (programs.find(prog, vers) != null) {
      RpcMessages.writeStartTls(reply, xid, RpcMessages.SUCCESS);
    } else {
      RpcProgram[] same = programs.withNumber(prog);
      if (same.length == 0) {
        RpcMessages.writeStartTls(reply, xid, RpcMessages.PROG_UNAVAIL);
      } else {
        RpcMessages.writeStartTls(reply, xid, RpcMessages.PROG_MISMATCH);
        int low = Integer.MAX_VALUE;
        int high = Integer.MIN_VALUE;
        for (RpcProgram p : same) {
          low = Math.min(low, p.lowVersion());
          high = Math.max(high, p.highVersion());
        }
        reply.writeInt(low);
        reply.writeInt(high);
      }
    }
    return new Inbound.StartTls(RpcMessages.finish(reply, true));
  }

  private Inbound reject(
      ByteBufAllocator alloc,
      boolean framed,
      int xid,
      int authStat,
      InetSocketAddress remote,
      String why) {
    log.debug("{}: {}", remote, why);
    ByteBuf reply = RpcMessages.begin(alloc, framed);
    RpcMessages.writeAuthError(reply, xid, authStat);
    return new Inbound.Reply(RpcMessages.finish(reply, framed));
  }

  private static boolean isCreation(GssCall gssCall) {
    return gssCall != null && gssCall.isCreation();
  }

  /**
   * Answers RPCSEC_GSS_DESTROY as a data request with no results, then forgets the context
   * (RFC 2203 §5.4).
   */
  private Inbound destroy(
      ByteBufAllocator alloc, boolean framed, int xid, GssCall gssCall, InetSocketAddress remote) {
    log.debug("{}: RPCSEC_GSS_DESTROY", remote);
    ByteBuf plain = alloc.heapBuffer(24);
    try {
      RpcMessages.writeAccepted(plain, xid, RpcMessages.SUCCESS);
      return new Inbound.Reply(gssCall.protect(plain, framed, alloc));
    } finally {
      plain.release();
      gssCall.destroy();
    }
  }

  private Inbound unavailable(
      ByteBufAllocator alloc,
      boolean framed,
      int xid,
      int prog,
      int vers,
      InetSocketAddress remote,
      GssCall gssCall) {
    if (gssCall != null && !gssCall.isCreation()) {
      // an accepted reply to a data request carries the RPCSEC_GSS verifier (§5.3.3.2)
      Inbound plain = unavailable(alloc, false, xid, prog, vers, remote, null);
      ByteBuf message = ((Inbound.Reply) plain).buffer();
      try {
        return new Inbound.Reply(gssCall.protect(message, framed, alloc));
      } finally {
        message.release();
      }
    }
    RpcProgram[] same = programs.withNumber(prog);
    ByteBuf reply = RpcMessages.begin(alloc, framed);
    if (same.length == 0) {
      log.debug("{}: program {} unavailable", remote, prog);
      RpcMessages.writeAccepted(reply, xid, RpcMessages.PROG_UNAVAIL);
    } else {
      int low = Integer.MAX_VALUE;
      int high = Integer.MIN_VALUE;
      for (RpcProgram p : same) {
        low = Math.min(low, p.lowVersion());
        high = Math.max(high, p.highVersion());
      }
      log.debug("{}: program {} version {} unavailable", remote, prog, vers);
      RpcMessages.writeProgramMismatch(reply, xid, low, high);
    }
    return new Inbound.Reply(RpcMessages.finish(reply, framed));
  }
}
