package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.Fixture.assertStatus;
import static dev.jnfs.localfs.LocalFileSystemTest.content;
import static dev.jnfs.localfs.LocalFileSystemTest.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileRegionSource;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.OpenContext;
import dev.jnfs.spi.Owner;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Open channels are reused, bounded, and closed when their file goes away. */
class ChannelCacheTest {
  private Fixture fx;
  private FileSystem jimfs;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
    if (jimfs != null) {
      jimfs.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void removeAndRenameOverCloseTheChannel(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle a = file(fs, fs.root(), "a", "aaa");
    FileHandle b = file(fs, fs.root(), "b", "bbb");
    assertEquals("aaa", content(fs, a));
    assertEquals("bbb", content(fs, b));
    assertTrue(fs.isChannelOpen(a));
    assertTrue(fs.isChannelOpen(b));
    fs.remove(ROOT, fs.root(), "a");
    assertFalse(fs.isChannelOpen(a));
    assertFalse(Files.exists(fx.root.resolve("a")));
    FileHandle c = file(fs, fs.root(), "c", "ccc");
    fs.rename(ROOT, fs.root(), "c", fs.root(), "b");
    assertFalse(fs.isChannelOpen(b));
    assertEquals("ccc", content(fs, c));
    fs.close();
    assertFalse(fs.isChannelOpen(c));
  }

  private static final OpenContext READING =
      new OpenContext(OpenContext.READ, 0, new Owner(1, "reader".getBytes(StandardCharsets.US_ASCII)));
  private static final OpenContext WRITING =
      new OpenContext(OpenContext.READ | OpenContext.WRITE, 0, new Owner(1, "writer".getBytes(StandardCharsets.US_ASCII)));

  @Test
  void openPinsUntilCloseAndClosedFilesCanBeDeletedOnWindows() throws Exception {
    fx = Fixture.of(Fixture.Env.JIMFS_WINDOWS);
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "f.txt", "data");
    fs.open(ROOT, f, WRITING);
    fs.open(ROOT, f, READING);
    assertTrue(fs.isChannelOpen(f));
    fs.close(f, READING);
    fs.close(f, READING);
    fs.close(f, READING); // an unmatched close is harmless
    fs.remove(ROOT, fs.root(), "f.txt");
    assertFalse(fs.isChannelOpen(f));
    assertStatus(NfsStatus.STALE, () -> fs.open(ROOT, f, READING));
  }

