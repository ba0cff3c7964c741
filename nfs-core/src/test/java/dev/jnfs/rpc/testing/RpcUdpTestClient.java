package dev.jnfs.rpc.testing;

import dev.jnfs.rpc.Credential;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * A minimal ONC RPC client over UDP for tests: one call per datagram. Like a real client, it
 * retransmits a call whose reply does not come within {@link #RETRANSMIT_MILLIS}, up to
 * {@link #ATTEMPTS} times in all (a server's receive buffer may be full). {@link #receive}
 * times out after {@link RpcTestClient#TIMEOUT_MILLIS}. Not thread-safe.
 */
public final class RpcUdpTestClient implements AutoCloseable {
  /** How long {@link #call} waits before retransmitting. */
  public static final int RETRANSMIT_MILLIS = 2_000;
  /** How many times {@link #call} sends a call before giving up. */
  public static final int ATTEMPTS = 10;

  private final DatagramSocket socket;
  private final InetSocketAddress server;

  /**
   * @param server the server's address and port
   * @throws IOException if no socket can be opened
   */
  public RpcUdpTestClient(InetSocketAddress server) throws IOException {
    this.server = server;
    this.socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
    socket.setSoTimeout(RpcTestClient.TIMEOUT_MILLIS);
  }

  /**
   * Calls and waits for the reply with the same xid.
   *
   * @return the reply
   */
  public RpcReply call(int program, int version, int procedure, Credential credential, byte[] args)
      throws IOException {
    int xid = RpcTestClient.nextXid();
    byte[] message = RpcMessageBuilder.call(xid, program, version, procedure, credential, args);
    socket.setSoTimeout(RETRANSMIT_MILLIS);
    try {
      for (int attempt = 1; ; attempt++) {
        send(message);
        try {
          while (true) {
            RpcReply reply = RpcReply.parse(receive());
            if (reply.xid() == xid) {
              return reply;
            }
          }
        } catch (SocketTimeoutException e) {
          if (attempt == ATTEMPTS) {
            throw e;
          }
        }
      }
    } finally {
      socket.setSoTimeout(RpcTestClient.TIMEOUT_MILLIS);
    }
  }

  /** Sends one datagram. */
  public void send(byte[] message) throws IOException {
    socket.send(new DatagramPacket(message, message.length, server));
  }

  /**
   * Receives until the reply to {@code xid}, skipping others (late answers to retransmitted
   * calls).
   *
   * @param xid the transaction id awaited
   * @return that reply's message
   */
  public byte[] receiveReplyTo(int xid) throws IOException {
    while (true) {
      byte[] message = receive();
      if (message.length >= 4 && java.nio.ByteBuffer.wrap(message).getInt() == xid) {
        return message;
      }
    }
  }

  /** @return the next datagram received */
  public byte[] receive() throws IOException {
    byte[] buf = new byte[65536];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    socket.receive(p);
    return Arrays.copyOf(buf, p.getLength());
  }

  @Override
  public void close() {
    socket.close();
  }
}
