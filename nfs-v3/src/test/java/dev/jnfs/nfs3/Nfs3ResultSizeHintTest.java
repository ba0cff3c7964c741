package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.Transport;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The reply size NFSv3 announces before running a call, so a READ's or a listing's reply is taken whole. */
class Nfs3ResultSizeHintTest {
  private final Nfs3Harness harness =
      new Nfs3Harness(new Export("/data", null, new InMemoryFileSystem(), ExportOptions.DEFAULT));
  private final Nfs3Program nfs = new Nfs3Program(harness.context);

  private int hint(int procedure, Consumer<XdrEncoder> args) {
    ByteBuf buf = Unpooled.buffer();
    try {
      args.accept(new XdrEncoder(buf));
      int before = buf.readerIndex();
      RpcCall call =
          new RpcCall(
              1, Nfs3Program.PROGRAM, 3, procedure, Nfs3Harness.sys(0, 0),
              Nfs3Harness.PRIVILEGED_CLIENT, Nfs3Harness.LOCAL, Transport.TCP,
              new XdrDecoder(buf));
      int hint = nfs.resultSizeHint(call);
      assertEquals(before, buf.readerIndex(), "the hint must not consume the arguments");
      return hint;
    } finally {
      buf.release();
    }
  }

  private static Consumer<XdrEncoder> read(int handleLength, long count) {
    return e -> e.writeOpaque(new byte[handleLength]).writeHyper(0).writeUnsignedInt(count);
  }

  @Test
  void readAnnouncesItsCountPlusTheReplyAroundTheData() {
    int small = hint(Nfs3Program.READ, read(28, 4096));
    int large = hint(Nfs3Program.READ, read(28, 1 << 20));
    assertEquals(1 << 20, large - small + 4096);
    assertEquals(true, small > 4096 && small < 4096 + 200);
  }

  @Test
  void readCountIsCutToTheServerMaximum() {
    harness.context.maxRead = 65536;
    assertEquals(
        hint(Nfs3Program.READ, read(32, 65536)), hint(Nfs3Program.READ, read(32, 0xffffffffL)));
  }

  @Test
  void listingsAnnounceTheirCountAndMaxcount() {
    int readdir = hint(Nfs3Program.READDIR,
        e -> e.writeOpaque(new byte[28]).writeHyper(5).writeHyper(9).writeUnsignedInt(131072));
    int plus = hint(Nfs3Program.READDIRPLUS,
        e -> e.writeOpaque(new byte[28]).writeHyper(5).writeHyper(9).writeUnsignedInt(16384)
            .writeUnsignedInt(131072));
    int read = hint(Nfs3Program.READ, read(28, 131072));
    assertEquals(read, readdir, "READDIR's count sits after the cookie and verifier");
    assertEquals(read, plus, "READDIRPLUS's maxcount follows dircount");
    assertEquals(0, hint(Nfs3Program.READDIRPLUS,
        e -> e.writeOpaque(new byte[28]).writeHyper(5).writeHyper(9).writeUnsignedInt(16384)),
        "no maxcount");
  }

  @Test
  void malformedOrOtherCallsAnnounceNothing() {
    assertEquals(0, hint(Nfs3Program.READ, read(65, 1 << 20)), "handle longer than 64 bytes");
    assertEquals(0, hint(Nfs3Program.READ, e -> e.writeOpaque(new byte[32]).writeHyper(0)));
    assertEquals(0, hint(Nfs3Program.READ, e -> {}));
    assertEquals(0, hint(Nfs3Program.GETATTR, e -> e.writeOpaque(new byte[32])));
    assertEquals(0, hint(Nfs3Program.WRITE, read(32, 1 << 20)));
  }
}
