package dev.jnfs.localfs;

import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Which names a client may use. Every name is one path component: {@code '/'} and NUL are
 * refused (INVAL), as are names longer than the limit (NAMETOOLONG). Where Windows naming
 * rules apply, names Windows cannot store answer BADNAME: reserved device names (CON, PRN,
 * AUX, NUL, COM1-9, LPT1-9, also with an extension), trailing dots or spaces, control
 * characters and {@code < > : " | ? * \}. A colon would otherwise name an alternate data
 * stream, so these rules also guard lookups.
 */
final class NameRules {
  private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$");

  private final int maxBytes;
  private final boolean windows;

  NameRules(int maxBytes, boolean windows) {
    this.maxBytes = maxBytes;
    this.windows = windows;
  }

  /** Checks a name to look up ("." and ".." are handled by the caller before). */
  void checkExisting(String name) throws NfsException {
    if (name == null || name.isEmpty()) {
      throw new NfsException(NfsStatus.NOENT, "empty name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == 0) {
        throw new NfsException(NfsStatus.INVAL, "name contains '/' or NUL");
      }
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      throw new NfsException(NfsStatus.NAMETOOLONG, "name longer than " + maxBytes + " bytes");
    }
    if (windows) {
      checkWindows(name);
    }
  }

  /** Checks a name for a new entry: also refuses "." and "..". */
  void checkNew(String name) throws NfsException {
    if (".".equals(name) || "..".equals(name)) {
      throw new NfsException(NfsStatus.INVAL, "'" + name + "' cannot be a new name");
    }
    checkExisting(name);
  }

  private static void checkWindows(String name) throws NfsException {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || "<>:\"|?*\\".indexOf(c) >= 0) {
        throw new NfsException(NfsStatus.BADNAME, "character not allowed on Windows: " + (int) c);
      }
    }
    char last = name.charAt(name.length() - 1);
    if ((last == '.' || last == ' ') && !".".equals(name) && !"..".equals(name)) {
      throw new NfsException(NfsStatus.BADNAME, "trailing dot or space");
    }
    if (isReservedDevice(name)) {
      throw new NfsException(NfsStatus.BADNAME, "reserved device name");
    }
  }

  static boolean isReservedDevice(String name) {
    int dot = name.indexOf('.');
    String stem = (dot < 0 ? name : name.substring(0, dot)).stripTrailing().toUpperCase(Locale.ROOT);
    if (RESERVED.contains(stem)) {
      return true;
    }
    if (stem.length() == 4 && (stem.startsWith("COM") || stem.startsWith("LPT"))) {
      char d = stem.charAt(3);
      // Windows also reserves the superscript digits 1, 2 and 3.
      return (d >= '1' && d <= '9') || d == '\u00b9' || d == '\u00b2' || d == '\u00b3';
    }
    return false;
  }
}
