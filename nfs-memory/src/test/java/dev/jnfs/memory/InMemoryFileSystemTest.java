package dev.jnfs.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.FsStat;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.OpenContext;
import dev.jnfs.spi.Owner;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.TimeUpdate;
import dev.jnfs.spi.conformance.NfsFileSystemConformanceTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory backend against the SPI conformance suite, plus its own behaviour. */
class InMemoryFileSystemTest extends NfsFileSystemConformanceTest {
  private static final int CHUNK = FileContent.CHUNK_SIZE;

  @Override
  protected NfsFileSystem newFileSystem() {
    return new InMemoryFileSystem();
  }

  private FileHandle emptyFile(String name) throws Exception {
    return createFile(work, name).handle();
  }

  // ---------------------------------------------------------------------------------------
  // defaults and configuration

  @Test
  void declaresItsCapabilitiesAndIsNonBlocking() {
    assertEquals(EnumSet.allOf(Capability.class), fs.capabilities());
    assertTrue(fs.isNonBlocking());
    assertEquals(255, fs.properties().maxNameLength());
  }

  @Test
  void rootIsWorldWritableAndStickyByDefault() throws Exception {
    FileAttributes root = fs.getattr(ROOT, fs.root());
    assertEquals(01777, root.mode());
    assertEquals(0, root.uid());
    assertEquals(0, root.gid());
    Caller nobody = Caller.of(65534, 65534);
    fs.create(nobody, fs.root(), "mine", CreateMode.GUARDED, mode(0644), 0);
    assertFails(() -> fs.remove(user(), fs.root(), "mine"), NfsStatus.ACCES);
  }

  @Test
  void builderSetsRootModeOwnerAndFsid() throws Exception {
    InMemoryFileSystem custom =
        InMemoryFileSystem.builder().rootMode(0755).rootOwner(1000, 100).fsid(77).build();
    FileAttributes root = custom.getattr(ROOT, custom.root());
    assertEquals(0755, root.mode());
    assertEquals(1000, root.uid());
    assertEquals(100, root.gid());
    assertEquals(77, root.fsid());
    assertFails(
        () -> custom.create(stranger(), custom.root(), "f", CreateMode.GUARDED, mode(0644), 0),
        NfsStatus.ACCES);
  }

