/**
 * The server: ONC RPC over Netty, the portmapper, exports and their access rules, the lock
 * manager, and {@code NfsServer}, which assembles them. Embedders use {@code dev.jnfs.server}
 * and {@code dev.jnfs.lock}; the protocol modules (found with {@link java.util.ServiceLoader})
 * also reach the RPC layer.
 */
module dev.jnfs.core {
  requires transitive dev.jnfs.spi;
  requires dev.jnfs.xdr;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;
  requires com.google.common;
  requires org.slf4j;
  requires static micrometer.core;
  requires java.security.jgss;

  exports dev.jnfs.server;
  exports dev.jnfs.lock;
  exports dev.jnfs.protocol to
      dev.jnfs.nfs3,
      dev.jnfs.nfs4;
  exports dev.jnfs.rpc to
      dev.jnfs.nfs3,
      dev.jnfs.nfs4;

  uses dev.jnfs.protocol.NfsProtocol;
}
