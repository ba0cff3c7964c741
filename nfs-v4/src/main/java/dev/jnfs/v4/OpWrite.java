package dev.jnfs.v4;

import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.Access;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.OpenContext;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.WriteResult;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;

/**
 * WRITE (RFC 7530 §16.36, RFC 8881 §18.32): writes file data after the state service accepted
 * the stateid; answers the count, the stability reached and the server's write verifier as it
 * was before the data reached the backend (a failure that may have lost data changes it). More
 * than the server's maxwrite answers INVAL; a range past 2^63 answers FBIG. A WRITE of no
 * bytes only checks the caller's permission and answers a count of 0.
 */
final class OpWrite implements Nfs4Operation {
  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Stateid stateid = Stateid.decode(args);
    long offset = args.readHyper();
    int how = args.readInt();
    Stability stability = switch (how) {
      case 0 -> Stability.UNSTABLE;
      case 1 -> Stability.DATA_SYNC;
      case 2 -> Stability.FILE_SYNC;
      default -> throw new XdrException("stable_how4 " + how);
    };
    ByteBuf data = args.readOpaqueSlice(Integer.MAX_VALUE);
    Nfs4Handle.Exported file = ctx.currentExported(Nfs4Status.ISDIR);
    if (data.readableBytes() > ctx.server().maxWriteSize()) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "write of " + data.readableBytes() + " bytes");
    }
    ExportOptions options = ctx.optionsFor(file.export());
    if (options.readOnly()) {
      throw new Nfs4Exception(Nfs4Status.ROFS, "read-only export");
    }
    if (offset < 0 || offset + data.readableBytes() < 0) {
      throw new Nfs4Exception(Nfs4Status.FBIG, "write beyond 2^63");
    }
    Stateid resolved = ctx.resolve(stateid);
    OpenContext open = ctx.state().checkIo(ctx, resolved, file, Nfs4StateService.Io.WRITE, offset,
        data.readableBytes());
    if (data.readableBytes() == 0) {
      // a WRITE of zero bytes succeeds with count 0, subject to permission checking, and
      // changes nothing: neither the data nor time_modify nor change (RFC 7530 §16.36.4); an
      // open stateid was checked for write access at OPEN, a special one is checked here
      if (resolved.isAnonymousOrBypass()) {
        requireWriteAccess(ctx, file);
      }
      result.writeInt(0);
      result.writeInt(Stability.FILE_SYNC.ordinal());
      result.writeHyper(ctx.server().writeVerifier());
      return;
    }
    ExportOptions.WriteSync sync = options.writeSync();
    // read before the data goes to the backend: a loss reported later changes it (ServerContext)
    long verifier = ctx.server().writeVerifier();
    WriteResult w;
    try {
      w = file.export().fileSystem().write(
          ctx.callerFor(file.export()).withOpen(open), file.handle(), offset, data.nioBuffer(),
          sync.toBackend(stability));
    } catch (NfsException e) {
      // a failed write or sync may have lost earlier UNSTABLE data of the file too
      ctx.server().writeFailed(e.status());
      throw Io.rethrow(Io.refine(ctx, file, e));
    }
    ctx.meters().written(w.count());
    result.writeInt(w.count());
    result.writeInt(sync.toClient(stability, w.committed()).ordinal());
    result.writeHyper(verifier);
  }

  private static void requireWriteAccess(CompoundContext ctx, Nfs4Handle.Exported file)
      throws Nfs4Exception, NfsException {
    int granted;
    try {
      granted = file.export().fileSystem().access(ctx.callerFor(file.export()), file.handle(), Access.MODIFY);
    } catch (NfsException e) {
      throw Io.rethrow(Io.refine(ctx, file, e));
    }
    if ((granted & Access.MODIFY) == 0) {
      throw new Nfs4Exception(Nfs4Status.ACCESS, "no write permission");
    }
  }
}
