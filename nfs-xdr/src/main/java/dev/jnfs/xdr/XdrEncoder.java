package dev.jnfs.xdr;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes XDR (RFC 4506) items into a {@link ByteBuf}, advancing its writer index. The encoder
 * does not own the buffer. Not thread-safe.
 *
 * <p>Each item written to the buffer costs a bounds and reference-count check. A run of many
 * small items (a file's attributes, a directory entry) is cheaper written through a {@link
 * Block}, which stages the items in a heap array and appends them to the buffer in one copy.
 */
public final class XdrEncoder {
  private static final byte[] ZEROS = new byte[4];
  private final ByteBuf buf;
  /** The block {@link #block()} hands out, made on first use and reused. */
  private Block block;

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
   * Opens a block: the items written to it are staged and reach the buffer, in the order
   * written, when {@link Block#end()} is called; {@link Block#discard()} drops them instead.
   * The encoder has one block, reused: it is open from this call until {@code end} or {@code
   * discard}. Items written to the encoder itself while its block is open reach the buffer
   * before the block's.
   *
   * @return the encoder's block, empty
   * @throws IllegalStateException if the block is already open
   */
  public Block block() {
    if (block == null) {
      block = new Block(buf);
    } else if (block.open) {
      throw new IllegalStateException("the encoder's block is already open");
    }
    block.open = true;
    return block;
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

  /** Places the bytes of an opaque into a {@link Block}'s staging array. */
  @FunctionalInterface
  public interface OpaqueFiller {
    /**
     * @param destination the array to write into
     * @param offset where the opaque's first byte goes
     */
    void fill(byte[] destination, int offset);
  }

  /**
   * A run of XDR items staged in a heap array and appended to the encoder's buffer with one
   * copy when the block ends, so the buffer's bounds and reference count are checked once for
   * the run rather than once per item. The bytes appended are exactly those the encoder's
   * methods of the same names would have written. Obtained from {@link XdrEncoder#block()};
   * writing to a block that is not open throws {@link IllegalStateException}.
   */
  public static final class Block {
    private static final VarHandle INT =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Enough for a post_op_attr of NFSv3 and most directory entries without growing. */
    private static final int INITIAL_CAPACITY = 256;

    private final ByteBuf buf;
    private byte[] staged = new byte[INITIAL_CAPACITY];
    private int size;
    private boolean open;

    private Block(ByteBuf buf) {
      this.buf = buf;
    }

    /** @return the number of bytes staged since the block was opened */
    public int size() {
      return size;
    }

    /**
     * @param value a 32-bit integer, signed or unsigned
     * @return this block
     */
    public Block writeInt(int value) {
      int at = reserve(4);
      INT.set(staged, at, value);
      return this;
    }

    /**
     * @param value an unsigned 32-bit value held in a long; the low 32 bits are written
     * @return this block
     */
    public Block writeUnsignedInt(long value) {
      return writeInt((int) value);
    }

    /**
     * @param value a 64-bit hyper, signed or unsigned
     * @return this block
     */
    public Block writeHyper(long value) {
      int at = reserve(8);
      LONG.set(staged, at, value);
      return this;
    }

    /**
     * @param value a boolean, written as 1 or 0
     * @return this block
     */
    public Block writeBoolean(boolean value) {
      return writeInt(value ? 1 : 0);
    }

    /**
     * Writes a fixed-length opaque: the bytes and their padding, no length.
     *
     * @param bytes the bytes
     * @return this block
     */
    public Block writeFixedOpaque(byte[] bytes) {
      int at = reserve(Xdr.padded(bytes.length));
      System.arraycopy(bytes, 0, staged, at, bytes.length);
      zeroPadding(at + bytes.length, bytes.length);
      return this;
    }

    /**
     * Writes a variable-length opaque: length, bytes, padding.
     *
     * @param bytes the bytes
     * @return this block
     */
    public Block writeOpaque(byte[] bytes) {
      writeInt(bytes.length);
      return writeFixedOpaque(bytes);
    }

    /**
     * Writes a variable-length opaque whose bytes are placed straight into the block, with no
     * array of their own: length, the bytes, padding.
     *
     * @param length the opaque's length
     * @param filler writes exactly {@code length} bytes into the array it is given, from the
     *     offset it is given, and keeps no reference to the array
     * @return this block
     */
    public Block writeOpaque(int length, OpaqueFiller filler) {
      writeInt(length);
      int at = reserve(Xdr.padded(length));
      filler.fill(staged, at);
      zeroPadding(at + length, length);
      return this;
    }

    /**
     * Writes a string as UTF-8 with its byte length and padding. A string of ASCII characters
     * alone, the common case of file names, is copied without an intermediate array.
     *
     * @param value the string
     * @return this block
     */
    public Block writeString(String value) {
      int length = value.length();
      int at = reserve(4 + Xdr.padded(length));
      for (int i = 0; i < length; i++) {
        char c = value.charAt(i);
        if (c >= 0x80) {
          size = at;
          return writeOpaque(value.getBytes(StandardCharsets.UTF_8));
        }
        staged[at + 4 + i] = (byte) c;
      }
      INT.set(staged, at, length);
      zeroPadding(at + 4 + length, length);
      return this;
    }

    /**
     * Appends the staged items to the encoder's buffer and closes the block.
     *
     * @throws IllegalStateException if the block is not open
     */
    public void end() {
      requireOpen();
      buf.writeBytes(staged, 0, size);
      size = 0;
      open = false;
    }

    /**
     * Drops the staged items and closes the block; the buffer is left as it was.
     *
     * @throws IllegalStateException if the block is not open
     */
    public void discard() {
      requireOpen();
      size = 0;
      open = false;
    }

    /** Makes room for {@code length} more bytes and answers where they start. */
    private int reserve(int length) {
      requireOpen();
      int at = size;
      if (staged.length - at < length) {
        staged = Arrays.copyOf(staged, Math.max(staged.length * 2, at + length));
      }
      size = at + length;
      return at;
    }

    /** Zeroes the padding after {@code length} opaque bytes that end at {@code end}. */
    private void zeroPadding(int end, int length) {
      for (int i = 0, pad = Xdr.pad(length); i < pad; i++) {
        staged[end + i] = 0;
      }
    }

    private void requireOpen() {
      if (!open) {
        throw new IllegalStateException("the block is not open");
      }
    }
  }
}
