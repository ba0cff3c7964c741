package dev.jnfs.spi;

/** The kind of a file-system object, as NFSv3 ftype3 and NFSv4 nfs_ftype4 know them. */
public enum FileType {
  /** A regular file. */
  REGULAR,
  /** A directory. */
  DIRECTORY,
  /** A block special device. */
  BLOCK_DEVICE,
  /** A character special device. */
  CHAR_DEVICE,
  /** A symbolic link. */
  SYMLINK,
  /** A socket. */
  SOCKET,
  /** A named pipe. */
  FIFO
}
