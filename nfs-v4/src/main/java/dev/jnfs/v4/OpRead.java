package dev.jnfs.v4;

import dev.jnfs.rpc.RpcCall;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileRegionSource;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.OpenContext;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.util.Optional;

/**
 * READ (RFC 7530 §16.23, RFC 8881 §18.22): reads file data after the state service accepted
 * the stateid. The count is cut to the server's maxread and to what the reply may still hold.
 * A large READ that ends its COMPOUND, over plain TCP and with no session reply cache to fill,
 * sends the bytes from the file to the socket without a copy when the backend hands out the
 * range; otherwise they are read straight into the reply buffer.
 */
final class OpRead implements Nfs4Operation {
  /** eof, the length and padding. */
  private static final int RESULT_OVERHEAD = 12;

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    Stateid stateid = Stateid.decode(args);
    long offset = args.readHyper();
    long requested = args.readUnsignedInt();
    Nfs4Handle.Exported file = ctx.currentExported(Nfs4Status.ISDIR);
    int count = (int) Math.min(requested, ctx.server().maxReadSize());
    count = Math.max(0, Math.min(count, ctx.replyBudget() - RESULT_OVERHEAD));
    if (offset >= 0 && offset > Long.MAX_VALUE - count) {
      // a READ far past the end answers OK, no data and eof (RFC 7530 §16.23): no byte lies
      // beyond 2^63 - 1, so the range is cut there rather than handed to the backend whole
      count = (int) (Long.MAX_VALUE - offset);
    }
    OpenContext open = ctx.state().checkIo(ctx, ctx.resolve(stateid), file, Nfs4StateService.Io.READ, offset,
        count);
    Caller caller = ctx.callerFor(file.export()).withOpen(open);
    if (offset < 0) {
      // beyond 2^63: past the end of any file this server can hold
      result.writeBoolean(true).writeInt(0);
      return;
    }
    if (count >= RpcCall.FILE_BYTES_WORTHWHILE && mayEndWithFile(ctx)) {
      Optional<FileRegionSource> region;
      try {
        region = file.export().fileSystem().readRegion(caller, file.handle(), offset, count);
      } catch (NfsException e) {
        throw Io.rethrow(Io.refine(ctx, file, e));
      }
      if (region.isPresent()) {
        FileRegionSource r = region.get();
        result.writeBoolean(r.eof()).writeInt(r.count()); // the opaque's bytes and padding follow
        ctx.call().endWithFileBytes(r.channel(), r.position(), r.count(), r::close);
        ctx.meters().read(r.count());
        return;
      }
    }
    int eofIndex = result.reserveInt();
    ReadResult r = Io.readIntoReply(ctx, file, caller, offset, count, result);
    result.patchInt(eofIndex, r.eof() ? 1 : 0);
    ctx.meters().read(r.count());
  }

  /**
   * Whether the COMPOUND's reply may end with this READ's bytes sent from the file: nothing
   * follows it, the transport can send them, and no session slot keeps the reply.
   */
  static boolean mayEndWithFile(CompoundContext ctx) {
    SequenceSlot slot = ctx.sequence();
    return ctx.operationIndex() == ctx.operationCount() - 1
        && ctx.call().mayEndWithFileBytes()
        && (slot == null || !slot.cacheThis());
  }
}
