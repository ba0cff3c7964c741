/**
 * XDR (RFC 4506) encoding and bounded decoding over Netty buffers, for the protocol modules
 * only: embedders never see it.
 */
module dev.jnfs.xdr {
  requires transitive io.netty.buffer;

  exports dev.jnfs.xdr to
      dev.jnfs.core,
      dev.jnfs.nfs3,
      dev.jnfs.nfs4;
}
