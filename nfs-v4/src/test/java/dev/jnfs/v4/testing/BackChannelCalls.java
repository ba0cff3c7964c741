package dev.jnfs.v4.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The client side of a 4.1 back channel in tests: reads the server's CB_COMPOUNDs (CB_SEQUENCE
 * and one operation) from the connection bound to the session, and answers them.
 */
public final class BackChannelCalls {
  /** OP_CB_GETATTR. */
  public static final int CB_GETATTR = 3;
  /** OP_CB_RECALL. */
  public static final int CB_RECALL = 4;
  /** OP_CB_RECALL_ANY. */
  public static final int CB_RECALL_ANY = 8;
  private static final int CB_SEQUENCE = 11;

  private BackChannelCalls() {}

  /**
   * A CB_COMPOUND the server sent.
   *
   * @param xid its xid
   * @param minorVersion the CB_COMPOUND's minor version (the session's)
   * @param sessionId CB_SEQUENCE's session
   * @param seqid CB_SEQUENCE's sequence id
   * @param slot CB_SEQUENCE's slot
   * @param opcode the operation after CB_SEQUENCE
   * @param args the decoder positioned at the operation's arguments
   */
  public record Call(int xid, int minorVersion, byte[] sessionId, int seqid, int slot, int opcode, XdrDecoder args) {}

  /**
   * Waits (10 s at most) for the next CB_COMPOUND on {@code t} and reads it up to its operation.
   *
   * @param t the connection bound to the session's back channel
   * @return the call
   * @throws IOException on a timeout or a broken connection
   */
  public static Call await(TcpCompoundTransport t) throws IOException {
    return await(t, Duration.ofSeconds(10));
  }

  /**
   * Waits for the next CB_COMPOUND on {@code t} and reads it up to its operation.
   *
   * @param t the connection bound to the session's back channel
   * @param timeout how long to wait
   * @return the call
   * @throws IOException on a timeout or a broken connection
   */
  public static Call await(TcpCompoundTransport t, Duration timeout) throws IOException {
    TcpCompoundTransport.Callback call = t.awaitCallback(timeout);
    assertEquals(1, call.procedure(), "CB_COMPOUND");
    return parse(call.xid(), call.arguments());
  }

  /**
   * Reads CB_COMPOUND4args up to its operation, checking that CB_SEQUENCE comes first.
   *
   * @param xid the call's xid
   * @param arguments CB_COMPOUND4args, in the clear
   * @return the call
   */
  public static Call parse(int xid, byte[] arguments) {
    XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(arguments));
    d.readOpaque(1024); // tag
    int minorVersion = d.readInt();
    d.readInt(); // callback_ident
    assertEquals(2, d.readInt(), "CB_SEQUENCE and one operation");
    assertEquals(CB_SEQUENCE, d.readInt(), "CB_SEQUENCE");
    byte[] session = d.readFixedOpaque(16);
    int seqid = d.readInt();
    int slot = d.readInt();
    d.readInt(); // highest slot
    d.readBoolean(); // cachethis
    assertEquals(0, d.readInt(), "referring call lists");
    int opcode = d.readInt();
    return new Call(xid, minorVersion, session, seqid, slot, opcode, d);
  }

  /**
   * Answers a call: CB_SEQUENCE with {@code sequenceStatus} and, when OK, its operation with OK.
   *
   * @param t the connection
   * @param c the call
   * @param sequenceStatus CB_SEQUENCE's status
   * @throws IOException when the connection fails
   */
  public static void answer(TcpCompoundTransport t, Call c, int sequenceStatus) throws IOException {
    answer(t, c, sequenceStatus, Nfs4Status.OK, e -> {});
  }

  /**
   * Answers a call: CB_SEQUENCE with {@code sequenceStatus} and, when OK, its operation with
   * {@code status} and no further result.
   *
   * @param t the connection
   * @param c the call
   * @param sequenceStatus CB_SEQUENCE's status
   * @param status the operation's status
   * @throws IOException when the connection fails
   */
  public static void answer(TcpCompoundTransport t, Call c, int sequenceStatus, int status) throws IOException {
    answer(t, c, sequenceStatus, status, e -> {});
  }

  /**
   * Answers CB_GETATTR with OK and the attributes change and size.
   *
   * @param t the connection
   * @param c the call
   * @param change the holder's change attribute
   * @param size the holder's size
   * @throws IOException when the connection fails
   */
  public static void answerGetattr(TcpCompoundTransport t, Call c, long change, long size) throws IOException {
    answer(t, c, Nfs4Status.OK, Nfs4Status.OK, e -> {
      e.writeInt(1).writeInt(1 << 3 | 1 << 4);
      ByteBuf values = Unpooled.buffer();
      new XdrEncoder(values).writeHyper(change).writeHyper(size);
      e.writeOpaque(ByteBufUtil.getBytes(values));
      values.release();
    });
  }

  /**
   * Answers a call.
   *
   * @param t the connection
   * @param c the call
   * @param sequenceStatus CB_SEQUENCE's status; when not OK, nothing follows it
   * @param status the operation's status
   * @param body the operation's result after its status
   * @throws IOException when the connection fails
   */
  public static void answer(TcpCompoundTransport t, Call c, int sequenceStatus, int status, Consumer<XdrEncoder> body)
      throws IOException {
    t.replyToCallback(c.xid(), results(c, sequenceStatus, status, body));
  }

  /**
   * @param c the call
   * @param sequenceStatus CB_SEQUENCE's status; when not OK, nothing follows it
   * @return CB_COMPOUND4res with CB_SEQUENCE's status and, when OK, the operation with OK
   */
  public static byte[] results(Call c, int sequenceStatus) {
    return results(c, sequenceStatus, Nfs4Status.OK, e -> {});
  }

  private static byte[] results(Call c, int sequenceStatus, int status, Consumer<XdrEncoder> body) {
    ByteBuf buf = Unpooled.buffer();
    try {
      XdrEncoder e = new XdrEncoder(buf);
      if (sequenceStatus != Nfs4Status.OK) {
        e.writeInt(sequenceStatus).writeOpaque(new byte[0]);
        e.writeInt(1).writeInt(CB_SEQUENCE).writeInt(sequenceStatus);
      } else {
        e.writeInt(status).writeOpaque(new byte[0]);
        e.writeInt(2).writeInt(CB_SEQUENCE).writeInt(0).writeFixedOpaque(c.sessionId()).writeInt(c.seqid())
            .writeInt(c.slot()).writeInt(1).writeInt(1);
        e.writeInt(c.opcode()).writeInt(status);
        if (status == Nfs4Status.OK) {
          body.accept(e);
        }
      }
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }
}
