package dev.jnfs.localfs;

import dev.jnfs.spi.NfsStatus;
import java.io.IOException;

/**
 * A system call of {@link NativeFiles} failed.
 *
 * <p>The numbers are Linux's generic ones, which x86-64 and AArch64 share.
 */
final class ErrnoException extends IOException {
  private static final long serialVersionUID = 1L;

  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int EIO = 5;
  static final int ENXIO = 6;
  static final int EBADF = 9;
  static final int EAGAIN = 11;
  static final int EACCES = 13;
  static final int EEXIST = 17;
  static final int EXDEV = 18;
  static final int ENOTDIR = 20;
  static final int EISDIR = 21;
  static final int EINVAL = 22;
  static final int EFBIG = 27;
  static final int ENOSPC = 28;
  static final int EROFS = 30;
  static final int ENAMETOOLONG = 36;
  static final int ENOSYS = 38;
  static final int ELOOP = 40;
  static final int EOPNOTSUPP = 95;
  static final int EDQUOT = 122;

  private final int errno;

  ErrnoException(String call, int errno) {
    super(call + " failed with errno " + errno);
    this.errno = errno;
  }

  int errno() {
    return errno;
  }

  /**
   * The status of a failed call. EOPNOTSUPP (the file system lacks the call) and EXDEV (a
   * clone across file systems) become NOTSUPP; ELOOP means the object is no longer the regular
   * file it was (a symlink took its place): STALE.
   */
  NfsStatus status() {
    return switch (errno) {
      case EPERM -> NfsStatus.PERM;
      case ENOENT, ELOOP -> NfsStatus.STALE;
      case ENXIO -> NfsStatus.NXIO;
      case EACCES -> NfsStatus.ACCES;
      case EEXIST -> NfsStatus.EXIST;
      case EXDEV, EOPNOTSUPP -> NfsStatus.NOTSUPP;
      case EISDIR -> NfsStatus.ISDIR;
      case ENOTDIR -> NfsStatus.NOTDIR;
      case EINVAL -> NfsStatus.INVAL;
      case EFBIG -> NfsStatus.FBIG;
      case ENOSPC -> NfsStatus.NOSPC;
      case EROFS -> NfsStatus.ROFS;
      case ENAMETOOLONG -> NfsStatus.NAMETOOLONG;
      case EDQUOT -> NfsStatus.DQUOT;
      default -> NfsStatus.IO;
    };
  }
}
