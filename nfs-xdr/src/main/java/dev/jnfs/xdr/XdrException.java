package dev.jnfs.xdr;

/**
 * Raised when bytes cannot be decoded as the expected XDR type: too few bytes, a length over
 * its declared maximum, or an illegal value. Protocols answer it with GARBAGE_ARGS (RPC),
 * NFS4ERR_BADXDR (NFSv4) or the equivalent; it never escapes to a connection.
 */
public final class XdrException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception describing what could not be decoded.
   *
   * @param message what was wrong, for logs
   */
  public XdrException(String message) {
    super(message, null, false, false);
  }
}
