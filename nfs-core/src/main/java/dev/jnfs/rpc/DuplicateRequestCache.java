package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Remembers the replies of non-idempotent calls so a retransmission is answered with the
 * original reply instead of running again (RFC 1813 §4.5). A call is identified as knfsd
 * does: xid, program, version, procedure, client address (not port: a client that
 * reconnects retransmits from a new port) and a checksum of the first argument bytes with
 * their length. A retransmission that arrives while the original still runs is dropped.
 *
 * <p>Bounded: at most {@code maxEntries} entries and {@code maxBytes} of cached replies, the
 * least recently used evicted first; replies larger than {@code maxReplyBytes} are not kept.
 * Thread-safe.
 */
final class DuplicateRequestCache {
  private static final int CHECKSUM_BYTES = 256;

  /** The identity of a call. */
  record Key(
      int xid, int program, int version, int procedure, InetAddress client, int argsLength,
      int argsChecksum) {}

  /** What {@link #begin} found. */
  sealed interface Lookup permits Miss, InProgress, Replay {}

  /** First sight: run the call, then {@link #complete} or {@link #abandon}. */
  record Miss() implements Lookup {}

  /** The original is still running: drop the retransmission. */
  record InProgress() implements Lookup {}

  /** Answer with these bytes (the RPC message, without record mark). */
  record Replay(byte[] reply) implements Lookup {}

  private static final Miss MISS = new Miss();
  private static final InProgress IN_PROGRESS = new InProgress();

  private final int maxEntries;
  private final long maxBytes;
  private final int maxReplyBytes;
  private final LinkedHashMap<Key, byte[]> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  DuplicateRequestCache(int maxEntries, long maxBytes, int maxReplyBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.maxReplyBytes = maxReplyBytes;
  }

  /**
   * @param args the argument bytes, from their reader index; not modified
   */
  static Key keyOf(
      int xid, int program, int version, int procedure, InetAddress client, ByteBuf args) {
    CRC32C crc = new CRC32C();
    int n = Math.min(CHECKSUM_BYTES, args.readableBytes());
    if (n > 0) {
      crc.update(args.nioBuffer(args.readerIndex(), n));
    }
    return new Key(
        xid, program, version, procedure, client, args.readableBytes(), (int) crc.getValue());
  }

  /** Looks a call up; on a miss, marks it in progress. */
  synchronized Lookup begin(Key key) {
    if (entries.containsKey(key)) {
      byte[] reply = entries.get(key);
      return reply == null ? IN_PROGRESS : new Replay(reply);
    }
    entries.put(key, null);
    evict();
    return MISS;
  }

  /** Stores the reply of a call {@link #begin} marked in progress. */
  synchronized void complete(Key key, ByteBuf reply, int from) {
    int length = reply.writerIndex() - from;
    if (!entries.containsKey(key)) {
      return;
    }
    if (length > maxReplyBytes) {
      entries.remove(key);
      return;
    }
    byte[] copy = new byte[length];
    reply.getBytes(from, copy);
    byte[] old = entries.put(key, copy);
    bytes += length - (old == null ? 0 : old.length);
    evict();
  }

  /** Forgets a call that ended without a reply. */
  synchronized void abandon(Key key) {
    byte[] old = entries.remove(key);
    if (old != null) {
      bytes -= old.length;
    }
  }

  /** @return the number of entries, for tests */
  synchronized int size() {
    return entries.size();
  }

  private void evict() {
    Iterator<Map.Entry<Key, byte[]>> it = entries.entrySet().iterator();
    while ((entries.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
      byte[] reply = it.next().getValue();
      if (reply != null) {
        bytes -= reply.length;
      }
      it.remove();
    }
  }
}
