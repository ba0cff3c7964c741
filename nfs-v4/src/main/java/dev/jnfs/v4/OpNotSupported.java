package dev.jnfs.v4;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * An OPTIONAL operation this server does not implement, answered NFS4ERR_NOTSUPP without
 * decoding its arguments (RFC 8881 §17: OPENATTR, the pNFS operations, directory delegations,
 * WANT_DELEGATION, BACKCHANNEL_CTL, SET_SSV; RFC 7862 §13: COPY_NOTIFY, WRITE_SAME, LAYOUTERROR,
 * LAYOUTSTATS). Every such result is a bare status, which is the shape all of their error arms
 * have.
 */
final class OpNotSupported implements Nfs4Operation {
  static final OpNotSupported INSTANCE = new OpNotSupported();

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    throw new Nfs4Exception(Nfs4Status.NOTSUPP, "optional operation not supported");
  }
}
