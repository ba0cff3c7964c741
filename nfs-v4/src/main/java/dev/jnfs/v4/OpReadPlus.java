package dev.jnfs.v4;

import dev.jnfs.rpc.RpcCall;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileRegionSource;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.OpenContext;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.util.Optional;

/**
 * READ_PLUS (RFC 7862 §15.10): reads the range {@code [offset, offset + count)} as READ does
 * (same stateid and permission rules, count cut to maxread and to the reply's room) and answers
 * it as segments: data as NFS4_CONTENT_DATA, holes as NFS4_CONTENT_HOLE without their zeros.
 *
 * <p>Holes are found with {@link NfsFileSystem#seek} when the backend has {@link
 * Capability#SEEK}; without it the whole range is one data segment, as READ would answer. A
 * reply that is one data segment ending its COMPOUND takes READ's path of sending the bytes
 * from the file without a copy; a reply with holes is built in the reply buffer.
 */
final class OpReadPlus implements Nfs4Operation {
  /** rpr_eof and the array's length. */
  private static final int RESULT_OVERHEAD = 8;
  /** The content arm, di_offset, the opaque's length and its padding. */
  private static final int DATA_SEGMENT_OVERHEAD = 4 + 8 + 4 + 3;
  /** The content arm, di_offset and di_length. */
  private static final int HOLE_SEGMENT_SIZE = 4 + 8 + 8;
  private static final int CONTENT_DATA = 0;
  private static final int CONTENT_HOLE = 1;

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Stateid stateid = Stateid.decode(args);
    long offset = args.readHyper();
    long requested = args.readUnsignedInt();
    Nfs4Handle.Exported file = ctx.currentExported(Nfs4Status.ISDIR);
    int count = (int) Math.min(requested, ctx.server().maxReadSize());
    count = Math.max(0, Math.min(count,
        ctx.replyBudget() - RESULT_OVERHEAD - DATA_SEGMENT_OVERHEAD));
    OpenContext open = ctx.state().checkIo(
        ctx, ctx.resolve(stateid), file, Nfs4StateService.Io.READ, offset, count);
    Caller caller = ctx.callerFor(file.export()).withOpen(open);
    if (offset < 0) {
      // beyond 2^63: past the end of any file this server can hold
      result.writeBoolean(true).writeInt(0);
      return;
    }
    NfsFileSystem fs = file.export().fileSystem();
    if (!fs.capabilities().contains(Capability.SEEK)) {
      readAsOneSegment(ctx, file, caller, offset, count, result);
      return;
    }
    FileAttributes attrs = fs.getattr(caller, file.handle());
    if (attrs.type() != FileType.REGULAR) {
      Io.requireRegular(ctx, file);
    }
    long size = attrs.size();
    long end = Math.min(size, offset + count);
    if (offset >= end || nextHole(fs, caller, file, offset, end) >= end) {
      // nothing to read (the backend still checks the permission), or data only
      readAsOneSegment(ctx, file, caller, offset, (int) Math.max(0, end - offset), result);
      return;
    }
    readSegments(ctx, file, caller, offset, end, size, result);
  }

  /** The whole range as one data segment, from the file without a copy when allowed. */
  private static void readAsOneSegment(CompoundContext ctx, Nfs4Handle.Exported file,
      Caller caller, long offset, int count, XdrEncoder result)
      throws NfsException, Nfs4Exception {
    if (count >= RpcCall.FILE_BYTES_WORTHWHILE && OpRead.mayEndWithFile(ctx)) {
      Optional<FileRegionSource> region;
      try {
        region = file.export().fileSystem().readRegion(caller, file.handle(), offset, count);
      } catch (NfsException e) {
        throw Io.rethrow(Io.refine(ctx, file, e));
      }
      if (region.isPresent()) {
        FileRegionSource r = region.get();
        result.writeBoolean(r.eof()).writeInt(r.count() == 0 ? 0 : 1);
        if (r.count() == 0) {
          r.close();
          return;
        }
        result.writeInt(CONTENT_DATA).writeHyper(offset).writeInt(r.count());
        ctx.call().endWithFileBytes(r.channel(), r.position(), r.count(), r::close);
        return;
      }
    }
    int eofIndex = result.reserveInt();
    int segmentsIndex = result.reserveInt();
    int segmentStart = result.buffer().writerIndex();
    result.writeInt(CONTENT_DATA).writeHyper(offset);
    ReadResult r = Io.readIntoReply(ctx, file, caller, offset, count, result);
    int segments = 1;
    if (Math.min(r.count(), count) == 0) {
      result.buffer().writerIndex(segmentStart);
      segments = 0;
    }
    result.patchInt(eofIndex, r.eof() ? 1 : 0);
    result.patchInt(segmentsIndex, segments);
  }

  /** Data and hole segments over {@code [offset, end)}, as far as the reply has room. */
  private static void readSegments(CompoundContext ctx, Nfs4Handle.Exported file, Caller caller,
      long offset, long end, long size, XdrEncoder result) throws NfsException, Nfs4Exception {
    NfsFileSystem fs = file.export().fileSystem();
    int eofIndex = result.reserveInt();
    int segmentsIndex = result.reserveInt();
    int segments = 0;
    long position = offset;
    while (position < end) {
      long data = nextData(fs, caller, file, position, end);
      if (data > position) {
        if (ctx.replyBudget() < HOLE_SEGMENT_SIZE) {
          break;
        }
        result.writeInt(CONTENT_HOLE).writeHyper(position).writeHyper(data - position);
        segments++;
        position = data;
        continue;
      }
      long dataEnd = nextHole(fs, caller, file, position, end);
      int room = ctx.replyBudget() - DATA_SEGMENT_OVERHEAD;
      if (room <= 0) {
        break;
      }
      int length = (int) Math.min(dataEnd - position, room);
      if (length <= 0) {
        break; // the file changed between the two seeks
      }
      result.writeInt(CONTENT_DATA).writeHyper(position);
      ReadResult r = Io.readIntoReply(ctx, file, caller, position, length, result);
      segments++;
      int n = Math.min(r.count(), length);
      position += n;
      if (n < length) {
        break; // the file shrank meanwhile
      }
    }
    result.patchInt(eofIndex, position >= size ? 1 : 0);
    result.patchInt(segmentsIndex, segments);
  }

  /** Where data begins at or after {@code position}, or {@code end} when not before it. */
  private static long nextData(NfsFileSystem fs, Caller caller, Nfs4Handle.Exported file,
      long position, long end) throws NfsException {
    long data = seek(fs, caller, file, position, true);
    return data < 0 || data > end ? end : data;
  }

  /** Where a hole begins at or after {@code position}, or {@code end} when not before it. */
  private static long nextHole(NfsFileSystem fs, Caller caller, Nfs4Handle.Exported file,
      long position, long end) throws NfsException {
    long hole = seek(fs, caller, file, position, false);
    return hole < 0 || hole > end ? end : hole;
  }

  /** The backend's seek, with the end of the file (the file shrank meanwhile) as -1. */
  private static long seek(NfsFileSystem fs, Caller caller, Nfs4Handle.Exported file,
      long position, boolean data) throws NfsException {
    try {
      return fs.seek(caller, file.handle(), position, data);
    } catch (NfsException e) {
      if (e.status() == NfsStatus.NXIO) {
        return -1;
      }
      throw e;
    }
  }
}
