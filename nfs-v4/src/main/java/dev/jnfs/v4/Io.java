package dev.jnfs.v4;

import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;

/** Checks shared by READ, WRITE and COMMIT. */
final class Io {
  private Io() {}

  /**
   * Refines a backend's "not a regular file" (INVAL) into the status the minor version wants
   * for the object's type, so the hot path needs no extra GETATTR: a symbolic link answers
   * SYMLINK in 4.1 (RFC 8881 §18.22.3).
   *
   * @param failure what the backend answered
   * @return the exception to throw
   */
  static Exception refine(CompoundContext ctx, Nfs4Handle.Exported file, NfsException failure) {
    if (failure.status() != dev.jnfs.spi.NfsStatus.INVAL) {
      return failure;
    }
    try {
      requireRegular(ctx, file);
    } catch (Nfs4Exception | NfsException e) {
      return e;
    }
    return failure;
  }

  /**
   * Checks that the object is a regular file: a directory answers ISDIR, a symbolic link
   * SYMLINK in 4.1 and INVAL in 4.0, anything else INVAL (RFC 7530 §16.23.4, RFC 8881 §18.22.3).
   */
  static void requireRegular(CompoundContext ctx, Nfs4Handle.Exported file)
      throws NfsException, Nfs4Exception {
    FileType type = file.export().fileSystem().getattr(ctx.callerFor(file.export()), file.handle()).type();
    switch (type) {
      case REGULAR -> {}
      case DIRECTORY -> throw new Nfs4Exception(Nfs4Status.ISDIR, "a directory");
      case SYMLINK -> throw new Nfs4Exception(
          ctx.minorVersion() >= 1 ? Nfs4Status.SYMLINK : Nfs4Status.INVAL, "a symbolic link");
      default -> throw new Nfs4Exception(Nfs4Status.INVAL, "not a regular file: " + type);
    }
  }

  /**
   * @param e an exception from {@link #refine}
   * @return it, typed for a {@code throw}
   */
  static Nfs4Exception rethrow(Exception e) throws NfsException {
    if (e instanceof NfsException n) {
      throw n;
    }
    return (Nfs4Exception) e;
  }
}
