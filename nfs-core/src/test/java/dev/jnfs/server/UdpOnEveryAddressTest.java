package dev.jnfs.server;

import static dev.jnfs.rpc.testing.RpcMessageBuilder.xdr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.portmap.SystemPortmapperRegistration;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.xdr.XdrEncoder;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * UDP on a server listening on every address (the default): the reply to a datagram leaves
 * from the address it was sent to, which a connected client socket insists on.
 */
@ExtendWith(FailOnLeaks.class)
class UdpOnEveryAddressTest {
  private static final int PROGRAM = 400_002;
  private static final int PORTMAP = 100000;

  private record NullOnly() implements RpcProgram {
    @Override
    public int program() {
      return PROGRAM;
    }

    @Override
    public int lowVersion() {
      return 1;
    }

    @Override
    public int highVersion() {
      return 1;
    }

    @Override
    public void handle(RpcCall call, XdrEncoder results) {}
  }

  private NfsServer server;

  @BeforeEach
  void start() {
    server =
        NfsServer.builder()
            .port(0)
            .rpcbindRegistration(false)
            .protocol(c -> List.of(new NullOnly()))
            .build();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * Calls over a socket connected to {@code address}: the kernel drops datagrams from any
   * other source, so only a reply from the address called arrives.
   */
  private static RpcReply callConnected(
      InetAddress address, int port, int program, int version, int procedure, byte[] args)
      throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0))) {
      socket.connect(new InetSocketAddress(address, port));
      socket.setSoTimeout(1000);
      int xid = RpcTestClient.nextXid();
      byte[] call =
          RpcMessageBuilder.call(xid, program, version, procedure, Credential.None.INSTANCE, args);
      for (int attempt = 0; attempt < 5; attempt++) {
        socket.send(new DatagramPacket(call, call.length));
        byte[] buf = new byte[8192];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
        } catch (SocketTimeoutException e) {
          continue;
        }
        if (p.getLength() >= 4 && ByteBuffer.wrap(buf).getInt() == xid) {
          return RpcReply.parse(Arrays.copyOf(buf, p.getLength()));
        }
      }
      throw new SocketTimeoutException("no reply from " + address + ":" + port);
    }
  }

  /** Every address of this host clients could call, link-local ones aside. */
  private static List<InetAddress> localAddresses() throws IOException {
    List<InetAddress> all = new ArrayList<>();
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (nic.isUp()) {
        nic.inetAddresses().filter(a -> !a.isLinkLocalAddress()).forEach(all::add);
      }
    }
    return all;
  }

  @Test
  void replyToLoopbackComesFromLoopback() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    RpcReply r = callConnected(loopback, server.port(), PROGRAM, 1, 0, new byte[0]);
    assertTrue(r.isSuccess());
  }

  @Test
  void replyComesFromEachAddressCalled() throws IOException {
    List<InetAddress> addresses = localAddresses();
    assertFalse(addresses.isEmpty());
    for (InetAddress a : addresses) {
      RpcReply r = callConnected(a, server.port(), PROGRAM, 1, 0, new byte[0]);
      assertTrue(r.isSuccess(), a.toString());
    }
  }

  @Test
  void rpcbindGetaddrOverUdpNamesTheAddressCalled() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    byte[] query =
        xdr(
            e ->
                e.writeInt(PROGRAM)
                    .writeInt(1)
                    .writeString("udp")
                    .writeString("")
                    .writeString(""));
    RpcReply r = callConnected(loopback, server.port(), PORTMAP, 3, 3, query);
    int port = server.port();
    assertEquals(
        "127.0.0.1." + (port >> 8) + "." + (port & 0xFF), r.decoder().readString(100));
  }

  private static boolean rpcbindListens() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 111), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean canListenOn111() {
    try (ServerSocket s = new ServerSocket(111)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * {@code rpcinfo -u 127.0.0.1}: asks port 111 where the program is over UDP, then calls it
   * there. Port 111 is the host's rpcbind when it runs, this server's own portmapper when it
   * may listen there.
   */
  @Test
  void rpcinfoOverUdpAnswers() throws IOException, InterruptedException {
    Path rpcinfo = Path.of("/usr/sbin/rpcinfo");
    assumeTrue(Files.isExecutable(rpcinfo), "rpcinfo not installed");
    NfsServer.Builder b = NfsServer.builder().port(0).protocol(c -> List.of(new NullOnly()));
    if (rpcbindListens()) {
      b.rpcbindAddress(SystemPortmapperRegistration.hostAddresses().get(0));
    } else {
      assumeTrue(canListenOn111(), "port 111 neither served nor free to serve");
      b.portmapPort(111).rpcbindRegistration(false);
    }
    try (NfsServer s = b.build()) {
      s.start();
      for (String host : new String[] {"127.0.0.1", "localhost"}) {
        Process p =
            new ProcessBuilder(rpcinfo.toString(), "-u", host, Integer.toString(PROGRAM), "1")
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("ready and waiting"), out);
      }
    }
  }
}
