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
 * buffer of the default allocator (the one the server uses), and encoding a READDIRPLUS-like
 * page of entries (fileid, an 8-byte name, cookie, post_op_attr, a 13-byte handle) item by item
 * and one staged {@link XdrEncoder.Block} per entry.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class XdrBenchmark {
  /** Entries of a 128 KiB READDIRPLUS page with 8-byte names and 13-byte handles. */
  private static final int PAGE_ENTRIES = 800;

  private static final byte[] HANDLE = {1, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 42};
  private static final String[] NAMES = new String[PAGE_ENTRIES];

  static {
    for (int i = 0; i < PAGE_ENTRIES; i++) {
      NAMES[i] = String.format("f%07d", i);
    }
  }

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

  /**
   * @return the page size
   */
  @Benchmark
  public int encodeDirectoryPageItemByItem() {
    ByteBuf page = ByteBufAllocator.DEFAULT.ioBuffer(128 * 1024);
    try {
      XdrEncoder e = new XdrEncoder(page);
      for (int i = 0; i < PAGE_ENTRIES; i++) {
        e.writeBoolean(true).writeHyper(1000 + i).writeString(NAMES[i]).writeHyper(3 + i);
        e.writeBoolean(true);
        e.writeInt(1).writeInt(0644).writeInt(1).writeInt(1000).writeInt(1000);
        e.writeHyper(4096).writeHyper(4096).writeInt(0).writeInt(0).writeHyper(42).writeHyper(1000 + i);
        for (int t = 0; t < 3; t++) {
          e.writeUnsignedInt(1_700_000_000L).writeInt(123_456_789);
        }
        e.writeBoolean(true).writeOpaque(HANDLE);
      }
      return page.writerIndex();
    } finally {
      page.release();
    }
  }

  /**
   * @return the page size
   */
  @Benchmark
  public int encodeDirectoryPageInBlocks() {
    ByteBuf page = ByteBufAllocator.DEFAULT.ioBuffer(128 * 1024);
    try {
      XdrEncoder e = new XdrEncoder(page);
      for (int i = 0; i < PAGE_ENTRIES; i++) {
        XdrEncoder.Block b = e.block();
        b.writeBoolean(true).writeHyper(1000 + i).writeString(NAMES[i]).writeHyper(3 + i);
        b.writeBoolean(true);
        b.writeInt(1).writeInt(0644).writeInt(1).writeInt(1000).writeInt(1000);
        b.writeHyper(4096).writeHyper(4096).writeInt(0).writeInt(0).writeHyper(42).writeHyper(1000 + i);
        for (int t = 0; t < 3; t++) {
          b.writeUnsignedInt(1_700_000_000L).writeInt(123_456_789);
        }
        b.writeBoolean(true).writeOpaque(HANDLE);
        b.end();
      }
      return page.writerIndex();
    } finally {
      page.release();
    }
  }
}
