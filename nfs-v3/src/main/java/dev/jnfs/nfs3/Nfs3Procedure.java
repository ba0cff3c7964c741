package dev.jnfs.nfs3;

import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;

/**
 * One NFSv3 procedure (RFC 1813 §3.3): decodes its arguments, calls the backend, encodes its
 * results. A failure is thrown as {@link NfsException}; the program then encodes the status
 * and the procedure's failure body, whose shape {@link #failure()} names. Implementations are
 * stateless and thread-safe.
 */
abstract class Nfs3Procedure {
  /** NFS3_OK. */
  static final int NFS3_OK = 0;

  /** The shapes of the resfail arms of RFC 1813, by which objects' attributes they carry. */
  enum FailureBody {
    /** Nothing after the status (GETATTR). */
    NONE,
    /** post_op_attr of the first object. */
    POST_OP,
    /** wcc_data of the first object. */
    WCC,
    /** wcc_data of both objects (RENAME). */
    WCC_WCC,
    /** post_op_attr of the first object, wcc_data of the second (LINK). */
    POST_OP_WCC
  }

  private final String name;
  private final FailureBody failure;

  Nfs3Procedure(String name, FailureBody failure) {
    this.name = name;
    this.failure = failure;
  }

  /** @return the RFC name, e.g. GETATTR */
  final String name() {
    return name;
  }

  /** @return the shape of the body that follows a failure status */
  final FailureBody failure() {
    return failure;
  }

  /**
   * Runs the procedure and writes the status and results.
   *
   * @param request the call
   * @param out where to write
   * @throws NfsException the failure to report instead of whatever was written
   */
  abstract void run(Nfs3Request request, XdrEncoder out) throws NfsException;

  /** Writes the failure body after the status, with what the request knows. */
  final void writeFailure(Nfs3Request request, XdrEncoder out) {
    switch (failure) {
      case NONE -> {}
      case POST_OP -> request.writePostOp(out, Nfs3Request.FIRST);
      case WCC -> request.writeWcc(out, Nfs3Request.FIRST, null);
      case WCC_WCC -> {
        request.writeWcc(out, Nfs3Request.FIRST, null);
        request.writeWcc(out, Nfs3Request.SECOND, null);
      }
      case POST_OP_WCC -> {
        request.writePostOp(out, Nfs3Request.FIRST);
        request.writeWcc(out, Nfs3Request.SECOND, null);
      }
    }
  }
}
