package dev.jnfs.spi;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An opaque, backend-minted reference to one file-system object.
 *
 * <p>A backend chooses the bytes; the server wraps them with the export's id before they reach
 * a client, so a backend handle is at most {@link #MAX_LENGTH} bytes (this keeps the wire
 * handle within NFSv3's 64 bytes, which Windows clients enforce). A handle never resolves to
 * a different object than the one it was minted for: once that object is gone the backend
 * answers {@link NfsStatus#STALE}. Persistent backends keep handles valid across restarts.
 * Immutable; equality is by content.
 *
 * <p>A backend that numbers its objects can use one 64-bit number as the handle: {@link
 * #ofId} mints it and {@link #toId} reads it back.
 */
public final class FileHandle {
  /** The largest backend handle, in bytes. */
  public static final int MAX_LENGTH = 56;

  private final byte[] bytes;
  private final int hash;

  private FileHandle(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * Creates a handle from a copy of the given bytes.
   *
   * @param bytes 1 to {@link #MAX_LENGTH} bytes
   * @return the handle
   * @throws IllegalArgumentException if the length is out of range
   */
  public static FileHandle of(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException("handle length " + bytes.length + " not in 1.." + MAX_LENGTH);
    }
    return new FileHandle(bytes.clone());
  }

  /**
   * Creates the handle of one 64-bit id: its 8 bytes, most significant first.
   *
   * @param id the object's id
   * @return the handle
   */
  public static FileHandle ofId(long id) {
    byte[] b = new byte[Long.BYTES];
    for (int i = Long.BYTES - 1; i >= 0; i--) {
      b[i] = (byte) id;
      id >>>= 8;
    }
    return new FileHandle(b);
  }

  /**
   * Reads back the id of a handle made by {@link #ofId}.
   *
   * @param handle a handle a client sent
   * @return the id it carries
   * @throws NfsException BADHANDLE when the handle is not 8 bytes long, so cannot be one that
   *     {@link #ofId} made
   */
  public static long toId(FileHandle handle) throws NfsException {
    if (handle.bytes.length != Long.BYTES) {
      throw new NfsException(NfsStatus.BADHANDLE, "handle of " + handle.bytes.length + " bytes");
    }
    long id = 0;
    for (byte b : handle.bytes) {
      id = (id << 8) | (b & 0xFF);
    }
    return id;
  }

  /** @return a copy of the handle's bytes */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** @return the handle's length in bytes */
  public int length() {
    return bytes.length;
  }

  /**
   * @param index a position in {@code 0..length()-1}
   * @return the byte at that position
   */
  public byte byteAt(int index) {
    return bytes[index];
  }

  /**
   * Copies the handle's bytes into {@code dst} at {@code offset}.
   *
   * @param dst the destination array
   * @param offset where to start writing
   */
  public void copyTo(byte[] dst, int offset) {
    System.arraycopy(bytes, 0, dst, offset, bytes.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileHandle other && hash == other.hash && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "FileHandle[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
