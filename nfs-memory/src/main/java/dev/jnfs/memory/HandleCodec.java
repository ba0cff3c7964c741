package dev.jnfs.memory;

import dev.jnfs.spi.FileHandle;

/**
 * The handles of one in-memory file system: 16 bytes, the object's fileid then the file
 * system's generation (a random number drawn when it was made). Fileids are never reused, so
 * a handle outlives its object only as STALE; the generation makes the handles of another
 * instance, or of this one before a restart, unknown rather than resolving to a different
 * object.
 */
final class HandleCodec {
  static final int LENGTH = 16;

  private final long generation;

  HandleCodec(long generation) {
    this.generation = generation;
  }

  FileHandle encode(long fileid) {
    byte[] bytes = new byte[LENGTH];
    putLong(bytes, 0, fileid);
    putLong(bytes, 8, generation);
    return FileHandle.of(bytes);
  }

  /**
   * @param handle a handle from a client
   * @return the fileid it names, or -1 if this file system never minted it
   */
  long decode(FileHandle handle) {
    if (handle.length() != LENGTH || getLong(handle, 8) != generation) {
      return -1;
    }
    long fileid = getLong(handle, 0);
    return fileid > 0 ? fileid : -1;
  }

  private static void putLong(byte[] bytes, int offset, long value) {
    for (int i = 7; i >= 0; i--) {
      bytes[offset + i] = (byte) value;
      value >>>= 8;
    }
  }

  private static long getLong(FileHandle handle, int offset) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (handle.byteAt(offset + i) & 0xFF);
    }
    return value;
  }
}
