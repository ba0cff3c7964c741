package dev.jnfs.rpc;

import dev.jnfs.xdr.XdrDecoder;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.util.OptionalLong;

/**
 * One decoded RPC call as a program sees it: the header, the caller's credential, where it
 * came from, and a decoder positioned at the procedure's arguments. The argument bytes are
 * valid only during {@link RpcProgram#handle}.
 */
public final class RpcCall {
  private final int xid;
  private final int program;
  private final int version;
  private final int procedure;
  private final Credential credential;
  private final InetSocketAddress remoteAddress;
  private final InetSocketAddress localAddress;
  private final Transport transport;
  private final XdrDecoder arguments;
  private final TransportSecurity transportSecurity;
  /**
   * Below this many bytes, copying file data into the reply costs less than sending it from the
   * file ({@link #endWithFileBytes}).
   */
  public static final int FILE_BYTES_WORTHWHILE = 64 * 1024;

  private boolean fileBytesAllowed;
  private FileBytes fileBytes;
  private RpcConnection connection;
  private long receivedNanos;
  private RpcSecGss gss;

  /**
   * @param xid the transaction id
   * @param program the program number
   * @param version the program version
   * @param procedure the procedure number
   * @param credential the verified credential
   * @param remoteAddress the client's address and source port
   * @param localAddress the server address the call arrived at
   * @param transport TCP or UDP
   * @param arguments a decoder positioned at the procedure arguments
   */
  public RpcCall(
      int xid,
      int program,
      int version,
      int procedure,
      Credential credential,
      InetSocketAddress remoteAddress,
      InetSocketAddress localAddress,
      Transport transport,
      XdrDecoder arguments) {
    this(
        xid, program, version, procedure, credential, remoteAddress, localAddress, transport,
        arguments, TransportSecurity.NONE);
  }

  /**
   * @param xid the transaction id
   * @param program the program number
   * @param version the program version
   * @param procedure the procedure number
   * @param credential the verified credential
   * @param remoteAddress the client's address and source port
   * @param localAddress the server address the call arrived at
   * @param transport TCP or UDP
   * @param arguments a decoder positioned at the procedure arguments
   * @param transportSecurity how the connection is protected (RFC 9289)
   */
  public RpcCall(
      int xid,
      int program,
      int version,
      int procedure,
      Credential credential,
      InetSocketAddress remoteAddress,
      InetSocketAddress localAddress,
      Transport transport,
      XdrDecoder arguments,
      TransportSecurity transportSecurity) {
    this.xid = xid;
    this.program = program;
    this.version = version;
    this.procedure = procedure;
    this.credential = credential;
    this.remoteAddress = remoteAddress;
    this.localAddress = localAddress;
    this.transport = transport;
    this.arguments = arguments;
    this.transportSecurity = java.util.Objects.requireNonNull(transportSecurity);
  }

  /**
   * Whether the results may end with bytes sent straight from a file
   * ({@link #endWithFileBytes}): over plain TCP, when neither TLS nor RPCSEC_GSS has to see the
   * bytes and the reply is not kept for retransmissions.
   */
  public boolean mayEndWithFileBytes() {
    return fileBytesAllowed;
  }

  /**
   * Ends the results with {@code count} bytes of a file, which go from the file to the socket
   * without being copied into the reply (zero-copy). What the program encoded so far precedes
   * them, their XDR padding follows, and the program encodes nothing after this call.
   *
   * @param channel the file; read from {@code position}, never closed nor repositioned
   * @param position where the bytes start in the file
   * @param count how many bytes; the file must hold them until they are sent
   * @param release runs once when the bytes are sent or the reply is dropped
   * @throws IllegalStateException if {@link #mayEndWithFileBytes()} is false or file bytes were
   *     already given; {@code release} has run then
   */
  public void endWithFileBytes(FileChannel channel, long position, int count, Runnable release) {
    if (!fileBytesAllowed || fileBytes != null || count < 0) {
      release.run();
      throw new IllegalStateException("file bytes cannot end this reply");
    }
    fileBytes = new FileBytes(channel, position, count, release);
  }