  @Test
  void builderRejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> InMemoryFileSystem.builder().capacityBytes(-1));
    assertThrows(IllegalArgumentException.class, () -> InMemoryFileSystem.builder().maxFiles(0));
  }

  @Test
  void timesComeFromTheConfiguredClockAndNeverRepeat() throws Exception {
    Instant fixed = Instant.parse("2030-01-01T00:00:00Z");
    InMemoryFileSystem frozen =
        InMemoryFileSystem.builder().clock(Clock.fixed(fixed, ZoneOffset.UTC)).build();
    FileAttributes a =
        frozen.create(ROOT, frozen.root(), "a", CreateMode.GUARDED, mode(0644), 0).attributes();
    FileAttributes b =
        frozen.create(ROOT, frozen.root(), "b", CreateMode.GUARDED, mode(0644), 0).attributes();
    assertFalse(a.ctime().isBefore(fixed));
    assertTrue(b.ctime().isAfter(a.ctime()), "a frozen clock still yields distinct ctimes");
  }

  @Test
  void handlesOfAnotherInstanceAreBadHandle() throws Exception {
    FileHandle elsewhere = createFile(work, "f").handle();
    InMemoryFileSystem other = new InMemoryFileSystem();
    assertFails(() -> other.getattr(ROOT, elsewhere), NfsStatus.BADHANDLE);
    assertFails(() -> other.getattr(ROOT, fs.root()), NfsStatus.BADHANDLE);
  }

  @Test
  void aHandleForAFileidNotYetMintedIsBadHandle() throws Exception {
    byte[] bytes = fs.root().toBytes();
    bytes[0] = 0x40; // a fileid far beyond any made so far
    assertFails(() -> fs.getattr(ROOT, FileHandle.of(bytes)), NfsStatus.BADHANDLE);
  }

  // ---------------------------------------------------------------------------------------
  // space

  @Test
  void sparseFilesUseOnlyWrittenChunks() throws Exception {
    FileHandle f = emptyFile("sparse");
    long gib = 1L << 30;
    FileAttributes extended = fs.setattr(user(), f, SetAttributes.size(gib), null);
    assertEquals(gib, extended.size());
    assertEquals(0, extended.used());
    write(f, gib - 1, new byte[] {7});
    FileAttributes a = fs.getattr(user(), f);
    assertEquals(gib, a.size());
    assertEquals(CHUNK, a.used(), "one chunk holds the last byte");
    assertArrayEquals(new byte[] {0, 0, 7}, read(f, gib - 3, 3));
  }

  @Test
  void smallFilesUseLittle() throws Exception {
    FileHandle f = emptyFile("small");
    write(f, 0, new byte[] {1});
    assertEquals(FileContent.MIN_ALLOCATION, fs.getattr(user(), f).used());
    write(f, 0, new byte[3000]);
    assertEquals(4096, fs.getattr(user(), f).used());
  }

  @Test
  void sequentialWritesAllocateExactlyTheirChunks() throws Exception {
    FileHandle f = emptyFile("seq");
    int piece = 4096;
    long total = 40L * CHUNK;
    MessageDigest written = MessageDigest.getInstance("SHA-256");
    for (long offset = 0; offset < total; offset += piece) {
      byte[] data = bytes(offset, piece);
      written.update(data);
      write(f, offset, data);
    }
    FileAttributes a = fs.getattr(user(), f);
    assertEquals(total, a.size());
    assertEquals(total, a.used());
    MessageDigest readBack = MessageDigest.getInstance("SHA-256");
    ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    long offset = 0;
    while (true) {
      buffer.clear();
      var result = fs.read(user(), f, offset, buffer);
      readBack.update(buffer.array(), 0, result.count());
      offset += result.count();
      if (result.eof()) {
        break;
      }
    }
    assertEquals(total, offset);
    assertArrayEquals(written.digest(), readBack.digest());
  }

  @Test
  void largeWriteInOneCallReadsBack() throws Exception {
    FileHandle f = emptyFile("large");
    byte[] data = bytes(99, 8 * CHUNK + 12_345);
    fs.write(user(), f, 1000, ByteBuffer.wrap(data), Stability.UNSTABLE);
    assertArrayEquals(data, read(f, 1000, data.length));
    assertEquals(1000 + data.length, fs.getattr(user(), f).size());
  }

  @Test
  void writesBeyondCapacityAreNospcAndChangeNothing() throws Exception {
    InMemoryFileSystem small = InMemoryFileSystem.builder().capacityBytes(4L * CHUNK).build();
    FileHandle f = small.create(ROOT, small.root(), "f", CreateMode.GUARDED, mode(0644), 0).handle();
    small.write(ROOT, f, 0, ByteBuffer.wrap(bytes(1, 3 * CHUNK)), Stability.FILE_SYNC);
    assertFails(
        () -> small.write(ROOT, f, 3L * CHUNK, ByteBuffer.allocate(2 * CHUNK), Stability.FILE_SYNC),
        NfsStatus.NOSPC);
    FileAttributes a = small.getattr(ROOT, f);
    assertEquals(3L * CHUNK, a.size(), "a refused write does not grow the file");
    FsStat stat = small.fsstat(ROOT, f);
    assertEquals(4L * CHUNK, stat.totalBytes());
    assertEquals(CHUNK, stat.freeBytes());
    small.write(ROOT, f, 3L * CHUNK, ByteBuffer.allocate(CHUNK), Stability.FILE_SYNC);
    assertEquals(0, small.fsstat(ROOT, f).freeBytes());
    assertFails(
        () -> small.write(ROOT, f, 10L * CHUNK, ByteBuffer.allocate(1), Stability.FILE_SYNC),
        NfsStatus.NOSPC);
  }

  // ---------------------------------------------------------------------------------------
  // sparse files, copy, clone, extended attributes

  @Test
  void seekFindsDataAndHolesByChunk() throws Exception {
    FileHandle f = emptyFile("holes");
    write(f, 2L * CHUNK + 5, new byte[] {1});
    fs.setattr(user(), f, SetAttributes.size(5L * CHUNK), null);
    assertEquals(2L * CHUNK, fs.seek(user(), f, 0, true));
    assertEquals(0, fs.seek(user(), f, 0, false));
    assertEquals(3L * CHUNK, fs.seek(user(), f, 2L * CHUNK + 7, false));
    assertEquals(-1, fs.seek(user(), f, 3L * CHUNK, true), "no data after the last chunk");
    assertFails(() -> fs.seek(user(), f, 5L * CHUNK, true), NfsStatus.NXIO);
    write(f, 4L * CHUNK, new byte[] {2});
    assertEquals(5L * CHUNK, fs.seek(user(), f, 4L * CHUNK, false), "the virtual hole at the end");
  }

  @Test
  void allocateTakesSpaceAndDeallocateGivesItBack() throws Exception {
    InMemoryFileSystem small = InMemoryFileSystem.builder().capacityBytes(8L * CHUNK).build();
    FileHandle f = small.create(ROOT, small.root(), "f", CreateMode.GUARDED, mode(0644), 0).handle();
    FileAttributes a = small.allocate(ROOT, f, CHUNK, 2L * CHUNK);
    assertEquals(3L * CHUNK, a.size());
    assertEquals(2L * CHUNK, a.used());
    assertEquals(6L * CHUNK, small.fsstat(ROOT, f).freeBytes());
    assertFails(() -> small.allocate(ROOT, f, 0, 9L * CHUNK), NfsStatus.NOSPC);
    small.write(ROOT, f, CHUNK, ByteBuffer.wrap(bytes(3, 2 * CHUNK)), Stability.FILE_SYNC);
    FileAttributes d = small.deallocate(ROOT, f, CHUNK + 10, 2L * CHUNK);
    assertEquals(3L * CHUNK, d.size(), "the size stays");
    assertEquals(CHUNK, d.used(), "the chunk covered whole is gone");
    byte[] back = new byte[2 * CHUNK];
    small.read(ROOT, f, CHUNK, ByteBuffer.wrap(back));
    byte[] expected = new byte[2 * CHUNK];
    System.arraycopy(bytes(3, 2 * CHUNK), 0, expected, 0, 10);
    assertArrayEquals(expected, back);
  }

  @Test
  void aCloneCostsNothingUntilWritten() throws Exception {
    InMemoryFileSystem small = InMemoryFileSystem.builder().capacityBytes(8L * CHUNK).build();
    FileHandle a = small.create(ROOT, small.root(), "a", CreateMode.GUARDED, mode(0644), 0).handle();
    FileHandle b = small.create(ROOT, small.root(), "b", CreateMode.GUARDED, mode(0644), 0).handle();
    byte[] data = bytes(5, 3 * CHUNK + 100);
    small.write(ROOT, a, 0, ByteBuffer.wrap(data), Stability.FILE_SYNC);
    long free = small.fsstat(ROOT, a).freeBytes();
    small.clone(ROOT, a, 0, b, 0, 0);
    assertEquals(free, small.fsstat(ROOT, a).freeBytes(), "sharing takes no capacity");
    assertEquals(data.length, small.getattr(ROOT, b).size());
    byte[] back = new byte[data.length];
    small.read(ROOT, b, 0, ByteBuffer.wrap(back));
    assertArrayEquals(data, back);
    small.write(ROOT, b, 1, ByteBuffer.wrap(new byte[] {9}), Stability.FILE_SYNC);
    assertEquals(free - CHUNK, small.fsstat(ROOT, a).freeBytes(), "a write copies one chunk");
    small.read(ROOT, a, 0, ByteBuffer.wrap(back));
    assertArrayEquals(data, back, "the source keeps its bytes");
    small.remove(ROOT, small.root(), "a");
    small.remove(ROOT, small.root(), "b");
    assertEquals(8L * CHUNK, small.fsstat(ROOT, small.root()).freeBytes());
    assertFails(() -> fs.clone(user(), emptyFile("x"), 1, emptyFile("y"), 0, 0), NfsStatus.INVAL);
  }

  @Test
  void copyKeepsHolesAndRefusesOverlap() throws Exception {
    FileHandle a = emptyFile("src");
    FileHandle b = emptyFile("dst");
    write(a, 3L * CHUNK, new byte[] {4, 5});
    write(b, 0, bytes(8, 2 * CHUNK));
    assertEquals(3L * CHUNK + 2, fs.copy(user(), a, 0, b, 0, 0, Stability.UNSTABLE));
    assertEquals(CHUNK, fs.getattr(user(), b).used(), "the holes stay holes");
    assertArrayEquals(new byte[] {0, 4, 5}, read(b, 3L * CHUNK - 1, 3));
    assertEquals(1, fs.copy(user(), a, 3L * CHUNK + 1, b, 0, 10, Stability.UNSTABLE),
        "a count past the source's end copies what there is");
    assertFails(() -> fs.copy(user(), a, 0, a, 100, 200, Stability.UNSTABLE), NfsStatus.INVAL);
    assertFails(() -> fs.copy(user(), a, 4L * CHUNK, b, 0, 1, Stability.UNSTABLE), NfsStatus.INVAL);
  }

  @Test
  void extendedAttributesFollowTheirModes() throws Exception {
    FileHandle f = emptyFile("x");
    long change = fs.getattr(user(), f).change();
    FileAttributes a = fs.setxattr(user(), f, "k", new byte[] {1}, NfsFileSystem.XattrMode.CREATE);
    assertTrue(a.change() > change);
    assertFails(() -> fs.setxattr(user(), f, "k", new byte[0], NfsFileSystem.XattrMode.CREATE),
        NfsStatus.EXIST);
    assertFails(() -> fs.setxattr(user(), f, "j", new byte[0], NfsFileSystem.XattrMode.REPLACE),
        NfsStatus.NOXATTR);
    fs.setxattr(user(), f, "a", new byte[] {2, 3}, NfsFileSystem.XattrMode.EITHER);
    assertEquals(List.of("a", "k"), fs.listxattrs(user(), f));
    assertArrayEquals(new byte[] {2, 3}, fs.getxattr(user(), f, "a"));
    assertFails(() -> fs.setxattr(user(), f, "big", new byte[64 * 1024 + 1],
        NfsFileSystem.XattrMode.EITHER), NfsStatus.XATTR2BIG);
    assertFails(() -> fs.setxattr(stranger(), f, "s", new byte[0], NfsFileSystem.XattrMode.EITHER),
        NfsStatus.ACCES);
    fs.removexattr(user(), f, "a");
    assertFails(() -> fs.getxattr(user(), f, "a"), NfsStatus.NOXATTR);
    assertFails(() -> fs.removexattr(user(), f, "a"), NfsStatus.NOXATTR);
  }

  @Test
  void truncateAndRemoveFreeSpace() throws Exception {
    InMemoryFileSystem small = InMemoryFileSystem.builder().capacityBytes(8L * CHUNK).build();
    FileHandle f = small.create(ROOT, small.root(), "f", CreateMode.GUARDED, mode(0644), 0).handle();
    small.write(ROOT, f, 0, ByteBuffer.allocate(8 * CHUNK), Stability.FILE_SYNC);
    assertEquals(0, small.fsstat(ROOT, f).freeBytes());
    small.setattr(ROOT, f, SetAttributes.size(2L * CHUNK + 1), null);
    assertEquals(5L * CHUNK, small.fsstat(ROOT, f).freeBytes());
    assertEquals(3L * CHUNK, small.getattr(ROOT, f).used());
    small.remove(ROOT, small.root(), "f");
    assertEquals(8L * CHUNK, small.fsstat(ROOT, small.root()).freeBytes());
  }

  @Test
  void objectsBeyondTheFileLimitAreNospc() throws Exception {
    InMemoryFileSystem small = InMemoryFileSystem.builder().maxFiles(3).build();
    FileHandle root = small.root();
    small.create(ROOT, root, "a", CreateMode.GUARDED, mode(0644), 0);
    small.mkdir(ROOT, root, "d", mode(0755));
    assertFails(() -> small.create(ROOT, root, "b", CreateMode.GUARDED, mode(0644), 0), NfsStatus.NOSPC);
    assertFails(() -> small.mkdir(ROOT, root, "e", mode(0755)), NfsStatus.NOSPC);
    assertFails(() -> small.symlink(ROOT, root, "l", "t", SetAttributes.NONE), NfsStatus.NOSPC);
    FsStat stat = small.fsstat(ROOT, root);
    assertEquals(3, stat.totalFiles());
    assertEquals(0, stat.freeFiles());
    assertFails(() -> small.lookup(ROOT, root, "b"), NfsStatus.NOENT);
    small.remove(ROOT, root, "a");
    small.create(ROOT, root, "b", CreateMode.GUARDED, mode(0644), 0);
  }

  @Test
  void hardLinksDoNotTakeFileSlots() throws Exception {
    InMemoryFileSystem small = InMemoryFileSystem.builder().maxFiles(2).build();
    FileHandle f = small.create(ROOT, small.root(), "a", CreateMode.GUARDED, mode(0644), 0).handle();
    small.link(ROOT, f, small.root(), "b");
    assertEquals(2, small.getattr(ROOT, f).nlink());
  }

  @Test
  void writesAndSizesBeyondTheMaximumAreFbig() throws Exception {
    FileHandle f = emptyFile("big");
    long max = InMemoryFileSystem.MAX_FILE_SIZE;
    assertFails(
        () -> fs.write(user(), f, max - 1, ByteBuffer.allocate(2), Stability.FILE_SYNC),
        NfsStatus.FBIG);
    assertFails(() -> fs.setattr(user(), f, SetAttributes.size(max + 1), null), NfsStatus.FBIG);
    assertFails(
        () -> fs.write(user(), f, -1, ByteBuffer.allocate(2), Stability.FILE_SYNC),
        NfsStatus.INVAL);
  }

  // ---------------------------------------------------------------------------------------
  // directories

  @Test
  void aCookieNeverGivenOutIsBadCookie() throws Exception {
    createFile(work, "a");
    createFile(work, "b");
    DirectoryPage page = fs.readdir(user(), work, 0, 0, 10, false);
    long last = page.entries().getLast().cookie();
    assertTrue(fs.readdir(user(), work, last, page.verifier(), 10, false).eof());
    assertFails(() -> fs.readdir(user(), work, last + 1000, page.verifier(), 10, false), NfsStatus.BAD_COOKIE);
  }

  @Test
  void aCookieOfARemovedEntryStillResumes() throws Exception {
    for (String name : new String[] {"a", "b", "c", "d"}) {
      createFile(work, name);
    }
    DirectoryPage first = fs.readdir(user(), work, 0, 0, 2, false);
    assertEquals(2, first.entries().size());
    fs.remove(user(), work, first.entries().get(1).name());
    fs.remove(user(), work, first.entries().get(0).name());
    DirectoryPage rest =
        fs.readdir(user(), work, first.entries().get(1).cookie(), first.verifier(), 10, false);
    assertEquals(2, rest.entries().size());
    assertTrue(rest.eof());
  }

  @Test
  void setgidDirectoriesPassOnTheirGroup() throws Exception {
    FileHandle shared = fs.mkdir(ROOT, work, "shared", mode(02777)).handle();
    fs.setattr(ROOT, shared, new SetAttributes(null, null, 500, null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED), null);
    FileAttributes file = fs.create(user(), shared, "f", CreateMode.GUARDED, mode(0644), 0).attributes();
    assertEquals(500, file.gid());
    FileAttributes dir = fs.mkdir(user(), shared, "d", mode(0755)).attributes();
    assertEquals(500, dir.gid());
    assertEquals(02000, dir.mode() & 02000, "subdirectories inherit set-group-id");
  }

  @Test
  void aWriteByAnOrdinaryUserClearsSetUid() throws Exception {
    FileHandle f = fs.create(user(), work, "prog", CreateMode.GUARDED, mode(06755), 0).handle();
    assertEquals(06755, fs.getattr(user(), f).mode());
    write(f, 0, new byte[] {1});
    assertEquals(0755, fs.getattr(user(), f).mode());
  }

  @Test
  void onlyRootMakesDevices() throws Exception {
    assertFails(
        () -> fs.mknod(user(), work, "dev", FileType.CHAR_DEVICE, mode(0600), new DeviceNumber(1, 3)),
        NfsStatus.PERM);
    FileAttributes fifo =
        fs.mknod(user(), work, "fifo", FileType.FIFO, mode(0600), DeviceNumber.NONE).attributes();
    assertEquals(user().uid(), fifo.uid());
    assertEquals(DeviceNumber.NONE, fifo.rdev());
  }

  @Test
  void creatingForAnotherOwnerNeedsRoot() throws Exception {
    SetAttributes forStranger =
        new SetAttributes(0644, stranger().uid(), null, null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED);
    assertFails(
        () -> fs.create(user(), work, "f", CreateMode.GUARDED, forStranger, 0), NfsStatus.PERM);
    assertEquals(stranger().uid(), fs.create(ROOT, work, "f", CreateMode.GUARDED, forStranger, 0).attributes().uid());
  }

  // ---------------------------------------------------------------------------------------
  // attributes read without the lock

  private FileAttributes listed(String name) throws Exception {
    return list(work, 100, true).stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow()
        .attributes();
  }

  @Test
  void everyChangeIsSeenByTheNextAttributeRead() throws Exception {
    FileHandle f = emptyFile("seen");
    FileAttributes created = fs.getattr(user(), f);
    assertSame(created, fs.getattr(user(), f), "unchanged attributes are read once");
    assertSame(created, listed("seen"));

    write(f, 0, bytes(1, 10));
    assertEquals(10, fs.getattr(user(), f).size());
    assertEquals(10, listed("seen").size());

    fs.setattr(user(), f, mode(0600), null);
    assertEquals(0600, listed("seen").mode());
    assertEquals(0600, fs.getattr(user(), f).mode());

    fs.link(user(), f, work, "seen-too");
    assertEquals(2, fs.getattr(user(), f).nlink());
    assertEquals(2, fs.lookup(user(), work, "seen-too").attributes().nlink());

    FileAttributes beforeRead = fs.getattr(user(), f);
    read(f, 0, 10); // relatime: the access time predates the last change, so it moves
    FileAttributes afterRead = fs.getattr(user(), f);
    assertTrue(afterRead.atime().isAfter(beforeRead.atime()), afterRead + " after " + beforeRead);
    assertEquals(afterRead.atime(), listed("seen").atime());

    fs.remove(user(), work, "seen-too");
    assertEquals(1, listed("seen").nlink());
    fs.remove(user(), work, "seen");
    assertFails(() -> fs.getattr(user(), f), NfsStatus.STALE);
  }

  @Test
  void attributesReadWhileAFileGrowsNeverGoBack() throws Exception {
    FileHandle f = emptyFile("growing");
    fs.getattr(user(), f);
    int writes = 2000;
    Thread writer = Thread.ofPlatform().start(() -> {
      try {
        for (int i = 0; i < writes; i++) {
          write(f, i, new byte[] {(byte) i});
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    long last = 0;
    while (writer.isAlive()) {
      long size = fs.getattr(user(), f).size();
      assertTrue(size >= last, size + " after " + last);
      last = size;
    }
    writer.join();
    assertEquals(writes, fs.getattr(user(), f).size());
    assertEquals(writes, listed("growing").size());
  }

  // ---------------------------------------------------------------------------------------
  // open files

  private static final OpenContext READING =
      new OpenContext(OpenContext.READ, 0, new Owner(1, "reader".getBytes(StandardCharsets.US_ASCII)));
  private static final OpenContext WRITING =
      new OpenContext(OpenContext.READ | OpenContext.WRITE, 0, new Owner(1, "writer".getBytes(StandardCharsets.US_ASCII)));

  @Test
  void aFileRemovedWhileOpenLivesUntilClosed() throws Exception {
    FileHandle f = emptyFile("open");
    write(f, 0, bytes(5, 100));
    fs.open(user(), f, READING);
    fs.open(user(), f, WRITING);
    fs.remove(user(), work, "open");
    assertFails(() -> fs.lookup(user(), work, "open"), NfsStatus.NOENT);
    assertEquals(0, fs.getattr(user(), f).nlink());
    assertArrayEquals(bytes(5, 100), read(f, 0, 200));
    fs.close(f, WRITING);
    write(f, 100, new byte[] {1});
    fs.close(f, WRITING);
    assertFails(() -> fs.getattr(user(), f), NfsStatus.STALE);
    fs.close(f, WRITING); // an unmatched close is harmless
  }

  @Test
  void openChecksPermission() throws Exception {
    FileHandle f = fs.create(user(), work, "f", CreateMode.GUARDED, mode(0600), 0).handle();
    assertFails(() -> fs.open(stranger(), f, READING), NfsStatus.ACCES);
    assertFails(() -> fs.open(stranger(), f, WRITING), NfsStatus.ACCES);
    fs.open(user(), f, WRITING);
    fs.close(f, WRITING);
  }

  @Test
  void exclusiveCreateIsReplayableAfterOtherChanges() throws Exception {
    FileHandle first = fs.create(user(), work, "x", CreateMode.EXCLUSIVE, SetAttributes.NONE, -5).handle();
    fs.setattr(user(), first, mode(0600), null);
    assertEquals(first, fs.create(user(), work, "x", CreateMode.EXCLUSIVE, SetAttributes.NONE, -5).handle());
    assertNotEquals(first, fs.create(user(), work, "y", CreateMode.EXCLUSIVE, SetAttributes.NONE, -5).handle());
  }

  @Test
  void linksBeyondTheMaximumAreMlink() throws Exception {
    FileHandle f = emptyFile("popular");
    for (int i = 1; i < InMemoryFileSystem.MAX_LINKS; i++) {
      fs.link(user(), f, work, "l" + i);
    }
    assertEquals(InMemoryFileSystem.MAX_LINKS, fs.getattr(user(), f).nlink());
    assertFails(() -> fs.link(user(), f, work, "one-too-many"), NfsStatus.MLINK);
    assertFails(() -> fs.lookup(user(), work, "one-too-many"), NfsStatus.NOENT);
  }

  @Test
  void aClientTimeWithoutAValueIsInval() throws Exception {
    FileHandle f = emptyFile("f");
    SetAttributes noTime =
        new SetAttributes(null, null, null, null, TimeUpdate.UNCHANGED, TimeUpdate.to(null));
    assertFails(() -> fs.setattr(user(), f, noTime, null), NfsStatus.INVAL);
    assertFails(() -> fs.mkdir(user(), work, "d", noTime), NfsStatus.INVAL);
  }
}
