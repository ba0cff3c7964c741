package dev.jnfs.localfs;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The crash-safe map from object ids to {@link Node}s, kept in memory and in an append-only
 * log in the state directory.
 *
 * <p>Ids are never reused: they come from a counter whose high-water mark is written (and
 * forced to disk) before any id below it is handed out, so after a crash a new object can
 * never get an id a client still holds. A node written without forcing may be lost in a
 * crash; its handle then answers STALE, never another object. The log is rewritten (to a
 * temporary file, forced, then atomically moved over the old one) when it is opened, when
 * it has grown well past the live nodes, and when it is closed.
 *
 * <p>A record is written to the log before the change that appended it returns, except inside
 * {@link #batchingWrites}, which writes the records of a whole batch (the ids a directory page
 * gives to names seen for the first time) together when it ends: the same durability (not
 * forced either way) for one system call instead of one per record.
 *
 * <p>Thread-safe: reads ({@link #get}, {@link #idAt}, {@link #idForKey}) take no lock, so the
 * hot path of every operation does not contend; changes are synchronized, each a few map
 * operations and at most one append. A reader racing a change may briefly miss a name and
 * must then retry under the caller's own lock.
 */
final class PersistentIdIndex implements AutoCloseable {
  static final long ROOT_ID = 1;
  private static final String LOG_FILE = "ids.log";
  private static final String LOCK = "lock";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PersistentIdIndex.class);
  private static final long RESERVE_STEP = 4096;
  /** Records held back by a batch are written once this many bytes wait. */
  private static final int MAX_PENDING_BYTES = 64 * 1024;

  private final Path logFile;
  private final UnaryOperator<String> foldName;
  private final NodeTable nodes = new NodeTable();
  private final Map<NameKey, Long> byName = new ConcurrentHashMap<>();
  private final Map<FileKey, Long> byKey = new ConcurrentHashMap<>();
  private volatile long instance;
  private volatile long nextId = ROOT_ID + 1;
  private long reservedLimit;
  private FileChannel log;
  private FileChannel lockChannel;
  private java.nio.channels.FileLock lock;
  private long appendedSinceCompaction;
  /** Records appended so far (guarded by this). */
  private long appended;
  /** Records known to be on stable storage; only grows. */
  private final java.util.concurrent.atomic.AtomicLong synced = new java.util.concurrent.atomic.AtomicLong();
  /** Bumped by each rewrite (guarded by this): a rewrite forces every live record. */
  private long generation;
  /** Records appended but not yet written to the log (guarded by this); see {@link #batchingWrites}. */
  private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
  /** Whether the current thread runs a {@link #batchingWrites} action. */
  private final ThreadLocal<Boolean> batching = ThreadLocal.withInitial(() -> false);
  /** One force at a time; the others wait and usually find their records already forced. */
  private final java.util.concurrent.locks.ReentrantLock forceLock = new java.util.concurrent.locks.ReentrantLock();

  private PersistentIdIndex(Path stateDirectory, UnaryOperator<String> foldName) {
    this.logFile = stateDirectory.resolve(LOG_FILE);
    this.foldName = foldName;
  }

  /**
   * Opens (or creates) the index in a state directory.
   *
   * @param stateDirectory where the log lives (created if missing)
   * @param foldName how names are compared (identity, or case folding)
   * @param root the root's node as it is now (id and parent {@link #ROOT_ID}); replaces a
   *     stored one
   */
  static PersistentIdIndex open(Path stateDirectory, UnaryOperator<String> foldName, Node root)
      throws IOException {
    Files.createDirectories(stateDirectory);
    PersistentIdIndex index = new PersistentIdIndex(stateDirectory, foldName);
    index.lock();
    try {
      index.load();
    } catch (IOException | RuntimeException e) {
      index.unlock();
      throw e;
    }
    Node stored = index.nodes.get(ROOT_ID);
    index.nodes.put(stored == null ? root : stored.withIdentity(root.key(), root.birth()));
    if (root.key() != null) {
      index.byKey.put(root.key(), ROOT_ID);
    }
    index.pruneOrphans();
    index.reservedLimit = Math.max(index.reservedLimit, index.nextId) + RESERVE_STEP;
    index.rewrite();
    return index;
  }

  /**
   * Keeps other processes from using the same state directory: two writers would hand out the
   * same ids. A second instance in the same process cannot be told apart by file locks; it is
   * allowed with a warning (each instance must then have its own state directory to be safe).
   */
  private void lock() throws IOException {
    lockChannel = FileChannel.open(logFile.resolveSibling(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
      if (lock == null) {
        lockChannel.close();
        throw new IOException("the state directory is in use by another process: " + logFile.getParent());
      }
    } catch (java.nio.channels.OverlappingFileLockException e) {
      LOG.warn("state directory {} is already used by another file system in this process; give each its own",
          logFile.getParent());
    } catch (UnsupportedOperationException e) {
      // the provider has no locks (an in-memory file system): nothing to guard against
    }
  }

  private void unlock() {
    try {
      if (lock != null) {
        lock.release();
      }
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("releasing the lock of {} failed: {}", logFile.getParent(), e.toString());
    }
  }

  private void load() throws IOException {
    if (!Files.exists(logFile)) {
      instance = new SecureRandom().nextLong();
      return;
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(logFile))) {
      byte[] header = in.readNBytes(IdLogRecords.HEADER_LENGTH);
      ByteBuffer h = ByteBuffer.wrap(header);
      if (header.length != IdLogRecords.HEADER_LENGTH || h.getLong() != IdLogRecords.MAGIC) {
        throw new IOException("not an id index: " + logFile);
      }
      instance = h.getLong();
      IdLogRecords.read(in, new IdLogRecords.Visitor() {
        @Override
        public void put(Node node) {
          putInMemory(node);
          nextId = Math.max(nextId, node.id() + 1);
        }

        @Override
        public void delete(long id) {
          removeInMemory(id);
        }

        @Override
        public void reserve(long limit) {
          reservedLimit = Math.max(reservedLimit, limit);
        }
      });
    }
    // Ids up to the last reserved limit may have been handed out before a crash.
    nextId = Math.max(nextId, reservedLimit);
  }

  /** Forgets nodes whose directory was removed: their handles could only answer STALE. */
  private void pruneOrphans() {
    java.util.Set<Long> reachable = new java.util.HashSet<>();
    reachable.add(ROOT_ID);
    java.util.List<Long> orphans = new java.util.ArrayList<>();
    for (Node node : nodes.values()) {
      java.util.List<Long> chain = new java.util.ArrayList<>();
      Node n = node;
      while (n != null && !reachable.contains(n.id()) && chain.size() <= nodes.size()) {
        chain.add(n.id());
        n = nodes.get(n.parent());
      }
      if (n != null && reachable.contains(n.id())) {
        reachable.addAll(chain);
      } else {
        orphans.addAll(chain);
      }
    }
    for (long id : orphans) {
      removeInMemory(id);
    }
  }

  /** @return the random id of this index, fixed when it was first created */
  long instance() {
    return instance;
  }

  /** @return the node with that id, or null */
  Node get(long id) {
    return nodes.get(id);
  }

  /**
   * @param id {@code node.id()}
   * @return whether {@link #get} gives that very node for its id
   */
  boolean holds(long id, Node node) {
    return nodes.holds(id, node);
  }

  /**
   * @return a count that moves whenever a node is replaced or removed: while it is what it
   *     was, {@link #holds} is true of every node it was true of then
   */
  long nodesReplaced() {
    return nodes.replaced();
  }

  /** @return whether the id was ever handed out by this index */
  boolean wasIssued(long id) {
    return id >= ROOT_ID && id < nextId;
  }

  /** @return the id remembered for a name in a directory, or null */
  Long idAt(long parent, String name) {
    return byName.get(new NameKey(parent, foldName.apply(name)));
  }

  /** @return the id remembered for a file key, or null */
  Long idForKey(FileKey key) {
    return key == null ? null : byKey.get(key);
  }

  /**
   * Remembers a new object and hands it a fresh id.
   *
   * @param durable whether the record must be on stable storage before returning
   */
  Node mint(long parent, String name, dev.jnfs.spi.FileType type, FileKey key, long birth, boolean durable) {
    Node node;
    long seq;
    synchronized (this) {
      if (nextId >= reservedLimit) {
        reservedLimit = nextId + RESERVE_STEP;
        append(IdLogRecords.reserve(reservedLimit));
        forceNow(); // no id below the new limit is handed out before the limit is stable
      }
      node = Node.fresh(nextId++, parent, name, type, key, birth);
      putInMemory(node);
      seq = append(IdLogRecords.put(node));
    }
    if (durable) {
      syncTo(seq);
    }
    return node;
  }

  /**
   * Stores a changed node (moved, re-identified, or with new index-kept attributes).
   *
   * @param durable whether the record must be on stable storage before returning; it is
   *     forced outside this index's lock, together with any records appended meanwhile
   */
  void update(Node node, boolean durable) {
    long seq;
    synchronized (this) {
      Node old = nodes.get(node.id());
      putInMemory(node); // new mappings first: lock-free readers never see the object unnamed
      if (old != null) {
        unmapStale(old, node);
      }
      seq = append(IdLogRecords.put(node));
    }
    if (durable) {
      syncTo(seq);
    }
  }

  /** Forgets an object: its handle answers STALE from now on. */
  void remove(long id, boolean durable) {
    long seq;
    synchronized (this) {
      if (id == ROOT_ID || nodes.get(id) == null) {
        return;
      }
      removeInMemory(id);
      seq = append(IdLogRecords.delete(id));
    }
    if (durable) {
      syncTo(seq);
    }
  }

  /** An action whose records {@link #batchingWrites} holds back. */
  interface Batch<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Runs an action whose appended records wait in memory until it ends (or until enough of
   * them wait), then are written with one system call, before this returns. Records other
   * threads append meanwhile write the waiting ones first, so the log keeps their order.
   */
  <T, E extends Exception> T batchingWrites(Batch<T, E> action) throws E {
    if (batching.get()) {
      return action.run();
    }
    batching.set(true);
    try {
      return action.run();
    } finally {
      batching.set(false);
      synchronized (this) {
        writePending();
      }
    }
  }

  /** Forces all records appended so far to stable storage. */
  void sync() {
    long target;
    synchronized (this) {
      target = appended;
    }
    syncTo(target);
  }

  /**
   * Makes records up to {@code target} stable. The force runs outside this index's lock, so
   * changes go on meanwhile; concurrent callers share one force (group commit).
   */
  private void syncTo(long target) {
    if (synced.get() >= target) {
      return;
    }
    forceLock.lock();
    try {
      if (synced.get() >= target) {
        return; // forced by the caller before us
      }
      FileChannel channel;
      long upTo;
      long generationBefore;
      synchronized (this) {
        writePending();
        channel = log;
        upTo = appended;
        generationBefore = generation;
      }
      if (channel == null) {
        return; // closed: close() rewrote and forced everything
      }
      try {
        channel.force(false);
      } catch (java.nio.channels.ClosedChannelException e) {
        synchronized (this) {
          if (generation == generationBefore && log != null) {
            throw new UncheckedIOException("cannot force the id index " + logFile, e);
          }
        }
        // a rewrite replaced the log meanwhile and forced every live record
      } catch (IOException e) {
        throw new UncheckedIOException("cannot force the id index " + logFile, e);
      }
      synced.accumulateAndGet(upTo, Math::max);
    } finally {
      forceLock.unlock();
    }
  }

  /** Forces the log while holding this index's lock (rare: id reservations). */
  private void forceNow() {
    try {
      writePending();
      log.force(false);
      synced.accumulateAndGet(appended, Math::max);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot force the id index " + logFile, e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (log != null) {
      try {
        rewrite();
        log.close();
      } finally {
        log = null;
        unlock();
      }
    }
  }

  private void putInMemory(Node node) {
    nodes.put(node);
    if (node.id() != ROOT_ID) {
      byName.put(new NameKey(node.parent(), foldName.apply(node.name())), node.id());
      for (Node.Location l : node.aliases()) {
        byName.put(new NameKey(l.parent(), foldName.apply(l.name())), node.id());
      }
    }
    if (node.key() != null) {
      byKey.put(node.key(), node.id());
    }
  }

  private void removeInMemory(long id) {
    Node old = nodes.remove(id);
    if (old != null) {
      unmap(old);
    }
  }

  /** Removes the mappings of {@code old} that {@code current} no longer has. */
  private void unmapStale(Node old, Node current) {
    java.util.Set<NameKey> keep = new java.util.HashSet<>(nameKeys(current));
    for (NameKey k : nameKeys(old)) {
      if (!keep.contains(k)) {
        byName.remove(k, old.id());
      }
    }
    if (old.key() != null && !old.key().equals(current.key())) {
      byKey.remove(old.key(), old.id());
    }
  }

  private java.util.List<NameKey> nameKeys(Node node) {
    java.util.List<NameKey> keys = new java.util.ArrayList<>();
    if (node.id() != ROOT_ID) {
      keys.add(new NameKey(node.parent(), foldName.apply(node.name())));
      for (Node.Location l : node.aliases()) {
        keys.add(new NameKey(l.parent(), foldName.apply(l.name())));
      }
    }
    return keys;
  }

  private void unmap(Node old) {
    byName.remove(new NameKey(old.parent(), foldName.apply(old.name())), old.id());
    for (Node.Location l : old.aliases()) {
      byName.remove(new NameKey(l.parent(), foldName.apply(l.name())), old.id());
    }
    if (old.key() != null) {
      byKey.remove(old.key(), old.id());
    }
  }

  /**
   * Appends one record (caller holds this index's lock), written at once unless the current
   * thread runs a batch; @return its sequence number.
   */
  private long append(byte[] record) {
    pending.writeBytes(record);
    if (!batching.get() || pending.size() >= MAX_PENDING_BYTES) {
      writePending();
    }
    long seq = ++appended;
    if (++appendedSinceCompaction > Math.max(10_000, 2L * nodes.size())) {
      rewrite();
    }
    return seq;
  }

  /** Writes the records waiting in {@link #pending} (caller holds this index's lock). */
  private void writePending() {
    if (pending.size() == 0 || log == null) {
      return;
    }
    try {
      writeFully(log, pending.toByteArray());
      pending.reset();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the id index " + logFile, e);
    }
  }

  /**
   * Writes all live nodes to a fresh log and atomically replaces the old one; records still
   * waiting to be written are among them.
   */
  private void rewrite() throws UncheckedIOException {
    Path tmp = logFile.resolveSibling(LOG_FILE + ".tmp");
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        writeFully(out, IdLogRecords.header(instance));
        writeFully(out, IdLogRecords.reserve(reservedLimit));
        for (Node node : nodes.values()) {
          writeFully(out, IdLogRecords.put(node));
        }
        out.force(true);
      }
      if (log != null) {
        log.close();
      }
      try {
        Files.move(tmp, logFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, logFile, StandardCopyOption.REPLACE_EXISTING);
      }
      log = FileChannel.open(logFile, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      pending.reset();
      appendedSinceCompaction = 0;
      generation++;
      synced.accumulateAndGet(appended, Math::max);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite the id index " + logFile, e);
    }
  }

  private static void writeFully(FileChannel out, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }
}
