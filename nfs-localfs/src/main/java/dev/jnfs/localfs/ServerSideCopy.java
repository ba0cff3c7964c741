package dev.jnfs.localfs;

import dev.jnfs.localfs.ObjectResolver.Resolved;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.Stability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * COPY and CLONE (RFC 7862 §15.2, §15.13). COPY moves the bytes with {@link
 * FileChannel#transferTo} between two file channels, which the JDK turns into {@code
 * copy_file_range} on Linux (the kernel copies, and shares blocks where the file system can)
 * and into a buffered loop elsewhere, so it works on every provider. CLONE is {@code
 * FICLONERANGE} through {@link NativeFiles}, or NOTSUPP: it never copies instead.
 */
final class ServerSideCopy extends ExportState {
  private static final Set<OpenOption> WRITE_ONLY =
      Set.of(StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  /** The native calls for CLONE, or null where there are none. */
  /** The native calls confined to the export's root, or null. */
  private final NativeFiles.Confined nativeFiles;

  ServerSideCopy(ExportState state, NativeFiles.Confined nativeFiles) {
    super(state);
    this.nativeFiles = nativeFiles;
  }

  /** The two files of a copy or clone, permissions checked. */
  private record Pair(Resolved source, Resolved destination) {}

  private Pair pair(Caller caller, FileHandle source, long sourceOffset, FileHandle destination,
      long destinationOffset, long count) throws NfsException {
    Resolved s = regularFile(source);
    Resolved d = regularFile(destination);
    requireRead(caller, s.attrs());
    requireWrite(caller, d.attrs());
    if (sourceOffset < 0 || destinationOffset < 0 || count < 0) {
      throw new NfsException(NfsStatus.INVAL, "negative offset or count");
    }
    return new Pair(s, d);
  }

  long copy(Caller caller, FileHandle source, long sourceOffset, FileHandle destination, long destinationOffset,
      long count, Stability stability) throws NfsException {
    Pair p = pair(caller, source, sourceOffset, destination, destinationOffset, count);
    // the destination gets a channel of its own: transferTo writes at the target's position
    // (transferFrom would refuse to start past the destination's end)
    try (ChannelCache.Lease in = channels.acquire(p.source().id(), p.source().path(), false);
        FileChannel out = files.open(p.destination().path(), WRITE_ONLY)) {
      long size = in.channel().size();
      if (sourceOffset > size) {
        throw new NfsException(NfsStatus.INVAL, "source offset past its end");
      }
      long n = count == 0 ? size - sourceOffset : Math.min(count, size - sourceOffset);
      checkRanges(p, sourceOffset, destinationOffset, n);
      out.position(destinationOffset);
      long copied = p.source().id() == p.destination().id() && nativeFiles == null
          ? copyThroughBuffer(in.channel(), sourceOffset, out, n)
          : transfer(in.channel(), sourceOffset, out, n);
      if (stability != Stability.UNSTABLE) {
        out.force(stability == Stability.FILE_SYNC);
      }
      bumpChange(p.destination().id());
      return copied;
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  private static long transfer(FileChannel in, long offset, FileChannel out, long n) throws IOException {
    long copied = 0;
    while (copied < n) {
      long k = in.transferTo(offset + copied, n - copied, out);
      if (k <= 0) {
        break; // the source shrank meanwhile
      }
      copied += k;
    }
    return copied;
  }

  /**
   * Copies within one file of a provider other than the platform's: such a provider may lock
   * the file for reading during a transfer and then wait for itself to write (jimfs does).
   */
  private static long copyThroughBuffer(FileChannel in, long offset, FileChannel out, long n) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(n, 1 << 20));
    long copied = 0;
    while (copied < n) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), n - copied));
      int k = in.read(buffer, offset + copied);
      if (k <= 0) {
        break;
      }
      buffer.flip();
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      copied += k;
    }
    return copied;
  }

  void cloneRange(Caller caller, FileHandle source, long sourceOffset, FileHandle destination,
      long destinationOffset, long count) throws NfsException {
    Pair p = pair(caller, source, sourceOffset, destination, destinationOffset, count);
    if (nativeFiles == null) {
      throw new NfsException(NfsStatus.NOTSUPP, "no reflinks on this provider");
    }
    long size = p.source().attrs().size();
    if (sourceOffset > size) {
      throw new NfsException(NfsStatus.INVAL, "source offset past its end");
    }
    checkRanges(p, sourceOffset, destinationOffset, count == 0 ? size - sourceOffset : count);
    try {
      nativeFiles.cloneRange(p.source().path(), sourceOffset, p.destination().path(), destinationOffset, count);
    } catch (IOException e) {
      throw Errors.map(e);
    }
    bumpChange(p.destination().id());
  }

  /** Overlapping ranges of one file are INVAL (the SPI's contract; RFC 7862 §15.13.3 for CLONE). */
  private static void checkRanges(Pair p, long sourceOffset, long destinationOffset, long n) throws NfsException {
    if (destinationOffset > Long.MAX_VALUE - n) {
      throw new NfsException(NfsStatus.FBIG, "destination range past the largest file size");
    }
    if (p.source().id() == p.destination().id() && n > 0
        && sourceOffset < destinationOffset + n && destinationOffset < sourceOffset + n) {
      throw new NfsException(NfsStatus.INVAL, "overlapping ranges in one file");
    }
  }
}
