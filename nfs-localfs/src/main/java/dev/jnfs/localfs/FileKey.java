package dev.jnfs.localfs;

/**
 * An object's file key: a Unix device and inode number, or for other providers the text of
 * their {@code fileKey()} object. The id index keeps it in its nodes ({@link Node#key}) and
 * writes its text to the log ({@link #text}).
 *
 * <p>A Unix key compares by its two numbers, so checking an object read by {@code statx}
 * against the key a node keeps costs two comparisons. Its text is the JDK's for the same
 * object, {@code (dev=<hex>,ino=<decimal>)}: a text of exactly that form (as the JDK reads it,
 * or as the log kept it) is read back into the numbers once, when the key is made, so keys
 * read either way, or loaded from the log, compare equal exactly when their texts are. Any
 * other text is kept as text and compares as text; it never equals a Unix key, whose text
 * would have been read back into numbers. A Unix key keeps no text (the index holds one key
 * per object): its text is built when a log record is written. Immutable.
 */
final class FileKey {
  private static final String DEV = "(dev=";
  private static final String INO = ",ino=";

  private final long dev;
  private final long ino;
  /** The text of a key that is not a Unix one; null for a Unix key ({@link #dev}, {@link #ino}). */
  private final String text;

  private FileKey(long dev, long ino, String text) {
    this.dev = dev;
    this.ino = ino;
    this.text = text;
  }

  /**
   * @return the key of a provider's {@code fileKey()} object or of a logged key, by its text:
   *     a Unix key when it is the text {@link #unix} gives, else a key compared by text
   */
  static FileKey ofText(String text) {
    FileKey key = unixKeyOf(text);
    return key != null ? key : new FileKey(0, 0, text);
  }

  /**
   * @return the key of a Unix device and inode number, whose text is the JDK's for the same
   *     object, {@code (dev=<hex>,ino=<decimal>)}, so that keys read either way compare equal
   */
  static FileKey unix(long dev, long ino) {
    return new FileKey(dev, ino, null);
  }

  /** @return the text the index's log keeps */
  String text() {
    return text != null ? text : DEV + Long.toHexString(dev) + INO + ino + ")";
  }

  /**
   * Reads the numbers of a text, accepting only the text {@link #text} makes: lower-case hex
   * and signed decimal digits, no leading zero or sign other than an inode's minus.
   *
   * @return the Unix key of that text, or null when it is not one
   */
  private static FileKey unixKeyOf(String text) {
    if (!text.startsWith(DEV) || !text.endsWith(")")) {
      return null;
    }
    int comma = text.indexOf(',', DEV.length());
    if (comma < 0 || !text.startsWith(INO, comma)) {
      return null;
    }
    int inoStart = comma + INO.length();
    int inoEnd = text.length() - 1;
    boolean negative = inoStart < inoEnd && text.charAt(inoStart) == '-';
    if (!digits(text, DEV.length(), comma, "0123456789abcdef")
        || !digits(text, negative ? inoStart + 1 : inoStart, inoEnd, "0123456789")
        || (negative && text.charAt(inoStart + 1) == '0')) {
      return null;
    }
    try {
      return unix(Long.parseUnsignedLong(text, DEV.length(), comma, 16), Long.parseLong(text, inoStart, inoEnd, 10));
    } catch (NumberFormatException e) {
      return null; // beyond 64 bits: not a text the JDK makes
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
    if (!(o instanceof FileKey k)) {
      return false;
    }
    return text == null ? k.text == null && dev == k.dev && ino == k.ino : text.equals(k.text);
  }

  @Override
  public int hashCode() {
    return text == null ? 31 * Long.hashCode(dev) + Long.hashCode(ino) : text.hashCode();
  }

  @Override
  public String toString() {
    return text();
  }
}
