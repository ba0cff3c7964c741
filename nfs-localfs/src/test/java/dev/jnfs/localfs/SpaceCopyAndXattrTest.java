package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.OTHER;
import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.Fixture.USER;
import static dev.jnfs.localfs.Fixture.assertStatus;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.spi.Capability;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsFileSystem.XattrMode;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SEEK, ALLOCATE, DEALLOCATE, COPY, CLONE and the xattr calls against what the disk itself
 * says (block counts, the {@code user.} namespace, ctime), and their absence where the
 * provider cannot have them.
 */
class SpaceCopyAndXattrTest {
  private static final int MIB = 1 << 20;
  private static final boolean LINUX =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");

  private Fixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private LocalFileSystem real() throws Exception {
    assumeTrue(LINUX, "the native calls are Linux's");
    LocalFileSystem fs = open(Fixture.Env.REAL_DIRECTORY);
    assumeTrue(fs.capabilities().contains(Capability.SEEK), "native access unavailable in this JVM");
    return fs;
  }

  /** A backend whose root everyone may write in. */
  private LocalFileSystem open(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    return everyoneWrites(fx.fs);
  }

  private static LocalFileSystem everyoneWrites(LocalFileSystem fs) throws Exception {
    fs.setattr(ROOT, fs.root(), SetAttributes.mode(0777), null);
    return fs;
  }

  private FileHandle file(LocalFileSystem fs, String name, byte[] content) throws Exception {
    FileHandle h = fs.create(USER, fs.root(), name, CreateMode.GUARDED, SetAttributes.mode(0644), 0).handle();
    fs.write(USER, h, 0, ByteBuffer.wrap(content), Stability.FILE_SYNC);
    return h;
  }

  private static byte[] random(int length) {
    byte[] b = new byte[length];
    new Random(length).nextBytes(b);
    return b;
  }

  /** st_blocks × 512 as stat(1) reports it. */
  private static long blocksOnDisk(Path path) throws Exception {
    Process p = new ProcessBuilder("stat", "-c", "%b", path.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8).trim();
    assertEquals(0, p.waitFor());
    return Long.parseLong(out) * 512;
  }

  @Test
  void anExt4OrTmpfsDirectoryHasEverythingButClone() throws Exception {
    LocalFileSystem fs = real();
    String type = Files.getFileStore(fx.root).type();
    assumeTrue(type.equals("ext4") || type.equals("tmpfs"), "the test knows ext4 and tmpfs, not " + type);
    assertTrue(fs.capabilities().containsAll(Set.of(Capability.SEEK, Capability.ALLOCATE, Capability.DEALLOCATE,
        Capability.SPARSE_FILES, Capability.COPY, Capability.XATTRS)), fs.capabilities().toString());
    assertFalse(fs.capabilities().contains(Capability.CLONE), type + " has no reflinks");
    FileHandle a = file(fs, "a", random(8192));
    FileHandle b = file(fs, "b", new byte[0]);
    assertStatus(NfsStatus.NOTSUPP, () -> fs.clone(USER, a, 0, b, 0, 0));
    assertEquals(0, fs.getattr(USER, b).size(), "never a silent copy");
  }

  @Test
  void cloneOnAFileSystemWithoutReflinksIsNotsuppNotACopy() throws Exception {
    real();
    NativeFiles nativeFiles = NativeFiles.of(fx.root.getFileSystem()).orElseThrow();
    Path a = Files.write(fx.root.resolve("a"), random(8192));
    Path b = Files.createFile(fx.root.resolve("b"));
    assumeTrue(!Files.getFileStore(fx.root).type().matches("btrfs|xfs|bcachefs"), "this one reflinks");
    ErrnoException e = assertThrows(ErrnoException.class,
        () -> nativeFiles.cloneRange(a, 0, b, 0, 0));
    assertEquals(NfsStatus.NOTSUPP, e.status(), "errno " + e.errno());
    assertEquals(0, Files.size(b));
  }