  /**
   * Takes back and releases file bytes given to {@link #endWithFileBytes}, for a program whose
   * results turn out otherwise after all (an error replaces them). Does nothing if none were
   * given.
   */
  public void withdrawFileBytes() {
    FileBytes f = takeFileBytes();
    if (f != null) {
      f.release();
    }
  }

  /**
   * Names the TCP connection the call came on and when; by the dispatcher, before the call runs.
   *
   * @param receivedNanos {@link System#nanoTime()} read after the whole call had been read
   */
  void arrivedOn(RpcConnection connection, long receivedNanos) {
    this.connection = connection;
    this.receivedNanos = receivedNanos;
  }

  /**
   * @return {@link System#nanoTime()} as read after the whole call had been read from its
   *     connection: every change completed before the client sent the call had completed by
   *     then. Empty over UDP
   */
  public OptionalLong receivedNanos() {
    return connection == null ? OptionalLong.empty() : OptionalLong.of(receivedNanos);
  }

  /** Names the connection and time {@code original} arrived with, for the same call unwrapped. */
  void arrivedAs(RpcCall original) {
    arrivedOn(original.connection, original.receivedNanos);
  }

  /** Names the server's RPCSEC_GSS contexts; by the dispatcher, before the call runs. */
  void gssContexts(RpcSecGss gss) {
    this.gss = gss;
  }

  /** @return the server's RPCSEC_GSS contexts, or null without RPCSEC_GSS */
  RpcSecGss gssContexts() {
    return gss;
  }

  /**
   * The credential for the server's calls back to the client (NFSv4.1 callbacks over
   * RPCSEC_GSS, RFC 8881 §2.10.8.2) with a context the client established with this server,
   * on any connection.
   *
   * @param handleFromServer the context's handle as the server gave it ({@code
   *     gcbp_handle_from_server})
   * @param handleFromClient the handle the callbacks carry ({@code gcbp_handle_from_client})
   * @param service the callbacks' protection
   * @return the credential (not {@link GssCallbackCredential#usable usable} when the context
   *     expired), or null when the server has no RPCSEC_GSS or no established context has that
   *     handle
   */
  public GssCallbackCredential gssCallbackCredential(
      byte[] handleFromServer, byte[] handleFromClient, GssService service) {
    RpcSecGss g = gss;
    return g == null ? null : g.callbackCredential(handleFromServer, handleFromClient, service);
  }

  /**
   * @return the TCP connection the call came on, where a program may note what it learns
   *     about the client; null over UDP, which has no connections
   */
  public RpcConnection connection() {
    return connection;
  }

  /** Lets this call's results end with file bytes; by the dispatcher, before the call runs. */
  void allowFileBytes() {
    fileBytesAllowed = true;
  }

  /** @return the file bytes the program gave, now owned by the caller; or null */
  FileBytes takeFileBytes() {
    FileBytes f = fileBytes;
    fileBytes = null;
    return f;
  }

  /** @return the transaction id */
  public int xid() {
    return xid;
  }

  /** @return the program number */
  public int program() {
    return program;
  }

  /** @return the program version */
  public int version() {
    return version;
  }

  /** @return the procedure number */
  public int procedure() {
    return procedure;
  }

  /** @return the caller's credential */
  public Credential credential() {
    return credential;
  }

  /** @return the client's address and source port */
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  /** @return the local address the call arrived at */
  public InetSocketAddress localAddress() {
    return localAddress;
  }

  /** @return the transport */
  public Transport transport() {
    return transport;
  }

  /** @return the decoder positioned at the procedure's arguments */
  public XdrDecoder arguments() {
    return arguments;
  }

  /** @return how the connection the call arrived on is protected */
  public TransportSecurity transportSecurity() {
    return transportSecurity;
  }
}
