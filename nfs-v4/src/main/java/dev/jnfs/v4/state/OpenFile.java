package dev.jnfs.v4.state;

import dev.jnfs.lock.FileKey;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsFileSystem;

/**
 * A file as state is kept for it: the backend, and the key the lock manager knows the file
 * by (the export's id and the backend's handle).
 *
 * @param fileSystem the backend
 * @param key the export id and handle
 */
record OpenFile(NfsFileSystem fileSystem, FileKey key) {
  /** @return the backend's handle */
  FileHandle handle() {
    return key.handle();
  }
}
