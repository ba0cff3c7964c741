package dev.jnfs.memory;

import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;

/** Checks of directory entry names against the file system's rules. */
final class Names {
  /** The longest name, in UTF-8 bytes. */
  static final int MAX_LENGTH = 255;

  private Names() {}

  /**
   * @param name a name the server passed on (not empty, no '/' or NUL)
   * @throws NfsException NAMETOOLONG when its UTF-8 form exceeds {@link #MAX_LENGTH} bytes
   */
  static void checkLength(String name) throws NfsException {
    int bytes = utf8Length(name);
    if (bytes > MAX_LENGTH) {
      throw new NfsException(NfsStatus.NAMETOOLONG, "name of " + bytes + " bytes");
    }
  }

  /**
   * Checks a name that is to be made or removed: "." and ".." are not allowed.
   *
   * @param name the name
   * @throws NfsException INVAL for "." or "..", NAMETOOLONG
   */
  static void checkNewOrRemoved(String name) throws NfsException {
    if (isDotOrDotDot(name)) {
      throw new NfsException(NfsStatus.INVAL, "'" + name + "' cannot be made or removed");
    }
    checkLength(name);
  }

  static boolean isDotOrDotDot(String name) {
    return name.equals(".") || name.equals("..");
  }

  /** Counts UTF-8 bytes without encoding; an unpaired surrogate counts 3 bytes. */
  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
