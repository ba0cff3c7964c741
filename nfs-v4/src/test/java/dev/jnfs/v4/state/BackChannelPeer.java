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
 * A test client's side of a 4.1 back channel: reads the server's CB_COMPOUND of CB_SEQUENCE
 * and one operation from the connection, and answers it.
 */
final class BackChannelPeer {
  private BackChannelPeer() {}

  /**
   * A CB_COMPOUND the server sent.
   *
   * @param xid the call's xid
   * @param sessionId CB_SEQUENCE's session
   * @param seqid its sequence id
   * @param slot its slot
   * @param opcode the operation after CB_SEQUENCE
   * @param args the decoder positioned at that operation's arguments
   */
  record Call(int xid, byte[] sessionId, int seqid, int slot, int opcode, XdrDecoder args) {}

  /** Reads the next CB_COMPOUND, waiting up to 10 seconds, and checks its CB_SEQUENCE. */
  static Call read(TcpCompoundTransport t) throws IOException {
    return read(t, Duration.ofSeconds(10));
  }

  /**
   * @param t the back channel's connection
   * @param timeout how long to wait
   * @return the call
   * @throws IOException nothing came in time
   */
  static Call read(TcpCompoundTransport t, Duration timeout) throws IOException {
    TcpCompoundTransport.Callback call = t.awaitCallback(timeout);
    assertEquals(1, call.procedure(), "CB_COMPOUND");
    return parse(call.xid(), call.arguments());
  }

  /**
   * @param xid the call's xid
   * @param arguments CB_COMPOUND4args, in the clear
   * @return the call, its CB_SEQUENCE checked
   */
  static Call parse(int xid, byte[] arguments) {
    XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(arguments));
    d.readOpaque(1024);
    assertEquals(1, d.readInt(), "minorversion");
    d.readInt();
    assertEquals(2, d.readInt());
    assertEquals(11, d.readInt(), "CB_SEQUENCE");
    byte[] session = d.readFixedOpaque(16);
    int seqid = d.readInt();
    int slot = d.readInt();
    d.readInt();
    d.readBoolean();
    assertEquals(0, d.readInt());
    return new Call(xid, session, seqid, slot, d.readInt(), d);
  }

  /**
   * Answers a call: with CB_SEQUENCE's {@code sequenceStatus} alone when not OK, else with
   * CB_SEQUENCE and the operation both OK.
   */
  static void answer(TcpCompoundTransport t, Call c, int sequenceStatus) throws IOException {
    t.replyToCallback(c.xid(), results(c, sequenceStatus));
  }

  /** @return the CB_COMPOUND4res {@link #answer} sends */
  static byte[] results(Call c, int sequenceStatus) {
    ByteBuf buf = Unpooled.buffer();
    try {
      XdrEncoder e = new XdrEncoder(buf);
      e.writeInt(sequenceStatus).writeOpaque(new byte[0]);
      if (sequenceStatus != Nfs4Status.OK) {
        e.writeInt(1).writeInt(11).writeInt(sequenceStatus);
      } else {
        e.writeInt(2).writeInt(11).writeInt(0).writeFixedOpaque(c.sessionId()).writeInt(c.seqid())
            .writeInt(c.slot()).writeInt(1).writeInt(1);
        e.writeInt(c.opcode()).writeInt(0);
      }
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }
}
