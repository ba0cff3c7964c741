package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.OTHER;
import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.Fixture.USER;
import static dev.jnfs.localfs.Fixture.assertStatus;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileRegionSource;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.TimeUpdate;
import dev.jnfs.spi.WriteResult;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The backend's operations and their error paths, on every provider. */
class LocalFileSystemTest {
  private Fixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private LocalFileSystem open(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    return fx.fs;
  }

  static FileHandle file(LocalFileSystem fs, FileHandle dir, String name, String content) throws Exception {
    FileHandle h = fs.create(ROOT, dir, name, CreateMode.GUARDED, SetAttributes.NONE, 0).handle();
    fs.write(ROOT, h, 0, ByteBuffer.wrap(content.getBytes(UTF_8)), Stability.FILE_SYNC);
    return h;
  }

  static String content(LocalFileSystem fs, FileHandle h) throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    fs.read(ROOT, h, 0, buffer);
    return new String(buffer.array(), 0, buffer.position(), UTF_8);
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void createWriteReadAndGetattr(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle h = file(fs, fs.root(), "hello.txt", "hello world");
    FileAttributes a = fs.getattr(ROOT, h);
    assertEquals(FileType.REGULAR, a.type());
    assertEquals(11, a.size());
    assertEquals(fs.getattr(ROOT, fs.root()).fsid(), a.fsid());
    assertNotEquals(fs.getattr(ROOT, fs.root()).fileid(), a.fileid());
    assertEquals("hello world", content(fs, h));
    ByteBuffer part = ByteBuffer.allocate(5);
    ReadResult r = fs.read(ROOT, h, 6, part);
    assertRead(5, true, r);
    assertEquals("world", new String(part.array(), UTF_8));
    ReadResult beyond = fs.read(ROOT, h, 100, ByteBuffer.allocate(10));
    assertRead(0, true, beyond);
    ReadResult middle = fs.read(ROOT, h, 0, ByteBuffer.allocate(3));
    assertRead(3, false, middle);
    assertTrue(h.length() <= FileHandle.MAX_LENGTH);
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void readsAndWritesReportTheAttributesTheySaw(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle h = file(fs, fs.root(), "seen.txt", "12345");
    FileAttributes beforeWrite = fs.getattr(ROOT, h);
    WriteResult w = fs.write(ROOT, h, 5, ByteBuffer.wrap("678".getBytes(UTF_8)), Stability.UNSTABLE);
    assertEquals(beforeWrite.fileid(), w.before().fileid());
    assertEquals(5, w.before().size(), "the size before the write");
    assertEquals(beforeWrite.change(), w.before().change());
    assertNotEquals(w.before().change(), fs.getattr(ROOT, h).change());
    ReadResult r = fs.read(ROOT, h, 0, ByteBuffer.allocate(8));
    assertEquals(beforeWrite.fileid(), r.attributes().fileid());
    assertEquals(8, r.attributes().size());
    assertEquals(fs.getattr(ROOT, h).change(), r.attributes().change());
  }

  private static void assertRead(int count, boolean eof, ReadResult r) {
    assertEquals(count, r.count());
    assertEquals(eof, r.eof());
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void lookupFindsTheSameHandleAndDotNames(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "dir", null).handle();
    FileHandle f = file(fs, dir, "f", "x");
    assertEquals(f, fs.lookup(ROOT, dir, "f").handle());
    assertEquals(dir, fs.lookup(ROOT, dir, ".").handle());
    assertEquals(fs.root(), fs.lookup(ROOT, dir, "..").handle());
    assertEquals(fs.root(), fs.lookup(ROOT, fs.root(), "..").handle());
    assertStatus(NfsStatus.NOENT, () -> fs.lookup(ROOT, dir, "missing"));
    assertStatus(NfsStatus.NOTDIR, () -> fs.lookup(ROOT, f, "x"));
    assertStatus(NfsStatus.NAMETOOLONG, () -> fs.lookup(ROOT, dir, "n".repeat(256)));
    assertStatus(NfsStatus.INVAL, () -> fs.lookup(ROOT, dir, "a/b"));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void foreignAndMalformedHandles(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    assertStatus(NfsStatus.BADHANDLE, () -> fs.getattr(ROOT, FileHandle.of(new byte[] {1, 2, 3})));
    byte[] forged = fs.root().toBytes();
    forged[3] ^= 0x55; // another index instance
    assertStatus(NfsStatus.BADHANDLE, () -> fs.getattr(ROOT, FileHandle.of(forged)));
    byte[] future = fs.root().toBytes();
    future[9] = 0x40; // an id never issued
    assertStatus(NfsStatus.BADHANDLE, () -> fs.getattr(ROOT, FileHandle.of(future)));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void createModes(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle h = file(fs, fs.root(), "f", "data");
    assertStatus(NfsStatus.EXIST, () -> fs.create(ROOT, fs.root(), "f", CreateMode.GUARDED, SetAttributes.NONE, 0));
    FileEntry again = fs.create(ROOT, fs.root(), "f", CreateMode.UNCHECKED, SetAttributes.size(0), 0);
    assertEquals(h, again.handle());
    assertEquals(0, again.attributes().size());
    fs.mkdir(ROOT, fs.root(), "d", null);
    assertStatus(NfsStatus.ISDIR, () -> fs.create(ROOT, fs.root(), "d", CreateMode.UNCHECKED, SetAttributes.NONE, 0));
    FileEntry ex = fs.create(ROOT, fs.root(), "ex", CreateMode.EXCLUSIVE, SetAttributes.NONE, 42);
    assertEquals(ex.handle(), fs.create(ROOT, fs.root(), "ex", CreateMode.EXCLUSIVE, SetAttributes.NONE, 42).handle());
    assertStatus(NfsStatus.EXIST, () -> fs.create(ROOT, fs.root(), "ex", CreateMode.EXCLUSIVE, SetAttributes.NONE, 43));
    assertStatus(NfsStatus.EXIST, () -> fs.create(ROOT, fs.root(), "f", CreateMode.EXCLUSIVE, SetAttributes.NONE, 42));
    // the verifier survives a restart
    LocalFileSystem again2 = fx.restart();
    assertEquals(ex.handle(), again2.create(ROOT, again2.root(), "ex", CreateMode.EXCLUSIVE, SetAttributes.NONE, 42).handle());
    assertStatus(NfsStatus.INVAL, () -> again2.create(ROOT, again2.root(), "..", CreateMode.GUARDED, SetAttributes.NONE, 0));
    assertStatus(NfsStatus.INVAL, () -> again2.create(ROOT, again2.root(), ".", CreateMode.GUARDED, SetAttributes.NONE, 0));
    assertStatus(NfsStatus.NAMETOOLONG,
        () -> again2.create(ROOT, again2.root(), "n".repeat(256), CreateMode.GUARDED, SetAttributes.NONE, 0));
    assertStatus(NfsStatus.NOTDIR,
        () -> again2.create(ROOT, h, "x", CreateMode.GUARDED, SetAttributes.NONE, 0));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void newObjectsBelongToTheCaller(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle shared = fs.mkdir(ROOT, fs.root(), "shared", SetAttributes.mode(0777)).handle();
    assertEquals(0777, fs.getattr(ROOT, shared).mode());
    FileEntry f = fs.create(USER, shared, "mine", CreateMode.GUARDED, SetAttributes.mode(0640), 0);
    assertEquals(1000, f.attributes().uid());
    assertEquals(1000, f.attributes().gid());
    assertEquals(0640, f.attributes().mode());
    FileEntry d = fs.mkdir(USER, shared, "sub", null);
    assertEquals(0755, d.attributes().mode());
    assertEquals(1000, d.attributes().uid());
    // ownership survives a restart
    LocalFileSystem again = fx.restart();
    assertEquals(1000, again.getattr(ROOT, f.handle()).uid());
    assertEquals(0640, again.getattr(ROOT, f.handle()).mode());
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void permissionsAreCheckedAgainstTheCaller(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle shared = fs.mkdir(ROOT, fs.root(), "shared", SetAttributes.mode(0777)).handle();
    FileHandle home = fs.mkdir(USER, shared, "home", SetAttributes.mode(0700)).handle();
    FileHandle secret = fs.create(USER, home, "secret", CreateMode.GUARDED, SetAttributes.mode(0600), 0).handle();
    fs.write(USER, secret, 0, ByteBuffer.wrap("s".getBytes(UTF_8)), Stability.UNSTABLE);
    assertStatus(NfsStatus.ACCES, () -> fs.lookup(OTHER, home, "secret"));
    assertStatus(NfsStatus.ACCES, () -> fs.read(OTHER, secret, 0, ByteBuffer.allocate(4)));
    assertStatus(NfsStatus.ACCES,
        () -> fs.write(OTHER, secret, 0, ByteBuffer.wrap(new byte[1]), Stability.UNSTABLE));
    assertStatus(NfsStatus.ACCES, () -> fs.create(OTHER, home, "x", CreateMode.GUARDED, SetAttributes.NONE, 0));
    assertStatus(NfsStatus.ACCES, () -> fs.readdir(OTHER, home, 0, 0, 10, false));
    assertStatus(NfsStatus.ACCES, () -> fs.remove(OTHER, home, "secret"));
    assertStatus(NfsStatus.PERM, () -> fs.setattr(OTHER, secret, SetAttributes.mode(0777), null));
    assertStatus(NfsStatus.PERM,
        () -> fs.setattr(USER, secret, new SetAttributes(null, 2000, null, null, TimeUpdate.UNCHANGED,
            TimeUpdate.UNCHANGED), null));
    assertEquals(0, fs.access(OTHER, secret, Access.ALL));
    assertEquals(Access.READ | Access.MODIFY | Access.EXTEND, fs.access(USER, secret, Access.ALL));
    assertEquals(Access.READ | Access.LOOKUP | Access.MODIFY | Access.EXTEND | Access.DELETE,
        fs.access(USER, home, Access.ALL));
    // the superuser passes all but execute
    assertEquals(Access.READ | Access.MODIFY | Access.EXTEND, fs.access(ROOT, secret, Access.ALL));
    assertEquals("s", content(fs, secret));
    // the owner may read a file it may only execute
    fs.setattr(USER, secret, SetAttributes.mode(0100), null);
    assertEquals(1, fs.read(USER, secret, 0, ByteBuffer.allocate(4)).count());
    // chown by root, chgrp by owner to own group only
    fs.setattr(ROOT, secret, new SetAttributes(null, 2000, 2000, null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED), null);
    FileAttributes a = fs.getattr(ROOT, secret);
    assertEquals(2000, a.uid());
    assertEquals(2000, a.gid());
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void stickyDirectoryProtectsOthersEntries(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle tmp = fs.mkdir(ROOT, fs.root(), "tmp", SetAttributes.mode(01777)).handle();
    assertEquals(01777, fs.getattr(ROOT, tmp).mode());
    fs.create(USER, tmp, "u", CreateMode.GUARDED, SetAttributes.mode(0666), 0);
    assertStatus(NfsStatus.ACCES, () -> fs.remove(OTHER, tmp, "u"));
    assertStatus(NfsStatus.ACCES, () -> fs.rename(OTHER, tmp, "u", tmp, "v"));
    fs.remove(USER, tmp, "u");
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void setattrChangesSizeModeAndTimes(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle h = file(fs, fs.root(), "f", "0123456789");
    FileAttributes before = fs.getattr(ROOT, h);
    FileAttributes shrunk = fs.setattr(ROOT, h, SetAttributes.size(4), null);
    assertEquals(4, shrunk.size());
    assertEquals("0123", content(fs, h));
    assertNotEquals(before.change(), shrunk.change());
    FileAttributes grown = fs.setattr(ROOT, h, SetAttributes.size(8), null);
    assertEquals(8, grown.size());
    assertEquals("0123\0\0\0\0", content(fs, h));
    FileAttributes moded = fs.setattr(ROOT, h, SetAttributes.mode(0600), null);
    assertEquals(0600, moded.mode());
    assertNotEquals(grown.change(), moded.change());
    Instant t = Instant.parse("2001-02-03T04:05:06.123Z");
    FileAttributes timed = fs.setattr(ROOT, h,
        new SetAttributes(null, null, null, null, TimeUpdate.to(t), TimeUpdate.to(t)), null);
    assertEquals(t, timed.mtime());
    assertEquals(t, timed.atime());
    assertStatus(NfsStatus.NOT_SYNC, () -> fs.setattr(ROOT, h, SetAttributes.mode(0644), Instant.EPOCH));
    FileAttributes guarded = fs.setattr(ROOT, h, SetAttributes.mode(0644), timed.ctime());
    assertEquals(0644, guarded.mode());
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    assertStatus(NfsStatus.ISDIR, () -> fs.setattr(ROOT, dir, SetAttributes.size(0), null));
    assertStatus(NfsStatus.INVAL, () -> fs.setattr(ROOT, h, SetAttributes.size(-1), null));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void writeStabilityAndChangeAttribute(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle h = file(fs, fs.root(), "f", "");
    long change = fs.getattr(ROOT, h).change();
    Set<Long> seen = new HashSet<>();
    seen.add(change);
    for (Stability s : Stability.values()) {
      WriteResult w = fs.write(ROOT, h, 0, ByteBuffer.wrap(new byte[] {1, 2, 3}), s);
      assertEquals(3, w.count());
      assertTrue(w.committed().compareTo(s) >= 0);
      assertTrue(seen.add(fs.getattr(ROOT, h).change()), "change attribute moved after " + s);
    }
    fs.commit(ROOT, h, 0, 0);
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    assertStatus(NfsStatus.ISDIR, () -> fs.write(ROOT, dir, 0, ByteBuffer.allocate(1), Stability.UNSTABLE));
    assertStatus(NfsStatus.ISDIR, () -> fs.read(ROOT, dir, 0, ByteBuffer.allocate(1)));
    assertStatus(NfsStatus.INVAL, () -> fs.write(ROOT, h, -1, ByteBuffer.allocate(1), Stability.UNSTABLE));
    assertStatus(NfsStatus.FBIG,
        () -> fs.write(ROOT, h, Long.MAX_VALUE - 1, ByteBuffer.allocate(10), Stability.UNSTABLE));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void sparseWritesLeaveZeroHoles(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle h = file(fs, fs.root(), "sparse", "head");
    long far = 10L << 20;
    fs.write(ROOT, h, far, ByteBuffer.wrap("tail".getBytes(UTF_8)), Stability.UNSTABLE);
    assertEquals(far + 4, fs.getattr(ROOT, h).size());
    ByteBuffer hole = ByteBuffer.allocate(4096);
    assertRead(4096, false, fs.read(ROOT, h, 1 << 20, hole));
    assertArrayEquals(new byte[4096], hole.array());
    ByteBuffer tail = ByteBuffer.allocate(16);
    assertRead(4, true, fs.read(ROOT, h, far, tail));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void readRegionOffersTheChannelRange(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle h = file(fs, fs.root(), "f", "0123456789");
    try (FileRegionSource region = fs.readRegion(ROOT, h, 2, 5).orElseThrow()) {
      assertEquals(2, region.position());
      assertEquals(5, region.count());
      assertFalse(region.eof());
      ByteBuffer b = ByteBuffer.allocate(5);
      region.channel().read(b, region.position());
      assertEquals("23456", new String(b.array(), UTF_8));
      assertEquals(fs.getattr(ROOT, h).fileid(), region.attributes().fileid());
      assertEquals(10, region.attributes().size());
    }
    try (FileRegionSource end = fs.readRegion(ROOT, h, 8, 100).orElseThrow()) {
      assertEquals(2, end.count());
      assertTrue(end.eof());
    }
    try (FileRegionSource past = fs.readRegion(ROOT, h, 50, 100).orElseThrow()) {
      assertEquals(0, past.count());
      assertTrue(past.eof());
    }
    assertStatus(NfsStatus.ACCES, () -> {
      fs.setattr(ROOT, h, SetAttributes.mode(0600), null);
      fs.readRegion(OTHER, h, 0, 1);
    });
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void removeAndRmdir(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle d = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    FileHandle f = file(fs, d, "f", "x");
    assertStatus(NfsStatus.NOTEMPTY, () -> fs.rmdir(ROOT, fs.root(), "d"));
    assertStatus(NfsStatus.ISDIR, () -> fs.remove(ROOT, fs.root(), "d"));
    assertStatus(NfsStatus.NOTDIR, () -> fs.rmdir(ROOT, d, "f"));
    assertStatus(NfsStatus.INVAL, () -> fs.rmdir(ROOT, d, "."));
    assertStatus(NfsStatus.NOENT, () -> fs.remove(ROOT, d, "missing"));
    fs.remove(ROOT, d, "f");
    assertStatus(NfsStatus.STALE, () -> fs.getattr(ROOT, f));
    assertStatus(NfsStatus.STALE, () -> fs.read(ROOT, f, 0, ByteBuffer.allocate(1)));
    fs.rmdir(ROOT, fs.root(), "d");
    assertStatus(NfsStatus.STALE, () -> fs.lookup(ROOT, d, "x"));
    assertStatus(NfsStatus.NOENT, () -> fs.lookup(ROOT, fs.root(), "d"));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void renameKeepsHandlesAndReplacesTargets(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle a = fs.mkdir(ROOT, fs.root(), "a", null).handle();
    FileHandle b = fs.mkdir(ROOT, fs.root(), "b", null).handle();
    FileHandle sub = fs.mkdir(ROOT, a, "sub", null).handle();
    FileHandle deep = file(fs, sub, "deep", "deep data");
    FileHandle old = file(fs, b, "victim", "old");
    fs.rename(ROOT, fs.root(), "a", b, "moved");
    assertEquals("deep data", content(fs, deep));
    assertEquals(sub, fs.lookup(ROOT, fs.lookup(ROOT, b, "moved").handle(), "sub").handle());
    FileHandle mover = file(fs, b, "mover", "new");
    fs.rename(ROOT, b, "mover", b, "victim");
    assertStatus(NfsStatus.STALE, () -> fs.getattr(ROOT, old));
    assertEquals("new", content(fs, mover));
    assertEquals(mover, fs.lookup(ROOT, b, "victim").handle());
    // onto itself: nothing happens
    fs.rename(ROOT, b, "victim", b, "victim");
    assertEquals(mover, fs.lookup(ROOT, b, "victim").handle());
    // into its own subtree
    FileHandle moved = fs.lookup(ROOT, b, "moved").handle();
    assertStatus(NfsStatus.INVAL, () -> fs.rename(ROOT, b, "moved", sub, "loop"));
    assertStatus(NfsStatus.INVAL, () -> fs.rename(ROOT, b, "moved", moved, "self"));
    // type clashes
    fs.mkdir(ROOT, b, "emptydir", null);
    assertStatus(NfsStatus.ISDIR, () -> fs.rename(ROOT, b, "victim", b, "emptydir"));
    assertStatus(NfsStatus.NOTDIR, () -> fs.rename(ROOT, b, "emptydir", b, "victim"));
    NfsStatus nonEmpty = org.junit.jupiter.api.Assertions.assertThrows(dev.jnfs.spi.NfsException.class,
        () -> fs.rename(ROOT, b, "emptydir", b, "moved")).status();
    assertTrue(nonEmpty == NfsStatus.NOTEMPTY || nonEmpty == NfsStatus.EXIST, nonEmpty.toString());
    fs.rename(ROOT, b, "moved", b, "emptydir");
    assertEquals("deep data", content(fs, deep));
    assertStatus(NfsStatus.NOENT, () -> fs.rename(ROOT, b, "missing", b, "x"));
    assertStatus(NfsStatus.INVAL, () -> fs.rename(ROOT, b, "victim", b, ".."));
    assertStatus(NfsStatus.INVAL, () -> fs.rename(ROOT, b, "..", b, "x"));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void symlinksAreStoredVerbatimAndNeverFollowed(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    assertTrue(fs.capabilities().contains(Capability.SYMLINKS));
    FileEntry link = fs.symlink(ROOT, fs.root(), "link", "some/target", SetAttributes.NONE);
    assertEquals(FileType.SYMLINK, link.attributes().type());
    assertEquals(11, link.attributes().size());
    assertEquals("some/target", fs.readlink(ROOT, link.handle()));
    assertEquals(link.handle(), fs.lookup(ROOT, fs.root(), "link").handle());
    FileHandle f = file(fs, fs.root(), "f", "x");
    assertStatus(NfsStatus.INVAL, () -> fs.readlink(ROOT, f));
    assertStatus(NfsStatus.INVAL, () -> fs.read(ROOT, link.handle(), 0, ByteBuffer.allocate(1)));
    assertStatus(NfsStatus.EXIST, () -> fs.symlink(ROOT, fs.root(), "f", "x", SetAttributes.NONE));
    assertStatus(NfsStatus.NOTDIR, () -> fs.lookup(ROOT, link.handle(), "x"));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void hardLinksShareOneHandle(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    assertTrue(fs.capabilities().contains(Capability.HARD_LINKS));
    FileHandle f = file(fs, fs.root(), "f", "shared");
    FileHandle d = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    fs.link(ROOT, f, d, "g");
    assertEquals(f, fs.lookup(ROOT, d, "g").handle());
    fs.remove(ROOT, fs.root(), "f");
    assertEquals("shared", content(fs, fs.lookup(ROOT, d, "g").handle()));
    assertStatus(NfsStatus.ISDIR, () -> fs.link(ROOT, d, fs.root(), "dirlink"));
    assertStatus(NfsStatus.EXIST, () -> fs.link(ROOT, fs.lookup(ROOT, d, "g").handle(), d, "g"));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void mknodMakesSpecialFilesOnlyOnADiskAndDevicesOnlyForRoot(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    if (env == Fixture.Env.REAL_DIRECTORY) {
      assertTrue(fs.capabilities().contains(Capability.SPECIAL_FILES));
      FileHandle fifo = fs.mknod(ROOT, fs.root(), "fifo", FileType.FIFO, SetAttributes.mode(0640),
          DeviceNumber.NONE).handle();
      assertEquals(FileType.FIFO, fs.getattr(ROOT, fifo).type());
      assertEquals(0640, fs.getattr(ROOT, fifo).mode() & 07777);
      assertStatus(NfsStatus.EXIST,
          () -> fs.mknod(ROOT, fs.root(), "fifo", FileType.FIFO, SetAttributes.NONE, DeviceNumber.NONE));
      if (!nativeCallsAtHand()) {
        assertStatus(NfsStatus.NOTSUPP, () -> fs.mknod(ROOT, fs.root(), "dev", FileType.CHAR_DEVICE,
            SetAttributes.NONE, new DeviceNumber(1, 3)));
        assertStatus(NfsStatus.NOTSUPP, () -> fs.mknod(ROOT, fs.root(), "sock", FileType.SOCKET,
            SetAttributes.NONE, DeviceNumber.NONE));
      } else {
        FileHandle shared = fs.mkdir(ROOT, fs.root(), "shared", SetAttributes.mode(0777)).handle();
        FileHandle sock = fs.mknod(USER, shared, "sock", FileType.SOCKET, SetAttributes.mode(0600),
            DeviceNumber.NONE).handle();
        assertEquals(FileType.SOCKET, fs.getattr(ROOT, sock).type());
        assertStatus(NfsStatus.PERM, () -> fs.mknod(USER, shared, "dev", FileType.CHAR_DEVICE,
            SetAttributes.NONE, new DeviceNumber(1, 3)));
        if (((Number) Files.getAttribute(fx.root, "unix:uid")).intValue() == 0) {
          FileHandle dev = fs.mknod(ROOT, fs.root(), "dev", FileType.CHAR_DEVICE, SetAttributes.NONE,
              new DeviceNumber(4095, 1 << 19)).handle();
          assertEquals(new DeviceNumber(4095, 1 << 19), fs.getattr(ROOT, dev).rdev());
          assertStatus(NfsStatus.INVAL, () -> fs.read(ROOT, dev, 0, ByteBuffer.allocate(16)));
        }
      }
    } else {
      assertFalse(fs.capabilities().contains(Capability.SPECIAL_FILES));
      assertStatus(NfsStatus.NOTSUPP,
          () -> fs.mknod(ROOT, fs.root(), "fifo", FileType.FIFO, SetAttributes.NONE, DeviceNumber.NONE));
    }
    assertStatus(NfsStatus.BADTYPE,
        () -> fs.mknod(ROOT, fs.root(), "reg", FileType.REGULAR, SetAttributes.NONE, DeviceNumber.NONE));
  }

  /** mknod(2) through the FFM API: JDK 22 or later on Linux. */
  private static boolean nativeCallsAtHand() {
    return Runtime.version().feature() >= 22 && System.getProperty("os.name").startsWith("Linux");
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void readdirHidesStateAndPagesByCookie(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    Set<String> made = new HashSet<>();
    for (int i = 0; i < 25; i++) {
      file(fs, fs.root(), "file" + i, "x");
      made.add("file" + i);
    }
    Set<String> listed = new HashSet<>();
    long cookie = 0;
    long verifier = 0;
    boolean eof = false;
    while (!eof) {
      DirectoryPage page = fs.readdir(ROOT, fs.root(), cookie, verifier, 7, true);
      assertTrue(page.entries().size() <= 7);
      for (DirectoryEntry e : page.entries()) {
        assertTrue(listed.add(e.name()), "listed twice: " + e.name());
        assertTrue(e.cookie() > 2);
        assertEquals(e.fileid(), e.attributes().fileid());
        assertEquals(fs.lookup(ROOT, fs.root(), e.name()).handle(), e.handle());
        cookie = e.cookie();
      }
      verifier = page.verifier();
      eof = page.eof();
    }
    assertEquals(made, listed);
    assertStatus(NfsStatus.NOENT, () -> fs.lookup(ROOT, fs.root(), ".jnfs"));
    assertStatus(NfsStatus.ACCES, () -> fs.mkdir(ROOT, fs.root(), ".jnfs", null));
    assertStatus(NfsStatus.NOENT, () -> fs.rmdir(ROOT, fs.root(), ".jnfs"));
    FileHandle f = fs.lookup(ROOT, fs.root(), "file1").handle();
    assertStatus(NfsStatus.NOTDIR, () -> fs.readdir(ROOT, f, 0, 0, 10, false));
    DirectoryPage plain = fs.readdir(ROOT, fs.root(), 0, 0, 100, false);
    assertEquals(25, plain.entries().size());
    assertTrue(plain.eof());
    assertEquals(null, plain.entries().get(0).handle());
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void fsstatReportsTheStore(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    var st = fs.fsstat(ROOT, fs.root());
    assertTrue(st.totalBytes() > 0);
    assertTrue(st.freeBytes() <= st.totalBytes());
    assertTrue(st.availableBytes() <= st.freeBytes());
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void handlesSurviveARestart(Fixture.Env env) throws Exception {
    LocalFileSystem fs = open(env);
    FileHandle d = fs.mkdir(ROOT, fs.root(), "d", null).handle();
    FileHandle f = file(fs, d, "f", "persistent");
    FileHandle renamed = file(fs, d, "before", "renamed");
    fs.rename(ROOT, d, "before", fs.root(), "after");
    FileHandle gone = file(fs, d, "gone", "x");
    FileHandle root = fs.root();
    long fileid = fs.getattr(ROOT, f).fileid();
    LocalFileSystem again = fx.restart();
    assertEquals(root, again.root());
    assertEquals("persistent", content(again, f));
    assertEquals("renamed", content(again, renamed));
    assertEquals(f, again.lookup(ROOT, d, "f").handle());
    assertEquals(2, again.readdir(ROOT, d, 0, 0, 10, true).entries().size());
    Files.delete(fx.root.resolve("d").resolve("gone"));
    assertStatus(NfsStatus.STALE, () -> again.getattr(ROOT, gone));
    FileHandle fresh = file(again, d, "new", "y");
    assertNotEquals(gone, fresh);
    assertEquals(fileid, again.getattr(ROOT, f).fileid());
  }
}
