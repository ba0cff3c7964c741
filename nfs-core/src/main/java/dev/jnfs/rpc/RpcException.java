package dev.jnfs.rpc;

/**
 * Thrown by an {@link RpcProgram} to answer a call with an RPC-level rejection instead of
 * results (RFC 5531 §9: accept_stat and auth_stat).
 */
public final class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** accept_stat PROC_UNAVAIL. */
  public static final int PROC_UNAVAIL = 3;
  /** accept_stat GARBAGE_ARGS. */
  public static final int GARBAGE_ARGS = 4;
  /** accept_stat SYSTEM_ERR. */
  public static final int SYSTEM_ERR = 5;

  /** auth_stat AUTH_BADCRED. */
  public static final int AUTH_BADCRED = 1;
  /** auth_stat AUTH_REJECTEDCRED. */
  public static final int AUTH_REJECTEDCRED = 2;
  /** auth_stat AUTH_BADVERF. */
  public static final int AUTH_BADVERF = 3;
  /** auth_stat AUTH_REJECTEDVERF. */
  public static final int AUTH_REJECTEDVERF = 4;
  /** auth_stat AUTH_TOOWEAK. */
  public static final int AUTH_TOOWEAK = 5;

  private final boolean authError;
  private final int status;

  private RpcException(boolean authError, int status, String message) {
    super(message, null, false, false);
    this.authError = authError;
    this.status = status;
  }

  /**
   * @param message why, for logs
   * @return a GARBAGE_ARGS rejection
   */
  public static RpcException garbageArgs(String message) {
    return new RpcException(false, GARBAGE_ARGS, message);
  }

  /**
   * @param procedure the unknown procedure
   * @return a PROC_UNAVAIL rejection
   */
  public static RpcException procedureUnavailable(int procedure) {
    return new RpcException(false, PROC_UNAVAIL, "procedure " + procedure + " unavailable");
  }

  /**
   * @param message why, for logs
   * @return a SYSTEM_ERR rejection
   */
  public static RpcException systemError(String message) {
    return new RpcException(false, SYSTEM_ERR, message);
  }

  /**
   * @param authStatus one of the AUTH_* constants
   * @param message why, for logs
   * @return a MSG_DENIED / AUTH_ERROR rejection
   */
  public static RpcException authError(int authStatus, String message) {
    return new RpcException(true, authStatus, message);
  }

  /** @return whether this is an authentication error (MSG_DENIED) rather than an accept_stat */
  public boolean isAuthError() {
    return authError;
  }

  /** @return the accept_stat or auth_stat value */
  public int status() {
    return status;
  }
}
