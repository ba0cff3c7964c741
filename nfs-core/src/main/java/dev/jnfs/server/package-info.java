/**
 * Assembling and running a server, where an embedding application starts: {@link
 * dev.jnfs.server.NfsServer} and its builder take the ports, the exports, the limits, the
 * threads, the security and the lock manager, and the server owns its lifecycle ({@code
 * start}, {@code stop}, {@code close}). Each export serves a backend under a path with {@link
 * dev.jnfs.server.ExportOptions}, the rules of exports(5): client ranges, read-only or
 * read-write, squashing, secure ports, {@code sec=} and {@code xprtsec=}; {@link
 * dev.jnfs.server.ExportsFile} reads them from a Linux exports file. {@link
 * dev.jnfs.server.TlsConfig} offers RPC-with-TLS (RFC 9289) and {@link
 * dev.jnfs.server.KerberosConfig} RPCSEC_GSS with Kerberos v5 (RFC 2203), whose principals a
 * {@link dev.jnfs.server.PrincipalMapper} maps to user and group ids.
 *
 * <p>The protocols (the nfs-v3 and nfs-v4 modules) plug in through a contract of their own,
 * which this module exports to them only, and are found with {@link java.util.ServiceLoader}:
 * adding a protocol module to a build is enough to serve its protocol.
 */
package dev.jnfs.server;
