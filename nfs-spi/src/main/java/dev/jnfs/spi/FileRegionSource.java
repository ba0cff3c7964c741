package dev.jnfs.spi;

import java.nio.channels.FileChannel;

/**
 * A range of a file's bytes that the server may send straight from the file to the network
 * (zero-copy), handed out by {@link NfsFileSystem#readRegion}.
 *
 * <p>The channel belongs to the backend: the server reads at most {@link #count()} bytes from
 * {@link #position()} (for example with {@link FileChannel#transferTo}), never changes the
 * channel's position, never closes it, and calls {@link #close()} exactly once when it no
 * longer needs the range (after the bytes were sent, or when sending failed). Until then the
 * backend keeps the channel open.
 */
public interface FileRegionSource extends AutoCloseable {

  /** @return the open channel to read from; not to be closed by the server */
  FileChannel channel();

  /** @return where in the file the range starts */
  long position();

  /** @return how many bytes the range holds (0 at or past the end of the file) */
  int count();

  /** @return whether the range reaches the end of the file */
  boolean eof();

  /**
   * @return the file's attributes as the backend saw them when it handed out the range, or
   *     null; with them the server need not ask {@link NfsFileSystem#getattr} again for the
   *     reply
   */
  default FileAttributes attributes() {
    return null;
  }

  /** Releases the backend's hold on the channel. Never throws. */
  @Override
  void close();
}
