package dev.jnfs.nfs3;

import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.WriteResult;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;

/**
 * WRITE (RFC 1813 §3.3.7): writes the argument bytes, handed to the backend as a view of the
 * request buffer, at the stability the export's {@link ExportOptions.WriteSync} makes of the
 * one asked for ({@code sync}: FILE_SYNC always). A count that differs from the data's length
 * answers INVAL, as the Linux server does; a count above the server's maximum is written
 * short (the reply's count tells the client how much was taken). The reply carries the
 * server's write verifier as it was before the data reached the backend; a failure that may
 * have lost data changes the verifier.
 */
final class Nfs3Write extends Nfs3Procedure {
  Nfs3Write() {
    super("WRITE", FailureBody.WCC);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] fh = r.readHandle();
    long offset = r.args().readHyper();
    long count = r.args().readUnsignedInt();
    Stability stable = stability(r.args().readInt());
    ByteBuf data = r.args().readOpaqueSlice(r.args().remaining());
    FileHandle handle = r.resolve(Nfs3Request.FIRST, fh);
    r.requireWritable();
    r.recallDelegations(handle);
    if (count != data.readableBytes()) {
      throw new NfsException(
          NfsStatus.INVAL, "count " + count + " but " + data.readableBytes() + " data bytes");
    }
    int length = (int) Math.min(count, r.context().maxWriteSize());
    if (offset < 0 || offset + length < 0) {
      throw new NfsException(NfsStatus.FBIG, "write beyond 2^63 bytes");
    }
    ExportOptions.WriteSync sync = r.options().writeSync();
    // read before the data goes to the backend: a loss reported later changes it (ServerContext)
    long verifier = r.context().writeVerifier();
    WriteResult result;
    try {
      result = r.fs().write(
          r.caller(), handle, offset, data.nioBuffer(data.readerIndex(), length),
          sync.toBackend(stable));
    } catch (NfsException e) {
      // a failed write or sync may have lost earlier UNSTABLE data of the file too
      r.context().writeFailed(e.status());
      throw e;
    }
    // the backend's pre-write attributes are the wcc_data's first half (none if it had none)
    r.recordPreOp(Nfs3Request.FIRST, result.before());
    out.writeInt(NFS3_OK);
    r.writeWcc(out, Nfs3Request.FIRST, null);
    out.writeInt(result.count());
    out.writeInt(sync.toClient(stable, result.committed()).ordinal());
    out.writeHyper(verifier);
    r.meters().written().accept(result.count());
  }

  /** Decodes stable_how: UNSTABLE 0, DATA_SYNC 1, FILE_SYNC 2 (the enum's ordinals). */
  static Stability stability(int how) {
    return switch (how) {
      case 0 -> Stability.UNSTABLE;
      case 1 -> Stability.DATA_SYNC;
      case 2 -> Stability.FILE_SYNC;
      default -> throw new XdrException("stable_how out of range: " + how);
    };
  }
}
