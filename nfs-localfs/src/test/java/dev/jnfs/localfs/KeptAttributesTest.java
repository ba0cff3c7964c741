package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.Fixture.assertStatus;
import static dev.jnfs.localfs.LocalFileSystemTest.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.TimeUpdate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On Linux with the native calls, listings give the attributes read before of entries no
 * change event has named since ({@link KeptAttributes}): what they give is still what the
 * file system holds after another program or the backend itself changed an entry, the
 * attributes of an unchanged directory are not read again, and those of a changed entry,
 * those older than the maximum age and those of a directory whose events were lost are.
 */
class KeptAttributesTest {
  private Fixture fx;

  @BeforeEach
  void needsTheChangeWatch() throws IOException {
    assumeTrue(NativeFiles.of(FileSystems.getDefault()).isPresent(), "no native calls here");
    fx = Fixture.of(Fixture.Env.REAL_DIRECTORY);
    assumeTrue(KeptAttributes.watchable(Files.getFileStore(fx.root).type()), "not a local disk file system");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static Map<String, DirectoryEntry> listAll(LocalFileSystem fs, FileHandle dir) throws Exception {
    Map<String, DirectoryEntry> all = new TreeMap<>();
    long cookie = 0;
    while (true) {
      DirectoryPage p = fs.readdir(ROOT, dir, cookie, 0, 100, true);
      for (DirectoryEntry e : p.entries()) {
        assertNull(all.put(e.name(), e), "listed twice: " + e.name());
        cookie = e.cookie();
      }
      if (p.eof()) {
        return all;
      }
    }
  }

  /** Changes another program makes to the listed file "f" of a directory also holding "g". */
  enum OutsideChange {
    WRITE {
      @Override
      void apply(Path dir) throws IOException {
        Files.write(dir.resolve("f"), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
      }
    },
    CHMOD {
      @Override
      void apply(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir.resolve("f"), PosixFilePermissions.fromString("r--------"));
      }
    },
    UTIMES {
      @Override
      void apply(Path dir) throws IOException {
        Files.setLastModifiedTime(dir.resolve("f"), FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
      }
    },
    TRUNCATE {
      @Override
      void apply(Path dir) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(dir.resolve("f"), StandardOpenOption.WRITE)) {
          channel.truncate(1);
        }
      }
    },
    RENAME_OVER {
      @Override
      void apply(Path dir) throws IOException {
        Files.move(dir.resolve("g"), dir.resolve("f"), StandardCopyOption.REPLACE_EXISTING);
      }
    },
    DELETE_AND_RECREATE {
      @Override
      void apply(Path dir) throws IOException {
        Files.delete(dir.resolve("f"));
        Files.writeString(dir.resolve("f"), "another file");
      }
    },
    HARD_LINK {
      @Override
      void apply(Path dir) throws IOException {
        Files.createLink(dir.resolve("f2"), dir.resolve("f"));
      }
    };

    abstract void apply(Path dir) throws IOException;
  }

  @ParameterizedTest
  @EnumSource(OutsideChange.class)
  void aChangeByAnotherProgramIsListed(OutsideChange change) throws Exception {
    LocalFileSystem fs = fx.fs;
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    file(fs, dir, "f", "the file");
    file(fs, dir, "g", "another, longer file");
    DirectoryEntry before = listAll(fs, dir).get("f");
    long reads = fs.attributeReads();
    assertEquals(before, listAll(fs, dir).get("f"));
    assertEquals(reads, fs.attributeReads(), "the second listing gives what the first read");

    change.apply(fx.root.resolve("d"));

    DirectoryEntry after = listAll(fs, dir).get("f");
    assertNotEquals(before.attributes(), after.attributes());
    assertEquals(fs.getattr(ROOT, after.handle()), after.attributes());
  }

  @Test
  void writesAndSetattrsThroughTheBackendAreListed() throws Exception {
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "f", "12345");
    listAll(fs, fs.root());
    listAll(fs, fs.root());

    fs.write(ROOT, f, 5, ByteBuffer.wrap(new byte[] {6, 7}), Stability.UNSTABLE);
    FileAttributes listed = listAll(fs, fs.root()).get("f").attributes();
    assertEquals(7, listed.size());
    assertEquals(fs.getattr(ROOT, f), listed);

