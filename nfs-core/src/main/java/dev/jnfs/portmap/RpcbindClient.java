package dev.jnfs.portmap;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A blocking rpcbind version 4 client over one stream connection (RFC 1833 §2.2, records
 * marked as in RFC 5531 §11), for SET, UNSET and NULL. Every exchange is bounded by the
 * timeout. Over TCP, a caller allowed to bind a privileged port sends from one, as rpcbind
 * implementations that trust loopback callers ask of registrations. Not thread-safe.
 */
final class RpcbindClient implements AutoCloseable {
  private static final int VERSION = 4;
  private static final int MAX_REPLY = 1024;
  private static final int LAST_FRAGMENT = 0x8000_0000;
  private static final int LOWEST_PRIVILEGED_PORT = 600;

  private final SocketChannel channel;
  private final Selector selector;
  private final Duration timeout;
  private int xid = ThreadLocalRandom.current().nextInt();

  private RpcbindClient(SocketChannel channel, Selector selector, Duration timeout) {
    this.channel = channel;
    this.selector = selector;
    this.timeout = timeout;
  }

  /**
   * Connects to an rpcbind.
   *
   * @param address a {@link UnixDomainSocketAddress} or an {@link InetSocketAddress}
   * @param timeout how long connecting, and later each call, may take
   * @return the connected client
   * @throws IOException if it cannot connect in time
   */
  static RpcbindClient connect(SocketAddress address, Duration timeout) throws IOException {
    SocketChannel channel =
        address instanceof UnixDomainSocketAddress
            ? SocketChannel.open(StandardProtocolFamily.UNIX)
            : SocketChannel.open();
    Selector selector = null;
    try {
      if (address instanceof InetSocketAddress) {
        bindPrivilegedPort(channel);
      }
      channel.configureBlocking(false);
      selector = Selector.open();
      RpcbindClient client = new RpcbindClient(channel, selector, timeout);
      if (!channel.connect(address)) {
        client.await(SelectionKey.OP_CONNECT, System.nanoTime() + timeout.toNanos());
        channel.finishConnect();
      }
      return client;
    } catch (IOException | RuntimeException e) {
      channel.close();
      if (selector != null) {
        selector.close();
      }
      throw e;
    }
  }