  @Test
  void aRegionKeepsItsChannelOpenUntilReleased() throws Exception {
    fx = Fixture.of(Fixture.Env.JIMFS_UNIX);
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "f", "0123456789");
    FileRegionSource region = fs.readRegion(ROOT, f, 0, 10).orElseThrow();
    FileChannel channel = region.channel();
    fs.remove(ROOT, fs.root(), "f");
    assertTrue(channel.isOpen(), "still in use by the server");
    ByteBuffer b = ByteBuffer.allocate(10);
    channel.read(b, 0);
    assertEquals("0123456789", new String(b.array(), java.nio.charset.StandardCharsets.UTF_8));
    region.close();
    assertFalse(channel.isOpen());
    region.close(); // a second close does nothing
  }

  @Test
  void leastRecentlyUsedChannelsAreClosedBeyondTheCapacity() throws IOException {
    jimfs = Jimfs.newFileSystem(Configuration.unix());
    AtomicLong clock = new AtomicLong();
    ChannelCache cache = new ChannelCache(2, 1_000_000_000L, 0, clock::get, FileChannel::open);
    Path[] files = new Path[3];
    for (int i = 0; i < 3; i++) {
      files[i] = Files.writeString(jimfs.getPath("/f" + i), "x");
    }
    FileChannel first;
    try (ChannelCache.Lease lease = cache.acquire(0, files[0], false)) {
      first = lease.channel();
    }
    try (ChannelCache.Lease lease = cache.acquire(1, files[1], false)) {
      assertTrue(lease.channel().isOpen());
    }
    try (ChannelCache.Lease lease = cache.acquire(0, files[0], false)) {
      assertTrue(lease.channel() == first, "reused");
    }
    try (ChannelCache.Lease lease = cache.acquire(2, files[2], false)) {
      assertTrue(lease.channel().isOpen());
    }
    assertEquals(2, cache.size());
    assertTrue(cache.isOpen(0));
    assertFalse(cache.isOpen(1), "least recently used was evicted");
    clock.addAndGet(500_000_000L);
    cache.closeIdle();
    assertTrue(cache.isOpen(0), "not idle long enough");
    try (ChannelCache.Lease busy = cache.acquire(2, files[2], false)) {
      clock.addAndGet(5_000_000_000L);
      cache.closeIdle();
      assertFalse(cache.isOpen(0), "idle channels are closed");
      assertFalse(first.isOpen());
      assertTrue(busy.channel().isOpen(), "a channel in use is never closed");
    }
    try (ChannelCache.Lease lease = cache.acquire(1, files[1], false)) {
      assertTrue(lease.channel().isOpen());
    }
    cache.close();
    assertFalse(cache.isOpen(1));
    assertThrows(IOException.class, () -> cache.acquire(1, files[1], false));
  }

  @Test
  void unstableBytesStartOneWriteBehindAtATimeOnceEnoughWait() throws IOException {
    jimfs = Jimfs.newFileSystem(Configuration.unix());
    ChannelCache cache = new ChannelCache(4, 1_000_000_000L, 100, System::nanoTime, FileChannel::open);
    Path file = Files.writeString(jimfs.getPath("/f"), "x");
    try (ChannelCache.Lease lease = cache.acquire(0, file, true)) {
      assertFalse(lease.wroteUnstable(60));
      assertTrue(lease.wroteUnstable(60), "120 bytes wait");
      assertFalse(lease.wroteUnstable(500), "one write-behind runs already");
      lease.writeBehindDone(null);
      // what was written while the last one ran is still to be written
      assertTrue(lease.wroteUnstable(1));
      lease.writeBehindDone(null);
      assertFalse(lease.wroteUnstable(99));
      lease.force(true); // nothing failed
    }
  }

  @Test
  void withoutAThresholdNothingIsWrittenBehind() throws IOException {
    jimfs = Jimfs.newFileSystem(Configuration.unix());
    ChannelCache cache = new ChannelCache(4, 1_000_000_000L, 0, System::nanoTime, FileChannel::open);
    Path file = Files.writeString(jimfs.getPath("/f"), "x");
    try (ChannelCache.Lease lease = cache.acquire(0, file, true)) {
      assertFalse(lease.wroteUnstable(Long.MAX_VALUE / 2));
      assertFalse(lease.wroteUnstable(Long.MAX_VALUE / 2));
    }
  }

  @Test
  void aWriteBehindFailureNoSyncHeardIsReportedOnceAfterItsChannelCloses() throws IOException {
    jimfs = Jimfs.newFileSystem(Configuration.unix());
    AtomicLong clock = new AtomicLong();
    ChannelCache cache = new ChannelCache(1, 1_000_000_000L, 10, clock::get, FileChannel::open);
    Path failed = Files.writeString(jimfs.getPath("/failed"), "x");
    Path other = Files.writeString(jimfs.getPath("/other"), "x");
    IOException disk = new IOException("disk gone");
    try (ChannelCache.Lease lease = cache.acquire(0, failed, true)) {
      assertTrue(lease.wroteUnstable(10));
      lease.writeBehindDone(disk);
    }
    // the failed file's channel is evicted before any COMMIT heard of the failure
    try (ChannelCache.Lease lease = cache.acquire(1, other, true)) {
      assertFalse(cache.isOpen(0));
      IOException e = assertThrows(IOException.class, () -> lease.force(false));
      assertTrue(e.getCause() == disk, "the next sync, of any file, reports it");
      lease.force(false); // once
    }
    try (ChannelCache.Lease lease = cache.acquire(0, failed, true)) {
      lease.force(true);
    }
  }

  @Test
  void aWriteBehindFailureASyncReportedIsNotReportedAgainAfterItsChannelCloses() throws IOException {
    jimfs = Jimfs.newFileSystem(Configuration.unix());
    AtomicLong clock = new AtomicLong();
    ChannelCache cache = new ChannelCache(1, 1_000_000_000L, 10, clock::get, FileChannel::open);
    Path failed = Files.writeString(jimfs.getPath("/failed"), "x");
    Path other = Files.writeString(jimfs.getPath("/other"), "x");
    try (ChannelCache.Lease lease = cache.acquire(0, failed, true)) {
      assertTrue(lease.wroteUnstable(10));
      lease.writeBehindDone(new IOException("disk gone"));
      assertThrows(IOException.class, () -> lease.force(false));
    }
    try (ChannelCache.Lease lease = cache.acquire(1, other, true)) {
      lease.force(false);
    }
  }

  @Test
  void aFailedWriteBehindFailsEveryLaterSyncOfTheChannel() throws IOException {
    jimfs = Jimfs.newFileSystem(Configuration.unix());
    ChannelCache cache = new ChannelCache(4, 1_000_000_000L, 10, System::nanoTime, FileChannel::open);
    Path file = Files.writeString(jimfs.getPath("/f"), "x");
    IOException disk = new IOException("disk gone");
    try (ChannelCache.Lease lease = cache.acquire(0, file, true)) {
      assertTrue(lease.wroteUnstable(10));
      lease.writeBehindDone(disk);
    }
    try (ChannelCache.Lease lease = cache.acquire(0, file, true)) {
      for (boolean metadata : new boolean[] {false, true}) {
        IOException e = assertThrows(IOException.class, () -> lease.force(metadata));
        assertTrue(e.getCause() == disk, "the failure is named");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void aFileWrittenFarBeyondTheWriteBehindThresholdReadsBackWhole(Fixture.Env env)
      throws Exception {
    fx = Fixture.of(env);
    fx.fs.close();
    fx.fs = LocalFileSystem.builder(fx.root).writeBehind(64 * 1024).build();
    LocalFileSystem fs = fx.fs;
    FileHandle h =
        fs.create(ROOT, fs.root(), "big", CreateMode.GUARDED, SetAttributes.NONE, 0).handle();
    java.util.Random random = new java.util.Random(5);
    byte[] data = new byte[(3 << 20) + 17];
    random.nextBytes(data);
    int chunk = 48 * 1024;
    for (int at = 0; at < data.length; at += chunk) {
      int n = Math.min(chunk, data.length - at);
      WriteResult w = fs.write(ROOT, h, at, ByteBuffer.wrap(data, at, n), Stability.UNSTABLE);
      assertEquals(n, w.count());
      assertEquals(Stability.UNSTABLE, w.committed());
    }
    fs.commit(ROOT, h, 0, 0);
    ByteBuffer back = ByteBuffer.allocate(data.length + 10);
    while (back.position() < data.length) {
      int before = back.position();
      fs.read(ROOT, h, before, back);
      assertTrue(back.position() > before, "the read made progress");
    }
    assertEquals(data.length, back.position());
    assertTrue(java.util.Arrays.equals(data, java.util.Arrays.copyOf(back.array(), data.length)));
  }

  @ParameterizedTest
  @EnumSource(Fixture.Env.class)
  void aCreatedFileKeepsTheChannelItWasCreatedWithUntilItIsRemoved(Fixture.Env env)
      throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle h =
        fs.create(ROOT, fs.root(), "new", CreateMode.GUARDED, SetAttributes.NONE, 0).handle();
    assertTrue(fs.isChannelOpen(h), "the channel of the create is kept");
    fs.write(ROOT, h, 0, ByteBuffer.wrap("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        Stability.FILE_SYNC);
    assertEquals("hello", content(fs, h));
    assertEquals("hello", Files.readString(fx.root.resolve("new")));
    fs.remove(ROOT, fs.root(), "new");
    assertFalse(fs.isChannelOpen(h));
    assertFalse(Files.exists(fx.root.resolve("new")));
    // a create that fails keeps nothing open
    file(fs, fs.root(), "taken", "x");
    assertStatus(
        NfsStatus.EXIST,
        () -> fs.create(ROOT, fs.root(), "taken", CreateMode.GUARDED, SetAttributes.NONE, 0));
  }
}
