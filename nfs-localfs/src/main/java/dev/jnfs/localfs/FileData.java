package dev.jnfs.localfs;

import dev.jnfs.localfs.ObjectResolver.Resolved;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileRegionSource;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * READ, WRITE, COMMIT, the zero-copy read region and the open/close hooks: positional I/O on
 * cached channels, forced to disk as the stability level asks.
 */
final class FileData extends ExportState {
  private static final Logger LOG = LoggerFactory.getLogger(FileData.class);

  private final AccessTimes accessTimes;

  FileData(ExportState state, AccessTimes accessTimes) {
    super(state);
    this.accessTimes = accessTimes;
  }

  /** Forgets what is kept of a file just read, unless the read left its access time alone. */
  private void afterRead(Resolved r) {
    if (!accessTimes.readLeaves(r.attrs())) {
      resolver.forgetKept(r.node());
    }
  }

  ReadResult read(Caller caller, FileHandle handle, long offset, ByteBuffer destination) throws NfsException {
    Resolved r = regularFileToRead(handle, caller);
    requireRead(caller, r.attrs());
    if (offset < 0) {
      throw new NfsException(NfsStatus.INVAL, "negative offset");
    }
    try (ChannelCache.Lease lease = channels.acquire(r.id(), r.path(), false)) {
      FileChannel ch = lease.channel();
      int count = 0;
      long position = offset;
      while (destination.hasRemaining()) {
        int n = ch.read(destination, position);
        if (n < 0) {
          break;
        }
        count += n;
        position += n;
      }
      // below the size just read the answer is "not at the end" without asking again: a file
      // truncated meanwhile only makes the client read once more and get the end then
      boolean eof = position >= r.attrs().size() && position >= ch.size();
      afterRead(r);
      return new ReadResult(count, eof, toNfs(r.id(), r.attrs()));
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  Optional<FileRegionSource> readRegion(Caller caller, FileHandle handle, long offset, int count)
      throws NfsException {
    Resolved r = regularFileToRead(handle, caller);
    requireRead(caller, r.attrs());
    if (offset < 0 || count < 0) {
      throw new NfsException(NfsStatus.INVAL, "negative offset or count");
    }
    ChannelCache.Lease lease;
    try {
      lease = channels.acquire(r.id(), r.path(), false);
    } catch (IOException e) {
      throw Errors.map(e);
    }
    try {
      long size = lease.channel().size();
      int n = (int) Math.max(0, Math.min(count, size - offset));
      return Optional.of(
          new ChannelRegion(lease, offset, n, offset + n >= size, toNfs(r.id(), r.attrs()),
              () -> afterRead(r)));
    } catch (IOException e) {
      lease.close();
      throw Errors.map(e);
    }
  }

  /**
   * A cached channel's range, released when the server is done with it.
   *
   * @param afterTransfer run when done: the transfer may have moved the file's access time
   */
  private record ChannelRegion(
      ChannelCache.Lease lease, long position, int count, boolean eof, FileAttributes attributes,
      Runnable afterTransfer)
      implements FileRegionSource {
    @Override
    public FileChannel channel() {
      return lease.channel();
    }

    @Override
    public void close() {
      lease.close();
      afterTransfer.run();
    }
  }

  WriteResult write(Caller caller, FileHandle handle, long offset, ByteBuffer data, Stability stability)
      throws NfsException {
    Resolved r = regularFile(handle);
    if (!PermissionCheck.ownsOrRoot(caller, r.attrs())) {
      PermissionCheck.require(caller, r.attrs(), PermissionCheck.WRITE);
    }
    if (offset < 0) {
      throw new NfsException(NfsStatus.INVAL, "negative offset");
    }
    if (offset > Long.MAX_VALUE - data.remaining()) {
      throw new NfsException(NfsStatus.FBIG, "write past the largest file size");
    }
    FileAttributes before = toNfs(r.id(), r.attrs());
    try (ChannelCache.Lease lease = channels.acquire(r.id(), r.path(), true)) {
      FileChannel ch = lease.channel();
      int count = 0;
      long position = offset;
      while (data.hasRemaining()) {
        int n = ch.write(data, position);
        count += n;
        position += n;
      }
      if (stability != Stability.UNSTABLE) {
        // RFC 1813 3.3.7: FILE_SYNC also commits the file's metadata, DATA_SYNC only what
        // retrieving the data needs. The id index is not forced here: a record lost in a crash
        // makes the handle STALE (never another object) and a LOOKUP finds the data again;
        // COMMIT forces it.
        lease.force(stability == Stability.FILE_SYNC);
      } else if (lease.wroteUnstable(count)) {
        writeBehind(r);
      }
      bumpChange(r.id());
      return new WriteResult(count, stability, before);
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  void commit(Caller caller, FileHandle handle, long offset, long count) throws NfsException {
    Resolved r = regularFile(handle);
    try (ChannelCache.Lease lease = channels.acquire(r.id(), r.path(), false)) {
      lease.force(true);
      index.sync();
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  /**
   * Starts writing a file's UNSTABLE data to disk in the background, so that a client
   * streaming a large file does not find all of it still to be written when it COMMITs: the
   * disk works while the network brings the rest. Nothing is acknowledged as stable by it.
   */
  private void writeBehind(Resolved r) throws IOException {
    ChannelCache.Lease lease = channels.acquire(r.id(), r.path(), true);
    try {
      Thread.ofVirtual()
          .name("jnfs-write-behind")
          .start(
              () -> {
                IOException failure = null;
                try {
                  lease.channel().force(false);
                } catch (ClosedChannelException e) {
                  // the file system closed or the file went away: a COMMIT will tell
                } catch (IOException e) {
                  LOG.warn("writing {} to disk ahead of a COMMIT failed", r.path(), e);
                  failure = e;
                } finally {
                  lease.writeBehindDone(failure);
                  lease.close();
                }
              });
    } catch (RuntimeException e) {
      lease.writeBehindDone(null);
      lease.close();
      throw e;
    }
  }

  void open(Caller caller, FileHandle handle, boolean write) throws NfsException {
    Resolved r = regularFile(handle);
    if (write) {
      if (!PermissionCheck.ownsOrRoot(caller, r.attrs())) {
        PermissionCheck.require(caller, r.attrs(), PermissionCheck.WRITE);
      }
    } else {
      requireRead(caller, r.attrs());
    }
    try {
      channels.pin(r.id(), r.path(), write);
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  void close(FileHandle handle) {
    try {
      channels.unpin(handles.decode(handle));
    } catch (NfsException e) {
      // not one of ours: nothing was opened
    }
  }
}
