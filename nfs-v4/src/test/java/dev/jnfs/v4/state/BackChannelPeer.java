package dev.jnfs.v4.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.time.Duration;

/**
 * The client's end of a 4.1 back channel in tests: reads the server's CB_COMPOUND (CB_SEQUENCE
 * and one operation, as {@link BackChannel} sends them) from a connection and answers it.
 */
final class BackChannelPeer {
  private static final int OP_CB_SEQUENCE = 11;

  private BackChannelPeer() {}

  /**
   * A CB_COMPOUND received.
   *
   * @param xid the RPC call's xid
   * @param minorVersion the CB_COMPOUND's minor version
   * @param sessionId CB_SEQUENCE's session
   * @param seqid CB_SEQUENCE's sequence id
   * @param slot CB_SEQUENCE's slot
   * @param opcode the operation after CB_SEQUENCE
   * @param args a decoder at that operation's arguments
   */
  record Call(int xid, int minorVersion, byte[] sessionId, int seqid, int slot, int opcode, XdrDecoder args) {}

  /** Waits (10 seconds at most) for the next CB_COMPOUND on {@code t} and decodes it up to its operation's arguments. */
  static Call await(TcpCompoundTransport t) throws IOException {
    TcpCompoundTransport.Callback call = t.awaitCallback(Duration.ofSeconds(10));
    assertEquals(1, call.procedure(), "CB_COMPOUND");
    XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(call.arguments()));
    d.readOpaque(1024); // tag
    int minorVersion = d.readInt();
    d.readInt(); // callback_ident
    assertEquals(2, d.readInt(), "CB_SEQUENCE and one operation");
    assertEquals(OP_CB_SEQUENCE, d.readInt(), "CB_SEQUENCE");
    byte[] session = d.readFixedOpaque(16);
    int seqid = d.readInt();
    int slot = d.readInt();
    d.readInt(); // highest slot
    d.readBoolean(); // cachethis
    assertEquals(0, d.readInt(), "referring call lists");
    int opcode = d.readInt();
    return new Call(call.xid(), minorVersion, session, seqid, slot, opcode, d);
  }

  /**
   * Answers a CB_COMPOUND: CB_SEQUENCE with {@code sequenceStatus} and, when that is OK, the
   * operation with {@code status} and no further result.
   */
  static void answer(TcpCompoundTransport t, Call c, int sequenceStatus, int status) throws IOException {
    ByteBuf buf = Unpooled.buffer();
    try {
      XdrEncoder e = new XdrEncoder(buf);
      e.writeInt(sequenceStatus == Nfs4Status.OK ? status : sequenceStatus).writeOpaque(new byte[0]);
      if (sequenceStatus != Nfs4Status.OK) {
        e.writeInt(1).writeInt(OP_CB_SEQUENCE).writeInt(sequenceStatus);
      } else {
        e.writeInt(2).writeInt(OP_CB_SEQUENCE).writeInt(Nfs4Status.OK).writeFixedOpaque(c.sessionId())
            .writeInt(c.seqid()).writeInt(c.slot()).writeInt(1).writeInt(1);
        e.writeInt(c.opcode()).writeInt(status);
      }
      t.replyToCallback(c.xid(), ByteBufUtil.getBytes(buf));
    } finally {
      buf.release();
    }
  }
}
