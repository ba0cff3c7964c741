package dev.jnfs.rpc.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on loopback that forwards every connection to a server and records the RPC
 * records clients send (RFC 5531 §11 record marking, fragments joined), so that real clients'
 * calls can seed the fuzz targets' corpora.
 */
public final class RecordingProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final List<byte[]> records = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();

  /**
   * Starts listening on an ephemeral port of 127.0.0.1.
   *
   * @param target the server to forward to
   * @throws IOException if the port cannot be bound
   */
  public RecordingProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("recording-proxy").start(this::accept);
  }

  /** @return the port clients connect to */
  public int port() {
    return listener.getLocalPort();
  }

  /** @return the records received so far from clients, in order of completion */
  public synchronized List<byte[]> records() {
    return List.copyOf(records);
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket server = new Socket(target.getAddress(), target.getPort());
        synchronized (this) {
          sockets.add(client);
          sockets.add(server);
        }
        Thread.ofPlatform().daemon().start(() -> pump(client, server, true));
        Thread.ofPlatform().daemon().start(() -> pump(server, client, false));
      }
    } catch (IOException closed) {
      // the proxy was closed
    }
  }

  private void pump(Socket from, Socket to, boolean record) {
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        if (record) {
          pending.write(buf, 0, n);
          pending = split(pending, message);
        }
      }
    } catch (IOException closed) {
      // either side went away
    } finally {
      try {
        to.shutdownOutput();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  /** Takes the complete fragments off the front of the stream; returns what is left. */
  private ByteArrayOutputStream split(ByteArrayOutputStream stream, ByteArrayOutputStream message) {
    byte[] b = stream.toByteArray();
    int at = 0;
    while (b.length - at >= 4) {
      int mark = (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8
          | b[at + 3] & 0xff;
      int length = mark & 0x7fff_ffff;
      if (b.length - at - 4 < length) {
        break;
      }
      message.write(b, at + 4, length);
      at += 4 + length;
      if (mark < 0) {
        synchronized (this) {
          records.add(message.toByteArray());
        }
        message.reset();
      }
    }
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    rest.write(b, at, b.length - at);
    return rest;
  }

  @Override
  public synchronized void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
