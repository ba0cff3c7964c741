/**
 * Assembling and running a server, where an embedding application starts: {@link
 * dev.jnfs.server.NfsServer} and its builder take the ports, the exports, the limits, the
 * threads and the security, and the server owns its lifecycle ({@code start}, {@code stop},
 * {@code close}). An {@link dev.jnfs.server.Export} serves a backend under a path with {@link
 * dev.jnfs.server.ExportOptions}, the rules of exports(5): client ranges, read-only or
 * read-write, squashing, secure ports, {@code sec=} and {@code xprtsec=}; {@link
 * dev.jnfs.server.ExportsFile} reads them from a Linux exports file. {@link
 * dev.jnfs.server.TlsConfig} offers RPC-with-TLS (RFC 9289) and {@link
 * dev.jnfs.server.KerberosConfig} RPCSEC_GSS with Kerberos v5 (RFC 2203), whose principals a
 * {@link dev.jnfs.server.PrincipalMapper} maps to user and group ids.
 *
 * <p>Protocols plug in through {@link dev.jnfs.server.NfsProtocol}: the nfs-v3 and nfs-v4
 * modules each provide one, found with {@link java.util.ServiceLoader}, so adding a module to
 * a build is enough to serve its protocol. The types those modules use to reach the exports
 * and the server's settings are of no use to an application.
 */
package dev.jnfs.server;
