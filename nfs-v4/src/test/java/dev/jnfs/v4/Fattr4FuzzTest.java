package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.Transport;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.TimeUpdate;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Fuzzes the decoding of attribute bitmaps (bitmap4, RFC 7530 §3.3.7) and of the fattr4 of
 * attributes to set (RFC 7530 §16.32, RFC 8881 §18.30; mode_umask of RFC 8275). A bitmap may
 * only fail with {@link XdrException}, keeps at most {@link Bitmap4#MAX_DECODED_WORDS} words'
 * worth of input, and encodes back to itself (less the bits no attribute has). A settable
 * fattr4 may only fail with {@link XdrException} or {@link Nfs4Exception}; what it decodes to
 * encodes back to an fattr4 that decodes to the same changes.
 */
class Fattr4FuzzTest {
  private static final Bitmap4 EVERY_ATTRIBUTE =
      Bitmap4.of(IntStream.range(0, Bitmap4.WORDS * 32).toArray());
  private static final TestServerContext SERVER = new TestServerContext(
      List.of(new Export("/", null, new InMemoryFileSystem(), Fixture.RW)));

  @FuzzTest(maxDuration = "2m")
  void bitmap(byte[] input) {
    XdrDecoder in = new XdrDecoder(Unpooled.wrappedBuffer(input));
    Bitmap4 bitmap;
    try {
      bitmap = Bitmap4.decode(in);
    } catch (XdrException e) {
      return;
    }
    assertTrue(input.length - in.remaining() <= 4 * (1 + Bitmap4.MAX_DECODED_WORDS));
    ByteBuf encoded = Unpooled.buffer();
    bitmap.encode(new XdrEncoder(encoded));
    Bitmap4 back = Bitmap4.decode(new XdrDecoder(encoded));
    assertEquals(bitmap.and(EVERY_ATTRIBUTE), back);
    assertEquals(bitmap.isEmpty(), back.isEmpty() && !bitmap.hasUnknownBits());
  }

  @FuzzTest(maxDuration = "2m")
  void settable(FuzzedDataProvider data) {
    int minor = data.consumeInt(0, Nfs4Program.HIGHEST_MINOR_VERSION);
    byte[] input = data.consumeRemainingAsBytes();
    Fattr4.Settable settable;
    try {
      settable = Fattr4.decodeSettable(context(minor), new XdrDecoder(Unpooled.wrappedBuffer(input)));
    } catch (XdrException | Nfs4Exception e) {
      return;
    }
    assertTrue(settable.attrsset().andNot(Fattr4.supported(minor)).isEmpty());
    ByteBuf encoded = Unpooled.buffer();
    encode(settable.changes(), new XdrEncoder(encoded));
    Fattr4.Settable back;
    try {
      back = Fattr4.decodeSettable(context(minor), new XdrDecoder(encoded));
    } catch (Nfs4Exception e) {
      throw new AssertionError("re-encoded attributes refused: " + e.getMessage(), e);
    }
    assertEquals(settable.changes(), back.changes());
  }

  private static CompoundContext context(int minor) {
    RpcCall call = new RpcCall(1, 100003, 4, 1, new Credential.Sys(0, "fuzz", 0, 0, new int[0]),
        new InetSocketAddress("127.0.0.1", 700), new InetSocketAddress("127.0.0.1", 2049),
        Transport.TCP, new XdrDecoder(Unpooled.EMPTY_BUFFER));
    return new CompoundContext(call, SERVER, new PseudoFs(SERVER.exports()),
        Nfs4StateService.PERMISSIVE, IdMapper.NUMERIC, minor, 1, 0);
  }

  /** The fattr4 that asks for exactly these changes, attributes in ascending order. */
  private static void encode(SetAttributes c, XdrEncoder out) {
    ByteBuf values = Unpooled.buffer();
    XdrEncoder v = new XdrEncoder(values);
    List<Integer> bits = new java.util.ArrayList<>();
    if (c.size() != null) {
      bits.add(Fattr4.SIZE);
      v.writeHyper(c.size());
    }
    if (c.mode() != null) {
      bits.add(Fattr4.MODE);
      v.writeInt(c.mode());
    }
    if (c.uid() != null) {
      bits.add(Fattr4.OWNER);
      v.writeString(IdMapper.NUMERIC.ownerOf(c.uid()));
    }
    if (c.gid() != null) {
      bits.add(Fattr4.OWNER_GROUP);
      v.writeString(IdMapper.NUMERIC.groupOf(c.gid()));
    }
    if (!(c.atime() instanceof TimeUpdate.Unchanged)) {
      bits.add(Fattr4.TIME_ACCESS_SET);
      time(c.atime(), v);
    }
    if (!(c.mtime() instanceof TimeUpdate.Unchanged)) {
      bits.add(Fattr4.TIME_MODIFY_SET);
      time(c.mtime(), v);
    }
    Bitmap4.of(bits.stream().mapToInt(Integer::intValue).toArray()).encode(out);
    out.writeOpaque(io.netty.buffer.ByteBufUtil.getBytes(values));
  }

  private static void time(TimeUpdate t, XdrEncoder v) {
    if (t instanceof TimeUpdate.ClientTime(var instant)) {
      v.writeInt(Fattr4.SET_TO_CLIENT_TIME4);
      v.writeHyper(instant.getEpochSecond());
      v.writeInt(instant.getNano());
    } else {
      v.writeInt(Fattr4.SET_TO_SERVER_TIME4);
    }
  }
}
