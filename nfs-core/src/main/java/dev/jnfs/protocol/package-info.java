/**
 * The contract between the server and its protocol modules, exported to {@code dev.jnfs.nfs3}
 * and {@code dev.jnfs.nfs4} only. A protocol module provides an {@link
 * dev.jnfs.protocol.NfsProtocol} (found with {@link java.util.ServiceLoader}); at each start the
 * server hands it a {@link dev.jnfs.protocol.ServerContext} — the {@link
 * dev.jnfs.protocol.ExportTable}, the write verifier, the transfer limits and the lock manager —
 * and registers the RPC programs it returns. An {@link dev.jnfs.protocol.Export} is one
 * exported backend with its options: it authorizes each call (client ranges, secure ports,
 * {@code sec=}, {@code xprtsec=}) and makes the {@code Caller} the backend sees, squashed as
 * the options say; the table maps wire handles to exports and back ({@link
 * dev.jnfs.protocol.ExportHandle}). {@link dev.jnfs.protocol.EncodedPages} keeps the entries of
 * listed pages as each protocol encoded them, for both protocols' READDIR to copy. Embedders
 * never see these types.
 */
package dev.jnfs.protocol;
