package dev.jnfs.spi;

/**
 * The one failure a backend reports: a {@link NfsStatus} and, for logs, a message. The server
 * turns it into the client's protocol status; it is never a server fault unless the status
 * says so. Stack traces are not captured, as these are ordinary outcomes (a missing name).
 */
public class NfsException extends Exception {
  private static final long serialVersionUID = 1L;
  private final NfsStatus status;

  /**
   * @param status the protocol status to answer
   */
  public NfsException(NfsStatus status) {
    this(status, status.name());
  }

  /**
   * @param status the protocol status to answer
   * @param message detail for logs
   */
  public NfsException(NfsStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /**
   * @param status the protocol status to answer
   * @param message detail for logs
   * @param cause the underlying failure, kept for server-fault logs
   */
  public NfsException(NfsStatus status, String message, Throwable cause) {
    super(message, cause, false, true);
    this.status = status;
  }

  /** @return the protocol status */
  public NfsStatus status() {
    return status;
  }
}