    fs.setattr(ROOT, f, SetAttributes.mode(0600), null);
    listed = listAll(fs, fs.root()).get("f").attributes();
    assertEquals(0600, listed.mode());
    assertEquals(fs.getattr(ROOT, f), listed);

    Instant then = Instant.parse("2010-01-01T00:00:00Z");
    fs.setattr(ROOT, f, new SetAttributes(null, null, null, 2L, TimeUpdate.UNCHANGED, TimeUpdate.to(then)), null);
    listed = listAll(fs, fs.root()).get("f").attributes();
    assertEquals(2, listed.size());
    assertEquals(then, listed.mtime());
    assertEquals(fs.getattr(ROOT, f), listed);
  }

  @ParameterizedTest
  @EnumSource(OutsideChange.class)
  void getattrAndLookupSeeAChangeByAnotherProgram(OutsideChange change) throws Exception {
    LocalFileSystem fs = fx.fs;
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    FileHandle f = file(fs, dir, "f", "the file");
    file(fs, dir, "g", "another, longer file");
    FileAttributes before = fs.getattr(ROOT, f);
    assertEquals(before, fs.getattr(ROOT, f)); // the second read watches the directory
    long reads = fs.attributeReads();
    assertEquals(before, fs.getattr(ROOT, f));
    assertEquals(before, fs.lookup(ROOT, dir, "f").attributes());
    assertEquals(reads, fs.attributeReads(), "GETATTR and LOOKUP give what was read before");

    change.apply(fx.root.resolve("d"));

    FileEntry found = fs.lookup(ROOT, dir, "f");
    assertNotEquals(before, found.attributes());
    assertEquals(readDirectly(fx.root.resolve("d/f")), sameFields(found.attributes()));
    if (found.handle().equals(f)) { // the same object: its handle reads what is there now
      assertEquals(found.attributes(), fs.getattr(ROOT, f));
    } else {
      assertStatus(NfsStatus.STALE, () -> fs.getattr(ROOT, f));
    }
  }

  @Test
  void aDirectoryReadsItsOwnChangesByAnotherProgram() throws Exception {
    LocalFileSystem fs = fx.fs;
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    FileHandle f = file(fs, dir, "f", "x");
    fs.getattr(ROOT, f);
    fs.getattr(ROOT, f); // watches the directory: its own attributes are kept from now on
    fs.getattr(ROOT, dir);
    FileAttributes before = fs.getattr(ROOT, dir);
    assertEquals(before, fs.getattr(ROOT, dir));

    Files.createDirectory(fx.root.resolve("d/sub"));
    FileAttributes withSub = fs.getattr(ROOT, dir);
    assertEquals(before.nlink() + 1, withSub.nlink());

    Files.setPosixFilePermissions(fx.root.resolve("d"), PosixFilePermissions.fromString("rwx------"));
    assertEquals(0700, fs.getattr(ROOT, dir).mode());
  }

  @Test
  void aHardLinkMadeThroughTheBackendShowsAtOnce() throws Exception {
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "f", "x");
    FileHandle sub = fs.mkdir(ROOT, fs.root(), "sub", null).handle();
    fs.getattr(ROOT, f);
    assertEquals(1, fs.getattr(ROOT, f).nlink());

    fs.link(ROOT, f, sub, "g");

    assertEquals(2, fs.getattr(ROOT, f).nlink());
  }

  @Test
  void aDirectoryIsWatchedOnlyWhenOneOfItsEntriesIsReadAgain() throws Exception {
    LocalFileSystem fs = fx.fs;
    Files.createDirectory(fx.root.resolve("d"));
    Files.writeString(fx.root.resolve("d/f"), "x");
    FileHandle dir = fs.lookup(ROOT, fs.root(), "d").handle();
    long reads = fs.attributeReads();
    FileHandle f = fs.lookup(ROOT, dir, "f").handle();
    assertEquals(reads + 1, fs.attributeReads(), "read, not kept");
    fs.getattr(ROOT, f);
    assertEquals(reads + 2, fs.attributeReads(), "read again, and kept");
    fs.getattr(ROOT, f);
    fs.lookup(ROOT, dir, "f");
    assertEquals(reads + 2, fs.attributeReads(), "given as kept");
  }

  @Test
  void aReadThatMayMoveTheAccessTimeMakesTheNextGetattrReadTheFile() throws Exception {
    assumeTrue(AccessTimes.modeOfMount(fx.root) != AccessTimes.Mode.NEVER, "reads never move access times here");
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "f", "some content"); // written after made: atime <= mtime
    fs.getattr(ROOT, f);
    fs.getattr(ROOT, f);
    long reads = fs.attributeReads();
    fs.getattr(ROOT, f);
    assertEquals(reads, fs.attributeReads(), "kept");

    fs.read(ROOT, f, 0, ByteBuffer.allocate(4));

    fs.getattr(ROOT, f);
    assertEquals(reads + 1, fs.attributeReads(), "the GETATTR after a READ reads the file again");
  }

  @Test
  void aReadThatLeavesTheAccessTimeUnderRelatimeKeepsTheAttributes() throws Exception {
    assumeTrue(AccessTimes.modeOfMount(fx.root) == AccessTimes.Mode.RELATIVE, "not a relatime mount");
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "f", "some content");
    fs.getattr(ROOT, f);
    fs.getattr(ROOT, f);
    fs.read(ROOT, f, 0, ByteBuffer.allocate(4)); // the first read since the write moves atime
    FileAttributes afterFirstRead = fs.getattr(ROOT, f);
    assertTrue(afterFirstRead.atime().isAfter(afterFirstRead.mtime()));
    long reads = fs.attributeReads();

    fs.read(ROOT, f, 0, ByteBuffer.allocate(4));
    try (dev.jnfs.spi.FileRegionSource region = fs.readRegion(ROOT, f, 0, 4).orElseThrow()) {
      assertEquals(4, region.count());
    }

    assertEquals(afterFirstRead, fs.getattr(ROOT, f));
    assertEquals(reads, fs.attributeReads(), "still kept: the reads left the access time");
    FileTime onDisk = (FileTime) Files.getAttribute(fx.root.resolve("f"), "lastAccessTime",
        java.nio.file.LinkOption.NOFOLLOW_LINKS);
    assertEquals(onDisk.toInstant(), afterFirstRead.atime(), "what the file system says");
  }

  @Test
  void aFileWhoseDirectoryIsMovedOutOfTheExportFromAboveIsStaleAtOnce(@TempDir Path outside) throws Exception {
    LocalFileSystem fs = fx.fs;
    FileHandle a = fs.mkdir(ROOT, fs.root(), "a", null).handle();
    FileHandle b = fs.mkdir(ROOT, a, "b", null).handle();
    FileHandle f = file(fs, b, "f", "x");
    fs.getattr(ROOT, f);
    fs.getattr(ROOT, f);
    fs.getattr(ROOT, b);
    fs.getattr(ROOT, b);

    Files.move(fx.root.resolve("a"), outside.resolve("a"));
    Files.createSymbolicLink(fx.root.resolve("a"), outside.resolve("a"));

    assertStatus(NfsStatus.STALE, () -> fs.getattr(ROOT, f));
    assertStatus(NfsStatus.STALE, () -> fs.getattr(ROOT, b));
    assertStatus(NfsStatus.STALE, () -> fs.lookup(ROOT, b, "f"));
  }

  @Test
  void aRemovedFileIsStaleAtOnce() throws Exception {
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "f", "x");
    fs.getattr(ROOT, f);
    fs.getattr(ROOT, f);
    Files.delete(fx.root.resolve("f"));
    assertStatus(NfsStatus.STALE, () -> fs.getattr(ROOT, f));
    assertStatus(NfsStatus.NOENT, () -> fs.lookup(ROOT, fs.root(), "f"));
  }

  /** What the JDK reads of a file, in some of the fields GETATTR carries. */
  private static List<Object> readDirectly(Path path) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, "unix:size,mode,nlink,lastModifiedTime",
        java.nio.file.LinkOption.NOFOLLOW_LINKS);
    return List.of(a.get("size"), (Integer) a.get("mode") & 07777, a.get("nlink"),
        ((FileTime) a.get("lastModifiedTime")).toInstant());
  }

  private static List<Object> sameFields(FileAttributes a) {
    return List.of(a.size(), a.mode(), a.nlink(), a.mtime());
  }

  @Test
  void anUnchangedDirectoryIsListedWithoutReadingItsEntriesAgain() throws Exception {
    LocalFileSystem fs = fx.fs;
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    for (int i = 0; i < 1000; i++) {
      Files.writeString(fx.root.resolve("d").resolve("f" + i), "x".repeat(i % 7));
    }
    Map<String, DirectoryEntry> first = listAll(fs, dir);
    assertEquals(1000, first.size());
    long reads = fs.attributeReads();
    assertEquals(first, listAll(fs, dir));
    assertEquals(reads, fs.attributeReads(), "no entry read again");

    Files.setLastModifiedTime(fx.root.resolve("d").resolve("f500"), FileTime.fromMillis(0));
    Map<String, DirectoryEntry> third = listAll(fs, dir);
    assertEquals(reads + 1, fs.attributeReads(), "only the touched entry read again");
    assertEquals(Instant.EPOCH, third.get("f500").attributes().mtime());
  }

  @Test
  void subdirectoriesAndHardLinkedFilesAreReadEachTime() throws Exception {
    LocalFileSystem fs = fx.fs;
    fs.mkdir(ROOT, fs.root(), "sub", null);
    file(fs, fs.root(), "linked", "x");
    Files.createLink(fx.root.resolve("other name"), fx.root.resolve("linked"));
    file(fs, fs.root(), "plain", "x");
    listAll(fs, fs.root());
    long reads = fs.attributeReads();
    listAll(fs, fs.root());
    assertEquals(reads + 3, fs.attributeReads(), "sub, linked and other name");
  }

  /** A listing's attributes through {@link KeptAttributes} alone, with a clock the test moves. */
  private static final class Direct implements AutoCloseable {
    final Path dir;
    final NativeFiles.Confined confined;
    final AttributeAccess attributes;
    final FaultyWatch watch;
    final AtomicLong clock = new AtomicLong();
    final KeptAttributes cache;
    final List<String> names = new ArrayList<>();
    /** What the cache gave each name before, kept across listings as a listing keeps it. */
    final KeptAttributes.Kept[] slots;
    /** Runs once after the next read of the file system, if set. */
    volatile ThrowingRunnable afterRead;

    Direct(Path dir, int files) throws IOException {
      this.dir = dir;
      NativeFiles nativeFiles = NativeFiles.of(FileSystems.getDefault()).orElseThrow();
      ProviderTraits traits = ProviderTraits.probe(dir, Files.createDirectory(dir.resolve(".state")), null);
      confined = nativeFiles.confine(dir);
      attributes = new AttributeAccess(traits, 0, 0, 0644, 0755, nativeFiles, confined);
      watch = new FaultyWatch(confined.watchChanges());
      cache = new KeptAttributes(watch, (directory, names) -> {
        List<Snapshot> read = attributes.readAll(directory, names);
        ThrowingRunnable then = afterRead;
        if (then != null) {
          then.run();
        }
        return read;
      }, path -> {
        Snapshot read = attributes.read(path);
        ThrowingRunnable then = afterRead;
        if (then != null) {
          then.run();
        }
        return read;
      }, clock::get);
      IntStream.range(0, files).forEach(i -> names.add("f" + i));
      slots = new KeptAttributes.Kept[files];
      for (String name : names) {
        Files.writeString(dir.resolve(name), name);
      }
    }

    List<Snapshot> list() throws IOException {
      return read().attributes();
    }

    KeptAttributes.Read read() throws IOException {
      return read(clock.get());
    }

    /** Lists for a call received at {@code since}. */
    KeptAttributes.Read read(long since) throws IOException {
      return cache.readAll(PersistentIdIndex.ROOT_ID, attributes.read(dir).key(), dir, names, slots, 0, since);
    }

    /** Reads one entry for a call received at {@code since}. */
    Snapshot entry(String name, long since) throws IOException {
      return cache.entry(PersistentIdIndex.ROOT_ID, attributes.read(dir).key(), dir, name, dir.resolve(name), since);
    }

    boolean unchangedSince(KeptAttributes.AllKept read) throws IOException {
      return cache.unchangedSince(PersistentIdIndex.ROOT_ID, attributes.read(dir).key(), read, clock.get());
    }

    /** Reads "f" of another directory, as a new listing of it would. */
    void readOne(long id, Path other) throws IOException {
      cache.readAll(id, attributes.read(other).key(), other, List.of("f"), new KeptAttributes.Kept[1], 0, clock.get());
    }

    @Override
    public void close() throws IOException {
      cache.close();
      confined.close();
    }
  }

  interface ThrowingRunnable {
    void run() throws IOException;
  }

  /** The change watch, failing or losing events when the test says so. */
  private static final class FaultyWatch implements NativeFiles.ChangeWatch {
    private final NativeFiles.ChangeWatch real;
    volatile boolean failWatch;
    volatile boolean overflow;

    FaultyWatch(NativeFiles.ChangeWatch real) {
      this.real = real;
    }

    @Override
    public Watched watch(Path directory) throws IOException {
      if (failWatch) {
        throw new ErrnoException("inotify_add_watch", ErrnoException.ENOSPC);
      }
      return real.watch(directory);
    }

    @Override
    public void unwatch(int descriptor) throws IOException {
      real.unwatch(descriptor);
    }

    @Override
    public void drain(Changes changes) throws IOException {
      if (overflow) {
        overflow = false;
        changes.overflow();
      }
      real.drain(changes);
    }

    @Override
    public void close() throws IOException {
      real.close();
    }
  }

  @Test
  void attributesOlderThanTheMaximumAgeAreReadAgain(@TempDir Path dir) throws Exception {
    try (Direct d = new Direct(dir, 10)) {
      List<Snapshot> first = d.list();
      long reads = d.cache.entriesRead();
      d.clock.addAndGet(KeptAttributes.MAX_AGE_NANOS - 1);
      assertEquals(first, d.list());
      assertEquals(reads, d.cache.entriesRead());
      d.clock.addAndGet(1);
      assertEquals(first, d.list());
      assertEquals(reads + 10, d.cache.entriesRead(), "all older than the bound");
    }
  }

  @Test
  void aListingGivenOnlyKeptAttributesSaysSoUntilOneOfThemIsDropped(@TempDir Path dir) throws Exception {
    try (Direct d = new Direct(dir, 10)) {
      Path other = Files.createDirectory(dir.resolve("other")); // before the watch: no event
      Files.writeString(other.resolve("f"), "x");
      assertNull(d.read().allKept(), "read from the file system");
      KeptAttributes.AllKept all = d.read().allKept();
      assertNotNull(all);
      assertTrue(d.unchangedSince(all));
      d.readOne(7, other);
      assertTrue(d.unchangedSince(all), "another directory's entries are not this one's");

      Files.setLastModifiedTime(dir.resolve("f3"), FileTime.fromMillis(0));
      assertFalse(d.unchangedSince(all), "the event read by the check itself");
      assertNull(d.read().allKept(), "f3 read again");
      KeptAttributes.AllKept again = d.read().allKept();
      assertTrue(d.unchangedSince(again));
      assertFalse(d.unchangedSince(all), "f3 kept anew is not what was kept before");
    }
  }

  @Test
  void aListingGivenOnlyKeptAttributesIsUnchangedOnlyWhileTheOldestIsFresh(@TempDir Path dir) throws Exception {
    try (Direct d = new Direct(dir, 10)) {
      d.list();
      d.clock.addAndGet(KeptAttributes.MAX_AGE_NANOS / 2);
      KeptAttributes.AllKept all = d.read().allKept();
      assertEquals(0, all.oldestReadAt());
      d.clock.addAndGet(KeptAttributes.MAX_AGE_NANOS / 2 - 1);
      assertTrue(d.unchangedSince(all));
      d.clock.addAndGet(1);
      assertFalse(d.unchangedSince(all), "the first listing's attributes are a second old");
    }
  }

  @Test
  void lostEventsOrAnotherDirectoryAtItsIdLeaveNoListingUnchanged(@TempDir Path dir) throws Exception {
    try (Direct d = new Direct(dir, 10)) {
      Snapshot other = d.attributes.read(Files.createDirectory(dir.resolve("other"))); // before the watch
      d.list();
      KeptAttributes.AllKept all = d.read().allKept();
      d.watch.overflow = true;
      assertFalse(d.unchangedSince(all));

      d.list();
      KeptAttributes.AllKept kept = d.read().allKept();
      assertFalse(d.cache.unchangedSince(PersistentIdIndex.ROOT_ID, other.key(), kept, d.clock.get()));
    }
  }

  @Test
  void anEntryNamedByAnEventIsNotGivenFromTheListingsSlot(@TempDir Path dir) throws Exception {
    try (Direct d = new Direct(dir, 10)) {
      List<Snapshot> first = d.list();
      KeptAttributes.Kept held = d.slots[3];
      long reads = d.cache.entriesRead();
      Files.setLastModifiedTime(dir.resolve("f3"), FileTime.fromMillis(0));
      List<Snapshot> second = d.list();
      assertEquals(reads + 1, d.cache.entriesRead(), "only the changed entry read again");
      assertEquals(FileTime.fromMillis(0).toInstant(), second.get(3).mtime());
      assertNotEquals(held, d.slots[3]);
      for (int i = 0; i < 10; i++) {
        assertTrue(i == 3 || first.get(i) == second.get(i), "kept: f" + i);
      }

      Files.writeString(dir.resolve("new"), "x"); // a name made: everything kept of it dropped
      List<Snapshot> third = d.list();
      assertEquals(reads + 11, d.cache.entriesRead(), "every entry read again");
      assertEquals(second, third);
    }
  }

  @Test
  void aHardLinkMadeFromAnotherDirectoryShowsWithinTheMaximumAge(@TempDir Path dir) throws Exception {
    try (Direct d = new Direct(Files.createDirectory(dir.resolve("listed")), 3)) {
      assertEquals(1, d.list().get(0).nlink());
      // the event of a link goes to the object's own watchers, not to its directory's
      Files.createLink(Files.createDirectory(dir.resolve("elsewhere")).resolve("f0"), d.dir.resolve("f0"));
      d.clock.addAndGet(KeptAttributes.MAX_AGE_NANOS);
      assertEquals(2, d.list().get(0).nlink());
    }
  }

  @Test
  void lostEventsMakeEveryEntryReadAgain(@TempDir Path dir) throws Exception {
    try (Direct d = new Direct(dir, 10)) {
      d.list();
      long reads = d.cache.entriesRead();
      d.watch.overflow = true;
      d.list();
      assertEquals(reads + 10, d.cache.entriesRead());
      d.list();
      assertEquals(reads + 10, d.cache.entriesRead(), "kept again after the overflow");
    }
  }

  @Test
  void aDirectoryThatCannotBeWatchedIsReadEachTime(@TempDir Path dir) throws Exception {
    try (Direct d = new Direct(dir, 10)) {
      d.watch.failWatch = true;
      d.list();
      d.list();
      assertEquals(20, d.cache.entriesRead());
      Files.writeString(dir.resolve("f3"), "longer than before");
      assertEquals(18, d.list().get(3).size());
    }
  }

  @Test
  void attributesReadAcrossAChangeAreNotKept(@TempDir Path dir) throws Exception {
    try (Direct d = new Direct(dir, 10)) {
      d.list(); // watched, all kept
      d.clock.addAndGet(KeptAttributes.MAX_AGE_NANOS); // all read again by the next listing
      // f1 changes after that listing read it and before it keeps what it read; another
      // listing in between drains the change's event and reads f1 anew
      d.afterRead = () -> {
        d.afterRead = null;
        Files.writeString(dir.resolve("f1"), "changed meanwhile");
        d.list();
      };
      assertEquals(2, d.list().get(1).size(), "read before the change");
      long reads = d.cache.entriesRead();
      assertEquals(17, d.list().get(1).size(), "kept from the listing that saw the change");
      assertEquals(reads, d.cache.entriesRead());
    }
  }

  @Test
  void theLeastRecentlyListedDirectoriesGiveUpTheirWatches(@TempDir Path dir) throws Exception {
    try (Direct d = new Direct(dir, 0)) {
      long before = inotifyWatches();
      int directories = KeptAttributes.MAX_DIRECTORIES + 6;
      for (int i = 0; i < directories; i++) {
        Path sub = Files.createDirectory(dir.resolve("d" + i));
        Files.writeString(sub.resolve("f"), "x");
        d.readOne(i + 100, sub);
      }
      assertEquals(before + KeptAttributes.MAX_DIRECTORIES, inotifyWatches());
      long reads = d.cache.entriesRead();
      Path last = dir.resolve("d" + (directories - 1));
      d.readOne(directories - 1 + 100, last);
      assertEquals(reads, d.cache.entriesRead(), "the last listed kept");
      Path first = dir.resolve("d0");
      d.readOne(100, first);
      assertEquals(reads + 1, d.cache.entriesRead(), "the first given up");
    }
  }

  @Test
  void aCallReceivedBeforeTheEventsWereLastReadNeedsNoReadOfItsOwn(@TempDir Path dir) throws Exception {
    try (Direct d = new Direct(dir, 10)) {
      long received = d.clock.get();
      d.clock.addAndGet(10);
      d.list(); // reads the events after the call was received, and keeps every entry
      Files.writeString(dir.resolve("f1"), "changed after that");
      Files.writeString(dir.resolve("f2"), "changed after that");
      assertEquals(2, d.read(received).attributes().get(1).size(), "a change after the call was received");
      assertEquals(2, d.entry("f2", received).size());

      assertEquals(18, d.read(d.clock.get()).attributes().get(1).size(), "received when the events were read");
      assertEquals(18, d.entry("f2", received).size(), "the change's event was read meanwhile");
      Files.writeString(dir.resolve("f3"), "changed later");
      d.clock.addAndGet(1);
      assertEquals(13, d.entry("f3", d.clock.get()).size(), "received after the events were read");
    }
  }

  @Test
  void theForecastEndsWithTheWatchAndWithWhatWasKept(@TempDir Path dir) throws Exception {
    try (Direct d = new Direct(dir, 0)) {
      int directories = KeptAttributes.MAX_DIRECTORIES + 1;
      for (int i = 0; i < directories; i++) {
        Path sub = Files.createDirectory(dir.resolve("d" + i));
        Files.writeString(sub.resolve("f"), "x");
        d.readOne(i + 100, sub);
      }
      long last = directories - 1 + 100;
      assertTrue(d.cache.holds(last, null), "watched");
      assertTrue(d.cache.holds(last, "f"), "kept");
      assertFalse(d.cache.holds(last, "g"), "never read");
      assertFalse(d.cache.holds(100, null), "the least recently listed gave up its watch");
      assertFalse(d.cache.holds(100, "f"));

      Files.writeString(dir.resolve("d" + (directories - 1)).resolve("f"), "changed");
      d.readOne(101, dir.resolve("d1")); // reads the change's event
      assertFalse(d.cache.holds(last, "f"), "dropped by the event");
      assertTrue(d.cache.holds(last, null), "still watched");

      Files.delete(dir.resolve("d1").resolve("f"));
      Files.delete(dir.resolve("d1"));
      d.readOne(last, dir.resolve("d" + (directories - 1)));
      assertFalse(d.cache.holds(101, null), "removed, so no longer watched");
      assertTrue(d.cache.holds(last, "f"), "read and kept again");
      d.clock.addAndGet(KeptAttributes.MAX_AGE_NANOS);
      assertFalse(d.cache.holds(last, "f"), "too old");
    }
  }

  @Test
  void closingTheBackendClosesItsWatch() throws Exception {
    LocalFileSystem fs = fx.fs;
    file(fs, fs.root(), "f", "x");
    listAll(fs, fs.root());
    long open = inotifyDescriptors();
    assertTrue(open > 0);
    fs.close();
    assertEquals(open - 1, inotifyDescriptors());
    fx.fs = LocalFileSystem.of(fx.root);
  }

  /** @return the watches of every inotify descriptor of this process */
  private static long inotifyWatches() throws IOException {
    long watches = 0;
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          if (Files.readSymbolicLink(fd).toString().contains("inotify")) {
            watches += Files.readAllLines(Path.of("/proc/self/fdinfo").resolve(fd.getFileName())).stream()
                .filter(line -> line.startsWith("inotify wd:")).count();
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    return watches;
  }

  private static long inotifyDescriptors() throws IOException {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().contains("inotify");
        } catch (IOException e) {
          return false; // closed meanwhile, or the listing's own
        }
      }).count();
    }
  }
}
