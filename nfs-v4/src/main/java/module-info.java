/**
 * NFSv4.0 (RFC 7530) and NFSv4.1 (RFC 8881). Nothing is exported: the server finds the
 * protocol through {@link java.util.ServiceLoader} when this module is present.
 */
module dev.jnfs.nfs4 {
  requires dev.jnfs.core;
  requires dev.jnfs.xdr;
  requires io.netty.buffer;
  requires org.slf4j;

  uses dev.jnfs.v4.Nfs4StateFactory;

  provides dev.jnfs.protocol.NfsProtocol with
      dev.jnfs.v4.Nfs4Protocol;
  provides dev.jnfs.v4.Nfs4StateFactory with
      dev.jnfs.v4.state.StateModule;
}
