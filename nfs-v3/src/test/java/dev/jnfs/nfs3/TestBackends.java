package dev.jnfs.nfs3;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.spi.NfsFileSystem;

/** The backend the end-to-end tests serve: the library's in-memory file system. */
final class TestBackends {
  private TestBackends() {}

  static NfsFileSystem create() {
    return new InMemoryFileSystem();
  }
}
