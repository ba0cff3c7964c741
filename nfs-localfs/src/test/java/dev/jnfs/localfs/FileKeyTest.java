package dev.jnfs.localfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileKeyTest {
  @Test
  void aUnixKeyEqualsTheJdksKeyOfTheSameObject(@TempDir Path dir) throws Exception {
    Path file = Files.createFile(dir.resolve("f"));
    Object jdkKey = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    long ino = (Long) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    long dev = (Long) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    FileKey key = FileKey.unix(dev, ino);
    assertEquals(jdkKey.toString(), key.text());
    assertAllEqual(key, FileKey.ofText(jdkKey.toString()), FileKey.ofLogged(jdkKey.toString()));
  }

  @Test
  void anotherDeviceOrInodeIsAnotherKey() {
    FileKey key = FileKey.unix(0x803, 1234);
    for (String text : List.of("(dev=803,ino=1234)", "(dev=803,ino=1235)", "(dev=804,ino=1234)")) {
      assertAllEqual(FileKey.ofText(text), FileKey.ofLogged(text));
    }
    assertAllEqual(key, FileKey.ofText("(dev=803,ino=1234)"), FileKey.ofLogged("(dev=803,ino=1234)"));
    for (FileKey other : List.of(FileKey.unix(0x803, 1235), FileKey.unix(0x804, 1234), FileKey.unix(1234, 0x803),
        FileKey.ofText("(dev=803,ino=1235)"), FileKey.ofLogged("(dev=803,ino=1235)"),
        FileKey.ofText("(dev=804,ino=1234)"), FileKey.ofLogged("(dev=804,ino=1234)"))) {
      assertNotEquals(other, key);
      assertNotEquals(key, other);
      assertNotEquals(other, FileKey.ofText("(dev=803,ino=1234)"));
      assertNotEquals(other, FileKey.ofLogged("(dev=803,ino=1234)"));
    }
  }

  @Test
  void onlyTheTextAUnixKeyMakesIsThatKey() {
    FileKey key = FileKey.unix(0x803, 1234);
    for (String other : new String[] {"(dev=0803,ino=1234)", "(dev=803,ino=01234)", "(dev=+803,ino=1234)",
        "(dev=803,ino=+1234)", "(dev=803,ino=1234", "dev=803,ino=1234)", "(dev=803;ino=1234)", "(dev=,ino=1234)",
        "(dev=803,ino=)", "(dev=80x3,ino=1234)", "(dev=803,ino=12 4)", "(dev=803,ino=1234)(", "(DEV=803,ino=1234)",
        "(dev=803,ino=1234) ", "", "(dev=80", "(dev=803,ino=99999999999999999999)"}) {
      for (FileKey text : List.of(FileKey.ofText(other), FileKey.ofLogged(other))) {
        assertNotEquals(key, text, other);
        assertNotEquals(text, key, other);
        assertEquals(other, text.text());
      }
      assertAllEqual(FileKey.ofText(other), FileKey.ofLogged(other));
    }
    assertNotEquals(FileKey.unix(0x80a, 1), FileKey.ofText("(dev=80A,ino=1)"));
    assertNotEquals(FileKey.unix(0x80a, 1), FileKey.ofLogged("(dev=80A,ino=1)"));
  }

  @Test
  void aNegativeInodeIsReadAsTheJdkWritesIt() {
    FileKey key = FileKey.unix(-1L, -5);
    assertEquals("(dev=ffffffffffffffff,ino=-5)", key.text());
    assertAllEqual(key, FileKey.ofText("(dev=ffffffffffffffff,ino=-5)"),
        FileKey.ofLogged("(dev=ffffffffffffffff,ino=-5)"));
    assertAllEqual(FileKey.unix(0, Long.MIN_VALUE), FileKey.ofText("(dev=0,ino=-9223372036854775808)"),
        FileKey.ofLogged("(dev=0,ino=-9223372036854775808)"));
    assertAllEqual(FileKey.unix(0, 0), FileKey.ofText("(dev=0,ino=0)"), FileKey.ofLogged("(dev=0,ino=0)"));
    for (String notJdk : List.of("(dev=0,ino=-0)", "(dev=0,ino=-05)", "(dev=0,ino=-)")) {
      assertNotEquals(FileKey.ofText(notJdk), FileKey.unix(0, 0), notJdk);
      assertNotEquals(FileKey.ofLogged(notJdk), FileKey.unix(0, 0), notJdk);
      assertNotEquals(FileKey.ofLogged(notJdk), FileKey.unix(0, -5), notJdk);
    }
  }

  @Test
  void otherKeysCompareByText() {
    FileKey windows = FileKey.ofText("volume=1,index=42");
    assertAllEqual(windows, FileKey.ofText("volume=1,index=42"), FileKey.ofLogged("volume=1,index=42"));
    assertNotEquals(FileKey.ofText("volume=1,index=43"), windows);
    assertNotEquals(FileKey.ofLogged("Volume=1,index=42"), windows);
    assertEquals("volume=1,index=42", FileKey.ofLogged("volume=1,index=42").text());
  }

  /** Asserts that the keys are equal, both ways, with equal hashes and texts. */
  private static void assertAllEqual(FileKey... keys) {
    for (FileKey a : keys) {
      for (FileKey b : keys) {
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.text(), b.text());
      }
    }
  }
}
