package dev.jnfs.spi;

/**
 * The outcome of a read into the caller's buffer.
 *
 * @param count the bytes placed into the buffer
 * @param eof whether the read reached the end of the file
 * @param attributes the file's attributes as the backend saw them for this read, or null; with
 *     them the server need not ask {@link NfsFileSystem#getattr} again for the reply
 */
public record ReadResult(int count, boolean eof, FileAttributes attributes) {
  /**
   * A result without attributes: the server reads them separately.
   *
   * @param count the bytes placed into the buffer
   * @param eof whether the read reached the end of the file
   */
  public ReadResult(int count, boolean eof) {
    this(count, eof, null);
  }
}
