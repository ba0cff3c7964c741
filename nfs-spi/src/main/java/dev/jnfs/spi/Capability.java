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
  SPARSE_FILES,
  /**
   * Finding data and holes ({@link NfsFileSystem#seek}). Without it the server takes every
   * file for data up to its end, where the virtual hole every file has begins (RFC 7862
   * §15.11.3).
   */
  SEEK,
  /** Reserving space for a range ({@link NfsFileSystem#allocate}, NFSv4.2 ALLOCATE). */
  ALLOCATE,
  /** Turning a range into a hole ({@link NfsFileSystem#deallocate}, NFSv4.2 DEALLOCATE). */
  DEALLOCATE,
  /**
   * Copying a range from one file to another without the data crossing the network ({@link
   * NfsFileSystem#copy}, NFSv4.2 COPY).
   */
  COPY,
  /**
   * Making a range of one file share the storage of a range of another ({@link
   * NfsFileSystem#clone}, NFSv4.2 CLONE): the copy costs no space until either is written.
   */
  CLONE,
  /**
   * Extended attributes in the user namespace ({@link NfsFileSystem#getxattr}, {@link
   * NfsFileSystem#setxattr}, {@link NfsFileSystem#listxattrs}, {@link
   * NfsFileSystem#removexattr}; RFC 8276).
   */
  XATTRS
}
