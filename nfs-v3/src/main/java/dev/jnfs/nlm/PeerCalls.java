package dev.jnfs.nlm;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls this server makes to its NLM clients: GRANTED callbacks, the results of the
 * {@code _MSG} procedures, and SM_NOTIFY after a restart. Each call asks the client's
 * portmapper (PMAPPROC_GETPORT, RFC 1833 §3.2, over TCP) where the program listens, then
 * sends one call over TCP with AUTH_SYS as root, and waits for its reply. Blocking: used only
 * from the server's own virtual threads, never from a network event loop. Thread-safe.
 */
final class PeerCalls {
  private static final int PORTMAP_PROGRAM = 100000;
  private static final int PMAPPROC_GETPORT = 3;
  private static final int IPPROTO_TCP = 6;
  private static final int MAX_REPLY = 64 * 1024;
  private static final AtomicInteger xids = new AtomicInteger((int) System.nanoTime());

  private final int portmapPort;
  private final int timeoutMillis;

  /**
   * @param portmapPort the port of the clients' portmappers, 111 but in tests
   * @param timeout how long one connection or reply may take
   */
  PeerCalls(int portmapPort, Duration timeout) {
    this.portmapPort = portmapPort;
    this.timeoutMillis = (int) timeout.toMillis();
  }

  /**
   * Calls a program on a client host.
   *
   * @param host the client
   * @param program the program
   * @param version its version
   * @param procedure the procedure
   * @param arguments the encoded arguments
   * @return the encoded results of a successful reply
   * @throws IOException when the program is not registered, cannot be reached, or does not
   *     answer with success
   */
  byte[] call(InetAddress host, int program, int version, int procedure, byte[] arguments)
      throws IOException {
    byte[] getport = ByteBuffer.allocate(16).putInt(program).putInt(version).putInt(IPPROTO_TCP).putInt(0).array();
    byte[] port = exchange(new InetSocketAddress(host, portmapPort), PORTMAP_PROGRAM, 2, PMAPPROC_GETPORT, getport);
    int p = port.length >= 4 ? ByteBuffer.wrap(port).getInt() : 0;
    if (p <= 0 || p > 0xFFFF) {
      throw new IOException("program " + program + " v" + version + " not registered at " + host);
    }
    return exchange(new InetSocketAddress(host, p), program, version, procedure, arguments);
  }

  /**
   * @param host a client
   * @return the local address this host reaches it from (no packet is sent, no name is
   *     resolved)
   */
  static InetAddress localAddressTowards(InetAddress host) throws IOException {
    try (java.net.DatagramSocket probe = new java.net.DatagramSocket()) {
      probe.connect(host, 9);
      return probe.getLocalAddress();
    }
  }

  private byte[] exchange(InetSocketAddress to, int program, int version, int procedure, byte[] arguments)
      throws IOException {
    int xid = xids.incrementAndGet();
    byte[] message = callMessage(xid, program, version, procedure, arguments);
    try (Socket socket = new Socket()) {
      socket.connect(to, timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(ByteBuffer.allocate(4 + message.length).putInt(0x80000000 | message.length).put(message).array());
      out.flush();
      return results(xid, readRecord(new DataInputStream(socket.getInputStream())));
    }
  }

  private static byte[] callMessage(int xid, int program, int version, int procedure, byte[] arguments) {
    byte[] machine = "jnfs".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(24 + 8 + 20 + machine.length + 8 + arguments.length);
    b.putInt(xid).putInt(0).putInt(2).putInt(program).putInt(version).putInt(procedure);
    // AUTH_SYS: stamp, machine name (4 bytes, no padding), uid 0, gid 0, no groups
    b.putInt(1).putInt(20 + machine.length).putInt(0).putInt(machine.length).put(machine).putInt(0).putInt(0).putInt(0);
    b.putInt(0).putInt(0); // verifier AUTH_NONE
    b.put(arguments);
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  private static byte[] readRecord(DataInputStream in) throws IOException {
    java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
    boolean last = false;
    while (!last) {
      int header = in.readInt();
      last = header < 0;
      int length = header & 0x7FFFFFFF;
      if (record.size() + length > MAX_REPLY) {
        throw new IOException("reply of more than " + MAX_REPLY + " bytes");
      }
      byte[] fragment = new byte[length];
      in.readFully(fragment);
      record.write(fragment);
    }
    return record.toByteArray();
  }

  /** @return the results of an accepted, successful reply to {@code xid} */
  private static byte[] results(int xid, byte[] reply) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(reply);
    try {
      if (b.getInt() != xid || b.getInt() != 1) {
        throw new IOException("not the reply to xid " + xid);
      }
      if (b.getInt() != 0) {
        throw new IOException("call rejected");
      }
      b.getInt(); // verifier flavor
      int verifierLength = b.getInt();
      b.position(b.position() + ((verifierLength + 3) & ~3));
      int acceptStat = b.getInt();
      if (acceptStat != 0) {
        throw new IOException("call not accepted: accept_stat " + acceptStat);
      }
      byte[] results = new byte[b.remaining()];
      b.get(results);
      return results;
    } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
      throw new IOException("malformed reply", e);
    }
  }
}
