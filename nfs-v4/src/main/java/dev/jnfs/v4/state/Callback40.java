package dev.jnfs.v4.state;

import dev.jnfs.rpc.CallbackConnection;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callback path of a 4.0 client (RFC 7530 §10.2.1, §16.33): a TCP connection the server
 * opens to the address the client gave in SETCLIENTID (netid "tcp" or "tcp6", a universal
 * address, RFC 5665 §5.2.3.3), probed with CB_NULL once SETCLIENTID_CONFIRM confirmed it;
 * only a client whose probe succeeded gets delegations. CB_COMPOUND carries minor version 0,
 * the client's callback_ident and one operation (no CB_SEQUENCE in 4.0), with an AUTH_SYS
 * credential of uid 0, as Linux knfsd sends. A connection that broke is opened again for the
 * next callback; a path that cannot be opened is down: recalls then fail and the delegations
 * are revoked a lease after their recall began (4.0 has no SEQUENCE flags to tell the client).
 *
 * <p>RPCSEC_GSS callbacks are not made in 4.0. A client that uses Kerberos expects them on
 * its callback service, and the server would need Kerberos initiator credentials of its own
 * for the client's callback principal to make them (RFC 7530 §3.3.3; Linux knfsd uses
 * its machine credential). A client whose SETCLIENTID came over RPCSEC_GSS therefore gets no
 * callback path: it is never probed and gets no delegations. 4.1 clients get RPCSEC_GSS
 * callbacks over their sessions' back channels ({@link CallbackSecurity}).
 */
final class Callback40 implements CallbackPath {
  private static final Logger LOG = LoggerFactory.getLogger(Callback40.class);
  private static final int CB_NULL = 0;

  /**
   * The callback a 4.0 client names in SETCLIENTID.
   *
   * @param program cb_program
   * @param address where its callback service listens, or null when the netid or address is
   *     not one the server can use
   * @param ident callback_ident
   */
  record Address(int program, InetSocketAddress address, int ident) {
    /** @return this callback with no usable address: it is never called */
    Address withoutPath() {
      return new Address(program, null, ident);
    }

    /** Decodes cb_client4 and callback_ident. */
    static Address decode(XdrDecoder args) {
      int program = args.readInt();
      String netid = args.readString(StateOps.OPAQUE_LIMIT);
      String uaddr = args.readString(StateOps.OPAQUE_LIMIT);
      int ident = args.readInt();
      return new Address(program, parse(netid, uaddr), ident);
    }

    /** @return the socket address of a "tcp" or "tcp6" universal address, or null */
    static InetSocketAddress parse(String netid, String uaddr) {
      if (!netid.equals("tcp") && !netid.equals("tcp6")) {
        return null;
      }
      int low = uaddr.lastIndexOf('.');
      int high = low > 0 ? uaddr.lastIndexOf('.', low - 1) : -1;
      if (high <= 0) {
        return null;
      }
      try {
        int port = Integer.parseInt(uaddr.substring(high + 1, low)) * 256
            + Integer.parseInt(uaddr.substring(low + 1));
        String host = uaddr.substring(0, high);
        boolean literal = netid.equals("tcp") ? host.matches("[0-9.]+") : host.matches("[0-9a-fA-F:.]+");
        if (!literal || port <= 0 || port > 0xFFFF) {
          return null;
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
      } catch (NumberFormatException | UnknownHostException e) {
        return null;
      }
    }
  }

  private final Address address;
  private final Duration timeout;
  private final byte[] credential;
  private volatile CallbackConnection connection;
  private volatile boolean probed;

  Callback40(Address address, Duration timeout) {
    this.address = address;
    this.timeout = timeout;
    this.credential = rootCredential();
  }

  private static byte[] rootCredential() {
    ByteBuf b = Unpooled.buffer();
    try {
      new XdrEncoder(b).writeInt(0).writeOpaque("jnfs".getBytes(StandardCharsets.US_ASCII))
          .writeInt(0).writeInt(0).writeInt(0);
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }

  @Override
  public boolean usable() {
    return probed;
  }

  /** Opens the connection and sends CB_NULL; on success the path is usable. On a thread of its own. */
  void probe() {
    try {
      callRpc(CB_NULL, new byte[0]);
      probed = true;
      LOG.debug("callback path to {} is up", address.address());
    } catch (BackChannel.CallbackFailure e) {
      LOG.debug("callback probe of {} failed: {}", address.address(), e.getMessage());
    }
  }

  /** Closes the connection (the client's record is gone or its callback changed). */
  void close() {
    probed = false;
    CallbackConnection c = connection;
    if (c != null) {
      c.close();
    }
  }

  @Override
  public BackChannel.Result call(int opcode, byte[] opArgs) throws BackChannel.CallbackFailure {
    ByteBuf buf = Unpooled.buffer();
    byte[] args;
    try {
      XdrEncoder e = new XdrEncoder(buf);
      e.writeOpaque(new byte[0]); // tag
      e.writeInt(0); // minorversion
      e.writeInt(address.ident());
      e.writeInt(1);
      e.writeInt(opcode);
      buf.writeBytes(opArgs);
      args = ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
    byte[] results = callRpc(BackChannel.CB_COMPOUND, args);
    try {
      XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(results));
      int status = d.readInt();
      d.readOpaque(1024);
      if (d.readArrayLength(16, 8) < 1 || d.readInt() != opcode) {
        throw new BackChannel.CallbackFailure("CB_COMPOUND answered " + status + " without the operation");
      }
      return new BackChannel.Result(Nfs4Status.OK, d.readInt(), d);
    } catch (XdrException | IndexOutOfBoundsException e) {
      throw new BackChannel.CallbackFailure("undecodable CB_COMPOUND result: " + e.getMessage());
    }
  }

  private byte[] callRpc(int procedure, byte[] args) throws BackChannel.CallbackFailure {
    if (address.address() == null) {
      throw new BackChannel.CallbackFailure("no usable callback address");
    }
    CallbackConnection c = connection();
    CompletableFuture<byte[]> reply = c.call(address.program(), 1, procedure, 1, credential, args);
    try {
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      reply.cancel(false);
      throw new BackChannel.CallbackFailure("no answer in " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new BackChannel.CallbackFailure("callback failed: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply.cancel(false);
      throw new BackChannel.CallbackFailure("interrupted");
    }
  }

  /** The open connection, opened (again) when there is none. */
  private synchronized CallbackConnection connection() throws BackChannel.CallbackFailure {
    CallbackConnection c = connection;
    if (c != null && c.isOpen()) {
      return c;
    }
    CompletableFuture<CallbackConnection> opening = CallbackConnection.open(address.address(), timeout);
    try {
      c = opening.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      opening.thenAccept(CallbackConnection::close);
      throw new BackChannel.CallbackFailure("cannot connect to " + address.address());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      opening.thenAccept(CallbackConnection::close);
      throw new BackChannel.CallbackFailure("interrupted");
    }
    connection = c;
    return c;
  }
}
