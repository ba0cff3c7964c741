package dev.jnfs.v4.state;

import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsFileSystem;

/**
 * A file as state is kept for it: the backend and its handle, so the same file reached
 * through two exports of one backend shares its reservations and locks. The lock manager's
 * file key.
 *
 * @param fileSystem the backend
 * @param handle the backend's handle
 */
record OpenFile(NfsFileSystem fileSystem, FileHandle handle) {}
