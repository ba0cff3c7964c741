package dev.jnfs.portmap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.Transport;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;

/**
 * Fuzzes the arguments of every PORTMAP (RFC 1833 §3, version 2) and RPCBIND (versions 3 and
 * 4) procedure: the input picks the version, the procedure and whether the caller is local
 * (only a local caller may SET or UNSET); the rest is the argument bytes. The program may only
 * answer or throw the decoding error ({@link XdrException}, GARBAGE_ARGS) or an
 * {@link RpcException}; the results stay within the size of what the registry holds.
 */
class PortmapArgumentsFuzzTest {
  private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 700);
  private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.1", 700);
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 111);

  @FuzzTest(maxDuration = "2m")
  void arguments(FuzzedDataProvider data) {
    PortmapRegistry registry = new PortmapRegistry();
    registry.set(new PortMapping(100003, 3, 6, 2049));
    PortmapProgram program = new PortmapProgram(registry);
    int version = data.consumeInt(2, 4);
    int procedure = data.consumeInt(0, 12);
    boolean local = data.consumeBoolean();
    int calls = data.consumeInt(1, 3);
    for (int i = 0; i < calls; i++) {
      byte[] args = i == calls - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(64);
      call(program, version, procedure, local ? LOCAL : REMOTE, args);
    }
    assertTrue(registry.dump().size() <= 1 + calls, "one mapping at most per SET");
  }

  private static void call(
      PortmapProgram program, int version, int procedure, InetSocketAddress from, byte[] args) {
    ByteBuf out = Unpooled.buffer();
    try {
      RpcCall call = new RpcCall(1, PortmapProgram.PROGRAM, version, procedure,
          Credential.None.INSTANCE, from, SERVER, Transport.TCP,
          new XdrDecoder(Unpooled.wrappedBuffer(args)));
      program.handle(call, new XdrEncoder(out));
      assertTrue(out.readableBytes() <= 64 * 1024, "results of " + out.readableBytes() + " bytes");
    } catch (XdrException | RpcException e) {
      // GARBAGE_ARGS or PROC_UNAVAIL, as the dispatcher answers them
    } finally {
      out.release();
    }
  }
}
