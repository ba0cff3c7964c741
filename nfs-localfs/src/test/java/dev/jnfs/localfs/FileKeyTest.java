package dev.jnfs.localfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileKeyTest {
  @Test
  void unixKeysHaveTheJdksText(@TempDir Path dir) throws Exception {
    Path file = Files.createFile(dir.resolve("f"));
    Object jdkKey = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    long ino = (Long) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    long dev = (Long) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    FileKey key = FileKey.unix(dev, ino);
    assertTrue(key.matches(jdkKey.toString()));
    assertEquals(jdkKey.toString(), key.text());
    assertEquals(FileKey.ofText(jdkKey.toString()), key);
  }

  @Test
  void matchesOnlyItsOwnTextWithoutBuildingIt() {
    FileKey key = FileKey.unix(0x803, 1234);
    assertTrue(key.matches("(dev=803,ino=1234)"));
    for (String other : new String[] {"(dev=803,ino=1235)", "(dev=804,ino=1234)", "(dev=0803,ino=1234)",
        "(dev=+803,ino=1234)", "(dev=803,ino=+1234)", "(dev=803,ino=01234)", "(dev=803,ino=1234", "dev=803,ino=1234)",
        "(dev=803;ino=1234)", "(dev=,ino=1234)", "(dev=803,ino=)", "(dev=80x3,ino=1234)", "(dev=803,ino=12 4)",
        "(dev=803,ino=1234)(", "", "(dev=80", "(dev=803,ino=99999999999999999999)"}) {
      assertFalse(key.matches(other), other);
    }
    assertTrue(FileKey.unix(-1L, -5).matches("(dev=ffffffffffffffff,ino=-5)"));
    assertFalse(FileKey.unix(0, 0).matches("(dev=0,ino=-0)"));
    assertTrue(FileKey.unix(0, 0).matches("(dev=0,ino=0)"));
    assertTrue(FileKey.ofText("(dev=803,ino=1234)").matches("(dev=803,ino=1234)"));
  }
}
