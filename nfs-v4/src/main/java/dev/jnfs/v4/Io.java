package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/** Checks shared by READ, WRITE, COMMIT and the NFSv4.2 operations on file data. */
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

  /**
   * Checks that the backend of {@code object} has {@code capability}: the server never calls
   * a capability's methods on a backend without it.
   *
   * @throws Nfs4Exception NOTSUPP when it lacks it
   */
  static void requireCapability(Nfs4Handle.Exported object, Capability capability)
      throws Nfs4Exception {
    if (!object.export().fileSystem().capabilities().contains(capability)) {
      throw new Nfs4Exception(Nfs4Status.NOTSUPP, "the backend has no " + capability);
    }
  }

  /**
   * Checks that the object is a regular file, for the NFSv4.2 operations that answer
   * WRONG_TYPE for anything else (ALLOCATE, DEALLOCATE, COPY, CLONE: RFC 7862 §15.1.3,
   * §15.4.3, §15.2.3, §15.13.3).
   *
   * @return its attributes
   */
  static FileAttributes requireRegularOrWrongType(CompoundContext ctx, Nfs4Handle.Exported file)
      throws NfsException, Nfs4Exception {
    FileAttributes a =
        file.export().fileSystem().getattr(ctx.callerFor(file.export()), file.handle());
    if (a.type() != FileType.REGULAR) {
      throw new Nfs4Exception(Nfs4Status.WRONG_TYPE, "not a regular file: " + a.type());
    }
    return a;
  }

  /**
   * Reads up to {@code count} bytes straight into the reply, as an opaque whose length is
   * patched afterwards, with its padding.
   *
   * @param result the reply; the opaque's length word is written here
   * @return what the backend answered (its count may exceed {@code count}; only {@code count}
   *     bytes are kept)
   */
  static ReadResult readIntoReply(CompoundContext ctx, Nfs4Handle.Exported file,
      Caller caller, long offset, int count, XdrEncoder result)
      throws NfsException, Nfs4Exception {
    ByteBuf buf = result.buffer();
    int lengthIndex = result.reserveInt();
    buf.ensureWritable(count + 3);
    int dataStart = buf.writerIndex();
    ReadResult r;
    try {
      if (buf.nioBufferCount() == 1) {
        ByteBuffer target = buf.nioBuffer(dataStart, count);
        r = file.export().fileSystem().read(caller, file.handle(), offset, target);
      } else {
        ByteBuffer target = ByteBuffer.allocate(count);
        r = file.export().fileSystem().read(caller, file.handle(), offset, target);
        buf.setBytes(dataStart, target.flip());
      }
    } catch (NfsException e) {
      throw rethrow(refine(ctx, file, e));
    }
    int n = Math.min(r.count(), count);
    buf.writerIndex(dataStart + n);
    result.pad(n);
    result.patchInt(lengthIndex, n);
    return r;
  }
}
