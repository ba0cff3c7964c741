package dev.jnfs.localfs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded set of open {@link FileChannel}s keyed by object id, so that READ and WRITE do not
 * reopen files. A channel is shared by concurrent users (positional I/O needs no exclusive
 * access) and counted: it is closed only once no one uses it, when it is evicted (least
 * recently used beyond the capacity), has been idle too long, its object is removed or
 * replaced ({@link #invalidate}; Windows cannot delete an open file), or the cache closes.
 * Files opened through the SPI's open hook stay pinned until the matching close.
 *
 * <p>Thread-safe.
 */
final class ChannelCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelCache.class);
  private static final Set<OpenOption> READ_WRITE =
      Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  private static final Set<OpenOption> READ_ONLY = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

  private final int capacity;
  private final long idleNanos;
  private final long writeBehindBytes;
  private final LongSupplier clock;
  private final Opener opener;
  /** Null where no page-cache probe can be had. */
  private final Prober prober;
  private final LinkedHashMap<Long, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<Long, Deque<Lease>> pins = new HashMap<>();
  private long lastSweep;
  private boolean closed;
  /**
   * A write-back failure no sync reported before its channel was closed (evicted, idle): the
   * next sync of any channel reports it. The operating system tells a failed write-back only
   * once, and the write-behind heard it, so a sync through a new channel of that file would
   * succeed although data was lost. One report is enough: the server then changes its write
   * verifier, which makes every client send again all it had not seen committed.
   */
  private IOException unreported;

  /**
   * @param writeBehindBytes how many bytes written UNSTABLE through one channel start writing
   *     them to disk ahead of a COMMIT; 0 never
   * @param opener opens a file's channel by its path
   */
  ChannelCache(int capacity, long idleNanos, long writeBehindBytes, LongSupplier clock, Opener opener) {
    this(capacity, idleNanos, writeBehindBytes, clock, opener, null);
  }

  /**
   * @param prober opens a probe of which data of a file read through the cache is in memory
   *     ({@link #holdsInMemory}); null for none
   */
  ChannelCache(int capacity, long idleNanos, long writeBehindBytes, LongSupplier clock, Opener opener,
      Prober prober) {
    this.capacity = capacity;
    this.idleNanos = idleNanos;
    this.writeBehindBytes = writeBehindBytes;
    this.clock = clock;
    this.opener = opener;
    this.prober = prober;
  }

  /** How a channel is opened ({@link ConfinedFiles#open} for an export). */
  @FunctionalInterface
  interface Opener {
    FileChannel open(Path path, Set<OpenOption> options) throws IOException;
  }

  /** How a file's page-cache probe is opened ({@link NativeFiles.Confined#probePageCache}). */
  @FunctionalInterface
  interface Prober {
    /** @return the probe, or null where there is none */
    NativeFiles.PageCacheProbe open(Path path) throws IOException;
  }

  /** One use of a cached channel; closing it ends the use. */
  final class Lease implements AutoCloseable {
    private final Entry entry;
    private boolean released;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    FileChannel channel() {
      return entry.channel;
    }

    /**
     * Counts bytes written UNSTABLE through this channel.
     *
     * @param bytes how many were written
     * @return whether the caller is to start writing the channel's data to disk now, as
     *     enough of it waits for a COMMIT ({@link #writeBehindDone} ends it); at most one
     *     write-behind per channel runs at a time
     */
    boolean wroteUnstable(long bytes) {
      synchronized (ChannelCache.this) {
        entry.unflushed += bytes;
        if (writeBehindBytes <= 0 || entry.writingBehind || entry.unflushed < writeBehindBytes) {
          return false;
        }
        entry.writingBehind = true;
        entry.unflushed = 0;
        return true;
      }
    }

    /**
     * Ends a write-behind that {@link #wroteUnstable} started.
     *
     * @param failure why writing to disk failed, or null; kept for the channel's later syncs
     */
    void writeBehindDone(IOException failure) {
      synchronized (ChannelCache.this) {
        entry.writingBehind = false;
        if (failure != null && entry.writeBackFailure == null) {
          entry.writeBackFailure = failure;
        }
        if (failure != null && entry.retired) {
          unreported = failure; // no sync of this channel will come
        }
      }
    }

    /**
     * Forces the channel to disk. A write-behind that failed fails every later sync of the
     * channel too: the operating system reports a failed write-back once per open file, so a
     * sync after it would succeed although data was lost.
     *
     * @param metadata whether the file's metadata is forced too
     */
    void force(boolean metadata) throws IOException {
      entry.channel.force(metadata);
      IOException failure;
      IOException other;
      synchronized (ChannelCache.this) {
        failure = entry.writeBackFailure;
        entry.failureReported |= failure != null;
        other = unreported;
        unreported = null;
      }
      if (failure != null) {
        throw new IOException("an earlier write-back of this file failed", failure);
      }
      if (other != null) {
        throw new IOException("an earlier write-back of a file no longer open failed", other);
      }
    }

    @Override
    public void close() {
      synchronized (ChannelCache.this) {
        if (released) {
          return;
        }
        released = true;
        entry.users--;
        entry.lastUsed = clock.getAsLong();
        if (entry.users == 0 && entry.retired) {
          closeQuietly(entry);
        }
      }
    }
  }

  private static final class Entry {
    final long id;
    final FileChannel channel;
    final boolean writable;
    int users;
    long lastUsed;
    boolean retired;
    /** Bytes written UNSTABLE since the last write-behind started. */
    long unflushed;
    boolean writingBehind;
    IOException writeBackFailure;
    /** Whether a sync reported {@link #writeBackFailure}. */
    boolean failureReported;
    /** Opened by the first read through the entry ({@link #probeFor}); closed with the channel. */
    NativeFiles.PageCacheProbe probe;
    /** Whether opening {@link #probe} was tried. */
    boolean probed;

    Entry(long id, FileChannel channel, boolean writable) {
      this.id = id;
      this.channel = channel;
      this.writable = writable;
    }
  }

  /**
   * Borrows the channel of an object, opening it if needed.
   *
   * @param write whether the channel must be writable
   */
  Lease acquire(long id, Path path, boolean write) throws IOException {
    Lease lease;
    synchronized (this) {
      lease = tryReuse(id, write);
    }
    if (lease == null) {
      lease = open(id, path, write);
    }
    if (!write) {
      probeFor(lease.entry, path);
    }
    return lease;
  }

  private Lease open(long id, Path path, boolean write) throws IOException {
    FileChannel channel;
    boolean writable = true;
    try {
      channel = opener.open(path, READ_WRITE);
    } catch (AccessDeniedException | UnsupportedOperationException e) {
      if (write) {
        throw e;
      }
      channel = opener.open(path, READ_ONLY);
      writable = false;
    }
    synchronized (this) {
      Lease lease = closed ? null : tryReuse(id, write);
      if (lease != null || closed) {
        channel.close();
        if (closed) {
          throw new IOException("file system closed");
        }
        return lease;
      }
      Entry old = entries.remove(id);
      if (old != null) {
        retire(old);
      }
      Entry entry = new Entry(id, channel, writable);
      entries.put(id, entry);
      entry.users++;
      sweep();
      return new Lease(entry);
    }
  }

  /**
   * Opens the page-cache probe of an entry's file the first time the file is read through it
   * (by the reading worker, which may wait for the open): only files that are read are asked
   * about ({@link #holdsInMemory}).
   */
  private void probeFor(Entry e, Path path) {
    synchronized (this) {
      if (prober == null || e.probed) {
        return;
      }
      e.probed = true;
    }
    NativeFiles.PageCacheProbe probe;
    try {
      probe = prober.open(path);
    } catch (IOException ex) {
      LOG.debug("no page-cache probe of {}: {}", path, ex.toString());
      return;
    }
    if (probe == null) {
      return;
    }
    synchronized (this) {
      if (!e.retired && !closed) {
        e.probe = probe;
        return;
      }
    }
    probe.close();
  }

  /**
   * Whether a range of an object's data is in the operating system's page cache now, so that
   * reading it waits for no disk: known only for a file read through this cache before, while
   * its channel stays open. Makes one system call and waits for no I/O.
   */
  synchronized boolean holdsInMemory(long id, long offset, long length) {
    Entry e = entries.get(id);
    return e != null && e.probe != null && e.probe.holds(offset, length);
  }

  private Lease tryReuse(long id, boolean write) {
    Entry e = entries.get(id);
    if (e == null || (write && !e.writable) || !e.channel.isOpen()) {
      return null;
    }
    e.users++;
    e.lastUsed = clock.getAsLong();
    return new Lease(e);
  }

  /**
   * Keeps a channel the caller opened for reading and writing (a file it just created) as the
   * object's channel; closes it instead if the object has one already or the cache is closed.
   */
  void adopt(long id, FileChannel channel) {
    synchronized (this) {
      if (!closed && !entries.containsKey(id)) {
        Entry entry = new Entry(id, channel, true);
        entry.lastUsed = clock.getAsLong();
        entries.put(id, entry);
        sweep();
        return;
      }
    }
    closeQuietly(channel);
  }

  /** Keeps an object's channel open until {@link #unpin}. */
  void pin(long id, Path path, boolean write) throws IOException {
    Lease lease = acquire(id, path, write);
    synchronized (this) {
      pins.computeIfAbsent(id, k -> new ArrayDeque<>()).push(lease);
    }
  }

  /** Ends one {@link #pin}. */
  void unpin(long id) {
    Lease lease;
    synchronized (this) {
      Deque<Lease> stack = pins.get(id);
      if (stack == null) {
        return;
      }
      lease = stack.pop();
      if (stack.isEmpty()) {
        pins.remove(id);
      }
    }
    lease.close();
  }

  /** Closes an object's channel (at once, or when its last user finishes). */
  synchronized void invalidate(long id) {
    Entry e = entries.remove(id);
    if (e != null) {
      retire(e);
    }
  }

  /** @return whether a channel for the object is open (for tests) */
  synchronized boolean isOpen(long id) {
    Entry e = entries.get(id);
    return e != null && e.channel.isOpen();
  }

  /** @return how many channels are open (for tests) */
  synchronized int size() {
    return entries.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    List<Entry> all = new ArrayList<>(entries.values());
    entries.clear();
    pins.clear();
    for (Entry e : all) {
      closeQuietly(e);
    }
  }

  private void retire(Entry e) {
    e.retired = true;
    if (e.writeBackFailure != null && !e.failureReported) {
      unreported = e.writeBackFailure;
    }
    if (e.users == 0) {
      closeQuietly(e);
    }
  }

  /** Closes channels unused for longer than the idle time; called periodically. */
  synchronized void closeIdle() {
    lastSweep = Long.MIN_VALUE / 2;
    sweep();
  }

  private void sweep() {
    long now = clock.getAsLong();
    boolean idleSweep = now - lastSweep > Math.min(idleNanos, 1_000_000_000L);
    if (entries.size() <= capacity && !idleSweep) {
      return;
    }
    lastSweep = now;
    int excess = entries.size() - capacity;
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.users > 0) {
        continue;
      }
      if (excess > 0 || now - e.lastUsed > idleNanos) {
        it.remove();
        excess--;
        retire(e);
      }
    }
  }

  private static void closeQuietly(Entry e) {
    closeQuietly(e.channel);
    if (e.probe != null) {
      e.probe.close();
    }
  }

  /** Closes a channel that no entry holds. */
  static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("closing a file channel failed: {}", e.toString());
    }
  }
}
