package dev.jnfs.spi.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.FsStat;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.TimeUpdate;
import dev.jnfs.spi.WriteResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link NfsFileSystem} owes the server, as its Javadoc contract states it.
 *
 * <p>A backend's test extends this class and supplies {@link #newFileSystem()}. Each test gets
 * a fresh file system and works inside a fresh directory ({@link #newWorkDirectory}) owned by
 * {@link #user()} with mode 0755. Behaviour a backend may legitimately lack is behind hooks it
 * overrides: optional {@link Capability capabilities}, {@link #enforcesPermissions()}, {@link
 * #supportsOwnership()}, {@link #countsDirectoryLinks()}, {@link #timeResolution()}, {@link
 * #changeAttributeAlwaysAdvances()}, {@link #garbageHandles()}.
 */
public abstract class NfsFileSystemConformanceTest {

  /** The superuser. */
  protected static final Caller ROOT = Caller.of(0, 0);

  /** The file system under test, fresh for each test. */
  protected NfsFileSystem fs;

  /** A directory owned by {@link #user()}, mode 0755, fresh for each test. */
  protected FileHandle work;

  /**
   * @return a new, empty file system to test
   * @throws Exception if it cannot be made
   */
  protected abstract NfsFileSystem newFileSystem() throws Exception;

  /**
   * Releases what {@link #newFileSystem()} made (temporary directories, channels). The default
   * does nothing.
   *
   * @param fileSystem the file system a test used
   * @throws Exception if cleaning up fails
   */
  protected void disposeFileSystem(NfsFileSystem fileSystem) throws Exception {}

  /**
   * Makes the directory a test works in. The default has {@link #ROOT} make a directory under
   * the root, owned by {@link #user()}, mode 0755.
   *
   * @param fileSystem the file system under test
   * @return the directory's handle
   * @throws NfsException if it cannot be made
   */
  protected FileHandle newWorkDirectory(NfsFileSystem fileSystem) throws NfsException {
    Caller user = user();
    SetAttributes attributes =
        new SetAttributes(
            0755, user.uid(), user.gid(), null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED);
    return fileSystem.mkdir(ROOT, fileSystem.root(), "work", attributes).handle();
  }

  /** @return the ordinary caller most tests act as: uid 1000, gid 1000 */
  protected Caller user() {
    return Caller.of(1000, 1000);
  }

  /** @return a caller that neither owns the test's objects nor shares their group */
  protected Caller stranger() {
    return Caller.of(2000, 2000);
  }

  /**
   * @param capability an optional ability
   * @return whether the backend has it; the default asks {@link NfsFileSystem#capabilities()}
   */
  protected boolean supports(Capability capability) {
    return fs.capabilities().contains(capability);
  }

  /**
   * Which special files a backend with {@link Capability#SPECIAL_FILES} makes; the others
   * must answer NOTSUPP. FIFOs are always expected.
   *
   * @param type SOCKET, CHAR_DEVICE or BLOCK_DEVICE
   * @return whether mknod makes it
   */
  protected boolean canMake(FileType type) {
    return true;
  }

  /** @return whether the backend checks callers' permissions (POSIX owner/group/other) */
  protected boolean enforcesPermissions() {
    return true;
  }

  /** @return whether objects belong to the creating caller and can be given away by root */
  protected boolean supportsOwnership() {
    return true;
  }

  /** @return whether a directory's link count is 2 plus its subdirectories, as in POSIX */
  protected boolean countsDirectoryLinks() {
    return true;
  }

  /**
   * @return whether the change attribute differs after every change, however quickly changes
   *     follow each other (false for backends that derive it from a coarse ctime)
   */
  protected boolean changeAttributeAlwaysAdvances() {
    return true;
  }

  /** @return the granularity of timestamps set by a client */
  protected Duration timeResolution() {
    return fs.properties().timeDelta();
  }

  /** @return handles the backend never minted; each must answer BADHANDLE */
  protected List<FileHandle> garbageHandles() {
    byte[] ones = new byte[FileHandle.MAX_LENGTH];
    Arrays.fill(ones, (byte) 0xEE);
    return List.of(FileHandle.of(new byte[] {0x7F}), FileHandle.of(ones));
  }

  /** @return how many entries the cookie-stability test lists */
  protected int largeDirectorySize() {
    return 10_000;
  }

  @BeforeEach
  void createFileSystem() throws Exception {
    fs = newFileSystem();
    work = newWorkDirectory(fs);
  }

  @AfterEach
  void tearDownFileSystem() throws Exception {
    disposeFileSystem(fs);
  }

  // ---------------------------------------------------------------------------------------
  // helpers

  /** An action that may fail with an {@link NfsException}. */
  @FunctionalInterface
  protected interface NfsAction {
    /**
     * Runs the action.
     *
     * @throws Exception on failure
     */
    void run() throws Exception;
  }

  /**
   * Asserts that an action fails with one of the given statuses.
   *
   * @param action the action
   * @param first an accepted status
   * @param more further accepted statuses
   * @return the status it failed with
   */
  protected static NfsStatus assertFails(NfsAction action, NfsStatus first, NfsStatus... more) {
    EnumSet<NfsStatus> accepted = EnumSet.of(first, more);
    try {
      action.run();
    } catch (NfsException e) {
      assertTrue(accepted.contains(e.status()), "expected " + accepted + " but got " + e.status());
      return e.status();
    } catch (Exception e) {
      throw new AssertionError("expected NfsException " + accepted + " but got " + e, e);
    }
    return fail("expected failure with " + accepted + " but the call succeeded");
  }

  /**
   * @param mode permission bits
   * @return attributes that set only the mode
   */
  protected static SetAttributes mode(int mode) {
    return SetAttributes.mode(mode);
  }

  /**
   * Creates a regular file as {@link #user()} with mode 0644 (GUARDED).
   *
   * @param directory where
   * @param name the name
   * @return the new file
   * @throws NfsException if it fails
   */
  protected FileEntry createFile(FileHandle directory, String name) throws NfsException {
    return fs.create(user(), directory, name, CreateMode.GUARDED, mode(0644), 0);
  }

  /**
   * Makes a directory as {@link #user()} with mode 0755.
   *
   * @param directory where
   * @param name the name
   * @return the new directory
   * @throws NfsException if it fails
   */
  protected FileEntry mkdir(FileHandle directory, String name) throws NfsException {
    return fs.mkdir(user(), directory, name, mode(0755));
  }

  /**
   * Writes all bytes as {@link #user()} with FILE_SYNC.
   *
   * @param file the file
   * @param offset where
   * @param bytes what
   * @throws NfsException if it fails
   */
  protected void write(FileHandle file, long offset, byte[] bytes) throws NfsException {
    WriteResult result = fs.write(user(), file, offset, ByteBuffer.wrap(bytes), Stability.FILE_SYNC);
    assertEquals(bytes.length, result.count());
  }

  /**
   * Reads up to {@code length} bytes as {@link #user()}.
   *
   * @param file the file
   * @param offset where
   * @param length the most bytes
   * @return the bytes read
   * @throws NfsException if it fails
   */
  protected byte[] read(FileHandle file, long offset, int length) throws NfsException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    ReadResult result = fs.read(user(), file, offset, buffer);
    assertEquals(buffer.position(), result.count(), "count equals the bytes placed");
    return Arrays.copyOf(buffer.array(), result.count());
  }

  /**
   * Lists a whole directory as {@link #user()} in pages of {@code pageSize}.
   *
   * @param directory the directory
   * @param pageSize entries per page
   * @param withAttributes whether to ask for attributes
   * @return the entries in order
   * @throws NfsException if it fails
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
   * @param entries listing entries
   * @return their names
   */
  protected static List<String> names(List<DirectoryEntry> entries) {
    return entries.stream().map(DirectoryEntry::name).toList();
  }

  /**
   * @param seed a seed
   * @param length a length
   * @return deterministic pseudo-random bytes
   */
  protected static byte[] bytes(long seed, int length) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  private FileAttributes attrs(FileHandle handle) throws NfsException {
    return fs.getattr(user(), handle);
  }

  private static String nameOfBytes(int utf8Bytes) {
    return "n".repeat(utf8Bytes);
  }

  private void assumePermissions() {
    assumeTrue(enforcesPermissions(), "backend does not check permissions");
  }

  private void assumeOwnership() {
    assumeTrue(supportsOwnership(), "backend does not track ownership");
  }

  private Instant truncate(Instant t) {
    long step = Math.max(1, timeResolution().toNanos());
    long nanos = t.getNano() / step * step;
    return Instant.ofEpochSecond(t.getEpochSecond(), nanos);
  }

  // ---------------------------------------------------------------------------------------
  // root, getattr, properties

  @Test
  void rootIsADirectory() throws Exception {
    FileAttributes root = fs.getattr(ROOT, fs.root());
    assertEquals(FileType.DIRECTORY, root.type());
    assertEquals(root.fileid(), fs.getattr(ROOT, fs.root()).fileid());
    assertTrue(fs.root().length() <= FileHandle.MAX_LENGTH);
  }

  @Test
  void objectsShareFsidAndHaveDistinctFileids() throws Exception {
    FileAttributes a = createFile(work, "a").attributes();
    FileAttributes b = mkdir(work, "b").attributes();
    FileAttributes w = attrs(work);
    assertEquals(w.fsid(), a.fsid());
    assertEquals(w.fsid(), b.fsid());
    assertEquals(3, Set.of(a.fileid(), b.fileid(), w.fileid()).size());
  }

  @Test
  void garbageHandlesAreBadHandle() {
    for (FileHandle garbage : garbageHandles()) {
      assertFails(() -> fs.getattr(user(), garbage), NfsStatus.BADHANDLE);
      assertFails(() -> fs.lookup(user(), garbage, "x"), NfsStatus.BADHANDLE);
      assertFails(
          () -> fs.read(user(), garbage, 0, ByteBuffer.allocate(10)), NfsStatus.BADHANDLE);
    }
  }

  // ---------------------------------------------------------------------------------------
  // lookup

  @Test
  void lookupFindsAnEntry() throws Exception {
    FileEntry created = createFile(work, "file");
    FileEntry found = fs.lookup(user(), work, "file");
    assertEquals(created.handle(), found.handle());
    assertEquals(created.attributes().fileid(), found.attributes().fileid());
    assertEquals(FileType.REGULAR, found.attributes().type());
  }

  @Test
  void lookupOfMissingNameIsNoent() {
    assertFails(() -> fs.lookup(user(), work, "missing"), NfsStatus.NOENT);
  }

  @Test
  void lookupInAFileIsNotdir() throws Exception {
    FileHandle file = createFile(work, "file").handle();
    assertFails(() -> fs.lookup(user(), file, "x"), NfsStatus.NOTDIR);
  }

  @Test
  void lookupOfDotIsTheDirectory() throws Exception {
    assertEquals(attrs(work).fileid(), fs.lookup(user(), work, ".").attributes().fileid());
  }

  @Test
  void lookupOfDotDotIsTheParent() throws Exception {
    FileHandle sub = mkdir(work, "sub").handle();
    assertEquals(attrs(work).fileid(), fs.lookup(user(), sub, "..").attributes().fileid());
  }

  @Test
  void lookupOfDotDotAtTheRootIsTheRoot() throws Exception {
    FileEntry up = fs.lookup(ROOT, fs.root(), "..");
    assertEquals(fs.getattr(ROOT, fs.root()).fileid(), up.attributes().fileid());
  }

  @Test
  void lookupIsCaseSensitiveUnlessDeclaredOtherwise() throws Exception {
    assumeTrue(!fs.properties().caseInsensitive());
    createFile(work, "Name");
    assertFails(() -> fs.lookup(user(), work, "name"), NfsStatus.NOENT);
    createFile(work, "name");
    assertNotEquals(
        fs.lookup(user(), work, "Name").attributes().fileid(),
        fs.lookup(user(), work, "name").attributes().fileid());
  }

  @Test
  void lookupNeedsSearchPermission() throws Exception {
    assumePermissions();
    FileHandle dir = fs.mkdir(user(), work, "private", mode(0700)).handle();
    createFile(dir, "inside");
    assertFails(() -> fs.lookup(stranger(), dir, "inside"), NfsStatus.ACCES);
    assertNotNull(fs.lookup(ROOT, dir, "inside"));
    fs.setattr(user(), dir, mode(0600), null);
    assertFails(() -> fs.lookup(user(), dir, "inside"), NfsStatus.ACCES);
    assertNotNull(fs.lookup(ROOT, dir, "inside"), "root searches any directory");
  }

  @Test
  void namesLongerThanTheMaximumAreNametoolong() throws Exception {
    int max = fs.properties().maxNameLength();
    String longest = nameOfBytes(max);
    String tooLong = nameOfBytes(max + 1);
    createFile(work, longest);
    assertNotNull(fs.lookup(user(), work, longest));
    assertFails(() -> createFile(work, tooLong), NfsStatus.NAMETOOLONG);
    assertFails(() -> mkdir(work, tooLong), NfsStatus.NAMETOOLONG);
    assertFails(() -> fs.lookup(user(), work, tooLong), NfsStatus.NAMETOOLONG, NfsStatus.NOENT);
  }

  @Test
  void nameLengthIsCountedInUtf8Bytes() throws Exception {
    int max = fs.properties().maxNameLength();
    String twoByteChars = "é".repeat(max / 2 + 1);
    assertTrue(twoByteChars.getBytes(StandardCharsets.UTF_8).length > max);
    assertFails(() -> createFile(work, twoByteChars), NfsStatus.NAMETOOLONG);
    String fits = "é".repeat(max / 2);
    createFile(work, fits);
    assertEquals(List.of(fits), names(list(work, 10, false)));
  }

  // ---------------------------------------------------------------------------------------
  // create

  @Test
  void createMakesAnEmptyFileOwnedByTheCaller() throws Exception {
    FileAttributes a = fs.create(user(), work, "f", CreateMode.GUARDED, mode(0640), 0).attributes();
    assertEquals(FileType.REGULAR, a.type());
    assertEquals(0, a.size());
    assertEquals(1, a.nlink());
    assertEquals(0640, a.mode() & 07777);
    if (supportsOwnership()) {
      assertEquals(user().uid(), a.uid());
    }
    assertEquals(a, attrs(fs.lookup(user(), work, "f").handle()));
  }

  @Test
  void guardedCreateOfAnExistingNameIsExist() throws Exception {
    createFile(work, "f");
    assertFails(() -> createFile(work, "f"), NfsStatus.EXIST);
    mkdir(work, "d");
    assertFails(() -> createFile(work, "d"), NfsStatus.EXIST);
  }

  @Test
  void uncheckedCreateOfAnExistingFileKeepsIt() throws Exception {
    FileEntry first = createFile(work, "f");
    write(first.handle(), 0, bytes(1, 100));
    FileEntry again = fs.create(user(), work, "f", CreateMode.UNCHECKED, SetAttributes.NONE, 0);
    assertEquals(first.attributes().fileid(), again.attributes().fileid());
    assertEquals(100, again.attributes().size());
    FileEntry truncated =
        fs.create(user(), work, "f", CreateMode.UNCHECKED, SetAttributes.size(0), 0);
    assertEquals(first.attributes().fileid(), truncated.attributes().fileid());
    assertEquals(0, truncated.attributes().size());
    assertEquals(0, attrs(first.handle()).size());
  }

  @Test
  void uncheckedCreateOverADirectoryFails() throws Exception {
    mkdir(work, "d");
    assertFails(
        () -> fs.create(user(), work, "d", CreateMode.UNCHECKED, SetAttributes.NONE, 0),
        NfsStatus.ISDIR,
        NfsStatus.EXIST);
  }

  @Test
  void exclusiveCreateReplaysWithTheSameVerifier() throws Exception {
    FileEntry first = fs.create(user(), work, "x", CreateMode.EXCLUSIVE, SetAttributes.NONE, 42);
    FileEntry replay = fs.create(user(), work, "x", CreateMode.EXCLUSIVE, SetAttributes.NONE, 42);
    assertEquals(first.handle(), replay.handle());
    assertFails(
        () -> fs.create(user(), work, "x", CreateMode.EXCLUSIVE, SetAttributes.NONE, 43),
        NfsStatus.EXIST);
  }

  @Test
  void exclusiveCreateOverAFileMadeOtherwiseIsExist() throws Exception {
    createFile(work, "f");
    assertFails(
        () -> fs.create(user(), work, "f", CreateMode.EXCLUSIVE, SetAttributes.NONE, 0),
        NfsStatus.EXIST);
    assertFails(
        () -> fs.create(user(), work, "f", CreateMode.EXCLUSIVE, SetAttributes.NONE, 7),
        NfsStatus.EXIST);
  }

  @Test
  void createInAFileIsNotdir() throws Exception {
    FileHandle file = createFile(work, "f").handle();
    assertFails(() -> createFile(file, "x"), NfsStatus.NOTDIR);
    assertFails(() -> mkdir(file, "x"), NfsStatus.NOTDIR);
  }

  @Test
  void createOfDotOrDotDotFails() {
    for (String name : List.of(".", "..")) {
      assertFails(() -> createFile(work, name), NfsStatus.INVAL, NfsStatus.EXIST);
      assertFails(() -> mkdir(work, name), NfsStatus.INVAL, NfsStatus.EXIST);
    }
  }

  @Test
  void createNeedsWritePermissionOnTheDirectory() throws Exception {
    assumePermissions();
    assertFails(
        () -> fs.create(stranger(), work, "f", CreateMode.GUARDED, mode(0644), 0),
        NfsStatus.ACCES);
    assertFails(() -> fs.mkdir(stranger(), work, "d", mode(0755)), NfsStatus.ACCES);
    fs.setattr(user(), work, mode(0555), null);
    assertFails(() -> createFile(work, "f"), NfsStatus.ACCES);
    assertNotNull(fs.create(ROOT, work, "f", CreateMode.GUARDED, mode(0644), 0));
  }

  @Test
  void createChangesTheDirectory() throws Exception {
    FileAttributes before = attrs(work);
    createFile(work, "f");
    FileAttributes after = attrs(work);
    if (changeAttributeAlwaysAdvances()) {
      assertNotEquals(before.change(), after.change());
    }
    assertTrue(after.mtime().compareTo(before.mtime()) >= 0);
  }

  @Test
  void createAppliesInitialSize() throws Exception {
    FileEntry f = fs.create(user(), work, "f", CreateMode.GUARDED, SetAttributes.size(1000), 0);
    assertEquals(1000, f.attributes().size());
    assertArrayEquals(new byte[1000], read(f.handle(), 0, 2000));
  }

  // ---------------------------------------------------------------------------------------
  // mkdir, rmdir

  @Test
  void mkdirMakesADirectory() throws Exception {
    FileAttributes before = attrs(work);
    FileEntry d = fs.mkdir(user(), work, "d", mode(0750));
    assertEquals(FileType.DIRECTORY, d.attributes().type());
    assertEquals(0750, d.attributes().mode() & 07777);
    if (countsDirectoryLinks()) {
      assertEquals(2, d.attributes().nlink());
      assertEquals(before.nlink() + 1, attrs(work).nlink());
    }
    assertTrue(list(d.handle(), 10, false).isEmpty());
  }

  @Test
  void mkdirWithoutModeDefaults() throws Exception {
    FileEntry d = fs.mkdir(user(), work, "d", SetAttributes.NONE);
    assertEquals(FileType.DIRECTORY, d.attributes().type());
    assertNotNull(fs.lookup(user(), d.handle(), "."));
  }

  @Test
  void mkdirOfAnExistingNameIsExist() throws Exception {
    mkdir(work, "d");
    createFile(work, "f");
    assertFails(() -> mkdir(work, "d"), NfsStatus.EXIST);
    assertFails(() -> mkdir(work, "f"), NfsStatus.EXIST);
  }

  @Test
  void rmdirRemovesAnEmptyDirectory() throws Exception {
    FileHandle d = mkdir(work, "d").handle();
    FileAttributes before = attrs(work);
    fs.rmdir(user(), work, "d");
    assertFails(() -> fs.lookup(user(), work, "d"), NfsStatus.NOENT);
    assertFails(() -> fs.getattr(user(), d), NfsStatus.STALE);
    assertFails(() -> fs.lookup(user(), d, "x"), NfsStatus.STALE);
    assertFails(() -> createFile(d, "x"), NfsStatus.STALE, NfsStatus.NOENT);
    if (countsDirectoryLinks()) {
      assertEquals(before.nlink() - 1, attrs(work).nlink());
    }
  }

  @Test
  void rmdirOfANonEmptyDirectoryIsNotempty() throws Exception {
    FileHandle d = mkdir(work, "d").handle();
    createFile(d, "f");
    assertFails(() -> fs.rmdir(user(), work, "d"), NfsStatus.NOTEMPTY, NfsStatus.EXIST);
    assertNotNull(fs.lookup(user(), d, "f"));
  }

  @Test
  void rmdirOfAFileIsNotdir() throws Exception {
    createFile(work, "f");
    assertFails(() -> fs.rmdir(user(), work, "f"), NfsStatus.NOTDIR);
    assertNotNull(fs.lookup(user(), work, "f"));
  }

  @Test
  void rmdirOfAMissingNameIsNoent() {
    assertFails(() -> fs.rmdir(user(), work, "missing"), NfsStatus.NOENT);
  }

  @Test
  void rmdirOfDotOrDotDotFails() throws Exception {
    FileHandle d = mkdir(work, "d").handle();
    assertFails(() -> fs.rmdir(user(), d, "."), NfsStatus.INVAL);
    assertFails(
        () -> fs.rmdir(user(), d, ".."), NfsStatus.INVAL, NfsStatus.NOTEMPTY, NfsStatus.EXIST);
    assertNotNull(attrs(d));
  }

  @Test
  void rmdirNeedsWritePermission() throws Exception {
    assumePermissions();
    mkdir(work, "d");
    assertFails(() -> fs.rmdir(stranger(), work, "d"), NfsStatus.ACCES);
    fs.rmdir(ROOT, work, "d");
  }

  // ---------------------------------------------------------------------------------------
  // symlink, readlink

  @Test
  void symlinkStoresItsTargetVerbatim() throws Exception {
    assumeTrue(supports(Capability.SYMLINKS));
    String target = "../some where/./odd target";
    FileEntry link = fs.symlink(user(), work, "l", target, SetAttributes.NONE);
    assertEquals(FileType.SYMLINK, link.attributes().type());
    assertEquals(target.getBytes(StandardCharsets.UTF_8).length, link.attributes().size());
    assertEquals(target, fs.readlink(user(), link.handle()));
    FileEntry found = fs.lookup(user(), work, "l");
    assertEquals(FileType.SYMLINK, found.attributes().type(), "lookup does not follow links");
    assertEquals(target, fs.readlink(user(), found.handle()));
  }

  @Test
  void symlinkToADanglingOrAbsoluteTargetIsKept() throws Exception {
    assumeTrue(supports(Capability.SYMLINKS));
    fs.symlink(user(), work, "abs", "/etc/passwd", SetAttributes.NONE);
    fs.symlink(user(), work, "dangling", "nowhere", SetAttributes.NONE);
    assertEquals("/etc/passwd", fs.readlink(user(), fs.lookup(user(), work, "abs").handle()));
    assertEquals("nowhere", fs.readlink(user(), fs.lookup(user(), work, "dangling").handle()));
  }

  @Test
  void symlinkOverAnExistingNameIsExist() throws Exception {
    assumeTrue(supports(Capability.SYMLINKS));
    createFile(work, "f");
    assertFails(
        () -> fs.symlink(user(), work, "f", "t", SetAttributes.NONE), NfsStatus.EXIST);
  }

  @Test
  void readlinkOfANonLinkIsInval() throws Exception {
    assumeTrue(supports(Capability.SYMLINKS));
    FileHandle f = createFile(work, "f").handle();
    assertFails(() -> fs.readlink(user(), f), NfsStatus.INVAL);
    assertFails(() -> fs.readlink(user(), work), NfsStatus.INVAL);
  }

  @Test
  void symlinksCanBeRemoved() throws Exception {
    assumeTrue(supports(Capability.SYMLINKS));
    FileHandle l = fs.symlink(user(), work, "l", "t", SetAttributes.NONE).handle();
    fs.remove(user(), work, "l");
    assertFails(() -> fs.readlink(user(), l), NfsStatus.STALE);
  }

  // ---------------------------------------------------------------------------------------
  // mknod

  @Test
  void mknodMakesSpecialFiles() throws Exception {
    assumeTrue(supports(Capability.SPECIAL_FILES));
    FileEntry fifo = fs.mknod(ROOT, work, "fifo", FileType.FIFO, mode(0644), DeviceNumber.NONE);
    assertEquals(FileType.FIFO, fifo.attributes().type());
    assertEquals(0644, fifo.attributes().mode() & 07777);
    DeviceNumber dev = new DeviceNumber(8, 17);
    if (canMake(FileType.SOCKET)) {
      FileEntry sock = fs.mknod(ROOT, work, "sock", FileType.SOCKET, mode(0644), DeviceNumber.NONE);
      assertEquals(FileType.SOCKET, sock.attributes().type());
    } else {
      assertFails(() -> fs.mknod(ROOT, work, "sock", FileType.SOCKET, mode(0644), DeviceNumber.NONE),
          NfsStatus.NOTSUPP);
    }
    if (canMake(FileType.CHAR_DEVICE)) {
      FileEntry chr = fs.mknod(ROOT, work, "chr", FileType.CHAR_DEVICE, mode(0600), dev);
      assertEquals(FileType.CHAR_DEVICE, chr.attributes().type());
      assertEquals(dev, chr.attributes().rdev());
    } else {
      assertFails(() -> fs.mknod(ROOT, work, "chr", FileType.CHAR_DEVICE, mode(0600), dev),
          NfsStatus.NOTSUPP);
    }
    if (canMake(FileType.BLOCK_DEVICE)) {
      FileEntry blk = fs.mknod(ROOT, work, "blk", FileType.BLOCK_DEVICE, mode(0600), dev);
      assertEquals(FileType.BLOCK_DEVICE, blk.attributes().type());
      assertEquals(dev, attrs(fs.lookup(user(), work, "blk").handle()).rdev());
    } else {
      assertFails(() -> fs.mknod(ROOT, work, "blk", FileType.BLOCK_DEVICE, mode(0600), dev),
          NfsStatus.NOTSUPP);
    }
  }

  @Test
  void mknodOfOtherTypesIsBadtype() throws Exception {
    assumeTrue(supports(Capability.SPECIAL_FILES));
    for (FileType type : List.of(FileType.REGULAR, FileType.DIRECTORY, FileType.SYMLINK)) {
      assertFails(
          () -> fs.mknod(ROOT, work, "x", type, mode(0644), DeviceNumber.NONE),
          NfsStatus.BADTYPE);
    }
    assertFails(() -> fs.lookup(user(), work, "x"), NfsStatus.NOENT);
  }

  @Test
  void mknodOverAnExistingNameIsExist() throws Exception {
    assumeTrue(supports(Capability.SPECIAL_FILES));
    createFile(work, "f");
    assertFails(
        () -> fs.mknod(ROOT, work, "f", FileType.FIFO, mode(0644), DeviceNumber.NONE),
        NfsStatus.EXIST);
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void specialFilesTakeModeAndTimes() throws Exception {
    assumeTrue(supports(Capability.SPECIAL_FILES));
    FileHandle fifo =
        fs.mknod(ROOT, work, "fifo", FileType.FIFO, mode(0640), DeviceNumber.NONE).handle();
    assertEquals(0640, attrs(fifo).mode() & 07777);
    fs.setattr(ROOT, fifo, SetAttributes.mode(0600), null);
    assertEquals(0600, attrs(fifo).mode() & 07777);
    Instant when = Instant.ofEpochSecond(1_600_000_000L);
    fs.setattr(ROOT, fifo, new SetAttributes(null, null, null, null, TimeUpdate.to(when), TimeUpdate.to(when)), null);
    assertEquals(when, attrs(fifo).mtime());
    assertEquals(when, attrs(fifo).atime());
    assertEquals(FileType.FIFO, attrs(fs.lookup(user(), work, "fifo").handle()).type());
  }

  @Test
  void readOfASpecialFileFails() throws Exception {
    assumeTrue(supports(Capability.SPECIAL_FILES));
    FileHandle fifo =
        fs.mknod(ROOT, work, "fifo", FileType.FIFO, mode(0666), DeviceNumber.NONE).handle();
    assertFails(
        () -> fs.read(ROOT, fifo, 0, ByteBuffer.allocate(10)), NfsStatus.INVAL, NfsStatus.IO);
  }

  // ---------------------------------------------------------------------------------------
  // link

  @Test
  void linkAddsANameForTheSameObject() throws Exception {
    assumeTrue(supports(Capability.HARD_LINKS));
    FileEntry f = createFile(work, "f");
    write(f.handle(), 0, bytes(2, 10));
    FileHandle sub = mkdir(work, "sub").handle();
    FileAttributes linked = fs.link(user(), f.handle(), sub, "g");
    assertEquals(2, linked.nlink());
    FileEntry g = fs.lookup(user(), sub, "g");
    assertEquals(f.attributes().fileid(), g.attributes().fileid());
    assertEquals(2, attrs(f.handle()).nlink());
    fs.remove(user(), work, "f");
    assertEquals(1, attrs(g.handle()).nlink());
    assertArrayEquals(bytes(2, 10), read(g.handle(), 0, 100));
  }

  @Test
  void linkOfADirectoryIsIsdir() throws Exception {
    assumeTrue(supports(Capability.HARD_LINKS));
    FileHandle d = mkdir(work, "d").handle();
    assertFails(() -> fs.link(user(), d, work, "e"), NfsStatus.ISDIR, NfsStatus.PERM);
  }

  @Test
  void linkOverAnExistingNameIsExist() throws Exception {
    assumeTrue(supports(Capability.HARD_LINKS));
    FileHandle f = createFile(work, "f").handle();
    createFile(work, "g");
    assertFails(() -> fs.link(user(), f, work, "g"), NfsStatus.EXIST);
    assertEquals(1, attrs(f).nlink());
  }

  @Test
  void linkIntoAFileIsNotdir() throws Exception {
    assumeTrue(supports(Capability.HARD_LINKS));
    FileHandle f = createFile(work, "f").handle();
    FileHandle g = createFile(work, "g").handle();
    assertFails(() -> fs.link(user(), f, g, "h"), NfsStatus.NOTDIR);
  }

  @Test
  void linkNeedsWritePermissionOnTheDirectory() throws Exception {
    assumeTrue(supports(Capability.HARD_LINKS));
    assumePermissions();
    FileHandle f = createFile(work, "f").handle();
    assertFails(() -> fs.link(stranger(), f, work, "g"), NfsStatus.ACCES);
  }

  // ---------------------------------------------------------------------------------------
  // remove

  @Test
  void removeDeletesAFileAndItsHandleGoesStale() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    FileAttributes before = attrs(work);
    fs.remove(user(), work, "f");
    assertFails(() -> fs.lookup(user(), work, "f"), NfsStatus.NOENT);
    assertFails(() -> fs.getattr(user(), f), NfsStatus.STALE);
    assertFails(() -> fs.read(user(), f, 0, ByteBuffer.allocate(4)), NfsStatus.STALE);
    assertFails(
        () -> fs.write(user(), f, 0, ByteBuffer.allocate(4), Stability.UNSTABLE),
        NfsStatus.STALE);
    assertFails(() -> fs.setattr(user(), f, mode(0600), null), NfsStatus.STALE);
    if (changeAttributeAlwaysAdvances()) {
      assertNotEquals(before.change(), attrs(work).change());
    }
  }

  @Test
  void aStaleHandleNeverResolvesToANewObject() throws Exception {
    FileHandle old = createFile(work, "f").handle();
    fs.remove(user(), work, "f");
    for (int i = 0; i < 50; i++) {
      FileEntry fresh = createFile(work, "f" + i);
      assertNotEquals(old, fresh.handle());
    }
    assertFails(() -> fs.getattr(user(), old), NfsStatus.STALE);
  }

  @Test
  void removeOfAMissingNameIsNoent() {
    assertFails(() -> fs.remove(user(), work, "missing"), NfsStatus.NOENT);
  }

  @Test
  void removeOfADirectoryIsIsdir() throws Exception {
    mkdir(work, "d");
    assertFails(() -> fs.remove(user(), work, "d"), NfsStatus.ISDIR, NfsStatus.PERM);
    assertNotNull(fs.lookup(user(), work, "d"));
  }

  @Test
  void removeInAFileIsNotdir() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    assertFails(() -> fs.remove(user(), f, "x"), NfsStatus.NOTDIR);
  }

  @Test
  void removeNeedsWritePermissionOnTheDirectory() throws Exception {
    assumePermissions();
    createFile(work, "f");
    assertFails(() -> fs.remove(stranger(), work, "f"), NfsStatus.ACCES);
    assertNotNull(fs.lookup(user(), work, "f"));
    fs.remove(ROOT, work, "f");
  }

  @Test
  void stickyDirectoryLetsOnlyOwnersRemove() throws Exception {
    assumePermissions();
    assumeOwnership();
    FileHandle tmp = fs.mkdir(ROOT, work, "tmp", mode(01777)).handle();
    fs.create(user(), tmp, "mine", CreateMode.GUARDED, mode(0666), 0);
    fs.create(user(), tmp, "mine2", CreateMode.GUARDED, mode(0666), 0);
    assertFails(() -> fs.remove(stranger(), tmp, "mine"), NfsStatus.ACCES, NfsStatus.PERM);
    assertFails(
        () -> fs.rename(stranger(), tmp, "mine", tmp, "theirs"), NfsStatus.ACCES, NfsStatus.PERM);
    fs.create(stranger(), tmp, "theirs", CreateMode.GUARDED, mode(0666), 0);
    assertFails(
        () -> fs.rename(user(), tmp, "mine", tmp, "theirs"), NfsStatus.ACCES, NfsStatus.PERM);
    fs.remove(user(), tmp, "mine");
    fs.remove(ROOT, tmp, "mine2");
    assertFails(() -> fs.lookup(user(), tmp, "mine"), NfsStatus.NOENT);
  }

  // ---------------------------------------------------------------------------------------
  // rename

  @Test
  void renameWithinADirectory() throws Exception {
    FileEntry f = createFile(work, "a");
    fs.rename(user(), work, "a", work, "b");
    assertFails(() -> fs.lookup(user(), work, "a"), NfsStatus.NOENT);
    FileEntry b = fs.lookup(user(), work, "b");
    assertEquals(f.attributes().fileid(), b.attributes().fileid());
    assertNotNull(attrs(f.handle()), "a handle survives a rename");
    assertEquals(List.of("b"), names(list(work, 10, false)));
  }

  @Test
  void renameAcrossDirectories() throws Exception {
    FileHandle from = mkdir(work, "from").handle();
    FileHandle to = mkdir(work, "to").handle();
    FileEntry f = createFile(from, "f");
    fs.rename(user(), from, "f", to, "g");
    assertFails(() -> fs.lookup(user(), from, "f"), NfsStatus.NOENT);
    assertEquals(f.attributes().fileid(), fs.lookup(user(), to, "g").attributes().fileid());
  }

  @Test
  void renameOfADirectoryMovesItsParent() throws Exception {
    FileHandle a = mkdir(work, "a").handle();
    FileHandle b = mkdir(work, "b").handle();
    FileHandle d = mkdir(a, "d").handle();
    fs.rename(user(), a, "d", b, "d");
    assertEquals(attrs(b).fileid(), fs.lookup(user(), d, "..").attributes().fileid());
    if (countsDirectoryLinks()) {
      assertEquals(2, attrs(a).nlink());
      assertEquals(3, attrs(b).nlink());
    }
  }

  @Test
  void renameReplacesAnExistingFile() throws Exception {
    FileEntry a = createFile(work, "a");
    write(a.handle(), 0, bytes(3, 30));
    FileHandle b = createFile(work, "b").handle();
    fs.rename(user(), work, "a", work, "b");
    FileEntry now = fs.lookup(user(), work, "b");
    assertEquals(a.attributes().fileid(), now.attributes().fileid());
    assertArrayEquals(bytes(3, 30), read(now.handle(), 0, 100));
    assertFails(() -> fs.getattr(user(), b), NfsStatus.STALE);
    assertEquals(List.of("b"), names(list(work, 10, false)));
  }

  @Test
  void renameReplacesAnEmptyDirectory() throws Exception {
    FileEntry a = mkdir(work, "a");
    FileHandle b = mkdir(work, "b").handle();
    FileAttributes before = attrs(work);
    fs.rename(user(), work, "a", work, "b");
    assertEquals(a.attributes().fileid(), fs.lookup(user(), work, "b").attributes().fileid());
    assertFails(() -> fs.getattr(user(), b), NfsStatus.STALE);
    if (countsDirectoryLinks()) {
      assertEquals(before.nlink() - 1, attrs(work).nlink());
    }
  }

  @Test
  void renameOverANonEmptyDirectoryIsNotempty() throws Exception {
    mkdir(work, "a");
    FileHandle b = mkdir(work, "b").handle();
    createFile(b, "f");
    assertFails(
        () -> fs.rename(user(), work, "a", work, "b"), NfsStatus.NOTEMPTY, NfsStatus.EXIST);
    assertNotNull(fs.lookup(user(), work, "a"));
    assertNotNull(fs.lookup(user(), b, "f"));
  }

  @Test
  void renameOfAFileOverADirectoryIsIsdir() throws Exception {
    createFile(work, "f");
    mkdir(work, "d");
    assertFails(() -> fs.rename(user(), work, "f", work, "d"), NfsStatus.ISDIR, NfsStatus.EXIST);
    assertEquals(FileType.DIRECTORY, fs.lookup(user(), work, "d").attributes().type());
  }

  @Test
  void renameOfADirectoryOverAFileIsNotdir() throws Exception {
    createFile(work, "f");
    mkdir(work, "d");
    assertFails(
        () -> fs.rename(user(), work, "d", work, "f"), NfsStatus.NOTDIR, NfsStatus.EXIST);
    assertEquals(FileType.REGULAR, fs.lookup(user(), work, "f").attributes().type());
  }

  @Test
  void renameOfADirectoryIntoItsOwnSubtreeIsInval() throws Exception {
    FileHandle a = mkdir(work, "a").handle();
    FileHandle b = mkdir(a, "b").handle();
    FileHandle c = mkdir(b, "c").handle();
    assertFails(() -> fs.rename(user(), work, "a", c, "a"), NfsStatus.INVAL);
    assertFails(() -> fs.rename(user(), work, "a", a, "x"), NfsStatus.INVAL);
    assertNotNull(fs.lookup(user(), work, "a"));
  }

  @Test
  void renameOntoItselfChangesNothing() throws Exception {
    FileEntry f = createFile(work, "f");
    fs.rename(user(), work, "f", work, "f");
    assertEquals(f.attributes().fileid(), fs.lookup(user(), work, "f").attributes().fileid());
    assertEquals(List.of("f"), names(list(work, 10, false)));
  }

  @Test
  void renameOntoAnotherLinkOfTheSameObjectChangesNothing() throws Exception {
    assumeTrue(supports(Capability.HARD_LINKS));
    FileHandle f = createFile(work, "f").handle();
    fs.link(user(), f, work, "g");
    fs.rename(user(), work, "f", work, "g");
    assertEquals(Set.of("f", "g"), new HashSet<>(names(list(work, 10, false))));
    assertEquals(2, attrs(f).nlink());
  }

  @Test
  void renameOfAMissingNameIsNoent() {
    assertFails(() -> fs.rename(user(), work, "missing", work, "x"), NfsStatus.NOENT);
  }

  @Test
  void renameOfDotOrDotDotFails() throws Exception {
    FileHandle d = mkdir(work, "d").handle();
    assertFails(
        () -> fs.rename(user(), d, ".", work, "x"),
        NfsStatus.INVAL,
        NfsStatus.EXIST,
        NfsStatus.NOENT);
    assertFails(
        () -> fs.rename(user(), d, "..", work, "x"),
        NfsStatus.INVAL,
        NfsStatus.EXIST,
        NfsStatus.NOENT);
    createFile(work, "f");
    assertFails(
        () -> fs.rename(user(), work, "f", d, ".."),
        NfsStatus.INVAL,
        NfsStatus.EXIST,
        NfsStatus.ISDIR);
    assertNotNull(fs.lookup(user(), work, "f"));
  }

  @Test
  void renameNeedsWritePermissionOnBothDirectories() throws Exception {
    assumePermissions();
    createFile(work, "f");
    FileHandle locked = fs.mkdir(user(), work, "locked", mode(0555)).handle();
    assertFails(() -> fs.rename(user(), work, "f", locked, "f"), NfsStatus.ACCES);
    assertFails(() -> fs.rename(stranger(), work, "f", work, "g"), NfsStatus.ACCES);
    assertNotNull(fs.lookup(user(), work, "f"));
  }

  @Test
  void renameNotInADirectoryIsNotdir() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    assertFails(() -> fs.rename(user(), f, "x", work, "y"), NfsStatus.NOTDIR);
    assertFails(() -> fs.rename(user(), work, "f", f, "y"), NfsStatus.NOTDIR);
  }

  // ---------------------------------------------------------------------------------------
  // setattr

  @Test
  void setattrTruncates() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    write(f, 0, bytes(4, 10_000));
    FileAttributes a = fs.setattr(user(), f, SetAttributes.size(4), null);
    assertEquals(4, a.size());
    assertArrayEquals(Arrays.copyOf(bytes(4, 10_000), 4), read(f, 0, 100));
    fs.setattr(user(), f, SetAttributes.size(100), null);
    byte[] expected = new byte[100];
    System.arraycopy(bytes(4, 4), 0, expected, 0, 4);
    assertArrayEquals(expected, read(f, 0, 200), "bytes cut off by truncation do not come back");
  }

  @Test
  void setattrExtendsWithAHole() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    write(f, 0, new byte[] {1, 2, 3});
    long size = 5L << 20;
    assertEquals(size, fs.setattr(user(), f, SetAttributes.size(size), null).size());
    assertArrayEquals(new byte[1000], read(f, size - 1000, 1000));
    assertArrayEquals(new byte[] {1, 2, 3, 0}, read(f, 0, 4));
    assertEquals(size, attrs(f).size());
  }

  @Test
  void setattrOfSizeOnADirectoryFails() {
    assertFails(
        () -> fs.setattr(user(), work, SetAttributes.size(0), null),
        NfsStatus.ISDIR,
        NfsStatus.INVAL);
  }

  @Test
  void setattrChangesModeForTheOwnerOnly() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    assertEquals(0600, fs.setattr(user(), f, mode(0600), null).mode() & 07777);
    assertEquals(0600, attrs(f).mode() & 07777);
    if (enforcesPermissions()) {
      assertFails(() -> fs.setattr(stranger(), f, mode(0777), null), NfsStatus.PERM, NfsStatus.ACCES);
      assertEquals(0600, attrs(f).mode() & 07777);
      assertEquals(0700, fs.setattr(ROOT, f, mode(0700), null).mode() & 07777);
    }
  }

  @Test
  void setattrChangesOwnerOnlyForRoot() throws Exception {
    assumePermissions();
    assumeOwnership();
    FileHandle f = createFile(work, "f").handle();
    Caller user = user();
    SetAttributes toStranger =
        new SetAttributes(null, stranger().uid(), null, null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED);
    assertFails(() -> fs.setattr(user, f, toStranger, null), NfsStatus.PERM, NfsStatus.ACCES);
    assertEquals(user.uid(), attrs(f).uid());
    assertEquals(stranger().uid(), fs.setattr(ROOT, f, toStranger, null).uid());
  }

  @Test
  void setattrChangesGroupForAnOwnerInThatGroup() throws Exception {
    assumePermissions();
    assumeOwnership();
    Caller member = Caller.of(1000, 1000, 4000);
    FileHandle f = fs.create(member, work, "f", CreateMode.GUARDED, mode(0644), 0).handle();
    SetAttributes toGroup4000 =
        new SetAttributes(null, null, 4000, null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED);
    assertEquals(4000, fs.setattr(member, f, toGroup4000, null).gid());
    SetAttributes toGroup5000 =
        new SetAttributes(null, null, 5000, null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED);
    assertFails(() -> fs.setattr(member, f, toGroup5000, null), NfsStatus.PERM, NfsStatus.ACCES);
    assertFails(
        () -> fs.setattr(stranger(), f, toGroup4000, null), NfsStatus.PERM, NfsStatus.ACCES);
    assertEquals(4000, attrs(f).gid());
    assertEquals(5000, fs.setattr(ROOT, f, toGroup5000, null).gid());
  }

  @Test
  void setattrIsAllOrNothing() throws Exception {
    assumePermissions();
    assumeOwnership();
    FileHandle f = createFile(work, "f").handle();
    SetAttributes modeAndOwner =
        new SetAttributes(0600, stranger().uid(), null, null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED);
    assertFails(() -> fs.setattr(user(), f, modeAndOwner, null), NfsStatus.PERM, NfsStatus.ACCES);
    assertEquals(0644, attrs(f).mode() & 07777);
  }

  @Test
  void setattrSetsClientTimes() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    Instant atime = truncate(Instant.parse("2001-02-03T04:05:06.123456789Z"));
    Instant mtime = truncate(Instant.parse("2011-12-13T14:15:16.987654321Z"));
    SetAttributes times =
        new SetAttributes(null, null, null, null, TimeUpdate.to(atime), TimeUpdate.to(mtime));
    FileAttributes a = fs.setattr(user(), f, times, null);
    assertEquals(atime, a.atime());
    assertEquals(mtime, a.mtime());
    assertEquals(mtime, attrs(f).mtime());
  }

  @Test
  void setattrSetsServerTimes() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    Instant old = truncate(Instant.parse("2001-02-03T04:05:06Z"));
    fs.setattr(
        user(),
        f,
        new SetAttributes(null, null, null, null, TimeUpdate.to(old), TimeUpdate.to(old)),
        null);
    FileAttributes a =
        fs.setattr(
            user(),
            f,
            new SetAttributes(null, null, null, null, TimeUpdate.SERVER_TIME, TimeUpdate.SERVER_TIME),
            null);
    assertTrue(a.mtime().isAfter(old));
    assertTrue(a.atime().isAfter(old));
  }

  @Test
  void setattrOfTimesFollowsPermissions() throws Exception {
    assumePermissions();
    FileHandle f = fs.create(user(), work, "f", CreateMode.GUARDED, mode(0666), 0).handle();
    SetAttributes now =
        new SetAttributes(null, null, null, null, TimeUpdate.SERVER_TIME, TimeUpdate.SERVER_TIME);
    SetAttributes chosen =
        new SetAttributes(
            null, null, null, null, TimeUpdate.to(Instant.EPOCH), TimeUpdate.to(Instant.EPOCH));
    assertNotNull(fs.setattr(stranger(), f, now, null), "writers may touch to now");
    assertFails(() -> fs.setattr(stranger(), f, chosen, null), NfsStatus.PERM, NfsStatus.ACCES);
    fs.setattr(user(), f, mode(0644), null);
    assertFails(() -> fs.setattr(stranger(), f, now, null), NfsStatus.ACCES, NfsStatus.PERM);
    assertEquals(truncate(Instant.EPOCH), fs.setattr(user(), f, chosen, null).mtime());
  }

  @Test
  void setattrAdvancesCtimeAndChange() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    FileAttributes before = attrs(f);
    FileAttributes after = fs.setattr(user(), f, mode(0600), null);
    if (changeAttributeAlwaysAdvances()) {
      assertNotEquals(before.change(), after.change());
    }
    assertTrue(after.ctime().compareTo(before.ctime()) >= 0);
  }

  @Test
  void guardedSetattrChecksCtime() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    Instant ctime = attrs(f).ctime();
    fs.setattr(user(), f, mode(0600), ctime);
    assertEquals(0600, attrs(f).mode() & 07777);
    Instant stale = ctime.minusSeconds(3600);
    assertFails(() -> fs.setattr(user(), f, mode(0640), stale), NfsStatus.NOT_SYNC);
    assertEquals(0600, attrs(f).mode() & 07777, "a failed guard changes nothing");
    FileAttributes current = attrs(f);
    fs.setattr(user(), f, mode(0640), current.ctime());
    assertEquals(0640, attrs(f).mode() & 07777);
  }

  @Test
  void setattrWithoutChangesSucceeds() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    FileAttributes a = fs.setattr(user(), f, SetAttributes.NONE, null);
    assertEquals(attrs(f).fileid(), a.fileid());
    assertEquals(0644, a.mode() & 07777);
  }

  // ---------------------------------------------------------------------------------------
  // read, write, commit

  @Test
  void writeThenReadBack() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    FileAttributes before = attrs(f);
    byte[] data = bytes(5, 5000);
    WriteResult w =
        fs.write(user(), f, 0, ByteBuffer.wrap(data), Stability.UNSTABLE);
    assertEquals(5000, w.count());
    FileAttributes after = attrs(f);
    assertEquals(5000, after.size());
    if (changeAttributeAlwaysAdvances()) {
      assertNotEquals(before.change(), after.change());
    }
    assertTrue(after.mtime().compareTo(before.mtime()) >= 0);
    ByteBuffer buffer = ByteBuffer.allocate(6000);
    ReadResult r = fs.read(user(), f, 0, buffer);
    assertEquals(5000, r.count());
    assertTrue(r.eof());
    assertArrayEquals(data, Arrays.copyOf(buffer.array(), 5000));
  }

  @Test
  void writeReachesAtLeastTheRequestedStability() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    for (Stability s : Stability.values()) {
      WriteResult w = fs.write(user(), f, 0, ByteBuffer.wrap(new byte[10]), s);
      assertTrue(w.committed().compareTo(s) >= 0, s + " answered " + w.committed());
    }
    fs.commit(user(), f, 0, 0);
    fs.commit(user(), f, 0, 10);
  }

  @Test
  void readInTheMiddleIsNotEof() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    write(f, 0, bytes(6, 100));
    ByteBuffer buffer = ByteBuffer.allocate(50);
    ReadResult r = fs.read(user(), f, 10, buffer);
    assertEquals(50, r.count());
    assertFalse(r.eof());
    assertArrayEquals(Arrays.copyOfRange(bytes(6, 100), 10, 60), buffer.array());
  }

  @Test
  void readAtOrPastTheEndGivesNothingAndEof() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    write(f, 0, bytes(7, 100));
    for (long offset : new long[] {100, 101, 1L << 40}) {
      ByteBuffer buffer = ByteBuffer.allocate(10);
      ReadResult r = fs.read(user(), f, offset, buffer);
      assertEquals(0, r.count());
      assertTrue(r.eof());
      assertEquals(0, buffer.position());
    }
  }

  @Test
  void readRespectsTheBufferPositionAndLimit() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    write(f, 0, bytes(8, 100));
    ByteBuffer buffer = ByteBuffer.allocate(40);
    buffer.position(5).limit(25);
    ReadResult r = fs.read(user(), f, 0, buffer);
    assertEquals(20, r.count());
    assertEquals(25, buffer.position());
    byte[] expected = new byte[40];
    System.arraycopy(bytes(8, 20), 0, expected, 5, 20);
    assertArrayEquals(expected, buffer.array());
  }

  @Test
  void readIntoADirectBuffer() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    byte[] data = bytes(9, 70_000);
    fs.write(user(), f, 0, ByteBuffer.allocateDirect(data.length).put(data).flip(), Stability.FILE_SYNC);
    ByteBuffer buffer = ByteBuffer.allocateDirect(80_000);
    ReadResult r = fs.read(user(), f, 0, buffer);
    assertEquals(data.length, r.count());
    byte[] back = new byte[data.length];
    buffer.flip().get(back);
    assertArrayEquals(data, back);
  }

  @Test
  void writePastTheEndLeavesAHoleOfZeros() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    write(f, 0, new byte[] {9});
    long far = 3L << 20;
    write(f, far, new byte[] {1, 2});
    assertEquals(far + 2, attrs(f).size());
    byte[] hole = read(f, 1, 200_000);
    assertArrayEquals(new byte[200_000], hole);
    assertArrayEquals(new byte[] {0, 0, 1, 2}, read(f, far - 2, 10));
  }

  @Test
  void writesAcrossLargeUnalignedRangesReadBack() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    byte[] data = bytes(10, 300_000);
    write(f, 65_530, data);
    byte[] overwrite = bytes(11, 70_000);
    write(f, 100_000, overwrite);
    System.arraycopy(overwrite, 0, data, 100_000 - 65_530, overwrite.length);
    byte[] back = new byte[data.length];
    int done = 0;
    int piece = 7_777;
    while (done < back.length) {
      byte[] part = read(f, 65_530 + done, Math.min(piece, back.length - done));
      System.arraycopy(part, 0, back, done, part.length);
      done += part.length;
    }
    assertArrayEquals(data, back);
    assertArrayEquals(new byte[65_530], read(f, 0, 65_530));
  }

  @Test
  void readAndWriteOfADirectoryAreIsdir() {
    assertFails(() -> fs.read(user(), work, 0, ByteBuffer.allocate(4)), NfsStatus.ISDIR, NfsStatus.INVAL);
    assertFails(
        () -> fs.write(user(), work, 0, ByteBuffer.allocate(4), Stability.FILE_SYNC),
        NfsStatus.ISDIR,
        NfsStatus.INVAL);
  }

  @Test
  void readAndWriteOfASymlinkAreInval() throws Exception {
    assumeTrue(supports(Capability.SYMLINKS));
    FileHandle l = fs.symlink(user(), work, "l", "target", SetAttributes.NONE).handle();
    assertFails(() -> fs.read(user(), l, 0, ByteBuffer.allocate(4)), NfsStatus.INVAL);
    assertFails(
        () -> fs.write(user(), l, 0, ByteBuffer.allocate(4), Stability.FILE_SYNC),
        NfsStatus.INVAL);
  }

  @Test
  void readAndWriteFollowPermissions() throws Exception {
    assumePermissions();
    FileHandle f = fs.create(user(), work, "f", CreateMode.GUARDED, mode(0600), 0).handle();
    write(f, 0, bytes(12, 10));
    assertFails(() -> fs.read(stranger(), f, 0, ByteBuffer.allocate(4)), NfsStatus.ACCES);
    assertFails(
        () -> fs.write(stranger(), f, 0, ByteBuffer.allocate(4), Stability.FILE_SYNC),
        NfsStatus.ACCES);
    fs.setattr(user(), f, mode(0644), null);
    assertEquals(10, fs.read(stranger(), f, 0, ByteBuffer.allocate(20)).count());
    assertFails(
        () -> fs.write(stranger(), f, 0, ByteBuffer.allocate(4), Stability.FILE_SYNC),
        NfsStatus.ACCES);
    fs.setattr(user(), f, mode(0000), null);
    assertEquals(10, fs.read(ROOT, f, 0, ByteBuffer.allocate(20)).count(), "root reads anything");
    assertEquals(
        4, fs.write(ROOT, f, 0, ByteBuffer.allocate(4), Stability.FILE_SYNC).count(),
        "root writes anything");
  }

  @Test
  void groupPermissionsApplyToGroupMembers() throws Exception {
    assumePermissions();
    assumeOwnership();
    FileHandle f = fs.create(user(), work, "f", CreateMode.GUARDED, mode(0640), 0).handle();
    Caller groupmate = Caller.of(3000, 3000, user().gid());
    assertEquals(0, fs.read(groupmate, f, 0, ByteBuffer.allocate(4)).count());
    assertFails(() -> fs.read(stranger(), f, 0, ByteBuffer.allocate(4)), NfsStatus.ACCES);
    assertFails(
        () -> fs.write(groupmate, f, 0, ByteBuffer.allocate(4), Stability.FILE_SYNC),
        NfsStatus.ACCES);
  }

  // ---------------------------------------------------------------------------------------
  // access

  @Test
  void accessGrantsBitsByMode() throws Exception {
    assumePermissions();
    FileHandle f = createFile(work, "f").handle();
    int fileBits = Access.READ | Access.MODIFY | Access.EXTEND | Access.EXECUTE;
    int owner = fs.access(user(), f, fileBits);
    assertEquals(Access.READ | Access.MODIFY | Access.EXTEND, owner & fileBits);
    assertEquals(Access.READ, fs.access(stranger(), f, fileBits));
    int root = fs.access(ROOT, f, fileBits);
    assertEquals(Access.READ | Access.MODIFY | Access.EXTEND, root, "root lacks execute without x");
    fs.setattr(user(), f, mode(0755), null);
    assertEquals(fileBits, fs.access(user(), f, fileBits));
    assertEquals(Access.READ | Access.EXECUTE, fs.access(stranger(), f, fileBits));
    assertEquals(fileBits, fs.access(ROOT, f, fileBits));
  }

  @Test
  void accessOnADirectory() throws Exception {
    assumePermissions();
    int dirBits = Access.READ | Access.LOOKUP | Access.MODIFY | Access.EXTEND | Access.DELETE;
    assertEquals(dirBits, fs.access(user(), work, dirBits));
    assertEquals(Access.READ | Access.LOOKUP, fs.access(stranger(), work, dirBits));
    assertEquals(dirBits, fs.access(ROOT, work, dirBits));
  }

  @Test
  void accessAnswersASubsetOfTheRequest() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    assertEquals(Access.READ, fs.access(user(), f, Access.READ));
    assertEquals(0, fs.access(user(), f, 0));
    int all = fs.access(ROOT, work, Access.ALL);
    assertEquals(0, all & ~Access.ALL);
  }

  // ---------------------------------------------------------------------------------------
  // readdir

  @Test
  void readdirOfAnEmptyDirectoryIsEof() throws Exception {
    DirectoryPage page = fs.readdir(user(), work, 0, 0, 10, true);
    assertTrue(page.entries().isEmpty());
    assertTrue(page.eof());
  }

  @Test
  void readdirPagesThroughEveryEntryOnce() throws Exception {
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 23; i++) {
      createFile(work, "f" + i);
      expected.add("f" + i);
    }
    mkdir(work, "dir");
    expected.add("dir");
    for (int pageSize = 1; pageSize <= expected.size() + 2; pageSize++) {
      List<DirectoryEntry> all = list(work, pageSize, false);
      assertEquals(expected.size(), all.size(), "page size " + pageSize);
      assertEquals(expected, new HashSet<>(names(all)));
      Set<Long> cookies = new HashSet<>();
      for (DirectoryEntry e : all) {
        assertTrue(e.cookie() != 0 && e.cookie() != 1 && e.cookie() != 2, "reserved cookie");
        assertTrue(cookies.add(e.cookie()), "cookies are distinct");
        assertNull(e.handle());
        assertNull(e.attributes());
      }
    }
  }

  @Test
  void readdirWithAttributesCarriesHandlesAndAttributes() throws Exception {
    FileEntry f = createFile(work, "f");
    write(f.handle(), 0, bytes(13, 33));
    FileEntry d = mkdir(work, "d");
    Map<String, DirectoryEntry> byName = new HashMap<>();
    for (DirectoryEntry e : list(work, 1, true)) {
      byName.put(e.name(), e);
    }
    assertEquals(Set.of("f", "d"), byName.keySet());
    DirectoryEntry fe = byName.get("f");
    assertEquals(f.handle(), fe.handle());
    assertEquals(f.attributes().fileid(), fe.fileid());
    assertEquals(fe.fileid(), fe.attributes().fileid());
    assertEquals(33, fe.attributes().size());
    assertEquals(FileType.DIRECTORY, byName.get("d").attributes().type());
    assertEquals(d.handle(), byName.get("d").handle());
  }

  @Test
  void readdirOfAFileIsNotdir() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    assertFails(() -> fs.readdir(user(), f, 0, 0, 10, false), NfsStatus.NOTDIR);
  }

  @Test
  void readdirNeedsReadPermission() throws Exception {
    assumePermissions();
    FileHandle d = fs.mkdir(user(), work, "d", mode(0711)).handle();
    assertFails(() -> fs.readdir(stranger(), d, 0, 0, 10, false), NfsStatus.ACCES);
    assertTrue(fs.readdir(ROOT, d, 0, 0, 10, false).eof());
  }

  @Test
  void readdirIgnoresAChangedVerifier() throws Exception {
    for (int i = 0; i < 5; i++) {
      createFile(work, "f" + i);
    }
    DirectoryPage first = fs.readdir(user(), work, 0, 0, 2, false);
    createFile(work, "later");
    DirectoryPage rest =
        fs.readdir(user(), work, first.entries().getLast().cookie(), first.verifier() ^ 0x5A5A, 100, false);
    assertTrue(rest.eof());
    Set<String> seen = new HashSet<>(names(first.entries()));
    for (String name : names(rest.entries())) {
      assertTrue(seen.add(name), "duplicate " + name);
    }
    for (int i = 0; i < 5; i++) {
      assertTrue(seen.contains("f" + i));
    }
  }

  @Test
  void readdirOfARemovedDirectoryIsStale() throws Exception {
    FileHandle d = mkdir(work, "d").handle();
    fs.rmdir(user(), work, "d");
    assertFails(() -> fs.readdir(user(), d, 0, 0, 10, false), NfsStatus.STALE);
  }

  @Test
  void cookiesStayValidWhileTheDirectoryChanges() throws Exception {
    int size = largeDirectorySize();
    Set<String> stable = new HashSet<>();
    List<String> churn = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String name = "keep-" + i;
      createFile(work, name);
      stable.add(name);
      if (i % 5 == 0) {
        String c = "churn-" + i;
        createFile(work, c);
        churn.add(c);
      }
    }
    Map<String, Integer> seen = new HashMap<>();
    long cookie = 0;
    long verifier = 0;
    int added = 0;
    Random random = new Random(14);
    for (int pages = 0; ; pages++) {
      assertTrue(pages <= size, "listing never ended");
      DirectoryPage page = fs.readdir(user(), work, cookie, verifier, 97, false);
      for (DirectoryEntry e : page.entries()) {
        seen.merge(e.name(), 1, Integer::sum);
      }
      if (page.eof()) {
        break;
      }
      cookie = page.entries().getLast().cookie();
      verifier = page.verifier();
      for (int k = 0; k < 3 && !churn.isEmpty(); k++) {
        fs.remove(user(), work, churn.remove(random.nextInt(churn.size())));
      }
      for (int k = 0; k < 3; k++) {
        createFile(work, "new-" + added++);
      }
    }
    for (String name : stable) {
      assertEquals(1, seen.getOrDefault(name, 0), name + " listed once");
    }
    seen.forEach((name, count) -> assertEquals(1, count, name + " listed more than once"));
  }

  // ---------------------------------------------------------------------------------------
  // fsstat

  @Test
  void fsstatReportsConsistentFigures() throws Exception {
    FsStat stat = fs.fsstat(user(), work);
    assertTrue(stat.totalBytes() >= stat.freeBytes());
    assertTrue(stat.freeBytes() >= stat.availableBytes());
    assertTrue(stat.availableBytes() >= 0);
    assertTrue(stat.totalFiles() >= stat.freeFiles());
    assertTrue(stat.freeFiles() >= stat.availableFiles());
    assertTrue(stat.availableFiles() >= 0);
  }

  @Test
  void fsstatOfAStaleHandleIsStale() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    fs.remove(user(), work, "f");
    assertFails(() -> fs.fsstat(user(), f), NfsStatus.STALE);
  }

  // ---------------------------------------------------------------------------------------
  // concurrency

  private static <T> List<T> runInParallel(int threads, List<Callable<T>> tasks)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (var task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(5, TimeUnit.MINUTES));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void parallelWritersToDifferentFiles() throws Exception {
    int files = 8;
    int blocks = 64;
    int blockSize = 4096;
    List<FileHandle> handles = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      handles.add(createFile(work, "p" + i).handle());
    }
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      int file = i;
      tasks.add(
          () -> {
            for (int b = 0; b < blocks; b++) {
              write(handles.get(file), (long) b * blockSize, bytes(file * 1000L + b, blockSize));
            }
            return null;
          });
    }
    runInParallel(4, tasks);
    for (int i = 0; i < files; i++) {
      assertEquals((long) blocks * blockSize, attrs(handles.get(i)).size());
      for (int b = 0; b < blocks; b++) {
        assertArrayEquals(
            bytes(i * 1000L + b, blockSize), read(handles.get(i), (long) b * blockSize, blockSize));
      }
    }
  }

  @Test
  void parallelWritersToDifferentRangesOfOneFile() throws Exception {
    FileHandle f = createFile(work, "shared").handle();
    int writers = 8;
    int blocks = 32;
    int blockSize = 5000;
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      tasks.add(
          () -> {
            for (int b = writer; b < writers * blocks; b += writers) {
              write(f, (long) b * blockSize, bytes(b, blockSize));
            }
            return null;
          });
    }
    runInParallel(4, tasks);
    assertEquals((long) writers * blocks * blockSize, attrs(f).size());
    for (int b = 0; b < writers * blocks; b++) {
      assertArrayEquals(bytes(b, blockSize), read(f, (long) b * blockSize, blockSize), "block " + b);
    }
  }

  @Test
  void parallelGuardedCreatesOfOneNameMakeOneFile() throws Exception {
    for (int round = 0; round < 20; round++) {
      String name = "race-" + round;
      AtomicInteger exists = new AtomicInteger();
      List<Callable<FileHandle>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(
            () -> {
              try {
                return createFile(work, name).handle();
              } catch (NfsException e) {
                assertEquals(NfsStatus.EXIST, e.status());
                exists.incrementAndGet();
                return null;
              }
            });
      }
      List<FileHandle> made = runInParallel(4, tasks).stream().filter(h -> h != null).toList();
      assertEquals(1, made.size(), "exactly one create wins");
      assertEquals(7, exists.get());
      assertEquals(made.getFirst(), fs.lookup(user(), work, name).handle());
    }
  }

  @Test
  void parallelRenamesKeepTheTreeConsistent() throws Exception {
    FileHandle a = mkdir(work, "a").handle();
    FileHandle b = mkdir(work, "b").handle();
    int count = 40;
    for (int i = 0; i < count; i++) {
      createFile(a, "f" + i);
    }
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      long seed = t;
      tasks.add(
          () -> {
            Random random = new Random(seed);
            int moved = 0;
            for (int k = 0; k < 500; k++) {
              String name = "f" + random.nextInt(count);
              boolean forward = random.nextBoolean();
              try {
                fs.rename(user(), forward ? a : b, name, forward ? b : a, name);
                moved++;
              } catch (NfsException e) {
                assertEquals(NfsStatus.NOENT, e.status(), "only a lost race may fail");
              }
            }
            return moved;
          });
    }
    tasks.add(
        () -> {
          int renamedDirs = 0;
          for (int k = 0; k < 200; k++) {
            fs.rename(user(), work, k % 2 == 0 ? "a" : "x", work, k % 2 == 0 ? "x" : "a");
            renamedDirs++;
          }
          return renamedDirs;
        });
    runInParallel(4, tasks);
    Set<String> inA = new HashSet<>(names(list(a, 7, false)));
    Set<String> inB = new HashSet<>(names(list(b, 7, false)));
    assertTrue(Collections.disjoint(inA, inB), "no file in both directories");
    assertEquals(count, inA.size() + inB.size(), "no file lost or duplicated");
    for (String name : inA) {
      assertEquals(FileType.REGULAR, fs.lookup(user(), a, name).attributes().type());
    }
  }

  @Test
  void crossedDirectoryMovesNeverMakeACycle() throws Exception {
    FileHandle a = mkdir(work, "a").handle();
    FileHandle b = mkdir(work, "b").handle();
    long workId = attrs(work).fileid();
    int rounds = 300;
    CyclicBarrier barrier = new CyclicBarrier(2);
    AtomicInteger cycles = new AtomicInteger();
    AtomicInteger moves = new AtomicInteger();
    List<Callable<Void>> tasks = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      FileHandle self = name.equals("a") ? a : b;
      FileHandle other = name.equals("a") ? b : a;
      tasks.add(
          () -> {
            for (int round = 0; round < rounds; round++) {
              barrier.await();
              try {
                fs.rename(user(), work, name, other, name);
                moves.incrementAndGet();
              } catch (NfsException e) {
                assertEquals(NfsStatus.INVAL, e.status(), "moving into a subtree is INVAL");
              }
              barrier.await();
              if (!hangsBelow(self, workId)) {
                cycles.incrementAndGet();
              }
              barrier.await();
              FileEntry parent = fs.lookup(user(), self, "..");
              if (parent.attributes().fileid() != workId) {
                fs.rename(user(), parent.handle(), name, work, name);
              }
              barrier.await();
            }
            return null;
          });
    }
    runInParallel(2, tasks);
    assertEquals(0, cycles.get(), "directories moved into each other");
    assertEquals(rounds, moves.get(), "exactly one of two crossed moves succeeds");
  }

  private boolean hangsBelow(FileHandle directory, long ancestorId) throws NfsException {
    FileHandle at = directory;
    for (int depth = 0; depth < 4; depth++) {
      FileEntry up = fs.lookup(user(), at, "..");
      if (up.attributes().fileid() == ancestorId) {
        return true;
      }
      at = up.handle();
    }
    return false;
  }

  @Test
  void listingWhileOthersCreateAndRemoveSeesStableEntriesOnce() throws Exception {
    int stable = 500;
    for (int i = 0; i < stable; i++) {
      createFile(work, "s" + i);
    }
    AtomicBoolean listing = new AtomicBoolean(true);
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      String prefix = "t" + t + "-";
      tasks.add(
          () -> {
            int k = 0;
            for (; k < 100_000 && listing.get(); k++) {
              createFile(work, prefix + k);
              if (k >= 5) {
                fs.remove(user(), work, prefix + (k - 5));
              }
            }
            return k;
          });
    }
    tasks.add(
        () -> {
          try {
            for (int round = 0; round < 5; round++) {
              Map<String, Integer> seen = new HashMap<>();
              for (DirectoryEntry e : list(work, 13, round % 2 == 0)) {
                seen.merge(e.name(), 1, Integer::sum);
              }
              for (int i = 0; i < stable; i++) {
                assertEquals(1, seen.getOrDefault("s" + i, 0), "s" + i);
              }
              seen.forEach((name, count) -> assertEquals(1, count, name));
            }
            return 0;
          } finally {
            listing.set(false);
          }
        });
    runInParallel(3, tasks);
  }

  @Test
  void parallelLinksAndUnlinksKeepTheLinkCount() throws Exception {
    assumeTrue(supports(Capability.HARD_LINKS));
    FileHandle f = createFile(work, "target").handle();
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String prefix = "l" + t + "-";
      tasks.add(
          () -> {
            for (int k = 0; k < 200; k++) {
              fs.link(user(), f, work, prefix + k);
              if (k % 2 == 0) {
                fs.remove(user(), work, prefix + k);
              }
            }
            return null;
          });
    }
    runInParallel(4, tasks);
    assertEquals(1 + 4 * 100, attrs(f).nlink());
  }

  @Test
  void namesTooLongAreRefusedByEveryOperationThatMakesOne() throws Exception {
    String tooLong = nameOfBytes(fs.properties().maxNameLength() + 1);
    FileHandle f = createFile(work, "f").handle();
    if (supports(Capability.SYMLINKS)) {
      assertFails(
          () -> fs.symlink(user(), work, tooLong, "t", SetAttributes.NONE), NfsStatus.NAMETOOLONG);
    }
    if (supports(Capability.HARD_LINKS)) {
      assertFails(() -> fs.link(user(), f, work, tooLong), NfsStatus.NAMETOOLONG);
    }
    assertFails(() -> fs.rename(user(), work, "f", work, tooLong), NfsStatus.NAMETOOLONG);
    assertNotNull(fs.lookup(user(), work, "f"));
  }

  @Test
  void makingEntriesInsideAFileIsNotdir() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    if (supports(Capability.SYMLINKS)) {
      assertFails(() -> fs.symlink(user(), f, "l", "t", SetAttributes.NONE), NfsStatus.NOTDIR);
    }
    if (supports(Capability.SPECIAL_FILES)) {
      assertFails(
          () -> fs.mknod(ROOT, f, "p", FileType.FIFO, mode(0644), DeviceNumber.NONE),
          NfsStatus.NOTDIR);
    }
    assertFails(() -> fs.rmdir(user(), f, "x"), NfsStatus.NOTDIR);
  }

  @Test
  void everyOperationOnARemovedFileIsStale() throws Exception {
    FileHandle f = createFile(work, "f").handle();
    fs.remove(user(), work, "f");
    assertFails(() -> fs.getattr(user(), f), NfsStatus.STALE);
    assertFails(() -> fs.access(user(), f, Access.READ), NfsStatus.STALE);
    assertFails(() -> fs.commit(user(), f, 0, 0), NfsStatus.STALE);
    assertFails(() -> fs.setattr(user(), f, SetAttributes.size(0), null), NfsStatus.STALE);
    assertFails(() -> fs.read(user(), f, 0, ByteBuffer.allocate(1)), NfsStatus.STALE);
    assertFails(
        () -> fs.write(user(), f, 0, ByteBuffer.allocate(1), Stability.FILE_SYNC), NfsStatus.STALE);
    if (supports(Capability.HARD_LINKS)) {
      assertFails(() -> fs.link(user(), f, work, "again"), NfsStatus.STALE);
    }
    assertFails(() -> fs.lookup(user(), work, "again"), NfsStatus.NOENT);
  }

  @Test
  void everyOperationInARemovedDirectoryIsStale() throws Exception {
    FileHandle d = mkdir(work, "d").handle();
    FileHandle f = createFile(work, "f").handle();
    fs.rmdir(user(), work, "d");
    assertFails(() -> fs.getattr(user(), d), NfsStatus.STALE);
    assertFails(() -> fs.access(user(), d, Access.LOOKUP), NfsStatus.STALE);
    assertFails(() -> fs.lookup(user(), d, "."), NfsStatus.STALE);
    assertFails(() -> fs.lookup(user(), d, ".."), NfsStatus.STALE);
    assertFails(() -> fs.readdir(user(), d, 0, 0, 10, true), NfsStatus.STALE);
    assertFails(() -> fs.mkdir(user(), d, "x", mode(0755)), NfsStatus.STALE);
    assertFails(() -> fs.remove(user(), d, "x"), NfsStatus.STALE);
    assertFails(() -> fs.rmdir(user(), d, "x"), NfsStatus.STALE);
    assertFails(() -> fs.rename(user(), work, "f", d, "f"), NfsStatus.STALE);
    assertFails(() -> fs.rename(user(), d, "x", work, "y"), NfsStatus.STALE);
    if (supports(Capability.SYMLINKS)) {
      assertFails(() -> fs.symlink(user(), d, "l", "t", SetAttributes.NONE), NfsStatus.STALE);
    }
    if (supports(Capability.HARD_LINKS)) {
      assertFails(() -> fs.link(user(), f, d, "g"), NfsStatus.STALE);
    }
    assertNotNull(fs.lookup(user(), work, "f"), "the failed rename left the file in place");
  }

  @Test
  void everyOperationThatMakesAnEntryNeedsWritePermission() throws Exception {
    assumePermissions();
    Caller s = stranger();
    if (supports(Capability.SYMLINKS)) {
      assertFails(() -> fs.symlink(s, work, "l", "t", SetAttributes.NONE), NfsStatus.ACCES);
    }
    if (supports(Capability.SPECIAL_FILES)) {
      assertFails(
          () -> fs.mknod(s, work, "p", FileType.FIFO, mode(0644), DeviceNumber.NONE),
          NfsStatus.ACCES);
    }
    FileHandle sub = fs.mkdir(user(), work, "sub", mode(0777)).handle();
    createFile(work, "f");
    assertFails(() -> fs.rename(s, work, "f", sub, "f"), NfsStatus.ACCES);
    assertFails(() -> fs.lookup(user(), work, "l"), NfsStatus.NOENT);
    assertFails(() -> fs.lookup(user(), work, "p"), NfsStatus.NOENT);
  }

  @Test
  void onlyTheFirstMatchingClassOfModeBitsCounts() throws Exception {
    assumePermissions();
    assumeOwnership();
    Caller groupmate = Caller.of(3000, 3000, user().gid());
    FileHandle shared = fs.mkdir(user(), work, "shared", mode(0770)).handle();
    fs.create(groupmate, shared, "g", CreateMode.GUARDED, mode(0644), 0);
    assertFails(
        () -> fs.create(stranger(), shared, "s", CreateMode.GUARDED, mode(0644), 0),
        NfsStatus.ACCES);
    FileHandle open = fs.mkdir(user(), work, "open", mode(0707)).handle();
    fs.create(stranger(), open, "s", CreateMode.GUARDED, mode(0644), 0);
    assertFails(
        () -> fs.create(groupmate, open, "g", CreateMode.GUARDED, mode(0644), 0),
        NfsStatus.ACCES);
  }

  // ---------------------------------------------------------------------------------------
  // sparse files, space, server-side copy and clone (NFSv4.2), extended attributes

  private static final int MIB = 1 << 20;

  @Test
  void seekFindsTheHoleASparseWriteLeft() throws Exception {
    assumeTrue(supports(Capability.SEEK), "backend cannot seek data and holes");
    FileHandle f = createFile(work, "sparse").handle();
    write(f, 0, bytes(1, 4096));
    write(f, 8L * MIB, bytes(2, 4096));
    long size = 8L * MIB + 4096;
    assertEquals(0, fs.seek(user(), f, 0, true), "data at the start");
    long hole = fs.seek(user(), f, 0, false);
    if (supports(Capability.SPARSE_FILES)) {
      assertTrue(hole >= 4096 && hole < 8L * MIB, "the hole between the writes, found at " + hole);
      long data = fs.seek(user(), f, hole, true);
      assertTrue(data > hole && data <= 8L * MIB, "the second write's data, found at " + data);
      assertArrayEquals(new byte[4096], read(f, hole, 4096), "a hole reads as zeros");
    } else {
      assertTrue(hole >= 4096 && hole <= size, "a hole at the latest at the end, found at " + hole);
    }
    assertEquals(size, fs.seek(user(), f, 8L * MIB, false), "the virtual hole at the end");
    assertFails(() -> fs.seek(user(), f, size, true), NfsStatus.NXIO);
    assertFails(() -> fs.seek(user(), f, size + 1, false), NfsStatus.NXIO);
    assertFails(() -> fs.seek(user(), work, 0, true), NfsStatus.ISDIR);
  }

  @Test
  void seekNeedsReadPermission() throws Exception {
    assumeTrue(supports(Capability.SEEK), "backend cannot seek data and holes");
    assumePermissions();
    FileHandle f = fs.create(user(), work, "private", CreateMode.GUARDED, mode(0600), 0).handle();
    write(f, 0, bytes(3, 100));
    assertFails(() -> fs.seek(stranger(), f, 0, true), NfsStatus.ACCES);
  }

  @Test
  void deallocateMakesZerosAndLowersUsed() throws Exception {
    assumeTrue(supports(Capability.DEALLOCATE), "backend cannot deallocate");
    FileHandle f = createFile(work, "punched").handle();
    byte[] data = bytes(4, 2 * MIB);
    write(f, 0, data);
    FileAttributes before = fs.getattr(user(), f);
    FileAttributes after = fs.deallocate(user(), f, 0, MIB);
    assertEquals(2L * MIB, after.size(), "the size stays");
    assertArrayEquals(new byte[MIB], read(f, 0, MIB), "the range reads as zeros");
    assertArrayEquals(Arrays.copyOfRange(data, MIB, 2 * MIB), read(f, MIB, MIB), "the rest stays");
    if (supports(Capability.SPARSE_FILES)) {
      assertTrue(after.used() < before.used(), "used drops: " + before.used() + " -> " + after.used());
      assertEquals(after.used(), fs.getattr(user(), f).used());
    }
    if (changeAttributeAlwaysAdvances()) {
      assertNotEquals(before.change(), after.change());
    }
    assertEquals(2L * MIB, fs.deallocate(user(), f, MIB, 4L * MIB).size(), "past the end the size stays");
    assertFails(() -> fs.deallocate(user(), work, 0, 10), NfsStatus.ISDIR);
  }

  @Test
  void allocateGrowsTheFileAndKeepsData() throws Exception {
    assumeTrue(supports(Capability.ALLOCATE), "backend cannot allocate");
    FileHandle f = createFile(work, "reserved").handle();
    byte[] data = bytes(5, 100);
    write(f, 0, data);
    FileAttributes before = fs.getattr(user(), f);
    FileAttributes after = fs.allocate(user(), f, 0, MIB);
    assertEquals(MIB, after.size(), "the file grows to the range's end");
    assertTrue(after.used() >= before.used(), "used does not drop");
    assertArrayEquals(data, read(f, 0, 100), "data already there stays");
    assertArrayEquals(new byte[1000], read(f, MIB - 1000, 1000), "the new range reads as zeros");
    assertEquals(MIB, fs.allocate(user(), f, 10, 10).size(), "inside the file the size stays");
    assertFails(() -> fs.allocate(user(), work, 0, 10), NfsStatus.ISDIR);
    if (enforcesPermissions()) {
      assertFails(() -> fs.allocate(stranger(), f, 0, 10), NfsStatus.ACCES);
    }
  }

  @Test
  void copyCopiesBytesAndCountZeroMeansToTheEnd() throws Exception {
    assumeTrue(supports(Capability.COPY), "backend cannot copy");
    FileHandle source = createFile(work, "source").handle();
    byte[] data = bytes(6, 100_000);
    write(source, 0, data);
    FileHandle part = createFile(work, "part").handle();
    assertEquals(5000, fs.copy(user(), source, 1000, part, 0, 5000, Stability.FILE_SYNC));
    assertArrayEquals(Arrays.copyOfRange(data, 1000, 6000), read(part, 0, 10_000));

    FileHandle whole = createFile(work, "whole").handle();
    assertEquals(data.length, fs.copy(user(), source, 0, whole, 10, 0, Stability.UNSTABLE));
    assertEquals(10 + data.length, fs.getattr(user(), whole).size(), "the destination grows");
    byte[] copied = read(whole, 0, 10 + data.length);
    assertArrayEquals(new byte[10], Arrays.copyOf(copied, 10));
    assertArrayEquals(data, Arrays.copyOfRange(copied, 10, copied.length));

    assertEquals(500, fs.copy(user(), source, data.length - 500, part, 0, 9999, Stability.FILE_SYNC),
        "fewer bytes when the source ends first");
    assertEquals(0, fs.copy(user(), source, data.length, part, 0, 0, Stability.FILE_SYNC));
    assertFails(() -> fs.copy(user(), source, data.length + 1, part, 0, 10, Stability.FILE_SYNC),
        NfsStatus.INVAL);
    assertFails(() -> fs.copy(user(), source, 0, source, 10, 100, Stability.FILE_SYNC), NfsStatus.INVAL);
    assertFails(() -> fs.copy(user(), work, 0, part, 0, 10, Stability.FILE_SYNC), NfsStatus.ISDIR);
    assertFails(() -> fs.copy(user(), source, 0, work, 0, 10, Stability.FILE_SYNC), NfsStatus.ISDIR);
    if (enforcesPermissions()) {
      assertFails(() -> fs.copy(stranger(), source, 0, part, 0, 10, Stability.FILE_SYNC), NfsStatus.ACCES);
    }
    assertArrayEquals(data, read(source, 0, data.length), "the source is untouched");
  }

  @Test
  void cloneSharesBytes() throws Exception {
    assumeTrue(supports(Capability.CLONE), "backend cannot clone");
    FileHandle source = createFile(work, "source").handle();
    byte[] data = bytes(7, 64 * 1024);
    write(source, 0, data);
    FileHandle clone = createFile(work, "clone").handle();
    try {
      fs.clone(user(), source, 0, clone, 0, 0);
    } catch (NfsException e) {
      assumeTrue(e.status() != NfsStatus.NOTSUPP, "the storage under these files cannot share");
      throw e;
    }
    assertArrayEquals(data, read(clone, 0, data.length));
    write(clone, 0, bytes(8, 4096));
    assertArrayEquals(data, read(source, 0, data.length), "writing the clone leaves the source");
    assertFails(() -> fs.clone(user(), source, 0, source, 4096, 8192), NfsStatus.INVAL);
    assertFails(() -> fs.clone(user(), work, 0, clone, 0, 0), NfsStatus.ISDIR);
  }

  @Test
  void extendedAttributesRoundTrip() throws Exception {
    assumeTrue(supports(Capability.XATTRS), "backend has no extended attributes");
    FileHandle f = createFile(work, "tagged").handle();
    byte[] blue = "blue".getBytes(StandardCharsets.UTF_8);
    byte[] green = "green".getBytes(StandardCharsets.UTF_8);
    FileAttributes before = fs.getattr(user(), f);
    FileAttributes set = fs.setxattr(user(), f, "colour", blue, NfsFileSystem.XattrMode.CREATE);
    if (changeAttributeAlwaysAdvances()) {
      assertNotEquals(before.change(), set.change(), "setting moves the change attribute");
    }
    assertTrue(set.ctime().compareTo(before.ctime()) >= 0);
    assertArrayEquals(blue, fs.getxattr(user(), f, "colour"));
    assertTrue(fs.listxattrs(user(), f).contains("colour"));
    assertFails(() -> fs.setxattr(user(), f, "colour", green, NfsFileSystem.XattrMode.CREATE), NfsStatus.EXIST);
    assertFails(() -> fs.setxattr(user(), f, "shape", green, NfsFileSystem.XattrMode.REPLACE), NfsStatus.NOXATTR);
    assertFails(() -> fs.getxattr(user(), f, "shape"), NfsStatus.NOXATTR);
    fs.setxattr(user(), f, "colour", green, NfsFileSystem.XattrMode.REPLACE);
    assertArrayEquals(green, fs.getxattr(user(), f, "colour"));
    fs.setxattr(user(), f, "empty", new byte[0], NfsFileSystem.XattrMode.EITHER);
    assertArrayEquals(new byte[0], fs.getxattr(user(), f, "empty"));

    FileAttributes beforeRemove = fs.getattr(user(), f);
    FileAttributes removed = fs.removexattr(user(), f, "colour");
    if (changeAttributeAlwaysAdvances()) {
      assertNotEquals(beforeRemove.change(), removed.change(), "removing moves the change attribute");
    }
    assertFails(() -> fs.getxattr(user(), f, "colour"), NfsStatus.NOXATTR);
    assertFails(() -> fs.removexattr(user(), f, "colour"), NfsStatus.NOXATTR);
    assertFalse(fs.listxattrs(user(), f).contains("colour"));

    fs.setxattr(user(), work, "label", blue, NfsFileSystem.XattrMode.EITHER);
    assertArrayEquals(blue, fs.getxattr(user(), work, "label"), "directories hold them too");
  }

  @Test
  void extendedAttributeChangesNeedWritePermission() throws Exception {
    assumeTrue(supports(Capability.XATTRS), "backend has no extended attributes");
    assumePermissions();
    FileHandle f = createFile(work, "theirs").handle();
    fs.setxattr(user(), f, "colour", new byte[] {1}, NfsFileSystem.XattrMode.EITHER);
    assertFails(() -> fs.setxattr(stranger(), f, "colour", new byte[] {2}, NfsFileSystem.XattrMode.EITHER),
        NfsStatus.ACCES);
    assertFails(() -> fs.removexattr(stranger(), f, "colour"), NfsStatus.ACCES);
    assertArrayEquals(new byte[] {1}, fs.getxattr(stranger(), f, "colour"), "mode 0644 lets others read");
  }
}
