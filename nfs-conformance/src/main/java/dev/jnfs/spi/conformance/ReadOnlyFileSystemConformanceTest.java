package dev.jnfs.spi.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.FsStat;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.ReadOnlyFileSystem;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.TimeUpdate;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour a read-only {@link NfsFileSystem} (one whose {@link
 * NfsFileSystem#isReadOnly()} is true, such as a {@link ReadOnlyFileSystem}) owes the server:
 * the reading half of {@link NfsFileSystemConformanceTest}, checked over the tree the backend
 * already holds, and every change answering ROFS without changing anything.
 *
 * <p>A backend's test extends this class and supplies {@link #newFileSystem()}, a file system
 * holding at least one regular file and one directory besides the root. Each test gets a fresh
 * file system and walks its tree from the root (at most {@link #maxObjects()} objects) as
 * {@link #user()}, who must be allowed to read all of it.
 */
public abstract class ReadOnlyFileSystemConformanceTest {

  /** The superuser. */
  protected static final Caller ROOT = Caller.of(0, 0);

  /** The file system under test, fresh for each test. */
  protected NfsFileSystem fs;

  /**
   * @return a new read-only file system to test, holding a file and a directory at least
   * @throws Exception if it cannot be made
   */
  protected abstract NfsFileSystem newFileSystem() throws Exception;

  /**
   * Releases what {@link #newFileSystem()} made. The default does nothing.
   *
   * @param fileSystem the file system a test used
   * @throws Exception if cleaning up fails
   */
  protected void disposeFileSystem(NfsFileSystem fileSystem) throws Exception {}

  /** @return the caller the reading checks act as: uid 1000, gid 1000 by default */
  protected Caller user() {
    return Caller.of(1000, 1000);
  }

  /** @return the most objects a test walks; a larger tree is checked in part */
  protected int maxObjects() {
    return 2_000;
  }

  /** @return handles the backend never minted; each must answer BADHANDLE */
  protected List<FileHandle> garbageHandles() {
    byte[] ones = new byte[FileHandle.MAX_LENGTH];
    Arrays.fill(ones, (byte) 0xEE);
    return List.of(FileHandle.of(new byte[] {0x7F}), FileHandle.of(ones));
  }

  @BeforeEach
  void createFileSystem() throws Exception {
    fs = newFileSystem();
  }

  @AfterEach
  void tearDownFileSystem() throws Exception {
    disposeFileSystem(fs);
  }

  // ---------------------------------------------------------------------------------------
  // helpers

  /**
   * An object found by walking the tree.
   *
   * @param handle its handle
   * @param parent the directory it was listed in (the root's parent is the root)
   * @param name its name there ("" for the root)
   * @param attributes its attributes from {@link NfsFileSystem#getattr}
   */
  protected record Found(FileHandle handle, FileHandle parent, String name, FileAttributes attributes) {}

  /**
   * Walks the tree breadth-first from the root, listing each directory in pages of 7 entries
   * with attributes and looking each entry up.
   *
   * @return the objects found, the root first, at most {@link #maxObjects()}
   * @throws NfsException if a call fails
   */
  protected List<Found> walk() throws NfsException {
    List<Found> found = new ArrayList<>();
    FileHandle root = fs.root();
    found.add(new Found(root, root, "", fs.getattr(user(), root)));
    ArrayDeque<Found> directories = new ArrayDeque<>(found);
    while (!directories.isEmpty() && found.size() < maxObjects()) {
      Found dir = directories.poll();
      for (DirectoryEntry e : list(dir.handle(), 7, true)) {
        if (found.size() == maxObjects()) {
          break;
        }
        Found f = new Found(e.handle(), dir.handle(), e.name(), fs.getattr(user(), e.handle()));
        found.add(f);
        if (f.attributes().type() == FileType.DIRECTORY) {
          directories.add(f);
        }
      }
    }
    return found;
  }

  /**
   * Lists a whole directory as {@link #user()}.
   *
   * @param directory the directory
   * @param pageSize entries per page
   * @param withAttributes whether to ask for handles and attributes
   * @return the entries in order
   * @throws NfsException if a call fails
   */
  protected List<DirectoryEntry> list(FileHandle directory, int pageSize, boolean withAttributes)
      throws NfsException {
    List<DirectoryEntry> all = new ArrayList<>();
    long cookie = 0;
    long verifier = 0;
    for (int pages = 0; pages < 1_000_000; pages++) {
      DirectoryPage page = fs.readdir(user(), directory, cookie, verifier, pageSize, withAttributes);
      assertTrue(page.entries().size() <= pageSize, "page larger than asked");
      all.addAll(page.entries());
      if (page.eof()) {
        return all;
      }
      assertFalse(page.entries().isEmpty(), "a page short of eof has entries");
      cookie = page.entries().getLast().cookie();
      verifier = page.verifier();
    }
    return fail("listing never ended");
  }

  /**
   * Reads a whole file in pieces of an odd size, checking that the end comes with eof.
   *
   * @param file a regular file
   * @return its bytes
   * @throws NfsException if a read fails
   */
  protected byte[] readAll(FileHandle file) throws NfsException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int reads = 0; reads < 1_000_000; reads++) {
      ByteBuffer buffer = ByteBuffer.allocate(8_191);
      ReadResult r = fs.read(user(), file, out.size(), buffer);
      assertEquals(buffer.position(), r.count(), "count equals the bytes placed");
      out.write(buffer.array(), 0, r.count());
      if (r.eof()) {
        return out.toByteArray();
      }
      assertTrue(r.count() > 0, "a read short of eof returns bytes");
    }
    return fail("reading never ended");
  }

  private Found first(List<Found> found, FileType type) {
    return found.stream().skip(1).filter(f -> f.attributes().type() == type).findFirst()
        .orElseGet(() -> fail("the tree holds no " + type + " besides the root"));
  }

  /** What the walk of an unchanged tree finds again: names, file ids, sizes, change. */
  private static Map<String, List<Long>> fingerprint(List<Found> found) {
    Map<String, List<Long>> m = new LinkedHashMap<>();
    for (Found f : found) {
      FileAttributes a = f.attributes();
      m.put(f.parent() + "/" + f.name(), List.of(a.fileid(), a.size(), a.change(),
          a.mtime().toEpochMilli(), (long) a.mode(), (long) a.nlink()));
    }
    return m;
  }

  private static void assertFails(NfsStatus expected, NfsStatus other, Call call) {
    EnumSet<NfsStatus> accepted = other == null ? EnumSet.of(expected) : EnumSet.of(expected, other);
    try {
      call.run();
    } catch (NfsException e) {
      assertTrue(accepted.contains(e.status()), "expected " + accepted + " but got " + e.status());
      return;
    }
    fail("expected " + accepted + " but the call succeeded");
  }

  /** A call that may fail with an {@link NfsException}. */
  @FunctionalInterface
  protected interface Call {
    /**
     * Makes the call.
     *
     * @throws NfsException on failure
     */
    void run() throws NfsException;
  }

  // ---------------------------------------------------------------------------------------
  // the tree

  @Test
  void declaresItselfReadOnly() {
    assertTrue(fs.isReadOnly());
  }

  @Test
  void rootIsADirectoryAndTheTreeHoldsAFileAndADirectory() throws Exception {
    List<Found> found = walk();
    assertEquals(FileType.DIRECTORY, found.getFirst().attributes().type());
    assertTrue(fs.root().length() <= FileHandle.MAX_LENGTH);
    first(found, FileType.REGULAR);
    first(found, FileType.DIRECTORY);
  }

  @Test
  void objectsShareFsidAndFileidsNameOneObjectEach() throws Exception {
    List<Found> found = walk();
    Map<Long, FileHandle> byFileid = new HashMap<>();
    for (Found f : found) {
      assertEquals(found.getFirst().attributes().fsid(), f.attributes().fsid(), f.name());
      FileHandle before = byFileid.putIfAbsent(f.attributes().fileid(), f.handle());
      if (before != null) {
        assertTrue(fs.capabilities().contains(Capability.HARD_LINKS), "fileid shared: " + f.name());
        assertEquals(before, f.handle(), "one fileid, one handle");
      }
    }
  }

  @Test
  void listedEntriesLookUpToTheSameObjectWithTheSameAttributes() throws Exception {
    List<Found> found = walk();
    for (Found f : found.subList(1, Math.min(200, found.size()))) {
      var entry = fs.lookup(user(), f.parent(), f.name());
      assertEquals(f.handle(), entry.handle(), f.name());
      assertEquals(f.attributes().fileid(), entry.attributes().fileid());
      assertEquals(f.attributes(), fs.getattr(user(), entry.handle()), "attributes are stable");
    }
  }

  @Test
  void readdirWithAttributesAgreesWithGetattr() throws Exception {
    for (Found dir : walk()) {
      if (dir.attributes().type() != FileType.DIRECTORY) {
        continue;
      }
      for (DirectoryEntry e : list(dir.handle(), 50, true)) {
        assertNotNull(e.handle(), e.name());
        assertEquals(e.fileid(), e.attributes().fileid());
        FileAttributes now = fs.getattr(user(), e.handle());
        assertEquals(now.type(), e.attributes().type(), e.name());
        assertEquals(now.size(), e.attributes().size(), e.name());
        assertEquals(now.change(), e.attributes().change(), e.name());
      }
    }
  }

  @Test
  void readdirPagesThroughEveryEntryOnceWhateverThePageSize() throws Exception {
    for (Found dir : walk()) {
      if (dir.attributes().type() != FileType.DIRECTORY) {
        continue;
      }
      List<String> expected = list(dir.handle(), 1_000, false).stream().map(DirectoryEntry::name).toList();
      assertEquals(expected.size(), new HashSet<>(expected).size(), "no name twice");
      for (int pageSize : new int[] {1, 2, 3, 17}) {
        Set<Long> cookies = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (DirectoryEntry e : list(dir.handle(), pageSize, false)) {
          assertTrue(e.cookie() > 2 || e.cookie() < 0, "cookies 0, 1 and 2 are reserved");
          assertTrue(cookies.add(e.cookie()), "cookies are distinct");
          names.add(e.name());
        }
        assertEquals(new HashSet<>(expected), new HashSet<>(names), "page size " + pageSize);
        assertEquals(expected.size(), names.size(), "page size " + pageSize);
      }
    }
  }

  @Test
  void lookupOfDotAndDotDot() throws Exception {
    for (Found f : walk()) {
      if (f.attributes().type() != FileType.DIRECTORY) {
        continue;
      }
      assertEquals(f.attributes().fileid(), fs.lookup(user(), f.handle(), ".").attributes().fileid());
      assertEquals(
          fs.getattr(user(), f.parent()).fileid(),
          fs.lookup(user(), f.handle(), "..").attributes().fileid(),
          "'..' of " + f.name());
    }
  }

  @Test
  void lookupOfAMissingNameIsNoentAndInAFileNotdir() throws Exception {
    List<Found> found = walk();
    String missing = "no such name \u00e9 " + System.nanoTime();
    assertFails(NfsStatus.NOENT, null, () -> fs.lookup(user(), fs.root(), missing));
    FileHandle file = first(found, FileType.REGULAR).handle();
    assertFails(NfsStatus.NOTDIR, null, () -> fs.lookup(user(), file, "x"));
    assertFails(NfsStatus.NOTDIR, null, () -> fs.readdir(user(), file, 0, 0, 10, false));
  }

  @Test
  void garbageHandlesAreBadHandle() {
    for (FileHandle garbage : garbageHandles()) {
      assertFails(NfsStatus.BADHANDLE, null, () -> fs.getattr(user(), garbage));
      assertFails(NfsStatus.BADHANDLE, null, () -> fs.lookup(user(), garbage, "x"));
      assertFails(NfsStatus.BADHANDLE, null,
          () -> fs.read(user(), garbage, 0, ByteBuffer.allocate(10)));
    }
  }

  // ---------------------------------------------------------------------------------------
  // reading

  @Test
  void everyFileReadsExactlyItsSizeAndTheSameBytesAgain() throws Exception {
    for (Found f : walk()) {
      if (f.attributes().type() == FileType.REGULAR) {
        byte[] bytes = readAll(f.handle());
        assertEquals(f.attributes().size(), bytes.length, f.name());
        assertArrayEquals(bytes, readAll(f.handle()), f.name());
        ReadResult past = fs.read(user(), f.handle(), bytes.length + 1L, ByteBuffer.allocate(8));
        assertEquals(0, past.count());
        assertTrue(past.eof());
      }
    }
  }

  @Test
  void readRespectsTheBufferPositionAndLimitAndDirectBuffers() throws Exception {
    Found file = walk().stream()
        .filter(f -> f.attributes().type() == FileType.REGULAR && f.attributes().size() >= 4)
        .findFirst().orElseGet(() -> fail("no file of 4 bytes or more"));
    byte[] all = readAll(file.handle());
    ByteBuffer heap = ByteBuffer.allocate(10).position(3).limit(6);
    assertEquals(3, fs.read(user(), file.handle(), 1, heap).count());
    assertEquals(6, heap.position());
    assertArrayEquals(Arrays.copyOfRange(all, 1, 4), Arrays.copyOfRange(heap.array(), 3, 6));
    ByteBuffer direct = ByteBuffer.allocateDirect(all.length + 10);
    assertEquals(all.length, fs.read(user(), file.handle(), 0, direct).count());
    byte[] back = new byte[all.length];
    direct.flip().get(back);
    assertArrayEquals(all, back);
  }

  @Test
  void readOfADirectoryIsIsdir() {
    assertFails(NfsStatus.ISDIR, NfsStatus.INVAL,
        () -> fs.read(user(), fs.root(), 0, ByteBuffer.allocate(4)));
  }

  @Test
  void symlinksReadBackTheirTargetAndOtherObjectsAreNotLinks() throws Exception {
    boolean symlinks = fs.capabilities().contains(Capability.SYMLINKS);
    for (Found f : walk()) {
      if (f.attributes().type() == FileType.SYMLINK) {
        assertTrue(symlinks, "a symlink without the SYMLINKS capability: " + f.name());
        String target = fs.readlink(user(), f.handle());
        assertEquals(target.getBytes(StandardCharsets.UTF_8).length, f.attributes().size());
      }
    }
    FileHandle file = first(walk(), FileType.REGULAR).handle();
    if (symlinks) {
      assertFails(NfsStatus.INVAL, null, () -> fs.readlink(user(), file));
    } else {
      assertFails(NfsStatus.NOTSUPP, NfsStatus.INVAL, () -> fs.readlink(user(), file));
    }
  }

  @Test
  void accessAnswersASubsetOfTheRequest() throws Exception {
    for (Found f : walk()) {
      int granted = fs.access(user(), f.handle(), Access.ALL);
      assertEquals(0, granted & ~Access.ALL, f.name());
      assertEquals(0, fs.access(user(), f.handle(), 0), f.name());
      assertEquals(granted & Access.READ, fs.access(user(), f.handle(), Access.READ), f.name());
    }
  }

  @Test
  void fsstatReportsConsistentFigures() throws Exception {
    FsStat stat = fs.fsstat(user(), fs.root());
    assertTrue(stat.totalBytes() >= stat.freeBytes());
    assertTrue(stat.freeBytes() >= stat.availableBytes());
    assertTrue(stat.availableBytes() >= 0);
    assertTrue(stat.totalFiles() >= stat.freeFiles());
    assertTrue(stat.freeFiles() >= stat.availableFiles());
    assertTrue(stat.availableFiles() >= 0);
  }

  @Test
  void parallelReadersSeeTheSameBytes() throws Exception {
    List<Found> files =
        walk().stream().filter(f -> f.attributes().type() == FileType.REGULAR).limit(50).toList();
    Map<FileHandle, byte[]> expected = new HashMap<>();
    for (Found f : files) {
      expected.put(f.handle(), readAll(f.handle()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> {
          for (Found f : files) {
            assertArrayEquals(expected.get(f.handle()), readAll(f.handle()), f.name());
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------
  // changing

  @Test
  void everyChangeAnswersRofsAndChangesNothing() throws Exception {
    List<Found> before = walk();
    Found file = first(before, FileType.REGULAR);
    Found dir = first(before, FileType.DIRECTORY);
    FileHandle root = fs.root();
    Caller[] callers = {user(), ROOT};
    for (Caller c : callers) {
      for (Found f : List.of(file, dir, before.getFirst())) {
        assertFails(NfsStatus.ROFS, null, () -> fs.setattr(c, f.handle(), SetAttributes.mode(0777), null));
        assertFails(NfsStatus.ROFS, null, () -> fs.setattr(c, f.handle(),
            new SetAttributes(null, null, null, null, TimeUpdate.SERVER_TIME, TimeUpdate.SERVER_TIME), null));
        assertFails(NfsStatus.ROFS, null, () -> fs.setattr(c, f.handle(),
            new SetAttributes(null, 0, 0, null, TimeUpdate.to(Instant.EPOCH), TimeUpdate.UNCHANGED), null));
      }
      assertFails(NfsStatus.ROFS, null, () -> fs.setattr(c, file.handle(), SetAttributes.size(0), null));
      assertFails(NfsStatus.ROFS, null,
          () -> fs.write(c, file.handle(), 0, ByteBuffer.wrap(new byte[] {1}), Stability.FILE_SYNC));
      for (CreateMode mode : CreateMode.values()) {
        assertFails(NfsStatus.ROFS, null,
            () -> fs.create(c, root, "new", mode, SetAttributes.NONE, 7));
        assertFails(NfsStatus.ROFS, null,
            () -> fs.create(c, file.parent(), file.name(), mode, SetAttributes.size(0), 7));
      }
      assertFails(NfsStatus.ROFS, null, () -> fs.mkdir(c, root, "new", SetAttributes.NONE));
      assertFails(NfsStatus.ROFS, NfsStatus.NOTSUPP,
          () -> fs.symlink(c, root, "new", "target", SetAttributes.NONE));
      assertFails(NfsStatus.ROFS, NfsStatus.NOTSUPP,
          () -> fs.mknod(c, root, "new", FileType.FIFO, SetAttributes.NONE, DeviceNumber.NONE));
      assertFails(NfsStatus.ROFS, NfsStatus.NOTSUPP, () -> fs.link(c, file.handle(), root, "new"));
      assertFails(NfsStatus.ROFS, null, () -> fs.remove(c, file.parent(), file.name()));
      assertFails(NfsStatus.ROFS, null, () -> fs.rmdir(c, dir.parent(), dir.name()));
      assertFails(NfsStatus.ROFS, null,
          () -> fs.rename(c, file.parent(), file.name(), root, "renamed"));
      assertFails(NfsStatus.ROFS, null,
          () -> fs.rename(c, dir.parent(), dir.name(), dir.parent(), dir.name() + "-renamed"));
    }
    assertEquals(fingerprint(before), fingerprint(walk()), "a refused change changed the tree");
  }

  @Test
  void accessGrantsReadOfEveryFileTheCallerReads() throws Exception {
    for (Found f : walk()) {
      if (f.attributes().type() == FileType.REGULAR) {
        int granted = fs.access(user(), f.handle(), Access.READ);
        assertEquals(Access.READ, granted, "the walking caller reads " + f.name());
      }
    }
  }
}
