package dev.jnfs.benchmarks;

import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Encoded calls the benchmarks feed the server. */
final class Calls {
  private Calls() {}

  /**
   * @param procedure 0 (NULL) or 1 (GETATTR-like, with a 32-byte handle)
   * @param framed whether to prepend a record mark
   * @return a direct buffer holding the call, to be duplicated per use
   */
  static ByteBuf nfsCall(int procedure, boolean framed) {
    ByteBuf buf = Unpooled.directBuffer(256);
    XdrEncoder e = new XdrEncoder(buf);
    if (framed) {
      e.writeInt(0);
    }
    e.writeInt(0x12345678).writeInt(0).writeInt(2);
    e.writeInt(100003).writeInt(3).writeInt(procedure);
    // AUTH_SYS: stamp, machine name, uid, gid, 2 gids
    e.writeInt(1);
    int lengthAt = e.reserveInt();
    int start = buf.writerIndex();
    e.writeInt(0x5eed).writeString("client.example.org").writeInt(1000).writeInt(1000);
    e.writeInt(2).writeInt(10).writeInt(20);
    e.patchInt(lengthAt, buf.writerIndex() - start);
    e.writeInt(0).writeInt(0);
    if (procedure == 1) {
      byte[] handle = new byte[32];
      handle[7] = 99;
      e.writeOpaque(handle);
    }
    if (framed) {
      buf.setInt(0, 0x8000_0000 | (buf.writerIndex() - 4));
    }
    return buf;
  }
}
