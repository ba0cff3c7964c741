package dev.jnfs.v4;

import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * One NFSv4 operation (one {@code nfs_argop4} arm): decodes its arguments, does the work and
 * encodes the body of its successful result. Implementations are stateless singletons, one
 * class per operation, and thread-safe.
 *
 * <p>The compound processor has already read the opcode and written the result's opcode and
 * a placeholder status. {@link #execute} then:
 *
 * <ul>
 *   <li>reads its arguments from {@code args} (an {@code XdrException} there becomes
 *       NFS4ERR_BADXDR for this operation);
 *   <li>on success, writes the resok body — everything after the status — to {@code result},
 *       and returns; the status stays NFS4_OK;
 *   <li>on failure, throws {@link Nfs4Exception} (or lets a backend's {@link NfsException}
 *       through, answered with {@link dev.jnfs.spi.NfsStatus#nfs4Code()}); anything written
 *       to {@code result} is discarded and the COMPOUND stops.
 * </ul>
 *
 * Any other exception is a server fault: logged, answered NFS4ERR_SERVERFAULT.
 */
@FunctionalInterface
public interface Nfs4Operation {

  /**
   * Runs the operation.
   *
   * @param ctx the COMPOUND's evaluation state (current filehandle, caller, minor version)
   * @param args a decoder positioned at this operation's arguments
   * @param result where to encode the result body after the status
   * @throws Nfs4Exception to answer an error status
   * @throws NfsException a backend failure, answered with its NFSv4 code
   */
  void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException;
}
