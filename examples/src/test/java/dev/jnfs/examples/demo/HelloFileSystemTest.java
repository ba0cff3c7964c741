package dev.jnfs.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class HelloFileSystemTest {
  private final HelloFileSystem fs = new HelloFileSystem();
  private final Caller user = Caller.of(1000, 1000);
  private final Caller root = Caller.of(0, 0);

  private String readAll(FileHandle file) throws NfsException {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    ReadResult result = fs.read(user, file, 0, buffer);
    assertTrue(result.eof());
    return new String(buffer.array(), 0, result.count(), StandardCharsets.US_ASCII);
  }

  private List<DirectoryEntry> listAll(FileHandle dir, int pageSize, boolean withAttributes)
      throws NfsException {
    List<DirectoryEntry> all = new ArrayList<>();
    long cookie = 0;
    long verifier = 0;
    for (int pages = 0; pages < 1000; pages++) {
      DirectoryPage page = fs.readdir(user, dir, cookie, verifier, pageSize, withAttributes);
      assertTrue(page.entries().size() <= pageSize);
      all.addAll(page.entries());
      if (page.eof()) {
        return all;
      }
      cookie = page.entries().get(page.entries().size() - 1).cookie();
      verifier = page.verifier();
    }
    throw new AssertionError("listing never ended");
  }

  private static void assertStatus(NfsStatus expected, Executable call) {
    NfsException e = assertThrows(NfsException.class, call);
    assertEquals(expected, e.status(), e.getMessage());
  }

  @Test
  void rootListsHelloAndNumbers() throws NfsException {
    List<String> names =
        listAll(fs.root(), 10, false).stream().map(DirectoryEntry::name).toList();
    assertEquals(List.of("hello.txt", "numbers"), names);
    assertEquals(FileType.DIRECTORY, fs.getattr(user, fs.root()).type());
  }

  @Test
  void helloReads() throws NfsException {
    FileEntry hello = fs.lookup(user, fs.root(), "hello.txt");
    assertEquals(FileType.REGULAR, hello.attributes().type());
    assertEquals("Hello from jnfs!\n", readAll(hello.handle()));
    assertEquals(readAll(hello.handle()).length(), hello.attributes().size());
  }

  @Test
  void numbersAreGeneratedAndListedAcrossPages() throws NfsException {
    FileHandle numbers = fs.lookup(user, fs.root(), "numbers").handle();
    List<DirectoryEntry> entries = listAll(numbers, 7, true);
    assertEquals(HelloFileSystem.NUMBER_FILES, entries.size());
    Set<String> names = new HashSet<>();
    Set<Long> cookies = new HashSet<>();
    for (DirectoryEntry e : entries) {
      assertTrue(names.add(e.name()), "listed twice: " + e.name());
      assertTrue(e.cookie() > 2, "reserved cookie " + e.cookie());
      assertTrue(cookies.add(e.cookie()));
      assertEquals(e.fileid(), e.attributes().fileid());
      assertEquals(e.attributes(), fs.getattr(user, e.handle()));
    }
    for (int n = 1; n <= HelloFileSystem.NUMBER_FILES; n++) {
      assertTrue(names.contains(n + ".txt"), n + ".txt missing");
    }
    FileEntry seven = fs.lookup(user, numbers, "7.txt");
    assertEquals("7 squared is 49\n", readAll(seven.handle()));
    assertEquals(16, seven.attributes().size());
    assertEquals("100 squared is 10000\n", readAll(fs.lookup(user, numbers, "100.txt").handle()));
  }

  @Test
  void listingWithoutAttributesCarriesNone() throws NfsException {
    DirectoryEntry first = fs.readdir(user, fs.root(), 0, 0, 1, false).entries().get(0);
    assertNull(first.handle());
    assertNull(first.attributes());
  }

  @Test
  void readHonoursOffsetAndBufferSize() throws NfsException {
    FileHandle hello = fs.lookup(user, fs.root(), "hello.txt").handle();
    ByteBuffer small = ByteBuffer.allocate(5);
    ReadResult part = fs.read(user, hello, 6, small);
    assertEquals(5, part.count());
    assertFalse(part.eof());
    assertEquals("from ", new String(small.array(), StandardCharsets.US_ASCII));

    ReadResult past = fs.read(user, hello, 1000, ByteBuffer.allocate(10));
    assertEquals(0, past.count());
    assertTrue(past.eof());
  }

  @Test
  void dotAndDotDot() throws NfsException {
    FileHandle numbers = fs.lookup(user, fs.root(), "numbers").handle();
    assertEquals(numbers, fs.lookup(user, numbers, ".").handle());
    assertEquals(fs.root(), fs.lookup(user, numbers, "..").handle());
    assertEquals(fs.root(), fs.lookup(user, fs.root(), "..").handle());
  }

  @Test
  void accessGrantsOnlyReading() throws NfsException {
    FileHandle hello = fs.lookup(user, fs.root(), "hello.txt").handle();
    assertEquals(Access.READ, fs.access(root, hello, Access.ALL));
    assertEquals(Access.READ | Access.LOOKUP, fs.access(user, fs.root(), Access.ALL));
    assertEquals(0, fs.access(user, fs.root(), Access.MODIFY | Access.DELETE));
  }

  @Test
  void lookupErrors() throws NfsException {
    FileHandle numbers = fs.lookup(user, fs.root(), "numbers").handle();
    FileHandle hello = fs.lookup(user, fs.root(), "hello.txt").handle();
    assertStatus(NfsStatus.NOENT, () -> fs.lookup(user, fs.root(), "missing"));
    assertStatus(NfsStatus.NOENT, () -> fs.lookup(user, numbers, "0.txt"));
    assertStatus(NfsStatus.NOENT, () -> fs.lookup(user, numbers, "101.txt"));
    assertStatus(NfsStatus.NOENT, () -> fs.lookup(user, numbers, "07.txt"));
    assertStatus(NfsStatus.NOENT, () -> fs.lookup(user, numbers, "hello.txt"));
    assertStatus(NfsStatus.NOTDIR, () -> fs.lookup(user, hello, "x"));
  }

  @Test
  void readAndListErrors() throws NfsException {
    FileHandle hello = fs.lookup(user, fs.root(), "hello.txt").handle();
    assertStatus(NfsStatus.ISDIR, () -> fs.read(user, fs.root(), 0, ByteBuffer.allocate(1)));
    assertStatus(NfsStatus.NOTDIR, () -> fs.readdir(user, hello, 0, 0, 10, false));
    assertStatus(NfsStatus.BAD_COOKIE, () -> fs.readdir(user, fs.root(), 1, 0, 10, false));
    assertStatus(NfsStatus.BAD_COOKIE, () -> fs.readdir(user, fs.root(), 999, 0, 10, false));
    assertStatus(NfsStatus.NOTSUPP, () -> fs.readlink(user, hello));
  }

  @Test
  void foreignHandlesAreBad() {
    FileHandle foreign = FileHandle.of(new byte[] {1, 2, 3});
    FileHandle unknownId = FileHandle.of(ByteBuffer.allocate(9).put((byte) 'H').putLong(99).array());
    for (FileHandle bad : List.of(foreign, unknownId)) {
      assertStatus(NfsStatus.BADHANDLE, () -> fs.getattr(user, bad));
      assertStatus(NfsStatus.BADHANDLE, () -> fs.lookup(user, bad, "x"));
      assertStatus(NfsStatus.BADHANDLE, () -> fs.readdir(user, bad, 0, 0, 10, false));
    }
  }

  @Test
  void everyChangeIsRefused() throws NfsException {
    FileHandle dir = fs.root();
    FileHandle hello = fs.lookup(user, dir, "hello.txt").handle();
    SetAttributes none = SetAttributes.NONE;
    FileAttributes before = fs.getattr(root, hello);
    assertStatus(NfsStatus.ROFS, () -> fs.setattr(root, hello, none, null));
    assertStatus(NfsStatus.ROFS,
        () -> fs.write(root, hello, 0, ByteBuffer.wrap(new byte[1]), Stability.FILE_SYNC));
    assertStatus(NfsStatus.ROFS,
        () -> fs.create(root, dir, "new", CreateMode.UNCHECKED, none, 0));
    assertStatus(NfsStatus.ROFS, () -> fs.mkdir(root, dir, "d", none));
    assertStatus(NfsStatus.ROFS, () -> fs.symlink(root, dir, "l", "hello.txt", none));
    assertStatus(NfsStatus.ROFS,
        () -> fs.mknod(root, dir, "f", FileType.FIFO, none, null));
    assertStatus(NfsStatus.ROFS, () -> fs.link(root, hello, dir, "h2"));
    assertStatus(NfsStatus.ROFS, () -> fs.remove(root, dir, "hello.txt"));
    assertStatus(NfsStatus.ROFS, () -> fs.rmdir(root, dir, "numbers"));
    assertStatus(NfsStatus.ROFS, () -> fs.rename(root, dir, "hello.txt", dir, "bye.txt"));
    assertEquals(before, fs.getattr(root, hello));
    assertEquals("Hello from jnfs!\n", readAll(hello));
  }
}
