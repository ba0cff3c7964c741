/**
 * XDR (RFC 4506), the encoding of every ONC RPC message: {@link dev.jnfs.xdr.XdrEncoder} writes
 * items into a Netty buffer and {@link dev.jnfs.xdr.XdrDecoder} reads them back. Decoding is
 * bounded: each length the wire declares is checked against the bytes present and the caller's
 * maximum before anything is allocated, and a violation is a {@link dev.jnfs.xdr.XdrException},
 * which the protocols answer with GARBAGE_ARGS or BADXDR. Neither class owns the buffer it
 * works on. Runs of small items (attributes, directory entries) go through an {@link
 * dev.jnfs.xdr.XdrEncoder.Block}, which appends them to the buffer in one copy.
 *
 * <p>An application that embeds a server does not meet this package, and neither does a
 * backend: the RPC server and the protocol modules decode calls and encode replies with it,
 * and backends receive decoded values through {@code dev.jnfs.spi}.
 */
package dev.jnfs.xdr;
