package dev.jnfs.v4.testing;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An NFSv4 client over one TCP connection with record marking (RFC 5531 §11) and AUTH_SYS,
 * for tests against a running server. Calls are sent one at a time. Not thread-safe.
 */
public final class TcpClient implements Nfs4Client {
  /** The largest reply record accepted. */
  private static final int MAX_RECORD = 64 << 20;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final int uid;
  private final int gid;
  private int xid = 0x4000;

  /**
   * @param port the server's port on 127.0.0.1
   * @param uid the AUTH_SYS uid
   * @param gid the AUTH_SYS gid
   * @throws IOException when the connection fails
   */
  public TcpClient(int port, int uid, int gid) throws IOException {
    this(port, "127.0.0.1", uid, gid);
  }

  /**
   * @param port the server's port on 127.0.0.1
   * @param localHost the local address to connect from, e.g. 127.0.0.2
   * @param uid the AUTH_SYS uid
   * @param gid the AUTH_SYS gid
   * @throws IOException when the connection fails
   */
  public TcpClient(int port, String localHost, int uid, int gid) throws IOException {
    this.socket = new Socket();
    socket.bind(new InetSocketAddress(localHost, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(30_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.uid = uid;
    this.gid = gid;
  }

  @Override
  public Reply call(Compound compound) {
    byte[] reply = callRaw(1, compound::encode);
    return compound.decode(new XdrDecoder(Unpooled.wrappedBuffer(reply)));
  }

  @Override
  public byte[] callBytes(Compound compound) {
    return callRaw(1, compound::encode);
  }

  /**
   * Sends one call of program 100003 version 4 and answers the bytes after the accepted reply
   * header.
   *
   * @param procedure the procedure
   * @param args writes the arguments
   * @return the results' bytes
   * @throws IllegalStateException when the call was not accepted with SUCCESS
   */
  public byte[] callRaw(int procedure, Consumer<XdrEncoder> args) {
    ByteBuf buf = Unpooled.buffer();
    try {
      XdrEncoder e = new XdrEncoder(buf);
      int mark = e.reserveInt();
      int id = xid++;
      e.writeInt(id).writeInt(0).writeInt(2).writeInt(100003).writeInt(4).writeInt(procedure);
      e.writeInt(1);
      int credLength = e.reserveInt();
      int credStart = buf.writerIndex();
      e.writeInt(0).writeOpaque("test".getBytes(StandardCharsets.US_ASCII)).writeInt(uid).writeInt(gid).writeInt(0);
      e.patchInt(credLength, buf.writerIndex() - credStart);
      e.writeInt(0).writeInt(0);
      args.accept(e);
      e.patchInt(mark, 0x8000_0000 | (buf.writerIndex() - 4));
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      out.write(bytes);
      out.flush();
      byte[] record = readRecord();
      XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(record));
      if (d.readInt() != id) {
        throw new IllegalStateException("reply to another xid");
      }
      d.readInt(); // REPLY
      if (d.readInt() != 0) {
        throw new IllegalStateException("call denied");
      }
      d.readInt();
      d.readOpaque(400);
      int acceptStat = d.readInt();
      if (acceptStat != 0) {
        throw new IllegalStateException("accept_stat " + acceptStat);
      }
      byte[] results = new byte[d.remaining()];
      d.buffer().readBytes(results);
      return results;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } finally {
      buf.release();
    }
  }

  private byte[] readRecord() throws IOException {
    java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
    while (true) {
      int header = in.readInt();
      int length = header & 0x7FFF_FFFF;
      if (record.size() + length > MAX_RECORD) {
        throw new IOException("reply record too large");
      }
      byte[] fragment = new byte[length];
      in.readFully(fragment);
      record.write(fragment);
      if (header < 0) {
        return record.toByteArray();
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a test connection: nothing to do
    }
  }
}
