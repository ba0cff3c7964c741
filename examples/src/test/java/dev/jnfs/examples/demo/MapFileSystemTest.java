package dev.jnfs.examples.demo;

import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.conformance.NfsFileSystemConformanceTest;

/** The Map-backed example against the full conformance suite. */
class MapFileSystemTest extends NfsFileSystemConformanceTest {
  @Override
  protected NfsFileSystem newFileSystem() {
    return new MapFileSystem();
  }

  @Override
  protected boolean countsDirectoryLinks() {
    return false; // directories always report 2 links, as documented
  }
}
