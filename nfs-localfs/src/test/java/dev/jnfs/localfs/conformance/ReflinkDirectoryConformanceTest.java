package dev.jnfs.localfs.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.conformance.NfsFileSystemConformanceTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The conformance suite in a directory of a file system that reflinks (Btrfs, XFS with
 * reflink), named by the system property {@code jnfs.test.reflinkDirectory}; skipped without
 * it. There CLONE must be present and work, where ext4 and tmpfs have none.
 */
class ReflinkDirectoryConformanceTest extends NfsFileSystemConformanceTest {
  private Path root;

  @Override
  protected NfsFileSystem newFileSystem() throws Exception {
    String parent = System.getProperty("jnfs.test.reflinkDirectory", "");
    assumeTrue(!parent.isEmpty(), "no reflinking directory given (-Djnfs.test.reflinkDirectory)");
    root = Files.createTempDirectory(Path.of(parent), "jnfs-conformance");
    LocalFileSystem fs = LocalFileSystem.of(root);
    assertTrue(fs.capabilities().contains(Capability.CLONE),
        Files.getFileStore(root).type() + " reflinks, yet CLONE is absent: " + fs.capabilities());
    return fs;
  }

  /** Btrfs gives every directory one link, whatever it holds. */
  @Override
  protected boolean countsDirectoryLinks() {
    return false;
  }

  @Override
  protected boolean canMake(FileType type) {
    return type == FileType.FIFO;
  }

  @Override
  protected void disposeFileSystem(NfsFileSystem fileSystem) throws Exception {
    if (fileSystem == null) {
      return;
    }
    ((LocalFileSystem) fileSystem).close();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
