package dev.jnfs.localfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
    FileKey read = FileKey.ofText(jdkKey.toString());
    assertEquals(read, key);
    assertEquals(key, read);
    assertEquals(read.hashCode(), key.hashCode());
    assertEquals(jdkKey.toString(), key.text());
    assertEquals(jdkKey.toString(), read.text());
  }

  @Test
  void anotherDeviceOrInodeIsAnotherKey() {
    FileKey key = FileKey.unix(0x803, 1234);
    assertNotEquals(FileKey.unix(0x803, 1235), key);
    assertNotEquals(FileKey.unix(0x804, 1234), key);
    assertNotEquals(FileKey.unix(1234, 0x803), key);
    assertNotEquals(FileKey.ofText("(dev=803,ino=1235)"), key);
    assertNotEquals(FileKey.ofText("(dev=804,ino=1234)"), key);
    assertEquals(FileKey.ofText("(dev=803,ino=1234)"), key);
  }

  @Test
  void onlyTheTextAUnixKeyMakesIsReadAsThatKey() {
    FileKey key = FileKey.unix(0x803, 1234);
    for (String other : new String[] {"(dev=0803,ino=1234)", "(dev=803,ino=01234)", "(dev=+803,ino=1234)",
        "(dev=803,ino=+1234)", "(dev=803,ino=1234", "dev=803,ino=1234)", "(dev=803;ino=1234)", "(dev=,ino=1234)",
        "(dev=803,ino=)", "(dev=80x3,ino=1234)", "(dev=803,ino=12 4)", "(dev=803,ino=1234)(", "(DEV=803,ino=1234)",
        "(dev=803,ino=1234) ", "", "(dev=80", "(dev=803,ino=99999999999999999999)"}) {
      FileKey text = FileKey.ofText(other);
      assertNotEquals(key, text, other);
      assertNotEquals(text, key, other);
      assertEquals(other, text.text());
    }
    FileKey upperHex = FileKey.ofText("(dev=80A,ino=1)");
    assertNotEquals(FileKey.unix(0x80a, 1), upperHex);
  }

  @Test
  void aNegativeInodeIsReadAsTheJdkWritesIt() {
    FileKey key = FileKey.unix(-1L, -5);
    assertEquals("(dev=ffffffffffffffff,ino=-5)", key.text());
    assertEquals(FileKey.ofText("(dev=ffffffffffffffff,ino=-5)"), key);
    assertEquals(FileKey.ofText("(dev=0,ino=-9223372036854775808)"), FileKey.unix(0, Long.MIN_VALUE));
    assertNotEquals(FileKey.ofText("(dev=0,ino=-0)"), FileKey.unix(0, 0));
    assertNotEquals(FileKey.ofText("(dev=0,ino=-05)"), FileKey.unix(0, -5));
    assertNotEquals(FileKey.ofText("(dev=0,ino=-)"), FileKey.unix(0, 0));
    assertEquals(FileKey.ofText("(dev=0,ino=0)"), FileKey.unix(0, 0));
  }

  @Test
  void otherKeysCompareByText() {
    FileKey windows = FileKey.ofText("volume=1,index=42");
    assertEquals(FileKey.ofText("volume=1,index=42"), windows);
    assertEquals(FileKey.ofText("volume=1,index=42").hashCode(), windows.hashCode());
    assertNotEquals(FileKey.ofText("volume=1,index=43"), windows);
    assertNotEquals(FileKey.ofText("Volume=1,index=42"), windows);
    assertEquals("volume=1,index=42", windows.text());
  }
}
