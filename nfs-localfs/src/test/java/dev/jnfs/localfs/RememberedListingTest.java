package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.SetAttributes;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A kept listing remembers the node of each name, and hands it out again only while the index
 * still holds that very node: a change the index keeps (here a mode on a provider that cannot
 * store one) shows in the next listing although the directory itself did not change.
 */
class RememberedListingTest {
  @Test
  void aNodeChangedSinceTheListingIsNotHandedOutAgain() throws Exception {
    try (FileSystem jimfs = Jimfs.newFileSystem(Configuration.windows().toBuilder().setAttributeViews("basic").build())) {
      Path root = Files.createDirectories(jimfs.getPath("C:\\export"));
      try (LocalFileSystem fs = LocalFileSystem.builder(root).defaultFileMode(0644).build()) {
        FileHandle dir = fs.mkdir(ROOT, fs.root(), "d", SetAttributes.NONE).handle();
        FileHandle file = null;
        for (int i = 0; i < 5; i++) {
          FileHandle h = fs.create(ROOT, dir, "f" + i, CreateMode.GUARDED, SetAttributes.NONE, 0).handle();
          file = i == 3 ? h : file;
        }
        Thread.sleep(200); // past the timestamp granularity: the listing is kept
        Map<String, DirectoryEntry> first = list(fs, dir);
        assertEquals(0644, first.get("f3").attributes().mode());
        assertEquals(first, list(fs, dir)); // from the kept listing and its remembered nodes

        fs.setattr(ROOT, file, SetAttributes.mode(0600), null);
        Map<String, DirectoryEntry> second = list(fs, dir);
        assertEquals(0600, second.get("f3").attributes().mode());
        assertEquals(first.get("f3").fileid(), second.get("f3").fileid());
        for (String name : first.keySet()) {
          assertEquals(first.get(name).fileid(), second.get(name).fileid(), name);
          assertTrue(name.equals("f3") || second.get(name).attributes().mode() == 0644, name);
        }
      }
    }
  }

  private static Map<String, DirectoryEntry> list(LocalFileSystem fs, FileHandle dir) throws Exception {
    Map<String, DirectoryEntry> out = new HashMap<>();
    long cookie = 0;
    long verifier = 0;
    while (true) {
      var page = fs.readdir(ROOT, dir, cookie, verifier, 2, true);
      for (DirectoryEntry e : page.entries()) {
        out.put(e.name(), e);
        cookie = e.cookie();
      }
      verifier = page.verifier();
      if (page.eof()) {
        return out;
      }
    }
  }
}
