package dev.jnfs.rpc.testing;

import dev.jnfs.rpc.Credential;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal blocking ONC RPC client over TCP for tests: sends calls (or raw bytes), reads
 * record-marked replies. It can bind a chosen local address and port, e.g. 127.0.0.2 or a
 * privileged port below 1024 (needs the privilege to bind it). Every read times out after
 * {@link #TIMEOUT_MILLIS} so a broken server fails a test instead of hanging it. Not
 * thread-safe.
 */
public final class RpcTestClient implements AutoCloseable {
  /** How long a read waits before failing. */
  public static final int TIMEOUT_MILLIS = 20_000;

  private static final AtomicInteger XIDS = new AtomicInteger(0x1000);

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RpcTestClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(TIMEOUT_MILLIS);
    socket.setTcpNoDelay(true);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * @param server the server's address and port
   * @return a connected client
   * @throws IOException if the connection fails
   */
  public static RpcTestClient connect(InetSocketAddress server) throws IOException {
    return connect(server, null);
  }

  /**
   * @param server the server's address and port
   * @param local the local address and port to bind, or null for any
   * @return a connected client
   * @throws IOException if binding or connecting fails
   */
  public static RpcTestClient connect(InetSocketAddress server, InetSocketAddress local)
      throws IOException {
    Socket s = new Socket();
    try {
      if (local != null) {
        s.setReuseAddress(true);
        s.bind(local);
      }
      s.connect(server, TIMEOUT_MILLIS);
      return new RpcTestClient(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Connects with a small socket receive buffer, so that the server's writes stall as soon as
   * this client stops reading.
   *
   * @param server the server's address and port
   * @param receiveBufferBytes the receive buffer size to ask for
   * @return a connected client
   * @throws IOException if connecting fails
   */
  public static RpcTestClient connectSlowReader(InetSocketAddress server, int receiveBufferBytes)
      throws IOException {
    Socket s = new Socket();
    try {
      s.setReceiveBufferSize(receiveBufferBytes);
      s.connect(server, TIMEOUT_MILLIS);
      return new RpcTestClient(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** @return a fresh transaction id */
  public static int nextXid() {
    return XIDS.incrementAndGet();
  }

  /** @return the local address of the connection */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /**
   * Calls with AUTH_NONE and waits for the reply.
   *
   * @return the reply
   */
  public RpcReply call(int program, int version, int procedure, byte[] args) throws IOException {
    return call(program, version, procedure, Credential.None.INSTANCE, args);
  }

  /**
   * Calls and waits for the reply.
   *
   * @return the reply
   * @throws IOException if the connection fails or the reply's xid is another
   */
  public RpcReply call(int program, int version, int procedure, Credential credential, byte[] args)
      throws IOException {
    int xid = send(program, version, procedure, credential, args);
    RpcReply reply = receive();
    if (reply.xid() != xid) {
      throw new IOException("reply to xid " + reply.xid() + ", expected " + xid);
    }
    return reply;
  }

  /**
   * Sends a call without waiting.
   *
   * @return its xid
   */
  public int send(int program, int version, int procedure, Credential credential, byte[] args)
      throws IOException {
    int xid = nextXid();
    sendMessage(RpcMessageBuilder.call(xid, program, version, procedure, credential, args));
    return xid;
  }

  /**
   * Sends an RPC message as a single-fragment record.
   *
   * @param message the message bytes
   */
  public void sendMessage(byte[] message) throws IOException {
    sendRaw(RpcMessageBuilder.frame(message));
  }

  /**
   * Sends bytes as they are (record marks included, or not).
   *
   * @param bytes the bytes
   */
  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** @return the next reply */
  public RpcReply receive() throws IOException {
    return RpcReply.parse(receiveMessage());
  }

  /**
   * Reads one record, reassembling fragments.
   *
   * @return the RPC message
   * @throws EOFException if the server closed the connection
   */
  public byte[] receiveMessage() throws IOException {
    java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
    while (true) {
      int mark = in.readInt();
      int length = mark & 0x7FFF_FFFF;
      byte[] fragment = new byte[length];
      in.readFully(fragment);
      record.write(fragment);
      if (mark < 0) {
        return record.toByteArray();
      }
    }
  }

  /**
   * Waits until the server closes the connection, discarding whatever it sends first.
   *
   * @return true if the server closed it, false if it is still open after the read timeout
   */
  public boolean awaitClose() throws IOException {
    byte[] sink = new byte[8192];
    try {
      while (in.read(sink) >= 0) {
        // discard
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // a reset is a close too
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
