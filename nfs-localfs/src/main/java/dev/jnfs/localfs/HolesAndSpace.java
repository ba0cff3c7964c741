package dev.jnfs.localfs;

import dev.jnfs.localfs.ObjectResolver.Resolved;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.io.IOException;

/**
 * SEEK, ALLOCATE and DEALLOCATE (RFC 7862 §15.11, §15.1, §15.4) on the file system itself:
 * {@code lseek} with SEEK_DATA/SEEK_HOLE, {@code fallocate} mode 0 and PUNCH_HOLE|KEEP_SIZE
 * through {@link NativeFiles.Confined}, the file opened relative to its directory. Data
 * written UNSTABLE through a cached channel is in the operating system's page cache and so
 * already seen by these calls.
 */
final class HolesAndSpace extends ExportState {
  /** The native calls confined to the export's root, or null. */
  private final NativeFiles.Confined nativeFiles;

  HolesAndSpace(ExportState state, NativeFiles.Confined nativeFiles) {
    super(state);
    this.nativeFiles = nativeFiles;
  }

  long seek(Caller caller, FileHandle handle, long offset, boolean data) throws NfsException {
    Resolved r = regularFile(handle);
    requireRead(caller, r.attrs());
    if (offset < 0) {
      throw new NfsException(NfsStatus.INVAL, "negative offset");
    }
    try {
      return nativeFiles.seek(r.path(), offset, data);
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  FileAttributes allocate(Caller caller, FileHandle handle, long offset, long length) throws NfsException {
    Resolved r = writableRange(caller, handle, offset, length);
    try {
      nativeFiles.allocate(r.path(), offset, length);
    } catch (IOException e) {
      throw Errors.map(e);
    }
    return changed(r);
  }

  FileAttributes deallocate(Caller caller, FileHandle handle, long offset, long length) throws NfsException {
    Resolved r = writableRange(caller, handle, offset, length);
    try {
      nativeFiles.punchHole(r.path(), offset, length);
    } catch (IOException e) {
      throw Errors.map(e);
    }
    return changed(r);
  }

  private Resolved writableRange(Caller caller, FileHandle handle, long offset, long length) throws NfsException {
    Resolved r = regularFile(handle);
    requireWrite(caller, r.attrs());
    if (offset < 0 || length <= 0) {
      throw new NfsException(NfsStatus.INVAL, "negative offset or empty range");
    }
    if (offset > Long.MAX_VALUE - length) {
      throw new NfsException(NfsStatus.FBIG, "range past the largest file size");
    }
    return r;
  }

  private FileAttributes changed(Resolved r) throws NfsException {
    bumpChange(r.id());
    return toNfs(r.id(), refresh(r.id()).attrs());
  }
}