  /**
   * Binds a port below 1024 when the process may: rpcbind accepts registrations over loopback
   * TCP only from privileged ports when it trusts such callers at all. The first refusal
   * (no privilege) ends the search: the kernel then picks an ordinary port. Ports still in use,
   * or in TIME_WAIT after an earlier call to the same portmapper, are passed over (reusing one
   * would make the same connection again, which the kernel refuses).
   */
  private static void bindPrivilegedPort(SocketChannel channel) {
    for (int port = 1023; port >= LOWEST_PRIVILEGED_PORT; port--) {
      try {
        channel.bind(new InetSocketAddress(port));
        return;
      } catch (BindException e) {
        String message = e.getMessage();
        if (message == null || !message.toLowerCase(Locale.ROOT).contains("in use")) {
          return;
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  /**
   * @param program the program
   * @param version its version
   * @param netid the transport, e.g. {@code tcp}
   * @param address the universal address (RFC 5665 §5.2.3)
   * @return whether rpcbind registered it (or had exactly it already)
   * @throws IOException if the call fails or is not answered in time
   */
  boolean set(int program, int version, String netid, String address) throws IOException {
    return callBoolean(PortmapProgram.RPCBPROC_SET, program, version, netid, address);
  }

  /**
   * @param program the program
   * @param version its version
   * @param netid the netid to remove, or "" for every one
   * @return whether rpcbind accepted the removal (it refuses entries another user made)
   * @throws IOException if the call fails or is not answered in time
   */
  boolean unset(int program, int version, String netid) throws IOException {
    return callBoolean(PortmapProgram.RPCBPROC_UNSET, program, version, netid, "");
  }

  /** @throws IOException if rpcbind does not answer NULL in time */
  void ping() throws IOException {
    call(PortmapProgram.RPCBPROC_NULL, null).release();
  }

  private boolean callBoolean(int procedure, int program, int version, String netid, String addr)
      throws IOException {
    ByteBuf reply =
        call(
            procedure,
            e ->
                e.writeInt(program)
                    .writeInt(version)
                    .writeString(netid)
                    .writeString(addr)
                    .writeString("jnfs"));
    try {
      return new XdrDecoder(reply).readBoolean();
    } catch (XdrException e) {
      throw new IOException("malformed rpcbind reply", e);
    } finally {
      reply.release();
    }
  }

  /** Sends one call and returns its results (the caller releases them). */
  private ByteBuf call(int procedure, Consumer<XdrEncoder> arguments)
      throws IOException {
    int id = ++xid;
    ByteBuf out = Unpooled.buffer(256);
    try {
      XdrEncoder e = new XdrEncoder(out);
      int mark = e.reserveInt();
      // call_body (RFC 5531 §9): AUTH_NONE credential and verifier; rpcbind identifies local
      // callers by the socket's peer credentials, not by what they claim
      e.writeInt(id).writeInt(0).writeInt(2).writeInt(PortmapProgram.PROGRAM).writeInt(VERSION);
      e.writeInt(procedure).writeInt(0).writeInt(0).writeInt(0).writeInt(0);
      if (arguments != null) {
        arguments.accept(e);
      }
      e.patchInt(mark, LAST_FRAGMENT | (out.readableBytes() - 4));
      write(out.nioBuffer());
    } finally {
      out.release();
    }
    return readReply(id);
  }

  private void write(ByteBuffer bytes) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (bytes.hasRemaining()) {
      if (channel.write(bytes) == 0) {
        await(SelectionKey.OP_WRITE, deadline);
      }
    }
  }

  private ByteBuf readReply(int id) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ByteBuffer header = ByteBuffer.allocate(4);
    readFully(header, deadline);
    int mark = header.getInt(0);
    int length = mark & ~LAST_FRAGMENT;
    if ((mark & LAST_FRAGMENT) == 0 || length > MAX_REPLY || length < 24) {
      throw new IOException("unexpected rpcbind reply record of " + length + " bytes");
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    readFully(body, deadline);
    body.flip();
    ByteBuf reply = Unpooled.wrappedBuffer(body);
    try {
      XdrDecoder d = new XdrDecoder(reply);
      if (d.readInt() != id || d.readInt() != 1) {
        throw new IOException("rpcbind answered another call");
      }
      int replyStat = d.readInt();
      if (replyStat != 0) {
        throw new IOException("rpcbind denied the call (reply_stat " + replyStat + ")");
      }
      d.readInt(); // verifier flavor
      d.skipOpaque(d.readInt());
      int acceptStat = d.readInt();
      if (acceptStat != 0) {
        throw new IOException("rpcbind did not accept the call (accept_stat " + acceptStat + ")");
      }
      return reply;
    } catch (XdrException | IOException e) {
      reply.release();
      throw e instanceof IOException io ? io : new IOException("malformed rpcbind reply", e);
    }
  }

  private void readFully(ByteBuffer into, long deadline) throws IOException {
    while (into.hasRemaining()) {
      int n = channel.read(into);
      if (n < 0) {
        throw new IOException("rpcbind closed the connection");
      }
      if (n == 0) {
        await(SelectionKey.OP_READ, deadline);
      }
    }
  }

  private void await(int operation, long deadline) throws IOException {
    SelectionKey key = channel.register(selector, operation);
    try {
      long left = deadline - System.nanoTime();
      if (left <= 0 || selector.select(Math.max(1, left / 1_000_000)) == 0) {
        throw new IOException("rpcbind did not answer within " + timeout.toMillis() + " ms");
      }
    } finally {
      key.interestOps(0);
      selector.selectedKeys().clear();
    }
  }

  @Override
  public void close() {
    try {
      selector.close();
      channel.close();
    } catch (IOException e) {
      // nothing was pending
    }
  }
}
