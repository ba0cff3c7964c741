package dev.jnfs.examples.demo;

import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.conformance.ReadOnlyFileSystemConformanceTest;

/** The read-only demo against the read-only conformance profile. */
class HelloFileSystemConformanceTest extends ReadOnlyFileSystemConformanceTest {
  @Override
  protected NfsFileSystem newFileSystem() {
    return new HelloFileSystem();
  }
}
