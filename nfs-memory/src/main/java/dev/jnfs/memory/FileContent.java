package dev.jnfs.memory;

import dev.jnfs.spi.NfsException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data of one regular file, kept sparse: a map from chunk index to a chunk of at most
 * {@link #CHUNK_SIZE} bytes. Chunks exist only where data was written, so a hole costs nothing.
 * The first chunk of a small file grows geometrically from {@link #MIN_ALLOCATION} bytes; every
 * other chunk is allocated whole, so a sequential write never copies what it wrote before.
 *
 * <p>Invariant: every byte stored at or beyond {@link #size()} is zero, and a missing chunk or
 * the part beyond a short chunk's length reads as zeros. Not thread-safe: the owning inode's
 * lock guards it.
 */
final class FileContent {
  static final int CHUNK_SHIFT = 16;
  static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
  static final int MIN_ALLOCATION = 512;
  private static final long CHUNK_MASK = CHUNK_SIZE - 1;
  private static final byte[] ZEROS = new byte[CHUNK_SIZE];

  private final TreeMap<Long, byte[]> chunks = new TreeMap<>();
  private long size;
  private long allocated;

  long size() {
    return size;
  }

  /** @return the bytes of memory holding data */
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
      byte[] chunk = chunks.get(position >>> CHUNK_SHIFT);
      int present = chunk == null ? 0 : Math.max(0, Math.min(length, chunk.length - within));
      if (present > 0) {
        destination.put(chunk, within, present);
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
    long needed = 0;
    for (long position = offset; position < end; ) {
      long index = position >>> CHUNK_SHIFT;
      long chunkEnd = Math.min(end, (index + 1) << CHUNK_SHIFT);
      int neededLength = (int) (chunkEnd - (index << CHUNK_SHIFT));
      byte[] chunk = chunks.get(index);
      int current = chunk == null ? 0 : chunk.length;
      needed += grownLength(index, current, neededLength) - current;
      position = chunkEnd;
    }
    space.reserveBytes(needed);
    allocated += needed;
    for (long position = offset; position < end; ) {
      long index = position >>> CHUNK_SHIFT;
      int within = (int) (position & CHUNK_MASK);
      long chunkEnd = Math.min(end, (index + 1) << CHUNK_SHIFT);
      int length = (int) (chunkEnd - position);
      byte[] chunk = chunks.get(index);
      int current = chunk == null ? 0 : chunk.length;
      int wanted = grownLength(index, current, within + length);
      if (wanted != current) {
        byte[] grown = new byte[wanted];
        if (chunk != null) {
          System.arraycopy(chunk, 0, grown, 0, current);
        }
        chunk = grown;
        chunks.put(index, chunk);
      }
      source.get(chunk, within, length);
      position = chunkEnd;
    }
    size = Math.max(size, end);
  }

  /** Sets the size: shrinking drops the data beyond it, growing leaves a hole. */
  void truncate(long newSize, SpaceAccount space) {
    if (newSize < size) {
      long keptChunks = (newSize + CHUNK_MASK) >>> CHUNK_SHIFT;
      Map<Long, byte[]> dropped = chunks.tailMap(keptChunks, true);
      long freed = 0;
      for (byte[] chunk : dropped.values()) {
        freed += chunk.length;
      }
      dropped.clear();
      allocated -= freed;
      space.releaseBytes(freed);
      int within = (int) (newSize & CHUNK_MASK);
      if (within != 0) {
        byte[] boundary = chunks.get(newSize >>> CHUNK_SHIFT);
        if (boundary != null && boundary.length > within) {
          java.util.Arrays.fill(boundary, within, boundary.length, (byte) 0);
        }
      }
    }
    size = newSize;
  }

  /** Frees all data: the file is gone. */
  void release(SpaceAccount space) {
    space.releaseBytes(allocated);
    allocated = 0;
    chunks.clear();
    size = 0;
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
