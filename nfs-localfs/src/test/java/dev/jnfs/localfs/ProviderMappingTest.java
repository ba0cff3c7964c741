package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.LocalFileSystemTest.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.SetAttributes;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How attributes map on providers with DOS or POSIX views, and where state may live. */
class ProviderMappingTest {
  private FileSystem jimfs;

  @AfterEach
  void tearDown() throws IOException {
    if (jimfs != null) {
      jimfs.close();
    }
  }

  @Test
  void dosReadOnlyFlagMapsToWriteBits() throws Exception {
    jimfs = Jimfs.newFileSystem(Configuration.windows().toBuilder().setAttributeViews("basic", "dos").build());
    Path root = Files.createDirectories(jimfs.getPath("C:\\export"));
    Path outside = Files.writeString(root.resolve("made-elsewhere.txt"), "x");
    Files.getFileAttributeView(outside, DosFileAttributeView.class).setReadOnly(true);
    try (LocalFileSystem fs = LocalFileSystem.builder(root).defaultUid(500).defaultGid(501).defaultFileMode(0664).build()) {
      FileAttributes a = fs.lookup(ROOT, fs.root(), "made-elsewhere.txt").attributes();
      assertEquals(0444, a.mode());
      assertEquals(500, a.uid());
      assertEquals(501, a.gid());
      FileHandle h = file(fs, fs.root(), "mine.txt", "y");
      fs.setattr(ROOT, h, SetAttributes.mode(0444), null);
      assertTrue((Boolean) Files.getAttribute(root.resolve("mine.txt"), "dos:readonly"));
      fs.setattr(ROOT, h, SetAttributes.mode(0640), null);
      assertFalse((Boolean) Files.getAttribute(root.resolve("mine.txt"), "dos:readonly"));
      assertEquals(0640, fs.getattr(ROOT, h).mode());
    }
  }

  @Test
  void posixPermissionsComeFromTheProvider() throws Exception {
    jimfs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setAttributeViews("basic", "owner", "posix").build());
    Path root = Files.createDirectories(jimfs.getPath("/export"));
    Path outside = Files.writeString(root.resolve("f"), "x");
    Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r-----"));
    try (LocalFileSystem fs = LocalFileSystem.of(root)) {
      FileHandle h = fs.lookup(ROOT, fs.root(), "f").handle();
      assertEquals(0640, fs.getattr(ROOT, h).mode());
      fs.setattr(ROOT, h, SetAttributes.mode(0604), null);
      assertEquals("rw----r--", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(outside, LinkOption.NOFOLLOW_LINKS)));
      fs.setattr(ROOT, h, SetAttributes.mode(04755), null); // set-uid: kept by the index
      assertEquals(04755, fs.getattr(ROOT, h).mode());
    }
  }

  @Test
  void stateDirectoryElsewhereOrRefusedInsideTheTree() throws Exception {
    jimfs = Jimfs.newFileSystem(Configuration.unix());
    Path root = Files.createDirectories(jimfs.getPath("/export"));
    Files.createDirectories(root.resolve("sub"));
    assertThrows(IOException.class, () -> LocalFileSystem.builder(root).stateDirectory(root.resolve("sub/state")).build());
    assertThrows(IOException.class, () -> LocalFileSystem.builder(root).stateDirectory(root).build());
    Path state = jimfs.getPath("/var/jnfs");
    FileHandle h;
    try (LocalFileSystem fs = LocalFileSystem.builder(root).stateDirectory(state).build()) {
      h = file(fs, fs.root(), "f", "x");
      assertTrue(Files.exists(state.resolve("ids.log")));
      assertFalse(Files.exists(root.resolve(".jnfs")));
    }
    try (LocalFileSystem fs = LocalFileSystem.builder(root).stateDirectory(state).build()) {
      assertEquals(h, fs.lookup(ROOT, fs.root(), "f").handle());
    }
  }
}
