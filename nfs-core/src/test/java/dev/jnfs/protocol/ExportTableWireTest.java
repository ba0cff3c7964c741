package dev.jnfs.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A handle written into a block is the opaque of the bytes {@link ExportTable#toWire} makes. */
class ExportTableWireTest {
  private final Export export = Export.of("/data", new InMemoryFileSystem());
  private final ExportTable table = new ExportTable(List.of(export));

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 8, 11, FileHandle.MAX_LENGTH})
  void writeWireWritesTheOpaqueOfToWire(int length) throws NfsException {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (0xF0 - i);
    }
    FileHandle handle = FileHandle.of(bytes);
    ByteBuf viaBlock = Unpooled.buffer();
    ByteBuf viaArray = Unpooled.buffer();
    try {
      XdrEncoder.Block block = new XdrEncoder(viaBlock).block().writeInt(-1);
      table.writeWire(export, handle, block);
      block.writeInt(-1).end();
      new XdrEncoder(viaArray).writeInt(-1).writeOpaque(table.toWire(export, handle)).writeInt(-1);
      assertEquals(ByteBufUtil.hexDump(viaArray), ByteBufUtil.hexDump(viaBlock));

      XdrDecoder in = new XdrDecoder(viaBlock);
      in.readInt();
      ExportHandle back = table.fromWire(in.readOpaque(64));
      assertEquals(export, back.export());
      assertArrayEquals(bytes, back.handle().toBytes());
    } finally {
      viaBlock.release();
      viaArray.release();
    }
  }
}
