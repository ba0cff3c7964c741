package dev.jnfs.v4.testing;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends NFSv4 COMPOUNDs over a real TCP connection (ONC RPC with record marking, AUTH_SYS),
 * returning the raw COMPOUND4res bytes: for tests against a running server that compare
 * replies byte for byte or read error bodies. One call at a time; 20 s read timeout.
 */
public final class TcpCompoundTransport implements AutoCloseable {
  private static final AtomicInteger XID = new AtomicInteger(0x5000);

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final int uid;
  private final java.util.Queue<byte[]> callbacks = new java.util.ArrayDeque<>();

  /**
   * @param server the server's address (loopback)
   * @param uid the AUTH_SYS uid (and gid) to send
   * @throws IOException when the connection fails
   */
  public TcpCompoundTransport(InetSocketAddress server, int uid) throws IOException {
    this.socket = new Socket();
    socket.connect(server, 20_000);
    socket.setSoTimeout(20_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.uid = uid;
  }

  /**
   * @param compound the COMPOUND to send
   * @return the raw COMPOUND4res
   */
  public byte[] callRaw(Compound compound) {
    return callRaw(compound, XID.incrementAndGet());
  }

  /**
   * Sends a COMPOUND under a chosen xid (a retransmission repeats one).
   *
   * @param compound the COMPOUND to send
   * @param xid the RPC transaction id
   * @return the raw COMPOUND4res
   */
  public byte[] callRaw(Compound compound, int xid) {
    ByteBuf msg = Unpooled.buffer();
    try {
      XdrEncoder e = new XdrEncoder(msg);
      e.writeInt(0); // record mark, patched below
      e.writeInt(xid).writeInt(0).writeInt(2).writeInt(100003).writeInt(4).writeInt(1);
      ByteBuf cred = Unpooled.buffer();
      try {
        new XdrEncoder(cred).writeInt(0).writeString("test").writeInt(uid).writeInt(uid).writeInt(0);
        e.writeInt(1).writeOpaque(cred);
      } finally {
        cred.release();
      }
      e.writeInt(0).writeInt(0); // AUTH_NONE verifier
      compound.encode(e);
      msg.setInt(0, 0x80000000 | (msg.readableBytes() - 4));
      out.write(ByteBufUtil.getBytes(msg));
      out.flush();
      byte[] reply = readReply();
      ByteBuf r = Unpooled.wrappedBuffer(reply);
      XdrDecoder d = new XdrDecoder(r);
      if (d.readInt() != xid || d.readInt() != 1 || d.readInt() != 0) {
        throw new IllegalStateException("not an accepted reply to xid " + xid);
      }
      d.readInt();
      d.readOpaque(400); // verifier
      int acceptStat = d.readInt();
      if (acceptStat != 0) {
        throw new IllegalStateException("RPC accept_stat " + acceptStat);
      }
      return ByteBufUtil.getBytes(r);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } finally {
      msg.release();
    }
  }

  /** Reads records until a reply, keeping the server's calls (callbacks) met on the way. */
  private byte[] readReply() throws IOException {
    while (true) {
      byte[] record = readRecord();
      if (record.length >= 8 && ByteBuffer.wrap(record).getInt(4) == 0) {
        callbacks.add(record);
      } else {
        return record;
      }
    }
  }

  /**
   * Waits for the server's next call on this connection (a back-channel callback).
   *
   * @param timeout how long to wait
   * @return the call: its xid and the bytes of its arguments (after the RPC header)
   * @throws IOException on a timeout or a broken connection
   */
  public Callback awaitCallback(Duration timeout) throws IOException {
    byte[] record = callbacks.poll();
    if (record == null) {
      int before = socket.getSoTimeout();
      socket.setSoTimeout((int) timeout.toMillis());
      try {
        record = readRecord();
      } finally {
        socket.setSoTimeout(before);
      }
      if (ByteBuffer.wrap(record).getInt(4) != 0) {
        throw new IOException("a reply where a call was expected");
      }
    }
    XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(record));
    int xid = d.readInt();
    d.readInt(); // CALL
    d.readInt(); // rpcvers
    int program = d.readInt();
    d.readInt(); // version
    int procedure = d.readInt();
    d.readInt();
    d.readOpaque(400); // credential
    d.readInt();
    d.readOpaque(400); // verifier
    byte[] args = d.readFixedOpaque(d.remaining());
    return new Callback(xid, program, procedure, args);
  }

  /**
   * Answers a server's call with an accepted, successful reply.
   *
   * @param xid the call's xid
   * @param results the procedure's results
   * @throws IOException when the connection fails
   */
  public void replyToCallback(int xid, byte[] results) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 + 24 + results.length);
    b.putInt(0x80000000 | (24 + results.length));
    b.putInt(xid).putInt(1).putInt(0).putInt(0).putInt(0).putInt(0);
    b.put(results);
    out.write(b.array());
    out.flush();
  }

  /**
   * A call the server sent.
   *
   * @param xid its xid
   * @param program the program
   * @param procedure the procedure
   * @param arguments the bytes of its arguments
   */
  public record Callback(int xid, int program, int procedure, byte[] arguments) {}

  private byte[] readRecord() throws IOException {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    boolean last = false;
    while (!last) {
      int mark = in.readInt();
      last = (mark & 0x80000000) != 0;
      int length = mark & 0x7FFFFFFF;
      if (length > 64 << 20) {
        throw new IOException("fragment of " + length + " bytes");
      }
      byte[] fragment = new byte[length];
      in.readFully(fragment);
      all.write(fragment);
    }
    return all.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
