package dev.jnfs.v4.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ClientRecordStore} of a server with a state directory: an append-only log in the
 * file {@value #FILE}.
 *
 * <h2>Format</h2>
 *
 * An 8-byte header ({@code JNFSCR01}), then records, each: its body length (4 bytes), the body
 * (a type byte, 1 add or 2 remove; the minor version family, 0 or 1; the client's name for
 * itself, at most 1024 bytes), and a CRC32C of the length and the body (4 bytes). Replaying
 * the records in order gives the recorded clients.
 *
 * <h2>Crash safety</h2>
 *
 * <ul>
 *   <li>A change is one write of one record followed by a force to disk, before the method
 *       returns.
 *   <li>A crash during that write leaves at most a torn last record: on reading, a record that
 *       is short or fails its checksum and reaches the end of the file (or is followed only by
 *       zero bytes) is such a record, whose change was never acknowledged; it is cut off. A bad
 *       record followed by more data, or a bad header, is damage: nothing read can be trusted,
 *       {@link #load()} fails (so no client may reclaim) and the log starts afresh.
 *   <li>Compaction writes the live records to a new file, forces it, moves it over the log
 *       atomically and forces the directory, so the log is always either the old or the new
 *       file. It runs at the end of the grace period and whenever the log holds more than
 *       {@code compactAt} records and more than {@code compactFactor} times the live ones.
 * </ul>
 *
 * Thread-safe: every method is synchronized.
 */
final class ClientRecordLog implements ClientRecordStore {
  private static final Logger LOG = LoggerFactory.getLogger(ClientRecordLog.class);

  /** The log's file name in its directory. */
  static final String FILE = "clients.log";
  private static final byte[] HEADER = "JNFSCR01".getBytes(StandardCharsets.US_ASCII);
  private static final byte ADD = 1;
  private static final byte REMOVE = 2;
  /** The largest body: type, minor version and a name of NFS4_OPAQUE_LIMIT bytes. */
  private static final int MAX_BODY = 2 + StateOps.OPAQUE_LIMIT;
  private static final int DEFAULT_COMPACT_AT = 1024;
  private static final int DEFAULT_COMPACT_FACTOR = 4;

  private final Path directory;
  private final Path file;
  private final int compactAt;
  private final int compactFactor;
  /** Recorded clients; true for those added by this server instance. */
  private final Map<StableClient, Boolean> live = new LinkedHashMap<>();
  private final List<StableClient> previous;
  private final boolean damaged;
  private FileChannel channel;
  private int records;

  /**
   * Opens the log in a directory (created if missing) with the default compaction limits,
   * reading what the previous instance left.
   *
   * @param directory the directory
   * @return the log
   * @throws IOException when the directory or the log cannot be read or written
   */
  static ClientRecordLog open(Path directory) throws IOException {
    return new ClientRecordLog(directory, DEFAULT_COMPACT_AT, DEFAULT_COMPACT_FACTOR);
  }

  /**
   * @param directory the directory, created if missing
   * @param compactAt the fewest records that make the log compact itself
   * @param compactFactor how many times the live records the log may hold before it does
   * @throws IOException when the directory or the log cannot be read or written
   */
  ClientRecordLog(Path directory, int compactAt, int compactFactor) throws IOException {
    this.directory = directory;
    this.file = directory.resolve(FILE);
    this.compactAt = compactAt;
    this.compactFactor = compactFactor;
    Files.createDirectories(directory);
    boolean bad = false;
    if (Files.exists(file)) {
      byte[] bytes = Files.readAllBytes(file);
      int end = replay(bytes);
      if (end < 0) {
        LOG.warn("NFSv4 client records in {} are damaged; no client may reclaim state", file);
        live.clear();
        bad = true;
        rewrite();
      } else {
        if (end < bytes.length) {
          LOG.info("NFSv4 client records: a torn last record in {} ignored", file);
        }
        channel = FileChannel.open(file, StandardOpenOption.WRITE);
        channel.truncate(end);
        channel.position(end);
        channel.force(true);
      }
    } else {
      rewrite();
    }
    this.damaged = bad;
    this.previous = List.copyOf(live.keySet());
  }

  /**
   * Replays the records into {@link #live}.
   *
   * @return where the valid records end, or -1 when the log is damaged
   */
  private int replay(byte[] bytes) {
    if (bytes.length < HEADER.length
        || !Arrays.equals(bytes, 0, HEADER.length, HEADER, 0, HEADER.length)) {
      return -1;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int position = HEADER.length;
    while (position < bytes.length) {
      StableClient client = null;
      byte type = 0;
      int remaining = bytes.length - position;
      int length = remaining >= 4 ? in.getInt(position) : -1;
      boolean whole = length >= 2 && length <= MAX_BODY && remaining >= 8 + length;
      if (whole && crc(bytes, position, 4 + length) == in.getInt(position + 4 + length)) {
        type = bytes[position + 4];
        int minor = bytes[position + 5];
        if ((type == ADD || type == REMOVE) && (minor == 0 || minor == 1)) {
          client = new StableClient(minor,
              Arrays.copyOfRange(bytes, position + 6, position + 4 + length));
        }
      }
      if (client == null) {
        return tornTail(bytes, position, length) ? position : -1;
      }
      if (type == ADD) {
        live.put(client, false);
      } else {
        live.remove(client);
      }
      records++;
      position += 8 + length;
    }
    return position;
  }

  /**
   * @return whether the bad record at {@code position} is one a crash cut short: it reaches
   *     the end of the file, or only zero bytes (space the file system allocated) follow it
   */
  private static boolean tornTail(byte[] bytes, int position, int length) {
    int remaining = bytes.length - position;
    if (length < 2 || length > MAX_BODY) {
      return remaining < 8 + 2 || zeros(bytes, position);
    }
    return remaining <= 8 + length || zeros(bytes, position + 8 + length);
  }

  private static boolean zeros(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  private static byte[] encode(byte type, StableClient client) {
    byte[] owner = client.ownerId();
    int length = 2 + owner.length;
    ByteBuffer out = ByteBuffer.allocate(8 + length);
    out.putInt(length).put(type).put((byte) client.minorVersion()).put(owner);
    out.putInt(crc(out.array(), 0, 4 + length));
    return out.array();
  }

  @Override
  public boolean isDurable() {
    return true;
  }

  @Override
  public synchronized List<StableClient> load() throws IOException {
    if (damaged) {
      throw new IOException("NFSv4 client records in " + file + " were damaged");
    }
    return previous;
  }

  @Override
  public synchronized void add(StableClient client) throws IOException {
    if (Boolean.TRUE.equals(live.get(client))) {
      return;
    }
    append(encode(ADD, client));
    live.put(client, true);
    compactIfLarge();
  }

  @Override
  public synchronized void remove(StableClient client) throws IOException {
    if (!live.containsKey(client)) {
      return;
    }
    append(encode(REMOVE, client));
    live.remove(client);
    compactIfLarge();
  }

  @Override
  public synchronized void endGrace() throws IOException {
    live.values().removeIf(added -> !added);
    rewrite();
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  /** @return how many records the file holds (for tests) */
  synchronized int recordCount() {
    return records;
  }

  private void append(byte[] record) throws IOException {
    if (channel == null) {
      throw new IOException("client record log closed");
    }
    ByteBuffer bytes = ByteBuffer.wrap(record);
    long start = channel.position();
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    } catch (IOException e) {
      // leave no partial record for the next append to follow
      channel.truncate(start);
      channel.position(start);
      throw e;
    }
    records++;
  }

  private void compactIfLarge() throws IOException {
    if (records > compactAt && records > (long) compactFactor * live.size()) {
      rewrite();
    }
  }

  /** Writes the live records to a new file and moves it over the log. */
  private void rewrite() throws IOException {
    List<byte[]> out = new ArrayList<>();
    int size = HEADER.length;
    for (StableClient c : live.keySet()) {
      byte[] record = encode(ADD, c);
      out.add(record);
      size += record.length;
    }
    ByteBuffer bytes = ByteBuffer.allocate(size).put(HEADER);
    out.forEach(bytes::put);
    bytes.flip();
    Path temporary = directory.resolve(FILE + ".new");
    try (FileChannel c = FileChannel.open(temporary, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      while (bytes.hasRemaining()) {
        c.write(bytes);
      }
      c.force(true);
    }
    close();
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
    forceDirectory();
    channel = FileChannel.open(file, StandardOpenOption.WRITE);
    channel.position(channel.size());
    records = out.size();
  }

  /** Makes the rename stable; platforms that cannot open a directory (Windows) skip it. */
  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      LOG.debug("cannot force directory {}: {}", directory, e.toString());
    }
  }
}
