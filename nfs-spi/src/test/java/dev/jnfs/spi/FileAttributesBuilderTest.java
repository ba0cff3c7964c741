package dev.jnfs.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FileAttributesBuilderTest {
  @Test
  void defaultsFollowTheType() {
    FileAttributes file = FileAttributes.builder(FileType.REGULAR, 7).size(100).build();
    assertEquals(
        new FileAttributes(FileType.REGULAR, 0644, 1, 0, 0, 100, 100, DeviceNumber.NONE, 0, 7,
            FileAttributes.DEFAULT_TIME, FileAttributes.DEFAULT_TIME, FileAttributes.DEFAULT_TIME,
            FileAttributes.DEFAULT_TIME.getEpochSecond() * 1_000_000_000L
                + FileAttributes.DEFAULT_TIME.getNano()),
        file);
    FileAttributes dir = FileAttributes.builder(FileType.DIRECTORY, 8).build();
    assertEquals(0755, dir.mode());
    assertEquals(2, dir.nlink());
    assertEquals(0777, FileAttributes.builder(FileType.SYMLINK, 9).build().mode());
    assertEquals(0644, FileAttributes.builder(FileType.FIFO, 10).build().mode());
  }

  @Test
  void everyValueCanBeSet() {
    Instant a = Instant.parse("2001-01-01T00:00:00Z");
    Instant m = Instant.parse("2002-01-01T00:00:00Z");
    Instant c = Instant.parse("2003-01-01T00:00:00.000000005Z");
    FileAttributes x = FileAttributes.builder(FileType.CHAR_DEVICE, 3)
        .mode(0100600).nlink(4).owner(1000, 100).size(10).used(4096)
        .rdev(new DeviceNumber(1, 5)).fsid(42).atime(a).mtime(m).ctime(c).build();
    assertEquals(new FileAttributes(FileType.CHAR_DEVICE, 0600, 4, 1000, 100, 10, 4096,
        new DeviceNumber(1, 5), 42, 3, a, m, c, c.getEpochSecond() * 1_000_000_000L + 5), x);
    assertEquals(99, FileAttributes.builder(FileType.REGULAR, 1).change(99).build().change());
    FileAttributes same = FileAttributes.builder(FileType.REGULAR, 1).times(m).build();
    assertEquals(m, same.atime());
    assertEquals(m, same.ctime());
  }

  @Test
  void nullsAreRefused() {
    FileAttributes.Builder b = FileAttributes.builder(FileType.REGULAR, 1);
    assertThrows(NullPointerException.class, () -> b.mtime(null));
    assertThrows(NullPointerException.class, () -> b.rdev(null));
    assertThrows(NullPointerException.class, () -> FileAttributes.builder(null, 1));
  }
}
