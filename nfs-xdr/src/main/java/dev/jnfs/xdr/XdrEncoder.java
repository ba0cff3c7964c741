package dev.jnfs.xdr;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes XDR (RFC 4506) items into a {@link ByteBuf}, advancing its writer index. The encoder
 * does not own the buffer. Not thread-safe.
 */
public final class XdrEncoder {
  private static final byte[] ZEROS = new byte[4];
  private final ByteBuf buf;

  /**
   * Wraps a buffer; items are appended at its writer index.
   *
   * @param buf the destination, still owned by the caller
   */
  public XdrEncoder(ByteBuf buf) {
    this.buf = buf;
  }

  /** @return the underlying buffer */
  public ByteBuf buffer() {
    return buf;
  }

  /**
   * @param value a 32-bit integer, signed or unsigned
   * @return this encoder
   */
  public XdrEncoder writeInt(int value) {
    buf.writeInt(value);
    return this;
  }

  /**
   * @param value an unsigned 32-bit value held in a long; the low 32 bits are written
   * @return this encoder
   */
  public XdrEncoder writeUnsignedInt(long value) {
    buf.writeInt((int) value);
    return this;
  }

  /**
   * @param value a 64-bit hyper, signed or unsigned
   * @return this encoder
   */
  public XdrEncoder writeHyper(long value) {
    buf.writeLong(value);
    return this;
  }

  /**
   * @param value a boolean, written as 1 or 0
   * @return this encoder
   */
  public XdrEncoder writeBoolean(boolean value) {
    buf.writeInt(value ? 1 : 0);
    return this;
  }

  /**
   * Writes a fixed-length opaque: the bytes and their padding, no length.
   *
   * @param bytes the bytes
   * @return this encoder
   */
  public XdrEncoder writeFixedOpaque(byte[] bytes) {
    buf.writeBytes(bytes);
    return pad(bytes.length);
  }

  /**
   * Writes a variable-length opaque: length, bytes, padding.
   *
   * @param bytes the bytes
   * @return this encoder
   */
  public XdrEncoder writeOpaque(byte[] bytes) {
    buf.writeInt(bytes.length);
    return writeFixedOpaque(bytes);
  }

  /**
   * Writes a variable-length opaque from a buffer's readable bytes, leaving its indexes alone.
   *
   * @param bytes the source
   * @return this encoder
   */
  public XdrEncoder writeOpaque(ByteBuf bytes) {
    int length = bytes.readableBytes();
    buf.writeInt(length);
    buf.writeBytes(bytes, bytes.readerIndex(), length);
    return pad(length);
  }

  /**
   * Writes a variable-length opaque from a NIO buffer's remaining bytes, leaving its position
   * alone.
   *
   * @param bytes the source
   * @return this encoder
   */
  public XdrEncoder writeOpaque(ByteBuffer bytes) {
    int length = bytes.remaining();
    buf.writeInt(length);
    buf.writeBytes(bytes.duplicate());
    return pad(length);
  }

  /**
   * Writes a string as UTF-8 with its byte length and padding.
   *
   * @param value the string
   * @return this encoder
   */
  public XdrEncoder writeString(String value) {
    int lengthIndex = buf.writerIndex();
    buf.writeInt(0);
    int length = buf.writeCharSequence(value, StandardCharsets.UTF_8);
    buf.setInt(lengthIndex, length);
    return pad(length);
  }

  /**
   * Reserves four bytes for an integer known only later (a count, a length).
   *
   * @return the index to pass to {@link #patchInt}
   */
  public int reserveInt() {
    int index = buf.writerIndex();
    buf.writeInt(0);
    return index;
  }

  /**
   * Fills an integer reserved by {@link #reserveInt}.
   *
   * @param index the reserved index
   * @param value the value
   * @return this encoder
   */
  public XdrEncoder patchInt(int index, int value) {
    buf.setInt(index, value);
    return this;
  }

  /**
   * Writes the zero padding that follows {@code length} bytes of opaque data.
   *
   * @param length the unpadded length just written
   * @return this encoder
   */
  public XdrEncoder pad(int length) {
    int pad = Xdr.pad(length);
    if (pad != 0) {
      buf.writeBytes(ZEROS, 0, pad);
    }
    return this;
  }
}
