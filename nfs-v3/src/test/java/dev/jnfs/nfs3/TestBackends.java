package dev.jnfs.nfs3;

import dev.jnfs.spi.NfsFileSystem;

/** The backend the end-to-end tests serve. */
final class TestBackends {
  private TestBackends() {}

  static NfsFileSystem create() {
    return new TreeFileSystem();
  }
}