  @Test
  void usedIsTheBlockCountOnDisk() throws Exception {
    LocalFileSystem fs = real();
    FileHandle f = file(fs, "sparse", random(4096));
    fs.write(USER, f, 64L * MIB, ByteBuffer.wrap(random(4096)), Stability.FILE_SYNC);
    FileAttributes attrs = fs.getattr(USER, f);
    Path path = fx.root.resolve("sparse");
    assertEquals(blocksOnDisk(path), attrs.used());
    assertTrue(attrs.used() < MIB, "the hole costs nothing: " + attrs.used());
    assertEquals(64L * MIB + 4096, attrs.size());

    FileAttributes allocated = fs.allocate(USER, f, 0, 2L * MIB);
    assertEquals(blocksOnDisk(path), allocated.used());
    assertTrue(allocated.used() >= 2L * MIB, "fallocate reserved the range: " + allocated.used());

    FileAttributes punched = fs.deallocate(USER, f, 0, 2L * MIB);
    assertEquals(blocksOnDisk(path), punched.used());
    assertTrue(punched.used() < MIB, "the punched range is free again: " + punched.used());
  }

  @Test
  void seekAgreesWithTheDiskAndAnswersMinusOneInATrailingHole() throws Exception {
    LocalFileSystem fs = real();
    FileHandle f = file(fs, "f", random(MIB));
    fs.deallocate(USER, f, MIB / 2, MIB / 2);
    assertEquals(MIB / 2, fs.seek(USER, f, 0, false));
    assertEquals(-1, fs.seek(USER, f, MIB / 2 + 100, true), "only a hole up to the end");
    assertEquals(MIB / 2 + 100, fs.seek(USER, f, MIB / 2 + 100, false), "inside a hole it is here");
    assertStatus(NfsStatus.NXIO, () -> fs.seek(USER, f, MIB, true));
    assertStatus(NfsStatus.INVAL, () -> fs.seek(USER, f, -1, true));
  }

  @Test
  void unstableDataIsSeenBySeek() throws Exception {
    LocalFileSystem fs = real();
    FileHandle f = file(fs, "f", new byte[0]);
    fs.write(USER, f, 4L * MIB, ByteBuffer.wrap(random(4096)), Stability.UNSTABLE);
    assertEquals(4L * MIB, fs.seek(USER, f, 0, true));
  }

  @Test
  void spaceCallsCheckTheirArguments() throws Exception {
    LocalFileSystem fs = real();
    FileHandle f = file(fs, "f", random(100));
    assertStatus(NfsStatus.INVAL, () -> fs.allocate(USER, f, -1, 10));
    assertStatus(NfsStatus.INVAL, () -> fs.deallocate(USER, f, 0, 0));
    assertStatus(NfsStatus.FBIG, () -> fs.allocate(USER, f, Long.MAX_VALUE - 5, 10));
    assertStatus(NfsStatus.ACCES, () -> fs.deallocate(OTHER, f, 0, 10));
    FileHandle dir = fs.mkdir(USER, fs.root(), "d", SetAttributes.mode(0755)).handle();
    assertStatus(NfsStatus.ISDIR, () -> fs.allocate(USER, dir, 0, 10));
  }

  @Test
  void copyReachesPastTheDestinationsEndAndKeepsHoles() throws Exception {
    LocalFileSystem fs = real();
    byte[] data = random(MIB);
    FileHandle source = file(fs, "source", data);
    FileHandle destination = file(fs, "destination", new byte[0]);
    assertEquals(MIB, fs.copy(USER, source, 0, destination, 8L * MIB, 0, Stability.FILE_SYNC));
    assertEquals(9L * MIB, fs.getattr(USER, destination).size());
    byte[] onDisk = Files.readAllBytes(fx.root.resolve("destination"));
    assertArrayEquals(data, Arrays.copyOfRange(onDisk, 8 * MIB, 9 * MIB));
    assertEquals(0, fs.seek(USER, destination, 0, false), "the gap before the copy is a hole");
  }

