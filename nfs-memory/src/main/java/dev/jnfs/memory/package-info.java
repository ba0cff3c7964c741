/**
 * The in-memory file system, {@link dev.jnfs.memory.InMemoryFileSystem}: the backend an
 * embedded server uses by default and the reference implementation of the {@link
 * dev.jnfs.spi.NfsFileSystem} contract.
 */
package dev.jnfs.memory;
