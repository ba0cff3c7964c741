package dev.jnfs.rpc;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One TCP connection as the server keeps account of it: where it comes from, since when, how
 * it is protected, who was seen on it (Kerberos principals, NFSv4 client ids) and how much
 * went through it. Thread-safe: the network thread counts what it reads, workers count the
 * replies they write, protocol programs add what they learn, and anyone may read.
 *
 * <p>Counts are of RPC messages: records read (calls, whatever their fate) and replies
 * written, and their bytes as RPC sees them (record marks of replies included, TLS overhead
 * not).
 */
public final class RpcConnection {
  /** Why a connection ended; set once, by whoever closes it first. */
  public enum CloseReason {
    /** The client closed it, or it broke (reset by the client, a network failure). */
    CLIENT_CLOSED,
    /** The server closed it after the idle timeout. */
    IDLE_TIMEOUT,
    /** The server closed it because of what arrived on it (not RPC, TLS failure, ...). */
    ERROR,
    /** The server closed it because the server stops. */
    SERVER_STOP,
    /** The server closed it on the embedding application's request. */
    KICKED
  }

  /** At most this many principals and client ids are recorded per connection. */
  static final int MAX_NAMES = 64;

  private final long id;
  private final InetSocketAddress remote;
  private final int localPort;
  private final Instant since = Instant.now();
  private final Channel channel;
  private volatile boolean tls;
  private volatile String peerSubject;
  private final Set<String> principals = ConcurrentHashMap.newKeySet();
  private final Set<Long> nfs4ClientIds = ConcurrentHashMap.newKeySet();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong bytesIn = new AtomicLong();
  private final AtomicLong replies = new AtomicLong();
  private final AtomicLong bytesOut = new AtomicLong();
  private final AtomicReference<CloseReason> closeReason = new AtomicReference<>();
  private final OutboundCalls outbound = new OutboundCalls();

  RpcConnection(long id, InetSocketAddress remote, int localPort, boolean tls, Channel channel) {
    this.id = id;
    this.remote = remote;
    this.localPort = localPort;
    this.tls = tls;
    this.channel = channel;
  }

  /** @return the id, unique among the connections of one server */
  public long id() {
    return id;
  }

  /** @return the client's address and source port */
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  /** @return the server port the client connected to */
  public int localPort() {
    return localPort;
  }

  /** @return when the connection was accepted */
  public Instant since() {
    return since;
  }

  /** @return whether the connection is protected by TLS (from the first byte or STARTTLS) */
  public boolean tls() {
    return tls;
  }

  /** @return the subject of the client certificate under mutual TLS, else null */
  public String peerSubject() {
    return peerSubject;
  }

  /** @return the Kerberos principals that made calls on this connection (a copy) */
  public Set<String> principals() {
    return Set.copyOf(principals);
  }

  /** @return the NFSv4 client ids bound to this connection (a copy) */
  public Set<Long> nfs4ClientIds() {
    return Set.copyOf(nfs4ClientIds);
  }

  /** @return how many records were read (calls, whatever became of them) */
  public long calls() {
    return calls.get();
  }

  /** @return how many bytes those records held */
  public long bytesIn() {
    return bytesIn.get();
  }

  /** @return how many replies were written */
  public long replies() {
    return replies.get();
  }

  /** @return how many bytes those replies held, record marks included */
  public long bytesOut() {
    return bytesOut.get();
  }

  /** @return whether the connection is still open */
  public boolean isOpen() {
    return channel.isActive() && closeReason.get() == null;
  }

  /**
   * Sends an RPC call to the client on this connection, as the NFSv4.1 back channel does
   * (RFC 8881 §2.10.3.1), with an AUTH_NONE verifier. The reply comes back on the same
   * connection and is matched by xid. Never blocks; safe from any thread.
   *
   * @param program the client's program number
   * @param version its version
   * @param procedure the procedure
   * @param authFlavor the credential's flavor (AUTH_NONE or AUTH_SYS)
   * @param authBody the credential's body (at most 400 bytes)
   * @param arguments the procedure's XDR-encoded arguments
   * @return completed with the results (the bytes after an accepted, successful reply
   *     header), or exceptionally with an {@link java.io.IOException} when the call is denied,
   *     unsuccessful, or the connection closes first. It never times out by itself: a caller
   *     that stops waiting cancels it.
   */
  public java.util.concurrent.CompletableFuture<byte[]> call(
      int program, int version, int procedure, int authFlavor, byte[] authBody, byte[] arguments) {
    return outbound.send(program, version, procedure, authFlavor, authBody, arguments);
  }

  /**
   * Sends a call to the client on this connection with an RPCSEC_GSS credential, as {@link
   * #call(int, int, int, int, byte[], byte[])} does with another flavor.
   *
   * @param program the program
   * @param version its version
   * @param procedure the procedure
   * @param credential the context, handle and service to use
   * @param arguments the procedure's arguments, in the clear
   * @return completes with the procedure's results, in the clear, once the reply's verifier
   *     and protection checked; exceptionally with an {@link java.io.IOException} when they do
   *     not, when the call cannot be protected, is denied, unsuccessful, or the connection
   *     closes first. It never times out by itself.
   */
  public java.util.concurrent.CompletableFuture<byte[]> call(
      int program, int version, int procedure, GssCallbackCredential credential, byte[] arguments) {
    return outbound.send(program, version, procedure, credential, arguments);
  }

  /** @return the calls sent to the client on this connection */
  OutboundCalls outbound() {
    return outbound;
  }

  /** @return why the connection ended, or null while nothing closed it */
  CloseReason closeReason() {
    return closeReason.get();
  }

  /**
   * Records that an NFSv4 client id was used on this connection (RFC 8881 §2.10.3.1 binds a
   * connection to a session's client; 4.0 names its client id in OPEN and RENEW). Beyond
   * 64 ids, more are not recorded.
   *
   * @param clientId the client id
   */
  public void bindNfs4ClientId(long clientId) {
    addBounded(nfs4ClientIds, clientId);
  }

  void notePrincipal(String principal) {
    addBounded(principals, principal);
  }

  private static <T> void addBounded(Set<T> set, T value) {
    if (!set.contains(value) && set.size() < MAX_NAMES) {
      set.add(value);
    }
  }

  void secured(String peerSubject) {
    this.peerSubject = peerSubject;
    this.tls = true;
  }

  /** Counts a record read; on the network thread only. */
  void received(int bytes) {
    calls.lazySet(calls.get() + 1);
    bytesIn.lazySet(bytesIn.get() + bytes);
  }

  /** Counts a reply written; from any thread. */
  void sent(long bytes) {
    replies.incrementAndGet();
    bytesOut.addAndGet(bytes);
  }

  /**
   * Closes the connection for {@code reason}, unless another reason came first.
   *
   * @param reason why
   * @return whether this was the first reason, i.e. the connection was not already closing
   */
  boolean close(CloseReason reason) {
    boolean first = closeReason.compareAndSet(null, reason);
    channel.close();
    return first;
  }

  /**
   * Says why the connection is about to be closed, unless another reason came first.
   *
   * @param reason why
   */
  void closing(CloseReason reason) {
    closeReason.compareAndSet(null, reason);
  }

  @Override
  public String toString() {
    return "RpcConnection[" + id + " " + remote + "]";
  }
}
