package dev.jnfs.v4;

import dev.jnfs.xdr.XdrEncoder;
import java.util.function.Consumer;

/**
 * Ends one NFSv4 operation with an nfsstat4 other than NFS4_OK. The compound processor
 * discards whatever the operation had encoded, writes this status as the operation's result
 * and stops the COMPOUND (RFC 7530 §15.2, RFC 8881 §16.2.3). An operation whose error result
 * carries data after the status (LOCK4denied for NFS4ERR_DENIED, the client address for
 * NFS4ERR_CLID_INUSE) supplies it as an {@linkplain #errorBody() error body}.
 */
public final class Nfs4Exception extends Exception {
  private static final long serialVersionUID = 1L;
  private static final Consumer<XdrEncoder> NO_BODY = out -> {};

  private final int status;
  private final transient Consumer<XdrEncoder> errorBody;

  /**
   * @param status an {@link Nfs4Status} value other than OK
   * @param message detail for logs
   */
  public Nfs4Exception(int status, String message) {
    this(status, message, NO_BODY);
  }

  /**
   * @param status an {@link Nfs4Status} value other than OK
   */
  public Nfs4Exception(int status) {
    this(status, "nfsstat4 " + status, NO_BODY);
  }

  /**
   * @param status an {@link Nfs4Status} value other than OK
   * @param message detail for logs
   * @param errorBody writes the data the operation's error arm carries after the status
   */
  public Nfs4Exception(int status, String message, Consumer<XdrEncoder> errorBody) {
    super(message, null, false, false);
    if (status == Nfs4Status.OK) {
      throw new IllegalArgumentException("an exception cannot carry NFS4_OK");
    }
    this.status = status;
    this.errorBody = errorBody;
  }

  /** @return the nfsstat4 to answer */
  public int status() {
    return status;
  }

  /** @return what to encode after the status (usually nothing) */
  public Consumer<XdrEncoder> errorBody() {
    return errorBody;
  }
}
