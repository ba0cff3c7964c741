package dev.jnfs.xdr;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads XDR (RFC 4506) items from a {@link ByteBuf}, advancing its reader index.
 *
 * <p>Decoding is bounded: every length read from the wire is checked against the bytes
 * actually present and against the caller's declared maximum <em>before</em> anything is
 * allocated, so a hostile length can never cause a large allocation. Any violation raises
 * {@link XdrException}. The decoder does not own the buffer: it never retains or releases it.
 * Not thread-safe.
 */
public final class XdrDecoder {
  private final ByteBuf buf;

  /**
   * Wraps a buffer; decoding starts at its reader index.
   *
   * @param buf the bytes to decode, still owned by the caller
   */
  public XdrDecoder(ByteBuf buf) {
    this.buf = buf;
  }

  /** @return the underlying buffer (its reader index is the decoding position) */
  public ByteBuf buffer() {
    return buf;
  }

  /** @return the number of bytes not yet decoded */
  public int remaining() {
    return buf.readableBytes();
  }

  /** @return a 32-bit signed integer (RFC 4506 §4.1) */
  public int readInt() {
    need(4);
    return buf.readInt();
  }

  /** @return a 32-bit unsigned integer as a non-negative long (RFC 4506 §4.2) */
  public long readUnsignedInt() {
    return readInt() & 0xFFFF_FFFFL;
  }

  /** @return a 64-bit hyper integer (RFC 4506 §4.5); unsigned hypers are returned as their bits */
  public long readHyper() {
    need(8);
    return buf.readLong();
  }

  /** @return a boolean (RFC 4506 §4.4); any value other than 0 or 1 is an error */
  public boolean readBoolean() {
    int v = readInt();
    if (v == 0) {
      return false;
    }
    if (v == 1) {
      return true;
    }
    throw new XdrException("boolean out of range: " + v);
  }

  /**
   * Reads a fixed-length opaque (RFC 4506 §4.9).
   *
   * @param length the declared length
   * @return the bytes, padding skipped
   */
  public byte[] readFixedOpaque(int length) {
    needPadded(length);
    byte[] out = new byte[length];
    buf.readBytes(out);
    skipPad(length);
    return out;
  }

  /**
   * Reads a variable-length opaque (RFC 4506 §4.10).
   *
   * @param maxLength the protocol's maximum for this item
   * @return the bytes, padding skipped
   */
  public byte[] readOpaque(int maxLength) {
    int length = readLength(maxLength);
    byte[] out = new byte[length];
    buf.readBytes(out);
    skipPad(length);
    return out;
  }

  /**
   * Reads a variable-length opaque without copying it: the result is a slice of the decoded
   * buffer, valid as long as that buffer is, and not retained.
   *
   * @param maxLength the protocol's maximum for this item
   * @return a slice of exactly the opaque's bytes
   */
  public ByteBuf readOpaqueSlice(int maxLength) {
    int length = readLength(maxLength);
    ByteBuf slice = buf.readSlice(length);
    skipPad(length);
    return slice;
  }

  /**
   * Reads a string (RFC 4506 §4.11) as UTF-8. Malformed sequences are replaced, as names are
   * opaque bytes to the protocol; callers that must reject them check the raw bytes instead.
   *
   * @param maxLength the protocol's maximum length in bytes
   * @return the decoded string
   */
  public String readString(int maxLength) {
    int length = readLength(maxLength);
    String s = buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8);
    buf.skipBytes(length);
    skipPad(length);
    return s;
  }

  /**
   * Reads the element count of a variable-length array (RFC 4506 §4.13) and checks it against
   * both the maximum and the bytes present, assuming each element takes at least
   * {@code minElementSize} bytes on the wire.
   *
   * @param maxCount the protocol's maximum number of elements
   * @param minElementSize the smallest encoded size of one element, at least 1
   * @return the element count
   */
  public int readArrayLength(int maxCount, int minElementSize) {
    long count = readUnsignedInt();
    if (count > maxCount) {
      throw new XdrException("array of " + count + " elements exceeds maximum " + maxCount);
    }
    if (count * Math.max(1, minElementSize) > buf.readableBytes()) {
      throw new XdrException("array of " + count + " elements exceeds the bytes present");
    }
    return (int) count;
  }

  /**
   * Reads the discriminant of an optional-data item (RFC 4506 §4.19).
   *
   * @return true when the item follows
   */
  public boolean readOptional() {
    return readBoolean();
  }

  /**
   * Skips {@code length} bytes plus their padding.
   *
   * @param length the unpadded length to skip
   */
  public void skipOpaque(int length) {
    needPadded(length);
    buf.skipBytes(length);
    skipPad(length);
  }

  private int readLength(int maxLength) {
    long length = readUnsignedInt();
    if (length > maxLength) {
      throw new XdrException("length " + length + " exceeds maximum " + maxLength);
    }
    needPadded((int) length);
    return (int) length;
  }

  private void need(int n) {
    if (buf.readableBytes() < n) {
      throw new XdrException("need " + n + " bytes, have " + buf.readableBytes());
    }
  }

  private void needPadded(int length) {
    if (length < 0) {
      throw new XdrException("negative length " + length);
    }
    // long arithmetic: length + padding overflows an int for lengths near 2^31
    long padded = (long) length + Xdr.pad(length);
    if (buf.readableBytes() < padded) {
      throw new XdrException("need " + padded + " bytes, have " + buf.readableBytes());
    }
  }

  private void skipPad(int length) {
    buf.skipBytes(Xdr.pad(length));
  }
}
