package dev.jnfs.benchmarks;

import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;

/**
 * Program 100003 v3 shaped like GETATTR: procedure 1 reads a file handle and answers NFS3_OK
 * with an fattr3 (RFC 1813 §2.6); procedure 0 is NULL.
 */
final class GetattrLikeProgram implements RpcProgram {
  private final boolean nonBlocking;

  /** A program whose GETATTR-like procedure may block, as a disk backend's would. */
  GetattrLikeProgram() {
    this(false);
  }

  /** @param nonBlocking whether the GETATTR-like procedure never blocks (an in-memory backend) */
  GetattrLikeProgram(boolean nonBlocking) {
    this.nonBlocking = nonBlocking;
  }

  @Override
  public int program() {
    return 100003;
  }

  @Override
  public int lowVersion() {
    return 3;
  }

  @Override
  public int highVersion() {
    return 3;
  }

  @Override
  public boolean isNonBlocking(int version, int procedure) {
    return procedure == 0 || nonBlocking;
  }

  @Override
  public void handle(RpcCall call, XdrEncoder out) {
    if (call.procedure() == 1) {
      XdrDecoder in = call.arguments();
      ByteBuf handle = in.readOpaqueSlice(64);
      writeAttributes(out, handle.getLong(handle.readerIndex()));
    }
  }

  /** NFS3_OK and an fattr3. */
  static void writeAttributes(XdrEncoder out, long fileId) {
    out.writeInt(0);
    out.writeInt(1).writeInt(0644).writeInt(1).writeInt(1000).writeInt(1000);
    out.writeHyper(4096).writeHyper(4096);
    out.writeInt(0).writeInt(0);
    out.writeHyper(42).writeHyper(fileId);
    for (int i = 0; i < 3; i++) {
      out.writeInt(1_700_000_000).writeInt(123_456_789);
    }
  }
}
