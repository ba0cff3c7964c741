package dev.jnfs.memory;

import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data of one regular file, kept sparse: a map from chunk index to a {@link Chunk} of at
 * most {@link #CHUNK_SIZE} bytes. Chunks exist only where data was written or space allocated,
 * so a hole costs nothing; {@link #allocated()} counts the chunks present (shared ones too, as
 * {@code used} does for a reflinked file). The first chunk of a small file grows geometrically
 * from {@link #MIN_ALLOCATION} bytes; every other chunk is allocated whole, so a sequential
 * write never copies what it wrote before.
 *
 * <p>A clone shares chunks between files without copying or taking capacity; writing into a
 * shared chunk copies it first (copy-on-write), and only then takes capacity. Holes and data
 * are told apart per chunk: SEEK sees a chunk present as data, a chunk missing as a hole.
 *
 * <p>Invariant: every byte stored at or beyond {@link #size()} is zero, and a missing chunk or
 * the part beyond a short chunk's length reads as zeros. Not thread-safe: the owning inode's
 * lock guards it (a clone or copy holds both files' locks).
 */
final class FileContent {
  static final int CHUNK_SHIFT = 16;
  static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
  static final int MIN_ALLOCATION = 512;
  private static final long CHUNK_MASK = CHUNK_SIZE - 1;
  private static final byte[] ZEROS = new byte[CHUNK_SIZE];

  private final TreeMap<Long, Chunk> chunks = new TreeMap<>();
  private long size;
  private long allocated;

  long size() {
    return size;
  }

  /** @return the bytes of memory holding data, shared chunks included */
  long allocated() {
    return allocated;
  }

  /**
   * Copies bytes at {@code offset} into {@code destination}, up to the end of the file.
   *
   * @return the count copied
   */
  int read(long offset, ByteBuffer destination) {
    if (offset >= size) {
      return 0;
    }
    int count = (int) Math.min(destination.remaining(), size - offset);
    long position = offset;
    int left = count;
    while (left > 0) {
      int within = (int) (position & CHUNK_MASK);
      int length = Math.min(left, CHUNK_SIZE - within);
      Chunk chunk = chunks.get(position >>> CHUNK_SHIFT);
      int present = chunk == null ? 0 : Math.max(0, Math.min(length, chunk.bytes.length - within));
      if (present > 0) {
        destination.put(chunk.bytes, within, present);
      }
      if (present < length) {
        destination.put(ZEROS, 0, length - present);
      }
      position += length;
      left -= length;
    }
    return count;
  }

  /**
   * Writes {@code source}'s remaining bytes at {@code offset}, growing the file. Space is
   * reserved before anything changes, so a NOSPC leaves the file as it was.
   *
   * @throws NfsException NOSPC
   */
  void write(long offset, ByteBuffer source, SpaceAccount space) throws NfsException {
    int count = source.remaining();
    if (count == 0) {
      return;
    }
    long end = offset + count;
    makeWritable(offset, end, space);
    for (long position = offset; position < end; ) {
      long index = position >>> CHUNK_SHIFT;
      int within = (int) (position & CHUNK_MASK);
      int length = (int) (Math.min(end, (index + 1) << CHUNK_SHIFT) - position);
      source.get(chunks.get(index).bytes, within, length);
      position += length;
    }
    size = Math.max(size, end);
  }

  /**
   * Makes every chunk over {@code [offset, end)} present, long enough and held by this file
   * alone, taking the capacity that needs first (NOSPC changes nothing).
   */
  private void makeWritable(long offset, long end, SpaceAccount space) throws NfsException {
    long first = offset >>> CHUNK_SHIFT;
    int[] wanted = new int[(int) (((end - 1) >>> CHUNK_SHIFT) - first + 1)];
    boolean[] replace = new boolean[wanted.length];
    boolean[] shared = new boolean[wanted.length];
    long needed = 0;
    for (int i = 0; i < wanted.length; i++) {
      long index = first + i;
      int neededLength = (int) (Math.min(end, (index + 1) << CHUNK_SHIFT) - (index << CHUNK_SHIFT));
      Chunk chunk = chunks.get(index);
      int current = chunk == null ? 0 : chunk.bytes.length;
      wanted[i] = grownLength(index, current, neededLength);
      shared[i] = chunk != null && chunk.isShared();
      replace[i] = chunk == null || wanted[i] != current || shared[i];
      needed += shared[i] ? wanted[i] : wanted[i] - current;
    }
    space.reserveBytes(needed);
    for (int i = 0; i < wanted.length; i++) {
      if (!replace[i]) {
        continue;
      }
      long index = first + i;
      Chunk chunk = chunks.get(index);
      byte[] grown = new byte[wanted[i]];
      int current = 0;
      if (chunk != null) {
        current = chunk.bytes.length;
        System.arraycopy(chunk.bytes, 0, grown, 0, current);
        if (shared[i]) {
          chunk.release(space); // the copy was reserved whole; the others keep the original
        } // else only the growth was reserved: the old bytes' capacity passes to the new ones
      }
      allocated += wanted[i] - current;
      chunks.put(index, new Chunk(grown));
    }
  }

  /**
   * Sets the size: shrinking drops the data beyond it, growing leaves a hole. A shrink never
   * fails: the chunk it cuts, when shared, is replaced by a copy of the part kept, which may
   * exceed the capacity by less than one chunk.
   */
  void truncate(long newSize, SpaceAccount space) {
    if (newSize < size) {
      long keptChunks = (newSize + CHUNK_MASK) >>> CHUNK_SHIFT;
      drop(chunks.tailMap(keptChunks, true), space);
      int within = (int) (newSize & CHUNK_MASK);
      Chunk boundary = within == 0 ? null : chunks.get(newSize >>> CHUNK_SHIFT);
      if (boundary != null && boundary.bytes.length > within) {
        if (boundary.isShared()) {
          Chunk own = new Chunk(Arrays.copyOf(boundary.bytes, within));
          space.forceReserveBytes(within);
          allocated += within - boundary.bytes.length;
          boundary.release(space);
          chunks.put(newSize >>> CHUNK_SHIFT, own);
        } else {
          Arrays.fill(boundary.bytes, within, boundary.bytes.length, (byte) 0);
        }
      }
    }
    size = newSize;
  }

  /** Frees all data: the file is gone. */
  void release(SpaceAccount space) {
    drop(chunks, space);
    size = 0;
  }

  // ---- sparse files (RFC 7862 §15.11, §15.1, §15.4)

  /**
   * @param offset where to start, below {@link #size()}
   * @param data true for data, false for a hole
   * @return where the next data or hole begins at or after {@code offset}; the size for the
   *     virtual hole at the end; -1 when looking for data and none follows
   */
  long seek(long offset, boolean data) {
    long index = offset >>> CHUNK_SHIFT;
    if (data) {
      Long next = chunks.ceilingKey(index);
      if (next == null || next << CHUNK_SHIFT >= size) {
        return -1;
      }
      return Math.max(offset, next << CHUNK_SHIFT);
    }
    while (chunks.containsKey(index)) {
      index++;
    }
    return Math.min(size, Math.max(offset, index << CHUNK_SHIFT));
  }

  /**
   * Makes the chunks over {@code [offset, offset + length)} present, so that writing there
   * takes no more capacity; grows the file to cover the range.
   *
   * @throws NfsException NOSPC
   */
  void allocate(long offset, long length, SpaceAccount space) throws NfsException {
    long end = offset + length;
    makeWritable(offset, ((end + CHUNK_MASK) >>> CHUNK_SHIFT) << CHUNK_SHIFT, space);
    size = Math.max(size, end);
  }

  /**
   * Turns {@code [offset, offset + length)} into a hole: chunks wholly inside go, the ends of
   * partly covered ones are zeroed. The size does not change.
   */
  void deallocate(long offset, long length, SpaceAccount space) throws NfsException {
    long end = offset + length < 0 ? Long.MAX_VALUE : offset + length;
    long firstWhole = (offset + CHUNK_MASK) >>> CHUNK_SHIFT;
    long endWhole = end >>> CHUNK_SHIFT;
    if (firstWhole < endWhole) {
      drop(chunks.subMap(firstWhole, endWhole), space);
      zero(offset, firstWhole << CHUNK_SHIFT, space);
      zero(endWhole << CHUNK_SHIFT, end, space);
    } else {
      zero(offset, end, space);
    }
  }

  /**
   * Zeroes the bytes of {@code [from, to)} held in chunks (missing ones read as zeros anyway),
   * copying a shared chunk first.
   */
  private void zero(long from, long to, SpaceAccount space) throws NfsException {
    for (long position = from; position < to; ) {
      long index = position >>> CHUNK_SHIFT;
      long chunkEnd = Math.min(to, (index + 1) << CHUNK_SHIFT);
      Chunk chunk = chunks.get(index);
      int within = (int) (position & CHUNK_MASK);
      if (chunk != null && within < chunk.bytes.length) {
        int stop = (int) Math.min(chunk.bytes.length, chunkEnd - (index << CHUNK_SHIFT));
        if (chunk.isShared()) {
          space.reserveBytes(chunk.bytes.length);
          Chunk own = new Chunk(chunk.bytes.clone());
          chunk.release(space);
          chunks.put(index, own);
          chunk = own;
        }
        Arrays.fill(chunk.bytes, within, stop, (byte) 0);
      }
      position = chunkEnd;
    }
  }

  // ---- server-side copy and clone (RFC 7862 §15.2, §15.13)

  /**
   * Makes {@code [destinationOffset, destinationOffset + count)} of {@code destination} share
   * the chunks of {@code [sourceOffset, ...)} of {@code source}: a hole in the source becomes a
   * hole. Both offsets are chunk-aligned, and so is {@code count} unless it reaches the source's
   * end (its last chunk is then shared whole: what lies past the source's end reads as zeros).
   * The ranges do not overlap when both are one file.
   */
  static void cloneRange(FileContent source, long sourceOffset, FileContent destination,
      long destinationOffset, long count, SpaceAccount space) {
    long first = sourceOffset >>> CHUNK_SHIFT;
    long chunkCount = (count + CHUNK_MASK) >>> CHUNK_SHIFT;
    long shift = (destinationOffset >>> CHUNK_SHIFT) - first;
    List<Map.Entry<Long, Chunk>> shared =
        new ArrayList<>(source.chunks.subMap(first, first + chunkCount).entrySet());
    destination.drop(destination.chunks.subMap(first + shift, first + shift + chunkCount), space);
    for (Map.Entry<Long, Chunk> e : shared) {
      Chunk chunk = e.getValue().share();
      destination.chunks.put(e.getKey() + shift, chunk);
      destination.allocated += chunk.bytes.length;
    }
    destination.size = Math.max(destination.size, destinationOffset + count);
  }

  /**
   * Copies {@code count} bytes from {@code source} at {@code sourceOffset} into this file at
   * {@code destinationOffset}, keeping the source's holes as holes.
   *
   * @throws NfsException NOSPC
   */
  void copyFrom(FileContent source, long sourceOffset, long destinationOffset, long count,
      SpaceAccount space) throws NfsException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK_SIZE, count));
    long sourceEnd = sourceOffset + count;
    for (long from = sourceOffset; from < sourceEnd; ) {
      long index = from >>> CHUNK_SHIFT;
      long to;
      if (source.chunks.containsKey(index)) {
        to = Math.min(sourceEnd, (index + 1) << CHUNK_SHIFT);
        buffer.clear().limit((int) (to - from));
        source.read(from, buffer);
        write(destinationOffset + (from - sourceOffset), buffer.flip(), space);
      } else {
        Long data = source.chunks.ceilingKey(index);
        to = data == null ? sourceEnd : Math.min(sourceEnd, data << CHUNK_SHIFT);
        deallocate(destinationOffset + (from - sourceOffset), to - from, space);
      }
      from = to;
    }
    size = Math.max(size, destinationOffset + count);
  }

  /** Lets go of the given chunks of this file. */
  private void drop(Map<Long, Chunk> dropped, SpaceAccount space) {
    for (Chunk chunk : dropped.values()) {
      allocated -= chunk.bytes.length;
      chunk.release(space);
    }
    dropped.clear();
  }

  /**
   * The length chunk {@code index} must have to hold {@code neededLength} bytes: chunk 0 grows
   * by doubling (small files stay small), others are whole.
   */
  private static int grownLength(long index, int current, int neededLength) {
    if (neededLength <= current) {
      return current;
    }
    if (index != 0) {
      return CHUNK_SIZE;
    }
    int length = Math.max(MIN_ALLOCATION, Math.max(current * 2, Integer.highestOneBit(neededLength - 1) << 1));
    return Math.min(CHUNK_SIZE, length);
  }
}
