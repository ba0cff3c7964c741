/**
 * NFSv3 (RFC 1813), MOUNT v1–v3 (RFC 1813 appendix I), and NFSv3's byte-range locking: NLM
 * v1, v3, v4 and the NSM status monitor. Nothing is exported: the server
 * finds the protocol through {@link java.util.ServiceLoader} when this module is present.
 */
module dev.jnfs.nfs3 {
  requires dev.jnfs.core;
  requires dev.jnfs.xdr;
  requires io.netty.buffer;
  requires org.slf4j;

  provides dev.jnfs.protocol.NfsProtocol with
      dev.jnfs.nfs3.Nfs3Protocol;
}
