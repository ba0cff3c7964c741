package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of RPCSEC_GSS version 1 (RFC 2203) over the JDK's GSS-API: the acceptor
 * credential, the principal mapping and the table of contexts.
 *
 * <p>Contexts are server-wide: a context made on one connection (the Linux client's rpc.gssd
 * makes it from user space over its own connection) is used on any other connection or over
 * UDP. The table is bounded: when it is full, expired contexts go first, then the least
 * recently used one; a client whose context went away gets RPCSEC_GSS_CREDPROBLEM and makes a
 * new one (§5.3.3.3). A context expires with its Kerberos ticket. Thread-safe.
 */
public final class RpcSecGss {
  private static final Logger log = LoggerFactory.getLogger(RpcSecGss.class);

  /** auth_stat RPCSEC_GSS_CREDPROBLEM (RFC 2203 §4): no such context, or a bad header MIC. */
  public static final int CREDPROBLEM = 13;
  /** auth_stat RPCSEC_GSS_CTXPROBLEM (RFC 2203 §4): the context expired or cannot go on. */
  public static final int CTXPROBLEM = 14;

  /** MAXSEQ (RFC 2203 §5). */
  static final long MAXSEQ = 0x8000_0000L;

  /** How long a context that never completes establishment is kept at most. */
  private static final long INCOMPLETE_NANOS = 60_000_000_000L;

  private final GSSManager manager = GSSManager.getInstance();
  private final GSSCredential acceptor;
  private final Function<String, Credential.Gss> mapper;
  private final int maxContexts;
  private final Map<GssContextHandle, RpcGssContext> contexts = new ConcurrentHashMap<>();
  private final long prefix = new SecureRandom().nextLong();
  private final AtomicLong counter = new AtomicLong();

  /**
   * @param acceptor the acceptor credential (Kerberos v5, usage ACCEPT_ONLY), usable on any
   *     thread without a JAAS subject
   * @param mapper maps an initiator principal (e.g. {@code alice@EXAMPLE.COM}) to the
   *     identity its calls carry; the service of the returned credential is ignored
   * @param maxContexts how many contexts are kept at most
   */
  public RpcSecGss(
      GSSCredential acceptor, Function<String, Credential.Gss> mapper, int maxContexts) {
    if (maxContexts <= 0) {
      throw new IllegalArgumentException("maxContexts must be positive");
    }
    this.acceptor = Objects.requireNonNull(acceptor);
    this.mapper = Objects.requireNonNull(mapper);
    this.maxContexts = maxContexts;
  }

  /**
   * Checks the RPCSEC_GSS credential and verifier of a call (RFC 2203 §5.2.2, §5.3.3.1).
   * Creation requests are only checked here; their work happens in {@link GssCall#run}. For
   * data and destroy requests, the header checksum is verified and the sequence number
   * entered in the context's window.
   *
   * @param record the whole call record
   * @param headerStart the index of the xid
   * @param credentialEnd the index just after the credential
   * @param credentialBody the credential body
   * @param verifierFlavor the verifier's flavor
   * @param verifierBody the verifier's body
   * @param procedure the call's procedure number
   * @return the call's RPCSEC_GSS part, or null when the request must be discarded silently
   *     (a sequence number already seen or below the window)
   * @throws RpcException the authentication error to answer
   */
  GssCall authenticate(
      ByteBuf record,
      int headerStart,
      int credentialEnd,
      ByteBuf credentialBody,
      int verifierFlavor,
      ByteBuf verifierBody,
      int procedure) {
    GssCredentialBody cred = GssCredentialBody.parse(credentialBody);
    switch (cred.procedure()) {
      case GssCredentialBody.INIT, GssCredentialBody.CONTINUE_INIT -> {
        // §5.2.2: creation requests go to NULLPROC and carry the NULL verifier
        if (procedure != 0) {
          throw RpcException.authError(
              RpcException.AUTH_BADCRED, "context creation with procedure " + procedure);
        }
        AuthFlavor.requireNullVerifier(verifierFlavor, verifierBody);
        if (cred.procedure() == GssCredentialBody.INIT && cred.handle().length != 0) {
          throw RpcException.authError(RpcException.AUTH_BADCRED, "INIT with a handle");
        }
        return new GssCall(this, null, cred);
      }
      default -> {
        return authenticateData(
            record, headerStart, credentialEnd, cred, verifierFlavor, verifierBody, procedure);
      }
    }
  }

