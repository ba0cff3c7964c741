package dev.jnfs.localfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading stat fields directly gives exactly what the "unix:" view gives, for every kind of
 * object. The tests run with {@code java.base/sun.nio.fs} opened, as the standalone server.
 */
class UnixStatTest {
  @TempDir Path dir;

  @Test
  void directReadingIsAvailableWhenThePackageIsOpened() {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("unix"));
    assertTrue(UnixStat.AVAILABLE, "surefire opens java.base/sun.nio.fs to the tests");
  }

  @Test
  void directAndViewReadingsAgree() throws Exception {
    assumeTrue(UnixStat.AVAILABLE);
    Path state = Files.createDirectory(dir.resolve("state"));
    ProviderTraits traits = ProviderTraits.probe(dir, state, null);
    AttributeAccess access = new AttributeAccess(traits, 1000, 1000, 0644, 0755, null, null);
    Path file = Files.write(dir.resolve("file"), new byte[12345]);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("file-that-is-not-there"));
    Path hard = Files.createLink(dir.resolve("hard"), file);
    List<Path> objects = new java.util.ArrayList<>(List.of(file, sub, link, hard, dir));
    if (Fifos.supported(dir.getFileSystem())) {
      Path fifo = dir.resolve("fifo");
      Fifos.make(fifo, 0600);
      objects.add(fifo);
    }
    for (Path p : objects) {
      Snapshot direct = access.read(p);
      Snapshot view = access.readUnixView(p);
      assertEquals(view, direct, p.toString());
    }
    assertEquals(2, access.read(file).nlink());
    assertEquals(0750, access.read(file).mode());
  }
}
