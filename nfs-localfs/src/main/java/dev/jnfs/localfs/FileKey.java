package dev.jnfs.localfs;

/**
 * An object's file key as read: the text the id index keeps ({@link Node#key}), which for a
 * key read by the native calls (a device and inode number) is built only when asked for. Most
 * reads only compare the key with the one a node remembers ({@link #matches}), which reads
 * the numbers from that text without building another. Equal when the texts are.
 */
final class FileKey {
  private static final String DEV = "(dev=";
  private static final String INO = ",ino=";

  private final long dev;
  private final long ino;
  /** The text; for a Unix key, made on first use (racy: every thread makes the same). */
  private String text;
  /**
   * The text {@link #matches} last found to be this key's: a key kept with attributes read
   * before is compared with the same node's text at every listing, and then that is one
   * reference comparison (racy: a value another thread wrote is as good).
   */
  private String matched;

  private FileKey(long dev, long ino, String text) {
    this.dev = dev;
    this.ino = ino;
    this.text = text;
  }

  /** @return the key of a provider's {@code fileKey()} object, by its text */
  static FileKey ofText(String text) {
    return new FileKey(0, 0, text);
  }

  /**
   * @return the key of a Unix device and inode number, whose text is the JDK's for the same
   *     object, {@code (dev=<hex>,ino=<decimal>)}, so that keys read either way compare equal
   */
  static FileKey unix(long dev, long ino) {
    return new FileKey(dev, ino, null);
  }

  /** @return the text kept by the index */
  String text() {
    String t = text;
    if (t == null) {
      t = DEV + Long.toHexString(dev) + INO + ino + ")";
      text = t;
    }
    return t;
  }

  /** @return whether {@code other} is this key's text */
  boolean matches(String other) {
    if (other != null && other == matched) {
      return true;
    }
    String t = text;
    boolean matches = t != null ? t.equals(other) : unixTextIs(other);
    if (matches) {
      matched = other;
    }
    return matches;
  }

  /** Reads the numbers of {@code other} in place, accepting only the text {@link #text} makes. */
  private boolean unixTextIs(String other) {
    if (!other.startsWith(DEV) || !other.endsWith(")")) {
      return false;
    }
    int comma = other.indexOf(',', DEV.length());
    if (comma < 0 || !other.startsWith(INO, comma)) {
      return false;
    }
    int inoStart = comma + INO.length();
    int inoEnd = other.length() - 1;
    boolean negative = inoStart < inoEnd && other.charAt(inoStart) == '-';
    if (!digits(other, DEV.length(), comma, "0123456789abcdef")
        || !digits(other, negative ? inoStart + 1 : inoStart, inoEnd, "0123456789")
        || (negative && other.charAt(inoStart + 1) == '0')) {
      return false;
    }
    try {
      return Long.parseUnsignedLong(other, DEV.length(), comma, 16) == dev
          && Long.parseLong(other, inoStart, inoEnd, 10) == ino;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** @return whether {@code s} has digits of {@code allowed} from {@code start} to {@code end}, no leading 0 */
  private static boolean digits(String s, int start, int end, String allowed) {
    if (start >= end || (s.charAt(start) == '0' && end - start > 1)) {
      return false;
    }
    for (int i = start; i < end; i++) {
      if (allowed.indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileKey k && k.text().equals(text());
  }

  @Override
  public int hashCode() {
    return text().hashCode();
  }

  @Override
  public String toString() {
    return text();
  }
}
