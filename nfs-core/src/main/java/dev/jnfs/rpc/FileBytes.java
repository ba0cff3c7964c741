package dev.jnfs.rpc;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A range of a file that ends a reply and goes from the file to the socket without passing
 * through the server's memory ({@link FileChannel#transferTo}, sendfile on Linux). It counts
 * what was sent, so a write that stops half way goes on from there; the owner's release runs
 * once, when the last reference is dropped.
 */
final class FileBytes extends AbstractReferenceCounted implements FileRegion {
  private final FileChannel channel;
  private final long position;
  private final long count;
  private final Runnable release;
  private long transferred;

  FileBytes(FileChannel channel, long position, long count, Runnable release) {
    this.channel = channel;
    this.position = position;
    this.count = count;
    this.release = release;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public long transferred() {
    return transferred;
  }

  @Override
  @Deprecated
  public long transfered() {
    return transferred;
  }

  /**
   * Sends bytes from {@code offset} within the range onwards.
   *
   * @return the bytes sent now, 0 when the socket takes none
   * @throws IOException when sending fails, or the file ends before the range does
   */
  @Override
  public long transferTo(WritableByteChannel target, long offset) throws IOException {
    long left = count - offset;
    if (left <= 0) {
      return 0;
    }
    long n = channel.transferTo(position + offset, left, target);
    if (n > 0) {
      transferred += n;
    } else if (channel.size() < position + count) {
      // the file was cut short after the reply announced its length: the record can never be
      // completed, so the connection must be dropped rather than wait
      throw new IOException("file shrank below the range being sent");
    }
    return n;
  }

  /** Sends what the socket takes now. @return whether the whole range has been sent */
  boolean sendTo(WritableByteChannel target) throws IOException {
    while (transferred < count) {
      if (transferTo(target, transferred) <= 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  protected void deallocate() {
    release.run();
  }

  @Override
  public FileBytes retain() {
    super.retain();
    return this;
  }

  @Override
  public FileBytes retain(int increment) {
    super.retain(increment);
    return this;
  }

  @Override
  public FileBytes touch() {
    return this;
  }

  @Override
  public FileBytes touch(Object hint) {
    return this;
  }
}
