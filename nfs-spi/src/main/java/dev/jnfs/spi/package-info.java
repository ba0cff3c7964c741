/**
 * The contract between the NFS protocols and a file system. To serve storage of one's own,
 * implement {@link dev.jnfs.spi.NfsFileSystem}, whose Javadoc states the contract (handles,
 * names, permissions, atomicity, thread safety, and the statuses each method may answer); to
 * serve memory or a directory, take a ready backend ({@code dev.jnfs.memory}, {@code
 * dev.jnfs.localfs}). Either way the backend is handed to the server as an export.
 *
 * <p>The other types are the values that cross the contract: the {@link
 * dev.jnfs.spi.FileHandle} a backend mints for each object, {@link dev.jnfs.spi.FileAttributes},
 * the {@link dev.jnfs.spi.Caller} on whose behalf a call runs (after the export's squash
 * rules), directory pages whose entries carry resumable cookies, read and write results, and
 * the one failure, {@link dev.jnfs.spi.NfsException}, whose {@link dev.jnfs.spi.NfsStatus} the
 * server maps to the client's protocol. Nothing here knows Netty or a protocol: one backend
 * serves NFSv3 and NFSv4 clients alike, and the server asks its {@link
 * dev.jnfs.spi.Capability capabilities} before calling an optional operation.
 */
package dev.jnfs.spi;
