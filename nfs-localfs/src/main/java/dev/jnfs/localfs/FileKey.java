package dev.jnfs.localfs;

/**
 * An object's file key: a Unix device and inode number, or the text of a provider's {@code
 * fileKey()} object. The id index keeps it in its nodes ({@link Node#key}) and writes its text
 * to the log ({@link #text}). Two keys are equal when their texts are.
 *
 * <p>A Unix key's text is the JDK's for the same object, {@code (dev=<hex>,ino=<decimal>)}, so
 * a key {@code statx} read equals the one the JDK read. How a key is held follows where it
 * comes from, so that the checks made per directory entry compare like with like and read no
 * text: a key {@code statx} read is its two numbers ({@link #unix}); a key the JDK read is its
 * text ({@link #ofText}), compared with another such text as text; a key loaded from the log
 * ({@link #ofLogged}) is its numbers when the text is of the JDK's Unix form, read once then.
 * Only a key held as text compared with one held as numbers (an index kept with the native
 * calls, used without them) reads the numbers of the text, in place. Immutable.
 */
final class FileKey {
  private static final String DEV = "(dev=";
  private static final String INO = ",ino=";

  private final long dev;
  private final long ino;
  /** The text, for a key held as text; null for a Unix key held as numbers. */
  private final String text;

  private FileKey(long dev, long ino, String text) {
    this.dev = dev;
    this.ino = ino;
    this.text = text;
  }

  /** @return the key of a provider's {@code fileKey()} object, held as its text */
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

  /**
   * @return the key of a text the log kept: held as numbers when it is the text {@link #unix}
   *     gives, else as text
   */
  static FileKey ofLogged(String text) {
    FileKey numbers = unixKeyOf(text);
    return numbers != null ? numbers : ofText(text);
  }

  /** @return the text the index's log keeps */
  String text() {
    return text != null ? text : DEV + Long.toHexString(dev) + INO + ino + ")";
  }

  /**
   * Reads the numbers of a text, accepting only the text {@link #text} makes of them: lower-case
   * hex and decimal digits, no leading zero, no sign but an inode's minus.
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
    if (text == null && k.text == null) {
      return dev == k.dev && ino == k.ino;
    }
    if (text != null && k.text != null) {
      return text.equals(k.text);
    }
    FileKey numbers = text == null ? this : k;
    FileKey read = unixKeyOf(text == null ? k.text : text);
    return read != null && read.dev == numbers.dev && read.ino == numbers.ino;
  }

  /** A Unix key hashes by its numbers however it is held, any other by its text. */
  @Override
  public int hashCode() {
    FileKey numbers = text == null ? this : unixKeyOf(text);
    return numbers != null ? 31 * Long.hashCode(numbers.dev) + Long.hashCode(numbers.ino) : text.hashCode();
  }

  @Override
  public String toString() {
    return text();
  }
}