  private GssCall authenticateData(
      ByteBuf record,
      int headerStart,
      int credentialEnd,
      GssCredentialBody cred,
      int verifierFlavor,
      ByteBuf verifierBody,
      int procedure) {
    if (cred.procedure() == GssCredentialBody.DESTROY && procedure != 0) {
      throw RpcException.authError(
          RpcException.AUTH_BADCRED, "DESTROY with procedure " + procedure);
    }
    GssContextHandle handle = GssContextHandle.of(cred.handle());
    RpcGssContext context = handle == null ? null : contexts.get(handle);
    if (context == null || !context.isEstablished()) {
      throw RpcException.authError(CREDPROBLEM, "no RPCSEC_GSS context with that handle");
    }
    long now = System.nanoTime();
    if (context.isExpired(now)) {
      remove(context);
      throw RpcException.authError(CTXPROBLEM, "RPCSEC_GSS context expired");
    }
    if (Integer.toUnsignedLong(cred.sequence()) >= MAXSEQ) {
      throw RpcException.authError(CTXPROBLEM, "seq_num reached MAXSEQ");
    }
    if (verifierFlavor != Credential.RPCSEC_GSS) {
      throw RpcException.authError(
          RpcException.AUTH_BADVERF, "verifier of flavor " + verifierFlavor);
    }
    byte[] header = new byte[credentialEnd - headerStart];
    record.getBytes(headerStart, header);
    try {
      context.verifyMic(ByteBufUtil.getBytes(verifierBody), header, 0, header.length);
    } catch (GSSException e) {
      // §5.3.3.4.2: a bad header checksum is CREDPROBLEM; an expired context CTXPROBLEM
      int stat = e.getMajor() == GSSException.CONTEXT_EXPIRED ? CTXPROBLEM : CREDPROBLEM;
      throw RpcException.authError(stat, "header checksum: " + e.getMessage());
    }
    if (!context.window().accept(cred.sequence())) {
      return null;
    }
    context.touch(now);
    return new GssCall(this, context, cred);
  }

  /**
   * Starts a new context for an RPCSEC_GSS_INIT request and enters it in the table.
   *
   * @throws GSSException if JGSS cannot make an acceptor context
   */
  RpcGssContext newContext() throws GSSException {
    GSSContext context = manager.createContext(acceptor);
    GssContextHandle handle = new GssContextHandle(prefix, counter.incrementAndGet());
    RpcGssContext c = new RpcGssContext(handle, context, System.nanoTime());
    makeRoom();
    contexts.put(handle, c);
    return c;
  }

  /** @return the context a CONTINUE_INIT names, or null */
  RpcGssContext find(byte[] handle) {
    GssContextHandle h = GssContextHandle.of(handle);
    return h == null ? null : contexts.get(h);
  }

  /**
   * Maps the initiator of a context that just completed.
   *
   * @return the identity its calls carry
   */
  Credential.Gss map(String principal) {
    Credential.Gss identity = mapper.apply(principal);
    if (identity == null) {
      throw new IllegalStateException("principal mapper returned null for " + principal);
    }
    return identity;
  }

  /**
   * The credential for the server's calls to a client with one of its contexts (RFC 8881
   * §2.10.8.2).
   *
   * @param handleFromServer the context's handle, as this server gave it
   * @param handleFromClient the handle the calls carry
   * @param service their protection
   * @return the credential (not {@link GssCallbackCredential#usable usable} when the context
   *     expired), or null when no established context has that handle
   */
  GssCallbackCredential callbackCredential(byte[] handleFromServer, byte[] handleFromClient, GssService service) {
    RpcGssContext c = find(handleFromServer);
    if (c == null || !c.isEstablished()) {
      return null;
    }
    return new GssCallbackCredential(this, c, handleFromClient, service);
  }

  /** @return whether the context is still in the table */
  boolean holds(RpcGssContext context) {
    return contexts.get(context.handle()) == context;
  }

  /** Removes a context (RPCSEC_GSS_DESTROY, expiry, failed establishment). */
  void remove(RpcGssContext context) {
    if (contexts.remove(context.handle(), context)) {
      context.dispose();
    }
  }

  /** Removes expired and stale contexts; then, while the table is full, the least used. */
  private void makeRoom() {
    if (contexts.size() < maxContexts) {
      return;
    }
    long now = System.nanoTime();
    for (RpcGssContext c : contexts.values()) {
      boolean stale = !c.isEstablished() && now - c.createdNanos() > INCOMPLETE_NANOS;
      if (c.isExpired(now) || stale) {
        remove(c);
      }
    }
    while (contexts.size() >= maxContexts) {
      RpcGssContext oldest = null;
      for (RpcGssContext c : contexts.values()) {
        if (oldest == null || c.lastUsedNanos() - oldest.lastUsedNanos() < 0) {
          oldest = c;
        }
      }
      if (oldest == null) {
        return;
      }
      log.debug("RPCSEC_GSS context table full ({}), evicting the least recently used", maxContexts);
      remove(oldest);
    }
  }
}
