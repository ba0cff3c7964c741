package dev.jnfs.benchmarks;

import dev.jnfs.rpc.RpcBenchmarkSupport;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * XDR work of one call: decoding an AUTH_SYS call header, encoding a GETATTR-like reply into a
 * buffer of the default allocator (the one the server uses).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class XdrBenchmark {
  private ByteBuf call;
  private RpcBenchmarkSupport.HeaderDecoder decoder;

  /** Builds the call and the decoder. */
  @Setup
  public void setUp() {
    call = Calls.nfsCall(1, false);
    decoder = new RpcBenchmarkSupport.HeaderDecoder(new GetattrLikeProgram());
  }

  /** Releases the call. */
  @TearDown
  public void tearDown() {
    call.release();
  }

  /**
   * @return the procedure decoded
   */
  @Benchmark
  public int decodeCallHeader() {
    return decoder.decode(call.retainedDuplicate());
  }

  /**
   * @return the reply size
   */
  @Benchmark
  public int encodeGetattrReply() {
    ByteBuf reply = ByteBufAllocator.DEFAULT.ioBuffer(256);
    try {
      XdrEncoder e = new XdrEncoder(reply);
      e.writeInt(0);
      e.writeInt(0x12345678).writeInt(1).writeInt(0).writeInt(0).writeInt(0).writeInt(0);
      GetattrLikeProgram.writeAttributes(e, 99);
      reply.setInt(0, 0x8000_0000 | (reply.writerIndex() - 4));
      return reply.writerIndex();
    } finally {
      reply.release();
    }
  }
}
