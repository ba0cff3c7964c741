package dev.jnfs.localfs;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether reading a file moves its access time, as the mount holding the export says (its
 * options in {@code /proc/self/mountinfo}, proc(5)): never under {@code noatime}; under {@code
 * relatime}, Linux's default, only when the access time is not after the modification time
 * and the change time, or is a day old (the kernel's {@code relatime_need_update}); always
 * otherwise ({@code strictatime}, other systems, a mount table that cannot be read). A read
 * that cannot move the access time leaves the attributes kept of its file ({@link
 * KeptAttributes}) true. Immutable.
 */
final class AccessTimes {
  private static final Logger LOG = LoggerFactory.getLogger(AccessTimes.class);
  private static final Path MOUNT_TABLE = Path.of("/proc/self/mountinfo");
  /** How old an access time relatime updates anyway; an hour less, for clocks that step. */
  private static final Duration RELATIME_AGE = Duration.ofHours(23);

  enum Mode {
    NEVER,
    RELATIVE,
    ALWAYS
  }

  private final Mode mode;
  private final Supplier<Instant> clock;

  AccessTimes(Mode mode, Supplier<Instant> clock) {
    this.mode = mode;
    this.clock = clock;
  }

  /** @return the rule of the mount holding {@code root}, read from the system */
  static AccessTimes of(Path root) {
    return new AccessTimes(modeOfMount(root), Instant::now);
  }

  /** @return the access-time mode of the mount holding {@code root}; ALWAYS when unknown */
  static Mode modeOfMount(Path root) {
    if (root.getFileSystem() != FileSystems.getDefault() || !Files.isReadable(MOUNT_TABLE)) {
      return Mode.ALWAYS;
    }
    try {
      return modeOf(root.toRealPath().toString(), Files.readAllLines(MOUNT_TABLE));
    } catch (IOException | RuntimeException e) {
      LOG.debug("mount table unreadable, every read counts as moving the access time: {}", e.toString());
      return Mode.ALWAYS;
    }
  }

  /**
   * @param root a real, absolute path
   * @param mountInfo the lines of {@code /proc/self/mountinfo}
   * @return the access-time mode of the mount that holds {@code root}: the one with the longest
   *     mount point above it, the last listed of those (mounted over the others)
   */
  static Mode modeOf(String root, List<String> mountInfo) {
    String best = null;
    String bestOptions = "";
    for (String line : mountInfo) {
      String[] fields = line.split(" ");
      if (fields.length < 6) {
        continue;
      }
      String mountPoint = unescape(fields[4]);
      if (isAbove(mountPoint, root) && (best == null || mountPoint.length() >= best.length())) {
        best = mountPoint;
        bestOptions = fields[5];
      }
    }
    List<String> options = List.of(bestOptions.split(","));
    if (options.contains("noatime")) {
      return Mode.NEVER;
    }
    return options.contains("relatime") ? Mode.RELATIVE : Mode.ALWAYS;
  }

  private static boolean isAbove(String mountPoint, String path) {
    return path.equals(mountPoint)
        || mountPoint.equals("/")
        || (path.startsWith(mountPoint) && path.charAt(mountPoint.length()) == '/');
  }

  /** Undoes the octal escapes of spaces, tabs, newlines and backslashes in a mount point. */
  private static String unescape(String field) {
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length() && isOctal(field, i + 1)) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String s, int from) {
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }

  /** @return whether reading a file with these attributes leaves its access time as it is */
  boolean readLeaves(Snapshot file) {
    return switch (mode) {
      case NEVER -> true;
      case ALWAYS -> false;
      case RELATIVE -> file.atime().isAfter(file.mtime()) && file.atime().isAfter(file.ctime())
          && file.atime().isAfter(clock.get().minus(RELATIME_AGE));
    };
  }
}
