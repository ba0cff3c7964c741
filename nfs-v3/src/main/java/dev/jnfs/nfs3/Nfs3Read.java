package dev.jnfs.nfs3;

import dev.jnfs.rpc.RpcCall;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileRegionSource;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.xdr.Xdr;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * READ (RFC 1813 §3.3.6): file data. A large read over plain TCP goes from the file to the
 * socket without a copy when the backend hands out a file range ({@link
 * dev.jnfs.spi.NfsFileSystem#readRegion}); otherwise the backend reads straight into the reply
 * buffer and the post_op_attr that precedes the data on the wire is filled in after the read.
 * A count above the server's maximum is cut to it (the RFC allows short reads). A file an
 * NFSv4 client holds a write delegation of is recalled first (JUKEBOX meanwhile): the holder
 * may have cached writes.
 */
final class Nfs3Read extends Nfs3Procedure {
  Nfs3Read() {
    super("READ", FailureBody.POST_OP);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fh = r.readHandle();
    long offset = r.args().readHyper();
    long requested = r.args().readUnsignedInt();
    FileHandle handle = r.resolve(Nfs3Request.FIRST, fh);
    r.recallWriteDelegations(handle);
    if (offset < 0) {
      throw new NfsException(NfsStatus.INVAL, "offset beyond 2^63");
    }
    int count = (int) Math.min(requested, r.context().maxReadSize());
    if (count >= RpcCall.FILE_BYTES_WORTHWHILE
        && r.call().mayEndWithFileBytes()
        && sendFromFile(r, handle, offset, count, out)) {
      return;
    }

    ByteBuf buf = out.buffer();
    out.writeInt(NFS3_OK);
    int attributesAt = buf.writerIndex();
    buf.writeZero(Nfs3Xdr.POST_OP_ATTR_SIZE);
    int countAt = out.reserveInt();
    int eofAt = out.reserveInt();
    int lengthAt = out.reserveInt();
    ReadResult result = readInto(r, handle, offset, count, buf);
    out.pad(result.count());

    // attributes the backend read along with the data spare asking for them once more
    FileAttributes after =
        result.attributes() != null ? result.attributes() : r.current(Nfs3Request.FIRST);
    ByteBuf header = buf.duplicate().writerIndex(attributesAt);
    Nfs3Xdr.writePostOpAttr(new XdrEncoder(header), after, r.export().id());
    buf.setInt(countAt, result.count());
    buf.setInt(eofAt, result.eof() ? 1 : 0);
    buf.setInt(lengthAt, result.count());
    r.meters().read().accept(result.count());
  }

  /**
   * Answers with the file's bytes sent from the file itself, if the backend can hand out the
   * range.
   *
   * @return false if it cannot, and nothing was written
   */
  private static boolean sendFromFile(
      Nfs3Request r, FileHandle handle, long offset, int count, XdrEncoder out) throws NfsException {
    Optional<FileRegionSource> found = r.fs().readRegion(r.caller(), handle, offset, count);
    if (found.isEmpty()) {
      return false;
    }
    FileRegionSource region = found.get();
    try {
      FileAttributes after =
          region.attributes() != null ? region.attributes() : r.current(Nfs3Request.FIRST);
      out.writeInt(NFS3_OK);
      Nfs3Xdr.writePostOpAttr(out, after, r.export().id());
      out.writeInt(region.count());
      out.writeBoolean(region.eof());
      out.writeInt(region.count()); // the opaque's length; its bytes and padding follow
    } catch (RuntimeException e) {
      region.close();
      throw e;
    }
    r.call().endWithFileBytes(region.channel(), region.position(), region.count(), region::close);
    r.meters().read().accept(region.count());
    return true;
  }

  /** Reads into the buffer's writable region and advances its writer index by the count read. */
  private static ReadResult readInto(
      Nfs3Request r, FileHandle handle, long offset, int count, ByteBuf buf) throws NfsException {
    buf.ensureWritable(count + Xdr.UNIT);
    int at = buf.writerIndex();
    ByteBuffer destination;
    boolean direct = buf.nioBufferCount() == 1;
    destination = direct ? buf.nioBuffer(at, count) : ByteBuffer.allocate(count);
    ReadResult result = r.fs().read(r.caller(), handle, offset, destination);
    int n = result.count();
    if (n < 0 || n > count || destination.position() != n) {
      throw new IllegalStateException(
          "backend read reported " + n + " bytes but moved the buffer by " + destination.position());
    }
    if (direct) {
      buf.writerIndex(at + n);
    } else {
      buf.writeBytes(destination.flip());
    }
    return result;
  }
}