  @Test
  void xattrsLiveInTheUserNamespaceAndMoveTheCtimeOnDisk() throws Exception {
    LocalFileSystem fs = real();
    FileHandle f = file(fs, "f", random(10));
    Path path = fx.root.resolve("f");
    FileTime ctimeBefore = (FileTime) Files.getAttribute(path, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
    Thread.sleep(20);
    fs.setxattr(USER, f, "colour", "blue".getBytes(UTF_8), XattrMode.CREATE);
    FileTime ctimeAfter = (FileTime) Files.getAttribute(path, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
    assertTrue(ctimeAfter.compareTo(ctimeBefore) > 0, ctimeBefore + " -> " + ctimeAfter);
    assertEquals(ctimeAfter.toInstant(), fs.getattr(USER, f).ctime());

    UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
    assertEquals(List.of("colour"), view.list());
    view.write("shape", ByteBuffer.wrap("round".getBytes(UTF_8)));
    assertEquals(List.of("colour", "shape"), fs.listxattrs(USER, f));
    assertArrayEquals("round".getBytes(UTF_8), fs.getxattr(USER, f, "shape"));
  }

  @Test
  void xattrLimitsAndNames() throws Exception {
    LocalFileSystem fs = real();
    assumeTrue(fs.capabilities().contains(Capability.XATTRS));
    FileHandle f = file(fs, "f", random(10));
    assertStatus(NfsStatus.XATTR2BIG,
        () -> fs.setxattr(USER, f, "big", new byte[ExtendedAttributes.MAX_VALUE_BYTES + 1], XattrMode.EITHER));
    if (Files.getFileStore(fx.root).type().equals("ext4")) {
      // ext4 keeps a file's attributes in one block and says ENOSPC for more
      assertStatus(NfsStatus.XATTR2BIG, () -> fs.setxattr(USER, f, "big", new byte[16384], XattrMode.EITHER));
    }
    assertStatus(NfsStatus.NAMETOOLONG, () -> fs.getxattr(USER, f, "n".repeat(251)));
    assertStatus(NfsStatus.INVAL, () -> fs.setxattr(USER, f, "", new byte[1], XattrMode.EITHER));
    fs.setxattr(USER, f, "n".repeat(250), new byte[1], XattrMode.EITHER);
    assertStatus(NfsStatus.ACCES, () -> fs.removexattr(OTHER, f, "n".repeat(250)));
  }

  @Test
  void onlyFilesAndDirectoriesHoldXattrsAsOnLinux() throws Exception {
    LocalFileSystem fs = real();
    assumeTrue(fs.capabilities().contains(Capability.XATTRS));
    FileHandle link = fs.symlink(USER, fs.root(), "l", "target", SetAttributes.NONE).handle();
    FileHandle fifo = fs.mknod(USER, fs.root(), "p", FileType.FIFO, SetAttributes.mode(0644), DeviceNumber.NONE)
        .handle();
    for (FileHandle h : List.of(link, fifo)) {
      assertEquals(List.of(), fs.listxattrs(USER, h));
      assertStatus(NfsStatus.NOXATTR, () -> fs.getxattr(USER, h, "a"));
      assertStatus(NfsStatus.PERM, () -> fs.setxattr(USER, h, "a", new byte[1], XattrMode.EITHER));
      assertStatus(NfsStatus.NOXATTR, () -> fs.removexattr(USER, h, "a"));
    }
  }

  /** tmpfs keeps user xattrs since Linux 6.6; where /dev/shm is one, the capability follows. */
  @Test
  void tmpfsXattrsFollowTheKernel() throws Exception {
    assumeTrue(LINUX && Files.isDirectory(Path.of("/dev/shm")));
    Path root = Files.createTempDirectory(Path.of("/dev/shm"), "jnfs-xattr");
    try (LocalFileSystem fs = LocalFileSystem.of(root)) {
      boolean supported = Files.getFileStore(root).supportsFileAttributeView(UserDefinedFileAttributeView.class);
      assertEquals(supported, fs.capabilities().contains(Capability.XATTRS));
      if (supported) {
        everyoneWrites(fs);
        FileHandle f = file(fs, "f", random(10));
        fs.setxattr(USER, f, "a", new byte[] {7}, XattrMode.CREATE);
        assertArrayEquals(new byte[] {7}, fs.getxattr(USER, f, "a"));
      }
    } finally {
      try (var walk = Files.walk(root)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Another provider than the platform's: no native calls, so those capabilities are absent. */
  @ParameterizedTest
  @EnumSource(value = Fixture.Env.class, names = {"JIMFS_UNIX", "JIMFS_WINDOWS", "JIMFS_OSX"})
  void jimfsHasCopyButNoNativeCapabilities(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    for (Capability c : List.of(Capability.SEEK, Capability.ALLOCATE, Capability.DEALLOCATE, Capability.CLONE,
        Capability.SPARSE_FILES)) {
      assertFalse(fs.capabilities().contains(c), c + " on " + env);
    }
    assertTrue(fs.capabilities().contains(Capability.COPY));
    assertFalse(NativeFiles.of(fx.root.getFileSystem()).isPresent());
    FileHandle f = file(fs, "f", random(100));
    assertStatus(NfsStatus.NOTSUPP, () -> fs.seek(USER, f, 0, true));
    assertStatus(NfsStatus.NOTSUPP, () -> fs.deallocate(USER, f, 0, 10));
    assertStatus(NfsStatus.NOTSUPP, () -> fs.clone(USER, f, 0, f, 0, 0));
    assertEquals(100, fs.getattr(USER, f).used(), "used is the size where no block count is read");
    assertStatus(NfsStatus.NOTSUPP, () -> fs.getxattr(USER, f, "a"));
  }

  @ParameterizedTest
  @EnumSource(value = Fixture.Env.class, names = {"JIMFS_UNIX", "REAL_DIRECTORY"})
  void copyOfAFileToItselfIsInvalWhereRangesOverlap(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    byte[] data = random(10_000);
    FileHandle f = file(fs, "f", data);
    assertStatus(NfsStatus.INVAL, () -> fs.copy(USER, f, 0, f, 1, 2, Stability.FILE_SYNC));
    assertEquals(5000, fs.copy(USER, f, 0, f, 5000, 5000, Stability.FILE_SYNC));
    ByteBuffer after = ByteBuffer.allocate(10_000);
    fs.read(USER, f, 0, after);
    assertArrayEquals(Arrays.copyOf(data, 5000), Arrays.copyOfRange(after.array(), 5000, 10_000));
    assertStatus(NfsStatus.ACCES, () -> fs.copy(OTHER, f, 0, f, 5000, 10, Stability.FILE_SYNC));
    FileHandle gone = file(fs, "gone", new byte[0]);
    fs.remove(ROOT, fs.root(), "gone");
    assertStatus(NfsStatus.STALE, () -> fs.copy(ROOT, f, 0, gone, 0, 10, Stability.FILE_SYNC));
  }

  @Test
  void errnoBecomesTheSpisStatus() {
    assertEquals(NfsStatus.NOSPC, new ErrnoException("x", ErrnoException.ENOSPC).status());
    assertEquals(NfsStatus.NXIO, new ErrnoException("x", ErrnoException.ENXIO).status());
    assertEquals(NfsStatus.NOTSUPP, new ErrnoException("x", ErrnoException.EOPNOTSUPP).status());
    assertEquals(NfsStatus.NOTSUPP, new ErrnoException("x", ErrnoException.EXDEV).status());
    assertEquals(NfsStatus.INVAL, new ErrnoException("x", ErrnoException.EINVAL).status());
    assertEquals(NfsStatus.STALE, new ErrnoException("x", ErrnoException.ELOOP).status());
    assertEquals(NfsStatus.DQUOT, new ErrnoException("x", ErrnoException.EDQUOT).status());
    assertEquals(NfsStatus.IO, new ErrnoException("x", ErrnoException.EIO).status());
    assertEquals(NfsStatus.NOSPC, Errors.statusOf(new ErrnoException("x", ErrnoException.ENOSPC)));
  }
}
