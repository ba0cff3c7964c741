package dev.jnfs.lock;

import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;

/**
 * A range of bytes in a file as NFS describes it: an offset and a length, both unsigned 64-bit
 * values, where the length of all ones ({@link #TO_END}) means "to the end of the file,
 * however far it grows" (RFC 7530 §16.10.4, RFC 8881 §18.10.4). Immutable.
 *
 * <p>Internally a range is also seen as the inclusive span {@link #first()}..{@link #last()},
 * compared as unsigned numbers; a range to the end has {@code last() == -1} (2^64 - 1).
 *
 * @param offset the first byte, unsigned
 * @param length how many bytes, unsigned, never 0; {@link #TO_END} for "to the end of file"
 */
public record ByteRange(long offset, long length) {

  /** The length that means "to the end of the file": all 64 bits set. */
  public static final long TO_END = -1L;

  /** The whole file. */
  public static final ByteRange WHOLE_FILE = new ByteRange(0, TO_END);

  /**
   * Checks the invariants; use {@link #of} for client-supplied values.
   *
   * @throws IllegalArgumentException if the length is 0 or the range overflows 64 bits
   */
  public ByteRange {
    if (!isValid(offset, length)) {
      throw new IllegalArgumentException(
          "invalid range offset=" + Long.toUnsignedString(offset) + " length=" + Long.toUnsignedString(length));
    }
  }

  /**
   * Makes a range from a client's offset and length.
   *
   * @param offset the first byte, unsigned
   * @param length the count of bytes, unsigned; {@link #TO_END} for the rest of the file
   * @return the range
   * @throws NfsException INVAL when the length is 0, or when it is not {@link #TO_END} and
   *     offset + length overflows 64 bits (RFC 7530 §16.10.5)
   */
  public static ByteRange of(long offset, long length) throws NfsException {
    if (!isValid(offset, length)) {
      throw new NfsException(NfsStatus.INVAL, "bad lock range offset=" + Long.toUnsignedString(offset)
          + " length=" + Long.toUnsignedString(length));
    }
    return new ByteRange(offset, length);
  }

  /**
   * @param offset the first byte, unsigned
   * @param length the count of bytes, unsigned
   * @return whether the pair describes a range (non-zero length, no 64-bit overflow)
   */
  public static boolean isValid(long offset, long length) {
    if (length == 0) {
      return false;
    }
    // offset + length must not exceed 2^64 - 1, i.e. length <= ~offset (unsigned).
    return length == TO_END || Long.compareUnsigned(length, ~offset) <= 0;
  }

  /**
   * The range covering {@code first..last} inclusive; {@code last == -1} gives a range to the
   * end of the file.
   *
   * @param first the first byte, unsigned
   * @param last the last byte, unsigned, not below {@code first}
   * @return the range
   */
  static ByteRange span(long first, long last) {
    if (last == -1L) {
      return new ByteRange(first, TO_END);
    }
    return new ByteRange(first, last - first + 1);
  }

  /** @return the first byte (the offset) */
  public long first() {
    return offset;
  }

  /** @return the last byte covered, unsigned; -1 (2^64 - 1) for a range to the end */
  public long last() {
    return length == TO_END ? -1L : offset + length - 1;
  }

  /** @return whether the range runs to the end of the file */
  public boolean toEnd() {
    return length == TO_END;
  }

  /**
   * @param other another range
   * @return whether the two share at least one byte
   */
  public boolean overlaps(ByteRange other) {
    return Long.compareUnsigned(first(), other.last()) <= 0
        && Long.compareUnsigned(other.first(), last()) <= 0;
  }

  /**
   * @param other another range
   * @return whether every byte of {@code other} is in this range
   */
  public boolean contains(ByteRange other) {
    return Long.compareUnsigned(first(), other.first()) <= 0
        && Long.compareUnsigned(other.last(), last()) <= 0;
  }

  /**
   * @param other another range
   * @return whether the two overlap or one starts right after the other ends, so that
   *     together they form one range
   */
  public boolean touches(ByteRange other) {
    if (overlaps(other)) {
      return true;
    }
    return (last() != -1L && last() + 1 == other.first())
        || (other.last() != -1L && other.last() + 1 == first());
  }

  /**
   * @param other a range that {@link #touches} this one
   * @return the smallest range covering both
   */
  ByteRange union(ByteRange other) {
    long first = Long.compareUnsigned(first(), other.first()) <= 0 ? first() : other.first();
    long last = Long.compareUnsigned(last(), other.last()) >= 0 ? last() : other.last();
    return span(first, last);
  }

  /**
   * @param cut a range to take away
   * @return the part of this range before {@code cut}, or null when there is none
   */
  ByteRange before(ByteRange cut) {
    if (Long.compareUnsigned(first(), cut.first()) < 0) {
      long last = Long.compareUnsigned(last(), cut.first() - 1) < 0 ? last() : cut.first() - 1;
      return span(first(), last);
    }
    return null;
  }

  /**
   * @param cut a range to take away
   * @return the part of this range after {@code cut}, or null when there is none
   */
  ByteRange after(ByteRange cut) {
    if (cut.last() != -1L && Long.compareUnsigned(cut.last(), last()) < 0) {
      long first = Long.compareUnsigned(first(), cut.last() + 1) > 0 ? first() : cut.last() + 1;
      return span(first, last());
    }
    return null;
  }

  @Override
  public String toString() {
    return "[" + Long.toUnsignedString(offset) + ", "
        + (toEnd() ? "EOF" : Long.toUnsignedString(last())) + "]";
  }
}
