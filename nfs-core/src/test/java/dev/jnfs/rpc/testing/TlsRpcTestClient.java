package dev.jnfs.rpc.testing;

import dev.jnfs.rpc.Credential;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A blocking ONC RPC client over TCP for tests of RPC-with-TLS (RFC 9289): it sends the
 * AUTH_TLS probe in plain text, then starts TLS on the same connection and makes calls
 * through it. Reads time out after {@link RpcTestClient#TIMEOUT_MILLIS}. Not thread-safe.
 */
public final class TlsRpcTestClient implements AutoCloseable {
  private final Socket plain;
  private Socket socket;
  private DataInputStream in;
  private OutputStream out;

  private TlsRpcTestClient(Socket plain) throws IOException {
    this.plain = plain;
    use(plain);
  }

  private void use(Socket s) throws IOException {
    s.setSoTimeout(RpcTestClient.TIMEOUT_MILLIS);
    socket = s;
    in = new DataInputStream(s.getInputStream());
    out = s.getOutputStream();
  }

  /**
   * @param server the server's address and port
   * @return a client connected in plain text
   */
  public static TlsRpcTestClient connect(InetSocketAddress server) throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(server, RpcTestClient.TIMEOUT_MILLIS);
      return new TlsRpcTestClient(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /**
   * @param xid the transaction id
   * @param program the program
   * @param version the version
   * @param procedure the procedure (0 for a probe)
   * @return the call message of an AUTH_TLS probe: empty credential, AUTH_NONE verifier
   */
  public static byte[] probeMessage(int xid, int program, int version, int procedure) {
    return RpcMessageBuilder.xdr(
        e -> {
          e.writeInt(xid).writeInt(0).writeInt(2);
          e.writeInt(program).writeInt(version).writeInt(procedure);
          e.writeInt(Credential.AUTH_TLS).writeInt(0);
          e.writeInt(Credential.AUTH_NONE).writeInt(0);
        });
  }

  /**
   * Sends the AUTH_TLS probe (procedure 0) and returns the reply message as received.
   *
   * @param program the program to probe
   * @param version its version
   * @return the reply message, without record mark
   */
  public byte[] probe(int program, int version) throws IOException {
    sendRaw(RpcMessageBuilder.frame(probeMessage(RpcTestClient.nextXid(), program, version, 0)));
    return receiveMessage();
  }

  /**
   * Performs the TLS handshake over the connection, offering ALPN "sunrpc".
   *
   * @param context the client's TLS context
   * @param protocols the TLS versions to offer, e.g. "TLSv1.3"
   * @throws IOException if the handshake fails
   */
  public void startTls(SSLContext context, String... protocols) throws IOException {
    InetSocketAddress remote = (InetSocketAddress) plain.getRemoteSocketAddress();
    SSLSocket tls =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(plain, remote.getHostString(), remote.getPort(), true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setProtocols(protocols);
    parameters.setApplicationProtocols(new String[] {"sunrpc"});
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    tls.setSSLParameters(parameters);
    tls.startHandshake();
    use(tls);
  }

  /** @return the TLS socket after {@link #startTls}, for its session */
  public SSLSocket tlsSocket() {
    return (SSLSocket) socket;
  }

  /**
   * Calls and waits for the reply.
   *
   * @return the reply
   */
  public RpcReply call(int program, int version, int procedure, Credential credential, byte[] args)
      throws IOException {
    int xid = RpcTestClient.nextXid();
    sendRaw(
        RpcMessageBuilder.frame(
            RpcMessageBuilder.call(xid, program, version, procedure, credential, args)));
    RpcReply reply = RpcReply.parse(receiveMessage());
    if (reply.xid() != xid) {
      throw new IOException("reply to xid " + reply.xid() + ", expected " + xid);
    }
    return reply;
  }

  /** Sends bytes as they are. */
  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** @return the next record's message */
  public byte[] receiveMessage() throws IOException {
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    while (true) {
      int mark = in.readInt();
      byte[] fragment = new byte[mark & 0x7FFF_FFFF];
      in.readFully(fragment);
      record.write(fragment);
      if (mark < 0) {
        return record.toByteArray();
      }
    }
  }

  /** @return whether the server closed the connection (end of stream or reset) */
  public boolean awaitClose() {
    try {
      byte[] sink = new byte[4096];
      while (in.read(sink) >= 0) {
        // discard
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    plain.close();
  }
}
