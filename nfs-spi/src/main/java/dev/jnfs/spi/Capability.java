package dev.jnfs.spi;

/**
 * Optional abilities a backend may have. The server asks {@link NfsFileSystem#capabilities}
 * and answers NOTSUPP for an operation whose capability is missing, without calling the
 * backend.
 */
public enum Capability {
  /** Hard links ({@link NfsFileSystem#link}). */
  HARD_LINKS,
  /** Symbolic links ({@link NfsFileSystem#symlink}, {@link NfsFileSystem#readlink}). */
  SYMLINKS,
  /**
   * Special files ({@link NfsFileSystem#mknod}): at least FIFOs; a backend that cannot make
   * sockets or device nodes answers NOTSUPP for those types.
   */
  SPECIAL_FILES,
  /** Writes past end of file leave holes that use no space. */
  SPARSE_FILES
}
