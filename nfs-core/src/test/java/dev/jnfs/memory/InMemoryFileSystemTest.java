package dev.jnfs.memory;

import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.conformance.NfsFileSystemConformanceTest;

/** The in-memory backend against the SPI conformance suite, plus its own behaviour. */
class InMemoryFileSystemTest extends NfsFileSystemConformanceTest {
  @Override
  protected NfsFileSystem newFileSystem() {
    return new InMemoryFileSystem();
  }
}
