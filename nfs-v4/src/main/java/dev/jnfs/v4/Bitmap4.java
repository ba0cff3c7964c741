package dev.jnfs.v4;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import java.util.Arrays;

/**
 * A bitmap4 (RFC 7530 §3.3.7): attribute numbers as bits of 32-bit words, word 0 first.
 * Only the first {@link #WORDS} words are kept, which hold every attribute of NFSv4.0 to 4.2;
 * bits in later words name attributes this server cannot know, and {@link #hasUnknownBits()}
 * says whether there were any. Immutable.
 */
public final class Bitmap4 {
  /** The words kept: attributes 0 to 95. */
  public static final int WORDS = 3;
  /** The most words decoded; a longer bitmap is malformed (NFS4ERR_BADXDR). */
  public static final int MAX_DECODED_WORDS = 64;
  /** The empty bitmap. */
  public static final Bitmap4 EMPTY = new Bitmap4(new int[WORDS], false);

  private final int[] words;
  private final boolean unknownBits;

  private Bitmap4(int[] words, boolean unknownBits) {
    this.words = words;
    this.unknownBits = unknownBits;
  }

  /**
   * @param attributes attribute numbers below {@code 32 * WORDS}
   * @return the bitmap with exactly those bits
   */
  public static Bitmap4 of(int... attributes) {
    int[] w = new int[WORDS];
    for (int a : attributes) {
      w[a >>> 5] |= 1 << (a & 31);
    }
    return new Bitmap4(w, false);
  }

  /**
   * @param in a decoder at a bitmap4
   * @return the bitmap
   * @throws XdrException when truncated or longer than {@link #MAX_DECODED_WORDS}
   */
  public static Bitmap4 decode(XdrDecoder in) {
    int count = in.readArrayLength(MAX_DECODED_WORDS, 4);
    int[] w = new int[WORDS];
    boolean unknown = false;
    for (int i = 0; i < count; i++) {
      int word = in.readInt();
      if (i < WORDS) {
        w[i] = word;
      } else if (word != 0) {
        unknown = true;
      }
    }
    return new Bitmap4(w, unknown);
  }

  /**
   * Encodes the bitmap with trailing zero words left out.
   *
   * @param out the encoder
   */
  public void encode(XdrEncoder out) {
    int n = wordsInUse();
    out.writeInt(n);
    for (int i = 0; i < n; i++) {
      out.writeInt(words[i]);
    }
  }

  /**
   * {@link #encode(XdrEncoder)} into a block.
   *
   * @param out the block
   */
  public void encode(XdrEncoder.Block out) {
    int n = wordsInUse();
    out.writeInt(n);
    for (int i = 0; i < n; i++) {
      out.writeInt(words[i]);
    }
  }

  /** @return how many words there are up to the last one with a bit set */
  private int wordsInUse() {
    int n = WORDS;
    while (n > 0 && words[n - 1] == 0) {
      n--;
    }
    return n;
  }

  /**
   * @param attribute an attribute number
   * @return whether its bit is set
   */
  public boolean contains(int attribute) {
    return attribute >= 0 && attribute < WORDS * 32 && (words[attribute >>> 5] & 1 << (attribute & 31)) != 0;
  }

  /** @return whether bits beyond the kept words were set */
  public boolean hasUnknownBits() {
    return unknownBits;
  }

  /** @return whether no bit is set (unknown bits included) */
  public boolean isEmpty() {
    if (unknownBits) {
      return false;
    }
    for (int w : words) {
      if (w != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param other a bitmap
   * @return the bits set in both
   */
  public Bitmap4 and(Bitmap4 other) {
    int[] w = new int[WORDS];
    for (int i = 0; i < WORDS; i++) {
      w[i] = words[i] & other.words[i];
    }
    return new Bitmap4(w, false);
  }

  /**
   * @param other a bitmap
   * @return the bits of this one not set in {@code other} (unknown bits kept)
   */
  public Bitmap4 andNot(Bitmap4 other) {
    int[] w = new int[WORDS];
    for (int i = 0; i < WORDS; i++) {
      w[i] = words[i] & ~other.words[i];
    }
    return new Bitmap4(w, unknownBits);
  }

  /**
   * @param other a bitmap
   * @return the bits set in either
   */
  public Bitmap4 or(Bitmap4 other) {
    int[] w = new int[WORDS];
    for (int i = 0; i < WORDS; i++) {
      w[i] = words[i] | other.words[i];
    }
    return new Bitmap4(w, unknownBits || other.unknownBits);
  }

  /** @return the lowest set attribute at or after {@code from}, or -1 */
  int next(int from) {
    int a = Math.max(0, from);
    for (int i = a >>> 5; i < WORDS; i++) {
      int w = i == a >>> 5 ? words[i] & (-1 << (a & 31)) : words[i];
      if (w != 0) {
        return (i << 5) + Integer.numberOfTrailingZeros(w);
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bitmap4 b && Arrays.equals(words, b.words) && unknownBits == b.unknownBits;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(words);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Bitmap4[");
    for (int a = next(0); a >= 0; a = next(a + 1)) {
      sb.append(a).append(' ');
    }
    return sb.append(unknownBits ? "+unknown]" : "]").toString();
  }
}
