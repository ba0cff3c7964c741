package dev.jnfs.rpc;

import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;

/**
 * One ONC RPC program (RFC 5531 §9): a number and a range of versions, whose procedures the
 * server dispatches to {@link #handle}. Implementations are thread-safe: calls arrive
 * concurrently.
 */
public interface RpcProgram {

  /** @return the program number, e.g. 100003 for NFS */
  int program();

  /** @return the lowest version served */
  int lowVersion();

  /** @return the highest version served */
  int highVersion();

  /**
   * Handles one call whose program and version this program serves. Arguments are decoded
   * from {@link RpcCall#arguments()}; results are appended to {@code results}, after the
   * accepted-reply header the server already wrote.
   *
   * <p>To reject the call, throw: {@link RpcException} for PROC_UNAVAIL, GARBAGE_ARGS,
   * SYSTEM_ERR or an authentication error; an {@code XdrException} from decoding becomes
   * GARBAGE_ARGS. Whatever was written to {@code results} is then discarded.
   *
   * @param call the decoded call header, the caller's credential and the argument bytes
   * @param results where to encode the procedure's results
   */
  void handle(RpcCall call, XdrEncoder results);

  /**
   * Whether the server may answer a repeat of this call from its duplicate request cache
   * instead of running it again: true for non-idempotent procedures (CREATE, REMOVE,
   * RENAME, ...), whose second run would answer differently.
   *
   * @param version the call's version
   * @param procedure the call's procedure
   * @return true to cache replies of this procedure
   */
  default boolean isNonIdempotent(int version, int procedure) {
    return false;
  }

  /**
   * As {@link #isNonIdempotent(int, int)}, for a procedure whose arguments decide (an NFSv4
   * COMPOUND carries its operations). The arguments are those of a call in the clear; the
   * method must not move their indexes. By default the procedure alone decides.
   *
   * @param version the call's version
   * @param procedure the call's procedure
   * @param arguments the call's argument bytes, from their reader index
   * @return true to cache the reply to this call
   */
  default boolean isNonIdempotent(int version, int procedure, ByteBuf arguments) {
    return isNonIdempotent(version, procedure);
  }

  /**
   * Whether a call may run on the network thread that read it, skipping the hop to a worker.
   * Only calls that never block (NULL, lookups in a backend that declares itself
   * non-blocking) may say yes.
   *
   * @param version the call's version
   * @param procedure the call's procedure
   * @return true if the call never blocks
   */
  default boolean isNonBlocking(int version, int procedure) {
    return procedure == 0;
  }

  /**
   * As {@link #isNonBlocking(int, int)}, for a call whose arguments decide: a read of an object
   * the backend holds in memory may run on the network thread too. The arguments are those of
   * a call in the clear; the method must not move their indexes, must not throw (malformed
   * arguments answer false or what the procedure alone decides) and must not block. By
   * default the procedure alone decides.
   *
   * @param version the call's version
   * @param procedure the call's procedure
   * @param arguments the call's argument bytes, from their reader index
   * @return true if the call will not block
   */
  default boolean isNonBlocking(int version, int procedure, ByteBuf arguments) {
    return isNonBlocking(version, procedure);
  }

  /**
   * How many bytes this call's results may take, when the program can tell before running it
   * and they are many (a READ's data). The server then takes the reply buffer in one piece
   * from its pool of large buffers instead of growing a small one on the way. Only peeks at
   * {@link RpcCall#arguments()}, never consumes them; malformed arguments give 0.
   *
   * @param call the call about to run
   * @return an upper bound of the results' size in bytes, or 0 when unknown or small
   */
  default int resultSizeHint(RpcCall call) {
    return 0;
  }

  /**
   * The name of a procedure in metrics, as its RFC names it (e.g. "GETATTR"). Procedures
   * without one are measured under their number.
   *
   * @param version the version
   * @param procedure the procedure number
   * @return the procedure's name, or null when it has none
   */
  default String procedureName(int version, int procedure) {
    return null;
  }
}
