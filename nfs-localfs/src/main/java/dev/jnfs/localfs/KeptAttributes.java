package dev.jnfs.localfs;

import dev.jnfs.spi.FileType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attributes read before and unchanged since, else read now: those of a listing's entries
 * ({@link #readAll}), of one entry ({@link #entry}, for GETATTR and LOOKUP of a file) and of a
 * directory itself ({@link #directory}). Where the export has a {@link NativeFiles.ChangeWatch}
 * (Linux {@code inotify}), a directory listed with attributes, or one of whose entries GETATTR
 * or LOOKUP reads a second time, is watched, and the attributes read of its entries and of
 * itself are kept and given again while all of these hold:
 *
 * <ul>
 *   <li>no event has named the entry since they were read (for the directory itself: no
 *       event of its watch at all); every use first reads the events queued so far, unless
 *       a read of them began after the call was received ({@link #since}), and the kernel
 *       queues one inside the system call making a change, so a change completed before the
 *       call was received is always seen. An event about the directory itself (removed,
 *       moved, its watch ended) or a lost event (queue overflow) drops what is kept of it, or
 *       of every directory; a name made in it ({@code IN_CREATE}, perhaps a new link to
 *       another entry's object) drops what is kept of the directory;
 *   <li>the entry is a regular file or a symlink with one link: a hard-linked file can change
 *       through another directory, whose watch is not this one, and a subdirectory's
 *       attributes change with its contents, which this watch does not see (a directory's own
 *       attributes are kept by its own watch, which does);
 *   <li>they were read less than {@link #MAX_AGE_NANOS} (one second) ago. That bounds what
 *       {@code inotify} cannot report: a write through another program's shared memory mapping
 *       of the file (its modification time moves with no event), a hard link made to the file
 *       from another directory (its link count and change time), a read by another program
 *       (its access time: reads are not watched, as an event per read would cost more than
 *       the {@code statx} it saves; a read through this backend forgets what is kept of the
 *       file or directory it read, unless the mount's {@code noatime} or {@code relatime} says
 *       the read left the access time as it was, {@link AccessTimes}).
 * </ul>
 *
 * <p>GETATTR, ACCESS and LOOKUP use what is kept only for the root and the directories right
 * below it and their entries ({@link ObjectResolver#keepsFor}): deeper, another program moving
 * a directory in between out of the export raises no event on the watched directory, and the
 * walk from the root that finds the object gone must answer for it.
 *
 * <p>Changes made from other hosts raise no event here at all: only directories of local disk
 * file systems are watched ({@link #watchable}).
 *
 * <p>Other entries (directories, hard-linked files, other objects), directories that cannot be
 * watched (the user's watches used up, ENOSPC; the directory unreadable) and exports without
 * the change watch (JDK 21, other systems, other providers) are read every time. Changes made
 * through this backend are system calls on the same files and raise the same events. A
 * directory whose entries GETATTR and LOOKUP read only once is not watched, so that a walk
 * over a tree does not add and give up a watch per directory; a second read of one of its
 * entries, while it is among the last {@link #CANDIDATES} directories so read, watches it. A
 * directory's own attributes are kept only while it is watched for its entries.
 *
 * <p>Attributes read while an event of their directory was applied are not kept (they may be
 * older than the event): each directory counts the events applied to it, and attributes are
 * kept only when the count did not move during their read. At most {@link #MAX_DIRECTORIES}
 * directories are watched and {@link #MAX_ENTRIES} entries kept, the least recently used
 * directories giving up their watch first.
 *
 * <p>Thread-safe: one lock covers reading the events, applying them and the maps; the
 * attribute reads run outside it, and so does the forecast of {@link #holds}, which reads the
 * watched directories and their entries from concurrent maps.
 */
final class KeptAttributes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeptAttributes.class);
  static final long MAX_AGE_NANOS = 1_000_000_000L;
  static final int MAX_DIRECTORIES = 64;
  static final int MAX_ENTRIES = 100_000;
  /** How many directories read once by GETATTR or LOOKUP are remembered, to watch on a second read. */
  static final int CANDIDATES = 256;
  /**
   * File systems whose every change is made by this host's kernel, and so raises an event:
   * local disk file systems and tmpfs, as {@link java.nio.file.FileStore#type} names them (not
   * network or FUSE file systems, nor overlays, whose lower layers can change unseen).
   */
  private static final Set<String> LOCAL_TYPES =
      Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "f2fs", "zfs", "bcachefs", "jfs", "nilfs2");

  private final NativeFiles.ChangeWatch watch;
  private final Reader reader;
  private final PathReader pathReader;
  private final LongSupplier clock;
  /** Entry attributes read from the file system (counted for tests: what the cache saved). */
  private final AtomicLong entriesRead = new AtomicLong();

  /** Guards everything below and the {@link Directory} objects. */
  private final Object lock = new Object();
  /** By directory id, least recently used first. */
  private final LinkedHashMap<Long, Directory> byId = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<Integer, Directory> byWatch = new HashMap<>();
  /**
   * The directories of {@link #byId} that have a watch, for {@link #holds} to read without the
   * lock; written under it, where a directory is watched and where it is forgotten.
   */
  private final Map<Long, Directory> watchedById = new ConcurrentHashMap<>();
  private int entriesKept;
  /** Changes to the kept entries of any directory so far: each sets that directory's version. */
  private long versions;
  /**
   * When the last drain of the events began ({@link #clock}), read before it read the queue;
   * under {@link #lock}. A read for a call received before it needs no drain of its own: that
   * one read every event queued by then, and has finished once the lock is taken.
   */
  private long drainBegan;
  private boolean watchFailureLogged;
  private final NativeFiles.ChangeWatch.Changes applier = new Applier();
  /** Directories one entry of which {@link #entry} read, not watched yet; eldest first. */
  private final Set<Long> candidates = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
      return size() > CANDIDATES;
    }
  });

  /** Reads the attributes of names of one directory, as {@link AttributeAccess#readAll} does. */
  @FunctionalInterface
  interface Reader {
    /** @return one per name, in the same order; null for a name that no longer exists */
    List<Snapshot> readAll(Path directory, List<String> names) throws IOException;
  }

  /** Reads one object's attributes, as {@link AttributeAccess#read} does. */
  @FunctionalInterface
  interface PathReader {
    /** @throws java.nio.file.NoSuchFileException when nothing is there */
    Snapshot read(Path path) throws IOException;
  }

  /**
   * An entry's attributes and when they were read ({@link #clock}). A listing may hold on to
   * it ({@link #readAll}'s {@code slots}) and use it again while it is not {@code dropped}:
   * every way an entry leaves its directory's map marks it so, so a kept one that is not
   * dropped is the one the map holds for its name.
   */
  static final class Kept {
    private final Snapshot attributes;
    private final long readAt;
    /** Whether the entry left its directory's map; under {@link #lock}. */
    private boolean dropped;

    private Kept(Snapshot attributes, long readAt) {
      this.attributes = attributes;
      this.readAt = readAt;
    }
  }

  /** What is known of one watched directory. */
  private static final class Directory {
    final long id;
    /** The watch, or null when the directory could not be watched. */
    final NativeFiles.ChangeWatch.Watched watched;
    final FileKey key;
    /** Written under {@link #lock}; read without it by {@link #holds} alone. */
    final Map<String, Kept> entries = new ConcurrentHashMap<>();
    /** The directory's own attributes, or null; dropped by every event of its watch. */
    Kept self;
    /** Events applied to this directory: attributes read across a change are not kept. */
    long events;
    /** Set from {@link #versions} at every change of {@link #entries}, and when made. */
    long version;

    Directory(long id, NativeFiles.ChangeWatch.Watched watched, FileKey key) {
      this.id = id;
      this.watched = watched;
      this.key = key;
    }
  }

  /**
   * @param watch the export's change watch, closed with this object; null for none (then
   *     every entry is read every time)
   * @param reader the export's {@link AttributeAccess#readAll}
   * @param pathReader the export's {@link AttributeAccess#read}
   * @param clock {@link System#nanoTime}, or a test's
   */
  KeptAttributes(NativeFiles.ChangeWatch watch, Reader reader, PathReader pathReader, LongSupplier clock) {
    this.watch = watch;
    this.reader = reader;
    this.pathReader = pathReader;
    this.clock = clock;
    this.drainBegan = clock.getAsLong(); // nothing is watched before: no event to read
  }

  /**
   * @param receivedAt when the call was received ({@link dev.jnfs.spi.Caller#receivedAt}), if
   *     known
   * @return the moment a read for the call must see every change completed before: that time,
   *     or now
   */
  long since(OptionalLong receivedAt) {
    return receivedAt.isPresent() ? receivedAt.getAsLong() : clock.getAsLong();
  }

  /**
   * @return whether changes to a file system of this {@link java.nio.file.FileStore#type} all
   *     raise events here
   */
  static boolean watchable(String fileStoreType) {
    return LOCAL_TYPES.contains(fileStoreType);
  }

  /**
   * What {@link #readAll} gave.
   *
   * @param attributes one per name, in the same order; null for a name that no longer exists
   * @param allKept when every name's attributes were kept ones, what {@link #unchangedSince}
   *     checks; else null
   */
  record Read(List<Snapshot> attributes, AllKept allKept) {}

  /**
   * Names whose attributes were all kept ones.
   *
   * @param version the directory's {@link Directory#version} then
   * @param oldestReadAt when the oldest of those attributes was read ({@link #clock})
   */
  record AllKept(long version, long oldestReadAt) {}

  /**
   * Reads the attributes of names of one directory, giving those kept where they may be.
   *
   * @param directory the directory's id
   * @param key the directory's file key as just read (a watch of another object is not used)
   * @param slots per name, from {@code offset} on, what this call gave for it before (or null),
   *     updated by this call: what is still kept is found there without a lookup by name. The
   *     caller gives the same name's slot each time for the same directory
   * @param since what the read must see the changes completed before ({@link #since})
   */
  Read readAll(long directory, FileKey key, Path path, List<String> names, Kept[] slots, int offset, long since)
      throws IOException {
    if (watch == null || key == null) {
      return new Read(read(path, names), null);
    }
    Snapshot[] out = new Snapshot[names.size()];
    List<String> toRead = new ArrayList<>();
    int[] readFor = new int[names.size()];
    Directory d;
    long eventsBefore = 0;
    long readAt = 0;
    long oldestReadAt = Long.MAX_VALUE;
    long version = 0;
    synchronized (lock) {
      d = drainSince(since) ? watched(directory, key, path) : null;
      if (d != null) {
        readAt = clock.getAsLong();
        for (int i = 0; i < out.length; i++) {
          Kept kept = slots[offset + i];
          if (kept == null || kept.dropped) {
            kept = d.entries.get(names.get(i));
            slots[offset + i] = kept;
          }
          if (isFresh(kept, readAt)) {
            out[i] = kept.attributes;
            oldestReadAt = Math.min(oldestReadAt, kept.readAt);
          } else {
            readFor[toRead.size()] = i;
            toRead.add(names.get(i));
          }
        }
        eventsBefore = d.events;
        version = d.version;
      }
    }
    if (d == null) {
      return new Read(read(path, names), null); // outside the lock: no other call waits for this one's reads
    }
    if (toRead.isEmpty()) {
      return new Read(Arrays.asList(out), new AllKept(version, oldestReadAt));
    }
    List<Snapshot> read = read(path, toRead);
    for (int k = 0; k < read.size(); k++) {
      out[readFor[k]] = read.get(k);
    }
    synchronized (lock) {
      if (byId.get(directory) == d && d.events == eventsBefore) {
        trim(d, read.size());
        for (int k = 0; k < read.size(); k++) {
          slots[offset + readFor[k]] = keep(d, toRead.get(k), read.get(k), readAt);
        }
      }
    }
    return new Read(Arrays.asList(out), null);
  }

  /**
   * Whether the attributes a {@link #readAll} gave, every one of them kept, would all be given
   * again now: the events queued so far read, none of the directory's kept entries has been
   * dropped, replaced or added since, and the oldest of those given is still fresh. A listing
   * page made of them alone may then be given again as a whole.
   *
   * @param key the directory's file key as just read
   * @param since what the answer must see the changes completed before ({@link #since})
   */
  boolean unchangedSince(long directory, FileKey key, AllKept kept, long since) {
    synchronized (lock) {
      if (!drainSince(since)) {
        return false;
      }
      Directory d = byId.get(directory);
      return d != null && d.version == kept.version() && d.key.equals(key)
          && isFresh(kept.oldestReadAt(), clock.getAsLong());
    }
  }

  /**
   * Reads the attributes of one entry of a directory, giving those kept where they may be.
   *
   * @param directory the directory's id
   * @param key the directory's file key, as the index or a read just now has it (a watch of
   *     another object is not used)
   * @param directoryPath where the directory is
   * @param name the entry's name in it
   * @param path the entry's path, {@code directoryPath} and {@code name}
   * @param since what the read must see the changes completed before ({@link #since})
   * @throws java.nio.file.NoSuchFileException when the entry is not there
   */
  Snapshot entry(long directory, FileKey key, Path directoryPath, String name, Path path, long since)
      throws IOException {
    return readOneKept(directory, key, directoryPath, name, path, since);
  }

  /**
   * Reads a directory's own attributes, giving those kept where they may be.
   *
   * @param key the directory's file key as the index has it
   * @param since what the read must see the changes completed before ({@link #since})
   * @throws java.nio.file.NoSuchFileException when it is not there
   */
  Snapshot directory(long directory, FileKey key, Path path, long since) throws IOException {
    return readOneKept(directory, key, path, null, path, since);
  }

  /**
   * Whether the attributes of the entry {@code name} of a directory are kept now, or with
   * {@code name} null whether the directory is watched (so that its own attributes and those
   * of its entries are kept once read): a forecast that reading them touches no file, made
   * without reading the queued events (a change they report makes the read that follows read
   * the file system) and without the lock, so that it costs the calls it forecasts for no
   * wait (a change being applied meanwhile may or may not be seen).
   */
  boolean holds(long directory, String name) {
    Directory d = watchedById.get(directory);
    if (d == null) {
      return false;
    }
    return name == null || isFresh(d.entries.get(name), clock.getAsLong());
  }

  /**
   * Reads one object's attributes, kept ones where they may be: the entry {@code name} of the
   * watched directory, or with {@code name} null the directory itself (watched only by a read
   * of its entries, and counted as no entry read).
   */
  private Snapshot readOneKept(long directory, FileKey key, Path directoryPath, String name, Path path, long since)
      throws IOException {
    boolean ofEntry = name != null;
    Directory d;
    long eventsBefore = 0;
    long readAt = 0;
    synchronized (lock) {
      d = watchedForOne(directory, key, directoryPath, since, ofEntry);
      if (d != null) {
        readAt = clock.getAsLong();
        Kept kept = ofEntry ? d.entries.get(name) : d.self;
        if (isFresh(kept, readAt)) {
          return kept.attributes;
        }
        eventsBefore = d.events;
      }
    }
    // outside the lock: no other call waits for this one's read
    Snapshot s = ofEntry ? readOne(path) : pathReader.read(path);
    if (d == null) {
      return s;
    }
    synchronized (lock) {
      if (byId.get(directory) == d && d.events == eventsBefore) {
        if (ofEntry) {
          trim(d, 1);
          keep(d, name, s, readAt);
        } else if (s.isDirectory() && key.equals(s.key())) {
          d.self = new Kept(s, readAt);
        }
      }
    }
    return s;
  }

  /**
   * Reads the events queued so far and finds the watched directory for a read of one object;
   * under {@link #lock}.
   *
   * @param since what the read must see the changes completed before
   * @param mayWatch whether a directory not yet watched is watched on its second such read
   *     (of an entry; a directory's own reads use a watch only when there is one)
   * @return the directory, or null when its attributes are to be read without keeping them
   */
  private Directory watchedForOne(long directory, FileKey key, Path path, long since, boolean mayWatch) {
    if (watch == null || key == null) {
      return null;
    }
    Directory d = byId.get(directory);
    if (d == null && (!mayWatch || candidates.add(directory))) {
      return null; // an entry read once: its directory is watched when one is read again
    }
    if (!drainSince(since)) {
      return null;
    }
    candidates.remove(directory);
    return watched(directory, key, path);
  }

  /**
   * Forgets what is kept of the entry {@code name} of a directory, or with {@code name} null of
   * the directory itself: after a change through this backend that raises no event on that
   * directory's watch (a read moving an access time, a hard link made from another directory).
   */
  void forget(long directory, String name) {
    if (watch == null) {
      return; // nothing is ever kept
    }
    synchronized (lock) {
      Directory d = byId.get(directory);
      if (d == null) {
        return;
      }
      d.events++;
      if (name == null) {
        d.self = null;
      } else {
        drop(d, name);
      }
    }
  }

  /** @return whether attributes kept may still be given at {@code now} ({@link #clock}) */
  private static boolean isFresh(Kept kept, long now) {
    return kept != null && isFresh(kept.readAt, now);
  }

  private static boolean isFresh(long readAt, long now) {
    return now - readAt < MAX_AGE_NANOS;
  }

  private Snapshot readOne(Path path) throws IOException {
    entriesRead.incrementAndGet();
    return pathReader.read(path);
  }

  private List<Snapshot> read(Path path, List<String> names) throws IOException {
    entriesRead.addAndGet(names.size());
    return reader.readAll(path, names);
  }

  /**
   * Keeps an entry's attributes if they may be given again and there is room (a directory
   * larger than {@link #MAX_ENTRIES} has some read every time), else forgets those kept.
   *
   * @return what is kept now, or null
   */
  private Kept keep(Directory d, String name, Snapshot s, long readAt) {
    boolean keepable = s != null && s.nlinkKnown() && s.nlink() == 1
        && (s.type() == FileType.REGULAR || s.type() == FileType.SYMLINK)
        && (entriesKept < MAX_ENTRIES || d.entries.containsKey(name));
    Kept now = keepable ? new Kept(s, readAt) : null;
    Kept before = keepable ? d.entries.put(name, now) : d.entries.remove(name);
    if (before != null) {
      before.dropped = true;
    }
    entriesKept += (keepable ? 1 : 0) - (before != null ? 1 : 0);
    d.version = ++versions;
    return now;
  }

  /** Forgets what is kept of one entry of a directory. */
  private void drop(Directory d, String name) {
    Kept gone = d.entries.remove(name);
    if (gone != null) {
      gone.dropped = true;
      entriesKept--;
      d.version = ++versions;
    }
  }

  /** Forgets every entry kept of a directory, and the directory's own attributes. */
  private void dropAll(Directory d) {
    d.self = null;
    for (Kept k : d.entries.values()) {
      k.dropped = true;
    }
    entriesKept -= d.entries.size();
    d.entries.clear();
    d.version = ++versions;
  }

  /**
   * Gives up the least recently used directories, other than {@code current}, beyond the
   * caps, making room for {@code more} entries.
   */
  private void trim(Directory current, int more) {
    Iterator<Directory> eldest = byId.values().iterator();
    while ((byId.size() > MAX_DIRECTORIES || entriesKept + more > MAX_ENTRIES) && eldest.hasNext()) {
      Directory d = eldest.next();
      if (d != current) {
        eldest.remove();
        forget(d, true);
      }
    }
  }

  /**
   * @return the directory's record, its watch added on first use; null when it cannot be
   *     watched (then not tried again until it is given up as the least recently used)
   */
  private Directory watched(long directory, FileKey key, Path path) {
    Directory d = byId.get(directory);
    if (d != null && !d.key.equals(key)) {
      byId.remove(directory);
      forget(d, true); // another object at the directory's id's path: watch the one listed now
      d = null;
    }
    if (d == null) {
      NativeFiles.ChangeWatch.Watched w = watch(path);
      if (w != null && !FileKey.unix(w.device(), w.inode()).equals(key)) {
        if (!byWatch.containsKey(w.descriptor())) {
          unwatch(w.descriptor());
        }
        return null; // replaced since it was resolved: read everything, and try again next time
      }
      d = new Directory(directory, w, key);
      d.version = ++versions;
      byId.put(directory, d);
      if (w != null) {
        watchedById.put(directory, d);
        Directory before = byWatch.put(w.descriptor(), d);
        if (before != null) {
          byId.remove(before.id); // the same directory under an id no longer its own
          forget(before, false);
        }
      }
      trim(d, 0);
    }
    return d.watched != null ? d : null;
  }

  /** @return the new watch, or null when it cannot be added */
  private NativeFiles.ChangeWatch.Watched watch(Path path) {
    try {
      return watch.watch(path);
    } catch (IOException e) {
      if (!watchFailureLogged) {
        watchFailureLogged = true;
        LOG.debug("directory {} not watched, its entries' attributes are read at every listing: {}", path,
            e.toString());
      }
      return null;
    }
  }

  private void unwatch(int descriptor) {
    try {
      watch.unwatch(descriptor);
    } catch (IOException e) {
      LOG.debug("inotify_rm_watch: {}", e.toString());
    }
  }

  /** Forgets a directory's entries, and its watch if {@code unwatch}. */
  private void forget(Directory d, boolean unwatch) {
    watchedById.remove(d.id, d);
    dropAll(d);
    d.events++;
    if (d.watched != null && byWatch.get(d.watched.descriptor()) == d) {
      byWatch.remove(d.watched.descriptor());
      if (unwatch) {
        unwatch(d.watched.descriptor());
      }
    }
  }

  /**
   * Makes sure the events queued before {@code since} are applied: reads and applies those
   * queued so far, unless a drain that began after {@code since} already did (drains run under
   * {@link #lock}, which the caller holds, so it has finished). The kernel queues an event
   * inside the system call making the change, so every change completed before {@code since}
   * is then applied. On failure forgets everything.
   *
   * @return false when the events could not be read
   */
  private boolean drainSince(long since) {
    if (drainBegan - since > 0) {
      return true;
    }
    drainBegan = clock.getAsLong();
    try {
      watch.drain(applier);
      return true;
    } catch (IOException e) {
      LOG.debug("change events unreadable, attributes are read again: {}", e.toString());
      forgetAll();
      return false;
    }
  }

  private void forgetAll() {
    for (Directory d : byId.values()) {
      d.events++;
      dropAll(d);
    }
  }

  /** Applies events as {@link NativeFiles.ChangeWatch#drain} reports them; under {@link #lock}. */
  private final class Applier implements NativeFiles.ChangeWatch.Changes {
    @Override
    public void entry(int descriptor, String name, boolean made) {
      Directory d = byWatch.get(descriptor);
      if (d == null) {
        return; // a watch given up since
      }
      d.events++;
      d.self = null;
      if (made) {
        dropAll(d);
        return;
      }
      drop(d, name);
    }

    @Override
    public void itself(int descriptor) {
      Directory d = byWatch.get(descriptor);
      if (d != null) {
        d.events++;
        d.self = null;
      }
    }

    @Override
    public void directory(int descriptor) {
      Directory d = byWatch.get(descriptor);
      if (d != null) {
        byId.remove(d.id);
        forget(d, true);
      }
    }

    @Override
    public void overflow() {
      forgetAll();
    }
  }

  /**
   * @return how many entries' attributes (of listings and {@link #entry}, not a directory's
   *     own) were read from the file system so far
   */
  long entriesRead() {
    return entriesRead.get();
  }

  /** Closes the change watch, which ends every watch. */
  @Override
  public void close() throws IOException {
    if (watch != null) {
      watch.close();
    }
  }
}
