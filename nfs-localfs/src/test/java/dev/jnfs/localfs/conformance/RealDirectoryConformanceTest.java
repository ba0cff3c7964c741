package dev.jnfs.localfs.conformance;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.conformance.NfsFileSystemConformanceTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The conformance suite over a temporary directory of the platform's file system. */
class RealDirectoryConformanceTest extends NfsFileSystemConformanceTest {
  private Path root;

  @Override
  protected NfsFileSystem newFileSystem() throws Exception {
    root = Files.createTempDirectory("jnfs-conformance");
    return LocalFileSystem.of(root);
  }

  /** Only named pipes: device and socket nodes are never made on the server's disk. */
  @Override
  protected boolean canMake(FileType type) {
    return type == FileType.FIFO;
  }

  @Override
  protected void disposeFileSystem(NfsFileSystem fileSystem) throws Exception {
    ((LocalFileSystem) fileSystem).close();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
