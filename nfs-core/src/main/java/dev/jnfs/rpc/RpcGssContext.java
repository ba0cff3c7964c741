package dev.jnfs.rpc;

import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.MessageProp;

/**
 * One RPCSEC_GSS context of the server: the JGSS acceptor context, its replay window, the
 * caller identity its initiator maps to, and when it expires. Establishment ({@link
 * #accept}) is serialized; the per-message operations run concurrently (the JDK's Kerberos
 * context computes each token independently).
 */
final class RpcGssContext {
  private final GssContextHandle handle;
  private final GSSContext context;
  private final GssSequenceWindow window = new GssSequenceWindow();
  private final long createdNanos;
  private volatile boolean established;
  private volatile long expiresNanos;
  private volatile Credential.Gss[] credentials;
  private volatile long lastUsedNanos;

  RpcGssContext(GssContextHandle handle, GSSContext context, long nowNanos) {
    this.handle = handle;
    this.context = context;
    this.createdNanos = nowNanos;
    this.lastUsedNanos = nowNanos;
    this.expiresNanos = Long.MAX_VALUE;
  }

  GssContextHandle handle() {
    return handle;
  }

  /**
   * Feeds one token of the initiator to the acceptor context (GSS_Accept_sec_context).
   *
   * @return the token to return to the initiator, possibly null
   * @throws GSSException if the context cannot be established
   */
  synchronized byte[] accept(byte[] token) throws GSSException {
    if (established) {
      throw new GSSException(GSSException.DUPLICATE_TOKEN);
    }
    byte[] out = context.acceptSecContext(token, 0, token.length);
    if (context.isEstablished()) {
      int lifetime = context.getLifetime();
      long now = System.nanoTime();
      expiresNanos =
          lifetime == GSSContext.INDEFINITE_LIFETIME
              ? Long.MAX_VALUE
              : now + Math.max(0, lifetime) * 1_000_000_000L;
    }
    return out;
  }

  /**
   * Completes establishment with the identity the initiator maps to.
   *
   * @param identity the mapped identity (its service is ignored)
   */
  void established(Credential.Gss identity) {
    Credential.Gss[] byService = new Credential.Gss[GssService.values().length];
    for (GssService s : GssService.values()) {
      byService[s.ordinal()] =
          new Credential.Gss(
              identity.principal(), s, identity.uid(), identity.gid(), identity.gids());
    }
    credentials = byService;
    established = true;
  }

  /** @return whether GSS_Accept_sec_context completed */
  boolean isComplete() {
    return context.isEstablished();
  }

  /** @return whether the context is complete and mapped */
  boolean isEstablished() {
    return established;
  }

  /** @return the initiator's principal name, e.g. {@code alice@EXAMPLE.COM} */
  String initiator() throws GSSException {
    return context.getSrcName().toString();
  }

  /** @return the credential of a call with this service */
  Credential.Gss credential(GssService service) {
    return credentials[service.ordinal()];
  }

  /** @return whether the context's lifetime (its Kerberos ticket's) is over */
  boolean isExpired(long nowNanos) {
    return nowNanos - expiresNanos >= 0 && expiresNanos != Long.MAX_VALUE;
  }

  long createdNanos() {
    return createdNanos;
  }

  long lastUsedNanos() {
    return lastUsedNanos;
  }

  void touch(long nowNanos) {
    lastUsedNanos = nowNanos;
  }

  GssSequenceWindow window() {
    return window;
  }

  /** GSS_GetMIC with the default QOP. */
  byte[] getMic(byte[] message, int offset, int length) throws GSSException {
    return context.getMIC(message, offset, length, new MessageProp(0, false));
  }

  /** GSS_VerifyMIC. */
  void verifyMic(byte[] token, byte[] message, int offset, int length) throws GSSException {
    context.verifyMIC(token, 0, token.length, message, offset, length, new MessageProp(0, false));
  }

  /** GSS_Wrap with confidentiality. */
  byte[] wrap(byte[] message, int offset, int length) throws GSSException {
    return context.wrap(message, offset, length, new MessageProp(0, true));
  }

  /**
   * GSS_Unwrap of a token that must have been encrypted.
   *
   * @throws GSSException if the token is bad or was not encrypted
   */
  byte[] unwrap(byte[] token) throws GSSException {
    MessageProp prop = new MessageProp(0, true);
    byte[] plain = context.unwrap(token, 0, token.length, prop);
    if (!prop.getPrivacy()) {
      throw new GSSException(GSSException.BAD_QOP, 0, "privacy token was not encrypted");
    }
    return plain;
  }

  /** Releases the JGSS context. */
  void dispose() {
    try {
      context.dispose();
    } catch (GSSException e) {
      // nothing held that matters
    }
  }
}
