package dev.jnfs.localfs;

import java.nio.file.FileSystem;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns a client's symlink target (any text, stored verbatim by NFS) into a path the
 * provider accepts. Providers normalise paths (repeated separators, Windows backslashes) or
 * refuse some characters; the exact text is then kept by the id index, and the link on disk
 * holds the nearest target the provider can store, so other programs still see a link.
 */
final class SymlinkTargets {
  private SymlinkTargets() {}

  static Path toProviderPath(FileSystem fs, String target) {
    try {
      return fs.getPath(target);
    } catch (InvalidPathException e) {
      // fall through: try the provider's separator, then replace what it refuses
    }
    String separator = fs.getSeparator();
    String converted = target.replace("/", separator);
    try {
      return fs.getPath(converted);
    } catch (InvalidPathException e) {
      // fall through
    }
    StringBuilder safe = new StringBuilder();
    for (int i = 0; i < converted.length(); i++) {
      char c = converted.charAt(i);
      boolean separatorChar = separator.indexOf(c) >= 0;
      if (c < 0x20 || (!separatorChar && "<>:\"|?*\\/".indexOf(c) >= 0)) {
        safe.append('_');
      } else {
        safe.append(c);
      }
    }
    // a rooted target without a drive is not valid everywhere: make it relative
    while (safe.length() > 1 && separator.indexOf(safe.charAt(0)) >= 0) {
      safe.deleteCharAt(0);
    }
    try {
      return fs.getPath(safe.toString());
    } catch (InvalidPathException e) {
      return fs.getPath("_");
    }
  }
}
