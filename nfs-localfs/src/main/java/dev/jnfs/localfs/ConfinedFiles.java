package dev.jnfs.localfs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens, lists, makes, links, reads symlinks of, removes and renames the export's files so
 * that no symlink is followed anywhere in their path, even one that another program puts in
 * place of a directory while the server works. Where the provider offers {@link
 * SecureDirectoryStream} (the platform's on Linux, jimfs) the path is walked from the root one
 * directory at a time, each opened relative to the one before without following a symlink
 * ({@code openat} with {@code O_NOFOLLOW}), and the file is opened, listed, removed or renamed
 * relative to the last: what is reached is below the root whatever the path looks like by
 * then. Elsewhere the path is used, the last component not followed, after {@code
 * ObjectResolver} checked the directories above it. Directories, symlinks and hard links are
 * made, and symlinks read, relative to their directory through {@link NativeFiles.Confined}
 * where the native calls exist (the JDK has no {@code mkdirat}, {@code symlinkat} or {@code
 * linkat}), and by path after that check elsewhere: there a swap in the window between the
 * check and the call can still make them act outside the root. Names are removed the same
 * way ({@code unlinkat} relative to the directory), which costs three system calls where the
 * JDK's walk takes seven per directory.
 *
 * <p>The root's own directory stream stays open for the export's life (as the native calls
 * hold the root open), so a walk starts from it instead of opening the root by its path again.
 *
 * <p>Thread-safe: the JDK's secure directory streams may be used by several threads at once.
 * {@link #close} releases the root's stream.
 */
final class ConfinedFiles implements java.io.Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfinedFiles.class);

  private final Path root;
  private final boolean secure;
  private final NativeFiles.Confined natives;
  /** The root, held open where the provider has secure directory streams; else null. */
  private final SecureDirectoryStream<Path> rootStream;
  /** Whether the provider opens directories as channels, so that they can be forced. */
  private final boolean syncsDirectories;
  /** Sees each directory before it is forced; tests record them or make the force fail. */
  private volatile DirectorySyncHook syncHook = directory -> { };
  /** Shares one {@code fsync} of a directory among the calls that changed it meanwhile. */
  private final DirectoryForces directoryForces = new DirectoryForces(this::forceDirectory);

  /** @param natives the native calls confined to {@code root}, or null where there are none */
  ConfinedFiles(Path root, NativeFiles.Confined natives) throws IOException {
    this.root = root;
    this.natives = natives;
    DirectoryStream<Path> stream = Files.newDirectoryStream(root);
    this.secure = stream instanceof SecureDirectoryStream;
    if (stream instanceof SecureDirectoryStream<Path> held) {
      this.rootStream = held;
    } else {
      this.rootStream = null;
      stream.close();
    }
    this.syncsDirectories = opensDirectories(root);
  }

  private static boolean opensDirectories(Path root) {
    try (FileChannel directory = FileChannel.open(root, StandardOpenOption.READ)) {
      directory.force(true);
      return true;
    } catch (UnsupportedOperationException e) {
      return false; // Windows and in-memory providers open no directory as a file
    } catch (IOException e) {
      LOG.warn("the export root {} cannot be forced to disk ({}): CREATE, REMOVE, RENAME and the other "
          + "namespace calls answer without committing their directories", root, e.toString());
      return false;
    }
  }

  /**
   * Forces a directory's entries to stable storage ({@code fsync} of the directory), where the
   * provider can open a directory (Linux, macOS); elsewhere the provider's own writes are
   * all there is. The directory is opened by its path, not following it if it is a symlink:
   * nothing is read or written through it, so a swap on the way could only make another
   * directory be forced. Calls that force the same directory at the same time share an
   * {@code fsync} begun after each of them ({@link DirectoryForces}).
   */
  void syncDirectory(Path directory) throws IOException {
    if (syncsDirectories) {
      directoryForces.force(directory);
    }
  }

  private void forceDirectory(Path directory) throws IOException {
    syncHook.beforeSync(directory);
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      channel.force(true);
    }
  }

  /** Sees a directory about to be forced; throwing fails the force. */
  interface DirectorySyncHook {
    void beforeSync(Path directory) throws IOException;
  }

  /** Replaces what sees each directory about to be forced (for tests). */
  void onDirectorySync(DirectorySyncHook hook) {
    this.syncHook = hook;
  }

  /**
   * Opens (or with {@code CREATE_NEW}, makes) a file below the root.
   *
   * @param path the file, below the root
   * @param options how to open it; {@link LinkOption#NOFOLLOW_LINKS} among them
   * @throws java.nio.file.FileSystemException ELOOP or ENOTDIR (a symlink or a file where a
   *     directory was), and the other errors of opening
   */
  FileChannel open(Path path, Set<OpenOption> options) throws IOException {
    if (!secure) {
      return FileChannel.open(path, options);
    }
    Path relative = below(path);
    try (Parent dir = parentOf(relative)) {
      SeekableByteChannel channel = dir.stream().newByteChannel(relative.getFileName(), options);
      if (channel instanceof FileChannel file) {
        return file;
      }
      channel.close();
      throw new IOException("the provider's channel is not a file channel: " + channel.getClass());
    }
  }

  /**
   * Opens a directory of the export for listing, reached as {@link #open} does and not
   * followed if it is itself a symlink: the names listed are those of a directory below the
   * root.
   *
   * @throws java.nio.file.FileSystemException ELOOP or ENOTDIR (a symlink or a file where a
   *     directory was), and the other errors of opening
   */
  DirectoryStream<Path> openDirectory(Path directory) throws IOException {
    if (!secure || directory.equals(root)) {
      return Files.newDirectoryStream(directory);
    }
    Path relative = below(directory);
    try (Parent parent = parentOf(relative)) {
      return parent.stream().newDirectoryStream(relative.getFileName(), LinkOption.NOFOLLOW_LINKS);
    }
  }

  /**
   * Removes a name below the root, relative to its directory reached as {@link #open} does
   * ({@code unlinkat}).
   *
   * @param directory whether the name is a directory
   */
  void delete(Path path, boolean directory) throws IOException {
    if (natives != null) {
      natives.remove(path, directory);
      return;
    }
    if (!secure) {
      Files.delete(path);
      return;
    }
    Path relative = below(path);
    try (Parent dir = parentOf(relative)) {
      if (directory) {
        dir.stream().deleteDirectory(relative.getFileName());
      } else {
        dir.stream().deleteFile(relative.getFileName());
      }
    }
  }

  /**
   * Renames an object below the root, between directories reached as {@link #open} does
   * ({@code renameat}), replacing what the target name held as rename(2) does.
   *
   * @throws java.nio.file.FileAlreadyExistsException where the provider does not replace a
   *     target (the caller then moves by path)
   */
  void move(Path from, Path to) throws IOException {
    if (!secure) {
      throw new java.nio.file.AtomicMoveNotSupportedException(from.toString(), to.toString(), "no secure directory stream");
    }
    Path source = below(from);
    Path target = below(to);
    try (Parent sourceDir = parentOf(source); Parent targetDir = parentOf(target)) {
      sourceDir.stream().move(source.getFileName(), targetDir.stream(), target.getFileName());
    }
  }

  /**
   * Makes a directory below the root, with mode 0777 less the umask as {@link
   * Files#createDirectory} does.
   *
   * @throws java.nio.file.FileAlreadyExistsException when the name is taken
   */
  void createDirectory(Path path) throws IOException {
    if (natives != null) {
      natives.makeDirectory(path, 0777);
    } else {
      Files.createDirectory(path);
    }
  }

  /**
   * Makes a symlink below the root.
   *
   * @param target its content, kept as the provider writes it
   * @throws UnsupportedOperationException where the provider has no symlinks
   */
  void createSymbolicLink(Path path, Path target) throws IOException {
    if (natives != null) {
      natives.makeSymlink(path, target.toString());
    } else {
      Files.createSymbolicLink(path, target);
    }
  }

  /**
   * Reads a symlink's content below the root, as {@link Files#readSymbolicLink} does.
   *
   * @throws java.nio.file.NotLinkException (or, natively, an EINVAL {@link ErrnoException})
   *     when it is not a symlink
   */
  String readSymbolicLink(Path path) throws IOException {
    return natives != null ? natives.readLink(path) : Files.readSymbolicLink(path).toString();
  }

  /**
   * Makes {@code link} another name of {@code existing}, both below the root; a symlink is
   * linked itself, not followed.
   *
   * @throws UnsupportedOperationException where the provider has no hard links
   */
  void createLink(Path link, Path existing) throws IOException {
    if (natives != null) {
      natives.makeLink(existing, link);
    } else {
      Files.createLink(link, existing);
    }
  }

  private Path below(Path path) throws IOException {
    Path relative = root.relativize(path);
    if (relative.getFileName() == null || relative.startsWith("..")) {
      throw new IOException(path + " is not below the export's root");
    }
    return relative;
  }

  /**
   * Opens the directory holding a path relative to the root, following no symlink.
   *
   * @return it, to be closed by the caller; closing the root leaves it open
   */
  private Parent parentOf(Path relative) throws IOException {
    if (relative.getNameCount() == 1) {
      return new Parent(rootStream, false);
    }
    SecureDirectoryStream<Path> dir = rootStream.newDirectoryStream(relative.getName(0), LinkOption.NOFOLLOW_LINKS);
    try {
      for (int i = 1; i < relative.getNameCount() - 1; i++) {
        SecureDirectoryStream<Path> next =
            dir.newDirectoryStream(relative.getName(i), LinkOption.NOFOLLOW_LINKS);
        dir.close();
        dir = next;
      }
      return new Parent(dir, true);
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  /** A directory reached by {@link #parentOf}, closed with it unless it is the held root. */
  private record Parent(SecureDirectoryStream<Path> stream, boolean owned) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (owned) {
        stream.close();
      }
    }
  }

  /** Releases the root's directory stream. */
  @Override
  public void close() throws IOException {
    if (rootStream != null) {
      rootStream.close();
    }
  }
}
