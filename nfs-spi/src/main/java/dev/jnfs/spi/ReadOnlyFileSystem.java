package dev.jnfs.spi;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * A backend that never changes: it implements only the reading methods ({@link #root},
 * {@link #getattr}, {@link #lookup}, {@link #access}, {@link #read}, {@link #readdir}, {@link
 * #fsstat}, and {@link #readlink} if it has symlinks). {@link #isReadOnly()} answers true, so
 * the server refuses modifying calls with ROFS before they reach the backend; the modifying
 * methods here answer {@link NfsStatus#ROFS} all the same, for callers other than the server.
 * {@link #commit} succeeds, as there is never unstable data to make durable.
 *
 * <p>{@link #access} still answers which bits the caller's permissions grant; the server
 * removes modify, extend and delete before a client sees them.
 */
public interface ReadOnlyFileSystem extends NfsFileSystem {

  /**
   * Declares the backend read-only.
   *
   * @return true
   */
  @Override
  default boolean isReadOnly() {
    return true;
  }

  /**
   * Refuses the change.
   *
   * @throws NfsException ROFS, always
   */
  @Override
  default FileAttributes setattr(
      Caller caller, FileHandle handle, SetAttributes changes, Instant guardCtime)
      throws NfsException {
    throw readOnly();
  }

  /**
   * Refuses the change.
   *
   * @throws NfsException ROFS, always
   */
  @Override
  default WriteResult write(
      Caller caller, FileHandle handle, long offset, ByteBuffer data, Stability stability)
      throws NfsException {
    throw readOnly();
  }

  /** Does nothing: nothing is ever written. */
  @Override
  default void commit(Caller caller, FileHandle handle, long offset, long count) {}

  /**
   * Refuses the change.
   *
   * @throws NfsException ROFS, always
   */
  @Override
  default FileEntry create(
      Caller caller,
      FileHandle directory,
      String name,
      CreateMode mode,
      SetAttributes attributes,
      long verifier)
      throws NfsException {
    throw readOnly();
  }

  /**
   * Refuses the change.
   *
   * @throws NfsException ROFS, always
   */
  @Override
  default FileEntry mkdir(Caller caller, FileHandle directory, String name, SetAttributes attributes)
      throws NfsException {
    throw readOnly();
  }

  /**
   * Refuses the change.
   *
   * @throws NfsException ROFS, always
   */
  @Override
  default FileEntry symlink(
      Caller caller, FileHandle directory, String name, String target, SetAttributes attributes)
      throws NfsException {
    throw readOnly();
  }

  /**
   * Refuses the change.
   *
   * @throws NfsException ROFS, always
   */
  @Override
  default FileEntry mknod(
      Caller caller,
      FileHandle directory,
      String name,
      FileType type,
      SetAttributes attributes,
      DeviceNumber device)
      throws NfsException {
    throw readOnly();
  }

  /**
   * Refuses the change.
   *
   * @throws NfsException ROFS, always
   */
  @Override
  default FileAttributes link(Caller caller, FileHandle file, FileHandle directory, String name)
      throws NfsException {
    throw readOnly();
  }

  /**
   * Refuses the change.
   *
   * @throws NfsException ROFS, always
   */
  @Override
  default void remove(Caller caller, FileHandle directory, String name) throws NfsException {
    throw readOnly();
  }

  /**
   * Refuses the change.
   *
   * @throws NfsException ROFS, always
   */
  @Override
  default void rmdir(Caller caller, FileHandle directory, String name) throws NfsException {
    throw readOnly();
  }

  /**
   * Refuses the change.
   *
   * @throws NfsException ROFS, always
   */
  @Override
  default void rename(
      Caller caller, FileHandle fromDirectory, String fromName, FileHandle toDirectory, String toName)
      throws NfsException {
    throw readOnly();
  }

  private static NfsException readOnly() {
    return new NfsException(NfsStatus.ROFS, "read-only file system");
  }
}
