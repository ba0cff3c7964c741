package dev.jnfs.nfs3;

import dev.jnfs.lock.LocalLockManager;
import dev.jnfs.lock.LockManager;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ExportTable;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.rpc.Transport;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * Drives an {@link RpcProgram} directly: encodes arguments, builds the {@link RpcCall},
 * runs {@code handle} into a pooled direct buffer as the server would, and hands back the
 * result bytes for decoding.
 */
final class Nfs3Harness {
  static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 2049);
  static final InetSocketAddress PRIVILEGED_CLIENT = new InetSocketAddress("127.0.0.1", 700);

  final ExportTable exports;
  final TestContext context;
  private int xid;

  /** A server context with fixed limits and a settable write verifier. */
  static final class TestContext implements ServerContext {
    final ExportTable exports;
    long verifier = 0x0102030405060708L;
    int maxRead = 1 << 20;
    int maxWrite = 1 << 20;

    TestContext(ExportTable exports) {
      this.exports = exports;
    }

    @Override
    public ExportTable exports() {
      return exports;
    }

    @Override
    public long writeVerifier() {
      return verifier;
    }

    @Override
    public synchronized void writeVerifierLost() {
      verifier++;
    }

    @Override
    public int maxReadSize() {
      return maxRead;
    }

    @Override
    public int maxWriteSize() {
      return maxWrite;
    }

    private final LockManager lockManager = new LocalLockManager();
    /** What stands for NFSv4's delegations; none unless a test sets it. */
    volatile dev.jnfs.protocol.DelegationRecalls delegationRecalls = dev.jnfs.protocol.DelegationRecalls.NONE;

    @Override
    public dev.jnfs.protocol.DelegationRecalls delegationRecalls() {
      return delegationRecalls;
    }

    @Override
    public LockManager lockManager() {
      return lockManager;
    }
  }

  Nfs3Harness(Export... exports) {
    this.exports = new ExportTable(List.of(exports));
    this.context = new TestContext(this.exports);
  }

  static Credential.Sys sys(int uid, int gid) {
    return new Credential.Sys(1, "client", uid, gid, new int[0]);
  }

  /** Calls as root from a privileged port of 127.0.0.1. */
  XdrDecoder call(RpcProgram program, int version, int procedure, Consumer<XdrEncoder> args) {
    return call(program, version, procedure, sys(0, 0), PRIVILEGED_CLIENT, args);
  }

  XdrDecoder call(
      RpcProgram program,
      int version,
      int procedure,
      Credential credential,
      InetSocketAddress remote,
      Consumer<XdrEncoder> args) {
    ByteBuf argBuf = PooledByteBufAllocator.DEFAULT.directBuffer();
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    try {
      args.accept(new XdrEncoder(argBuf));
      XdrDecoder decoder = new XdrDecoder(argBuf);
      RpcCall call = new RpcCall(++xid, program.program(), version, procedure, credential, remote,
          LOCAL, Transport.TCP, decoder);
      program.handle(call, new XdrEncoder(out));
      return new XdrDecoder(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(out)));
    } finally {
      argBuf.release();
      out.release();
    }
  }
}
