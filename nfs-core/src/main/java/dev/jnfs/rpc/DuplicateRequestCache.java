package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Remembers the replies of non-idempotent calls so a retransmission is answered with the
 * original reply instead of running again (RFC 1813 §4.5). A call is identified as knfsd
 * does: xid, program, version, procedure, client address (not port: a client that
 * reconnects retransmits from a new port; RFC 5531 §5 lets a server remember the transaction
 * ids it executed, for some degree of execute-at-most-once semantics) and
 * a checksum of the first argument bytes with their length. Nothing of the connection is in
 * the key, so a retransmission on a new connection after a drop finds the original.
 *
 * <p>A retransmission that arrives while the original still runs is dropped: the client
 * retransmits again later and then gets the reply. Calls still running are kept apart from
 * the replies and are never evicted (there are at most as many as calls in flight, which the
 * connection limits bound), so a call is never run twice because the cache was full.
 *
 * <p>Bounded: at most {@code maxEntries} replies and {@code maxBytes} of them, the least
 * recently used evicted first (constant time per call); replies larger than {@code
 * maxReplyBytes} are not kept. Thread-safe.
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
  private final Set<Key> running = new HashSet<>();
  private final LinkedHashMap<Key, byte[]> replies = new LinkedHashMap<>(64, 0.75f, true);
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

  /** Looks a call up; on a miss, marks it running. */
  synchronized Lookup begin(Key key) {
    if (running.contains(key)) {
      return IN_PROGRESS;
    }
    byte[] reply = replies.get(key);
    if (reply != null) {
      return new Replay(reply);
    }
    running.add(key);
    return MISS;
  }

  /** Stores the reply of a call {@link #begin} marked running; it no longer runs. */
  synchronized void complete(Key key, ByteBuf reply, int from) {
    int length = reply.writerIndex() - from;
    if (!running.remove(key) || length > maxReplyBytes) {
      return;
    }
    byte[] copy = new byte[length];
    reply.getBytes(from, copy);
    replies.put(key, copy);
    bytes += length;
    evict();
  }

  /** Forgets a running call that ended without a reply; nothing if it completed. */
  synchronized void abandon(Key key) {
    running.remove(key);
  }

  /** @return the number of replies kept and calls running, for tests */
  synchronized int size() {
    return replies.size() + running.size();
  }

  private void evict() {
    Iterator<byte[]> it = replies.values().iterator();
    while ((replies.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
      bytes -= it.next().length;
      it.remove();
    }
  }
}
