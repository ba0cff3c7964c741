package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.Fixture.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.spi.Capability;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The synchronous namespace procedures (RFC 1813 sections 1.6 and 4.7) force the directories
 * whose entries they changed before they answer, answer IO when that fails, and force nothing
 * where the provider cannot open a directory.
 */
class DirectoryCommitTest {
  private Fixture fx;
  private LocalFileSystem fs;
  private FileHandle sub;
  private Path subPath;
  private final List<Path> forced = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /** A real directory with a subdirectory, recording each directory forced from then on. */
  private void onDisk() throws Exception {
    fx = Fixture.of(Fixture.Env.REAL_DIRECTORY);
    fs = fx.fs;
    sub = fs.mkdir(ROOT, fs.root(), "sub", null).handle();
    subPath = fx.root.resolve("sub");
    fs.state().files.onDirectorySync(forced::add);
  }

  private void failForces() {
    fs.state().files.onDirectorySync(directory -> {
      throw new IOException("injected: the disk failed");
    });
  }

  private void file(FileHandle dir, String name) throws Exception {
    fs.create(ROOT, dir, name, CreateMode.GUARDED, SetAttributes.NONE, 0);
  }

  @Test
  void mkdirForcesTheNewDirectoryAndItsParent() throws Exception {
    onDisk();
    fs.mkdir(ROOT, sub, "made", null);
    assertEquals(List.of(subPath.resolve("made"), subPath), forced);
  }

  @Test
  void symlinkForcesItsDirectory() throws Exception {
    onDisk();
    fs.symlink(ROOT, sub, "link", "target", null);
    assertEquals(List.of(subPath), forced);
  }

  @Test
  void mknodForcesItsDirectory() throws Exception {
    onDisk();
    assumeTrue(fs.capabilities().contains(Capability.SPECIAL_FILES), "no special files here");
    fs.mknod(ROOT, sub, "fifo", FileType.FIFO, null, null);
    assertEquals(List.of(subPath), forced);
  }

  @Test
  void linkForcesTheDirectoryOfTheNewName() throws Exception {
    onDisk();
    file(fs.root(), "f");
    forced.clear();
    FileHandle f = fs.lookup(ROOT, fs.root(), "f").handle();
    assertEquals(2, fs.link(ROOT, f, sub, "g").nlink());
    assertEquals(List.of(subPath), forced);
  }

  @Test
  void removeAndRmdirForceTheParent() throws Exception {
    onDisk();
    file(sub, "f");
    fs.mkdir(ROOT, sub, "d", null);
    forced.clear();
    fs.remove(ROOT, sub, "f");
    assertEquals(List.of(subPath), forced);
    forced.clear();
    fs.rmdir(ROOT, sub, "d");
    assertEquals(List.of(subPath), forced);
  }

  @Test
  void renameForcesBothDirectoriesOrTheOneItStaysIn() throws Exception {
    onDisk();
    file(fs.root(), "f");
    file(sub, "old");
    forced.clear();
    fs.rename(ROOT, fs.root(), "f", sub, "old"); // the editor's save: over an existing name
    assertEquals(List.of(subPath, fx.root), forced);
    forced.clear();
    fs.rename(ROOT, sub, "old", sub, "new");
    assertEquals(List.of(subPath), forced);
  }

  @Test
  void aFailedForceAnswersIoWithTheChangeMade() throws Exception {
    onDisk();
    file(sub, "f");
    file(sub, "r");
    fs.mkdir(ROOT, sub, "d", null);
    failForces();
    assertStatus(NfsStatus.IO, () -> fs.mkdir(ROOT, sub, "m", null));
    assertTrue(Files.isDirectory(subPath.resolve("m"), LinkOption.NOFOLLOW_LINKS));
    assertStatus(NfsStatus.IO, () -> fs.symlink(ROOT, sub, "s", "target", null));
    assertTrue(Files.isSymbolicLink(subPath.resolve("s")));
    assertStatus(NfsStatus.IO, () -> fs.link(ROOT, fs.lookup(ROOT, sub, "f").handle(), sub, "g"));
    assertTrue(Files.exists(subPath.resolve("g"), LinkOption.NOFOLLOW_LINKS));
    assertStatus(NfsStatus.IO, () -> fs.remove(ROOT, sub, "r"));
    assertFalse(Files.exists(subPath.resolve("r"), LinkOption.NOFOLLOW_LINKS));
    assertStatus(NfsStatus.IO, () -> fs.rmdir(ROOT, sub, "d"));
    assertFalse(Files.exists(subPath.resolve("d"), LinkOption.NOFOLLOW_LINKS));
    assertStatus(NfsStatus.IO, () -> fs.rename(ROOT, sub, "f", fs.root(), "moved"));
    assertTrue(Files.exists(fx.root.resolve("moved"), LinkOption.NOFOLLOW_LINKS));
    // and the backend goes on serving what the failed answers made
    assertEquals(FileType.DIRECTORY, fs.lookup(ROOT, sub, "m").attributes().type());
    assertEquals(FileType.REGULAR, fs.lookup(ROOT, fs.root(), "moved").attributes().type());
  }

  @Test
  void withoutDirectoryChannelsNothingIsForcedAndTheCallsWork() throws Exception {
    fx = Fixture.of(Fixture.Env.JIMFS_UNIX);
    fs = fx.fs;
    fs.state().files.onDirectorySync(forced::add);
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    file(dir, "f");
    fs.symlink(ROOT, dir, "s", "f", null);
    fs.link(ROOT, fs.lookup(ROOT, dir, "f").handle(), fs.root(), "g");
    fs.rename(ROOT, dir, "f", fs.root(), "h");
    fs.remove(ROOT, fs.root(), "h");
    fs.remove(ROOT, dir, "s");
    fs.rmdir(ROOT, fs.root(), "d");
    assertEquals(List.of(), forced);
    assertTrue(Files.exists(fx.root.resolve("g")));
    assertFalse(Files.exists(fx.root.resolve("d")));
  }
}
