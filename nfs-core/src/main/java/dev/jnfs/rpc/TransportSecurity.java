package dev.jnfs.rpc;

import java.util.Objects;

/**
 * How the connection a call arrived on is protected (RFC 9289): not at all, by TLS, or by
 * mutually authenticated TLS, in which case the client certificate's subject is known.
 * Immutable.
 *
 * @param level the protection
 * @param peerSubject the client certificate's subject distinguished name under
 *     {@link Level#MTLS}, otherwise null
 */
public record TransportSecurity(Level level, String peerSubject) {

  /** The protection levels, weakest first. */
  public enum Level {
    /** Plain text. */
    NONE,
    /** TLS without a client certificate. */
    TLS,
    /** TLS with a client certificate the server verified. */
    MTLS
  }

  /** A plain-text connection. */
  public static final TransportSecurity NONE = new TransportSecurity(Level.NONE, null);

  /** A TLS connection without a client certificate. */
  public static final TransportSecurity TLS = new TransportSecurity(Level.TLS, null);

  /** Checks that only mutual TLS names a peer. */
  public TransportSecurity {
    Objects.requireNonNull(level, "level");
    if ((level == Level.MTLS) != (peerSubject != null)) {
      throw new IllegalArgumentException("a peer subject goes with MTLS only");
    }
  }

  /**
   * @param subject the verified client certificate's subject
   * @return the protection of a mutually authenticated TLS connection
   */
  public static TransportSecurity mutual(String subject) {
    return new TransportSecurity(Level.MTLS, subject);
  }
}
