package dev.jnfs.localfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cookies derived from names: ordered, never reserved values, resumable after changes. */
class DirectoryListerTest {

  @Test
  void cookiesAreOrderedAndAvoidReservedValues() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path dir = Files.createDirectories(fs.getPath("/d"));
      for (int i = 0; i < 2000; i++) {
        Files.createFile(dir.resolve("n" + i));
      }
      Files.createFile(dir.resolve("hidden"));
      List<DirectoryLister.Listed> listed = DirectoryLister.list(Files.newDirectoryStream(dir), "hidden"::equals);
      assertEquals(2000, listed.size());
      Set<Long> cookies = new HashSet<>();
      for (int i = 0; i < listed.size(); i++) {
        long c = listed.get(i).cookie();
        assertTrue(c > 2);
        assertTrue(cookies.add(c), "cookies are unique");
        if (i > 0) {
          assertTrue(c > listed.get(i - 1).cookie(), "sorted");
        }
        assertEquals(DirectoryLister.hashCookie(listed.get(i).name()), c & ~0xFFL, "derived from the name");
      }
    }
  }

  @Test
  void resumingSkipsExactlyTheEntriesUpToTheCookie() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path dir = Files.createDirectories(fs.getPath("/d"));
      for (int i = 0; i < 50; i++) {
        Files.createFile(dir.resolve("n" + i));
      }
      List<DirectoryLister.Listed> before = DirectoryLister.list(Files.newDirectoryStream(dir), n -> false);
      long cookie = before.get(20).cookie();
      // entries come and go, the ones after the cookie are still found from it
      Files.delete(dir.resolve(before.get(20).name()));
      Files.delete(dir.resolve(before.get(5).name()));
      Files.createFile(dir.resolve("late"));
      List<DirectoryLister.Listed> after = DirectoryLister.list(Files.newDirectoryStream(dir), n -> false);
      int from = DirectoryLister.resumeIndex(after, cookie);
      Set<String> rest = new HashSet<>();
      for (DirectoryLister.Listed l : after.subList(from, after.size())) {
        rest.add(l.name());
      }
      for (DirectoryLister.Listed l : before.subList(21, before.size())) {
        assertTrue(rest.contains(l.name()), l.name());
      }
      for (DirectoryLister.Listed l : before.subList(0, 21)) {
        assertTrue(!rest.contains(l.name()), l.name() + " was listed before the cookie");
      }
      assertEquals(0, DirectoryLister.resumeIndex(after, 0));
      assertEquals(after.size(), DirectoryLister.resumeIndex(after, Long.MAX_VALUE));
    }
  }
}
