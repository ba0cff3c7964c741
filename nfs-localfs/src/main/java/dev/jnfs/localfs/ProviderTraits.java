package dev.jnfs.localfs;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What an NIO provider can do, learned from its supported views and from a short probe in
 * the state directory (a few files made and removed again).
 *
 * @param unixView the "unix" view (numeric uid/gid, mode, nlink, ctime, inode) is readable
 * @param posixView the "posix" view (permission bits) exists
 * @param dosView the "dos" view (read-only flag) exists
 * @param fileKeys objects have file keys (dev and inode on Unix; jimfs ids)
 * @param birthUsable the creation time exists and does not follow the modification time
 * @param symlinks symbolic links can be made
 * @param hardLinks hard links can be made
 * @param caseInsensitive names differing only in case name the same object
 * @param windowsNames Windows naming rules apply (reserved device names and characters)
 */
record ProviderTraits(
    boolean unixView,
    boolean posixView,
    boolean dosView,
    boolean fileKeys,
    boolean birthUsable,
    boolean symlinks,
    boolean hardLinks,
    boolean caseInsensitive,
    boolean windowsNames) {

  static ProviderTraits probe(Path root, Path stateDirectory, Boolean windowsNamesOverride)
      throws IOException {
    FileSystem fs = root.getFileSystem();
    Set<String> views = fs.supportedFileAttributeViews();
    boolean windows = windowsNamesOverride != null ? windowsNamesOverride : fs.getSeparator().equals("\\");
    removeLeftoverProbes(stateDirectory);
    Path dir = stateDirectory.resolve("probe-" + UUID.randomUUID());
    Files.createDirectories(dir);
    try {
      Path file = Files.createFile(dir.resolve("probe"));
      BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      FileTime birth = before.creationTime();
      Files.setLastModifiedTime(file, FileTime.fromMillis(birth.toMillis() + 86_400_000L));
      FileTime after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).creationTime();
      boolean birthUsable = birth.equals(after);
      boolean caseInsensitive = Files.exists(dir.resolve("PROBE"), LinkOption.NOFOLLOW_LINKS);
      boolean symlinks = tryLink(() -> Files.createSymbolicLink(dir.resolve("symlink"), fs.getPath("probe")));
      boolean hardLinks = tryLink(() -> Files.createLink(dir.resolve("hardlink"), file));
      return new ProviderTraits(views.contains("unix"), views.contains("posix"), views.contains("dos"),
          before.fileKey() != null, birthUsable, symlinks, hardLinks, caseInsensitive, windows);
    } finally {
      deleteTree(dir);
    }
  }

  /** Removes probes a crash left behind. */
  private static void removeLeftoverProbes(Path stateDirectory) throws IOException {
    try (java.nio.file.DirectoryStream<Path> stream = Files.newDirectoryStream(stateDirectory, "probe-*")) {
      for (Path p : stream) {
        deleteTree(p);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** @return the form in which names are compared */
  String fold(String name) {
    return caseInsensitive ? name.toLowerCase(Locale.ROOT) : name;
  }

  private interface LinkMaker {
    void make() throws IOException;
  }

  private static boolean tryLink(LinkMaker maker) {
    try {
      maker.make();
      return true;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
