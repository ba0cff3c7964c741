package dev.jnfs.localfs.conformance;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.conformance.NfsFileSystemConformanceTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The conformance suite over a temporary directory of the platform's file system. */
class RealDirectoryConformanceTest extends NfsFileSystemConformanceTest {
  private Path root;
  private boolean makesNodes;
  private boolean runsAsRoot;

  @Override
  protected NfsFileSystem newFileSystem() throws Exception {
    root = Files.createTempDirectory("jnfs-conformance");
    LocalFileSystem fs = LocalFileSystem.of(root);
    makesNodes = makesSockets(fs);
    runsAsRoot = ((Number) Files.getAttribute(root, "unix:uid")).intValue() == 0;
    return fs;
  }

  /** Whether mknod(2) is at hand (sockets are made with it alone): try one in the root. */
  private static boolean makesSockets(LocalFileSystem fs) {
    try {
      fs.mknod(ROOT, fs.root(), "probe", FileType.SOCKET, SetAttributes.NONE, DeviceNumber.NONE);
      fs.remove(ROOT, fs.root(), "probe");
      return true;
    } catch (NfsException e) {
      return false;
    }
  }

  /**
   * A server that is not root, but has mknod(2), gets PERM from the host for devices, which the
   * suite would take for a failure: the special-file cases are then left to the wire tests.
   */
  @Override
  protected boolean supports(Capability capability) {
    if (capability == Capability.SPECIAL_FILES && makesNodes && !runsAsRoot) {
      return false;
    }
    return super.supports(capability);
  }

  /** With mknod(2) every kind; without it only named pipes. */
  @Override
  protected boolean canMake(FileType type) {
    return type == FileType.FIFO || makesNodes;
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
