package dev.jnfs.v4;

import dev.jnfs.protocol.ExportHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/** PUTFH (RFC 7530 §16.20, RFC 8881 §18.19): sets the current filehandle. */
final class OpPutfh implements Nfs4Operation {
  /** NFS4_FHSIZE: the longest nfs_fh4. */
  static final int FH_SIZE = 128;

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    byte[] wire = args.readOpaque(FH_SIZE);
    ctx.putCurrent(decode(ctx, wire), args);
  }

  /**
   * @param ctx the COMPOUND
   * @param wire a client's handle
   * @return what it names
   * @throws NfsException BADHANDLE for a handle of no format of this server, STALE for a
   *     handle of an export or pseudo directory that no longer exists
   */
  static Nfs4Handle decode(CompoundContext ctx, byte[] wire) throws NfsException {
    if (PseudoFs.isPseudoHandle(wire)) {
      return new Nfs4Handle.Pseudo(ctx.pseudoFs().fromWire(wire));
    }
    ExportHandle eh = ctx.pseudoFs().table().fromWire(wire);
    return new Nfs4Handle.Exported(eh.export(), eh.handle());
  }
}
