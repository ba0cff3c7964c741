package dev.jnfs.rpc;

import io.netty.channel.DefaultFileRegion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A range of a file that ends a reply and goes from the file to the socket without passing
 * through the server's memory ({@link FileChannel#transferTo}, sendfile on Linux). Netty's
 * region counts what was sent, so a write that stops half way goes on from there, and fails
 * when the file was cut short below the range. Unlike Netty's, this region never closes the
 * channel, which its owner keeps: the owner's release runs once, when the last reference is
 * dropped.
 */
final class FileBytes extends DefaultFileRegion {
  private final Runnable release;

  FileBytes(FileChannel channel, long position, long count, Runnable release) {
    super(channel, position, count);
    this.release = release;
  }

  /** Sends what the socket takes now. @return whether the whole range has been sent */
  boolean sendTo(WritableByteChannel target) throws IOException {
    while (transferred() < count()) {
      if (transferTo(target, transferred()) <= 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  protected void deallocate() {
    release.run();
  }
}
