package dev.jnfs.spi;

import java.time.Duration;

/**
 * Static properties of a backend that shape FSINFO, PATHCONF and NFSv4 attributes.
 *
 * @param maxFileSize the largest file size supported
 * @param maxNameLength the longest name, in UTF-8 bytes
 * @param maxLinkCount the largest hard-link count
 * @param timeDelta the granularity of stored timestamps
 * @param caseInsensitive whether names differing only in case name the same object
 * @param casePreserving whether the case of a name is kept as given
 * @param chownRestricted whether only the superuser may change an owner
 */
public record FsProperties(
    long maxFileSize,
    int maxNameLength,
    int maxLinkCount,
    Duration timeDelta,
    boolean caseInsensitive,
    boolean casePreserving,
    boolean chownRestricted) {

  /** Properties of a POSIX-like file system: 255-byte names, nanosecond times, case-sensitive. */
  public static final FsProperties POSIX =
      new FsProperties(Long.MAX_VALUE, 255, 65_535, Duration.ofNanos(1), false, true, true);
}
