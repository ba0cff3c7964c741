package dev.jnfs.rpc;

/**
 * The replay window of one RPCSEC_GSS context (RFC 2203 §5.3.3.1): the highest sequence
 * number seen and which of the {@link #SIZE} numbers up to it were seen. A number above the
 * highest moves the window forward; one inside it is accepted once; one below it, or seen
 * before, is refused (the request is then silently discarded). Thread-safe.
 */
final class GssSequenceWindow {
  /** The seq_window this server announces. */
  static final int SIZE = 512;

  private final long[] seen = new long[SIZE / 64];
  private long highest = -1;

  /**
   * Records a sequence number whose request passed the header checksum.
   *
   * @param sequence an unsigned sequence number below MAXSEQ
   * @return true if it is new and inside the window; false if the request must be dropped
   */
  synchronized boolean accept(int sequence) {
    long seq = Integer.toUnsignedLong(sequence);
    if (seq > highest) {
      long advance = highest < 0 ? SIZE : seq - highest;
      if (advance >= SIZE) {
        java.util.Arrays.fill(seen, 0L);
      } else {
        for (long s = highest + 1; s < seq; s++) {
          clear(s);
        }
      }
      highest = seq;
      set(seq);
      return true;
    }
    if (highest - seq >= SIZE || isSet(seq)) {
      return false;
    }
    set(seq);
    return true;
  }

  private void set(long seq) {
    int bit = (int) (seq % SIZE);
    seen[bit >>> 6] |= 1L << (bit & 63);
  }

  private void clear(long seq) {
    int bit = (int) (seq % SIZE);
    seen[bit >>> 6] &= ~(1L << (bit & 63));
  }

  private boolean isSet(long seq) {
    int bit = (int) (seq % SIZE);
    return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
  }
}
