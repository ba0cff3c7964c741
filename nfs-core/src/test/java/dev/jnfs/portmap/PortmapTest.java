package dev.jnfs.portmap;

import static dev.jnfs.rpc.testing.RpcMessageBuilder.xdr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.Transport;
import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.rpc.testing.RpcUdpTestClient;
import dev.jnfs.server.NfsServer;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** PORTMAP v2 and rpcbind v3/v4 on the NFS port and on a standalone portmapper. */
@ExtendWith(FailOnLeaks.class)
class PortmapTest {
  private static final int NFS = 100003;
  private static final int MOUNT = 100005;
  private static final int TCP = 6;
  private static final int UDP = 17;

  private NfsServer server;
  private InetSocketAddress address;

  @BeforeEach
  void start() {
    server =
        NfsServer.builder()
            .bind(InetAddress.getLoopbackAddress())
            .port(0)
            .mountPort(0)
            .portmapPort(0)
            .protocol(
                context -> List.of(new FakeProgram(NFS, 3, 4), new FakeProgram(MOUNT, 1, 3)))
            .build();
    server.start();
    address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] mapping(int prog, int vers, int prot, int port) {
    return xdr(e -> e.writeInt(prog).writeInt(vers).writeInt(prot).writeInt(port));
  }

  private static int getPort(RpcTestClient c, int prog, int vers, int prot) throws IOException {
    RpcReply r = c.call(PortmapProgram.PROGRAM, 2, 3, mapping(prog, vers, prot, 0));
    assertTrue(r.isSuccess());
    XdrDecoder d = r.decoder();
    int port = d.readInt();
    assertEquals(0, d.remaining());
    return port;
  }

  private static boolean callBool(RpcTestClient c, int vers, int proc, byte[] args)
      throws IOException {
    RpcReply r = c.call(PortmapProgram.PROGRAM, vers, proc, args);
    assertTrue(r.isSuccess());
    return r.decoder().readBoolean();
  }

  @Test
  void getPortAnswersEveryRegisteredVersionAndProtocol() throws IOException {
    int port = server.port();
    int mountPort = server.mountPort();
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      for (int prot : new int[] {TCP, UDP}) {
        assertEquals(port, getPort(c, NFS, 3, prot));
        assertEquals(port, getPort(c, NFS, 4, prot));
        for (int v = 1; v <= 3; v++) {
          assertEquals(mountPort, getPort(c, MOUNT, v, prot));
        }
        for (int v = 2; v <= 4; v++) {
          assertEquals(server.portmapPort(), getPort(c, PortmapProgram.PROGRAM, v, prot));
        }
      }
      assertEquals(0, getPort(c, NFS, 2, TCP));
      assertEquals(0, getPort(c, NFS, 3, 99));
      assertEquals(0, getPort(c, 123456, 1, TCP));
    }
  }

  @Test
  void dumpListsExactlyTheRegistrations() throws IOException {
    Set<PortMapping> expected = new HashSet<>();
    for (int prot : new int[] {TCP, UDP}) {
      expected.add(new PortMapping(NFS, 3, prot, server.port()));
      expected.add(new PortMapping(NFS, 4, prot, server.port()));
      for (int v = 1; v <= 3; v++) {
        expected.add(new PortMapping(MOUNT, v, prot, server.mountPort()));
      }
      for (int v = 2; v <= 4; v++) {
        expected.add(new PortMapping(PortmapProgram.PROGRAM, v, prot, server.portmapPort()));
      }
    }
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      RpcReply r = c.call(PortmapProgram.PROGRAM, 2, 4, new byte[0]);
      XdrDecoder d = r.decoder();
      Set<PortMapping> got = new HashSet<>();
      int entries = 0;
      while (d.readBoolean()) {
        got.add(new PortMapping(d.readInt(), d.readInt(), d.readInt(), d.readInt()));
        entries++;
      }
      assertEquals(0, d.remaining());
      assertEquals(expected.size(), entries);
      assertEquals(expected, got);
    }
  }

  @Test
  void setAndUnsetFromLoopback() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      assertTrue(callBool(c, 2, 1, mapping(300000, 1, TCP, 4000)));
      assertFalse(callBool(c, 2, 1, mapping(300000, 1, TCP, 4001)), "exists already");
      assertTrue(callBool(c, 2, 1, mapping(300000, 1, UDP, 4002)));
      assertEquals(4000, getPort(c, 300000, 1, TCP));
      assertEquals(4002, getPort(c, 300000, 1, UDP));
      // UNSET ignores protocol and port: both go
      assertTrue(callBool(c, 2, 2, mapping(300000, 1, TCP, 0)));
      assertEquals(0, getPort(c, 300000, 1, TCP));
      assertEquals(0, getPort(c, 300000, 1, UDP));
      assertFalse(callBool(c, 2, 2, mapping(300000, 1, TCP, 0)));
      assertFalse(callBool(c, 2, 1, mapping(300000, 1, TCP, 0)), "port 0 is no port");
    }
  }

  @Test
  void setFromAnotherHostIsRefused() {
    PortmapRegistry registry = new PortmapRegistry();
    PortmapProgram program = new PortmapProgram(registry);
    byte[] args = mapping(300000, 1, TCP, 4000);
    ByteBuf in = Unpooled.wrappedBuffer(args);
    ByteBuf out = Unpooled.buffer();
    try {
      RpcCall call =
          new RpcCall(
              1, PortmapProgram.PROGRAM, 2, 1, Credential.None.INSTANCE,
              new InetSocketAddress("192.0.2.7", 700),
              new InetSocketAddress("192.0.2.1", 111),
              Transport.TCP,
              new XdrDecoder(in));
      program.handle(call, new XdrEncoder(out));
      assertEquals(0, out.readInt(), "FALSE");
      assertEquals(0, registry.port(300000, 1, TCP));
    } finally {
      out.release();
    }
  }

  @Test
  void callitIsRefused() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      byte[] args = xdr(e -> e.writeInt(NFS).writeInt(3).writeInt(0).writeInt(0));
      RpcReply r = c.call(PortmapProgram.PROGRAM, 2, 5, args);
      assertEquals(RpcReply.PROC_UNAVAIL, r.acceptStat());
    }
  }

  private static byte[] rpcb(int prog, int vers, String netid) {
    return xdr(
        e -> e.writeInt(prog).writeInt(vers).writeString(netid).writeString("").writeString(""));
  }

  private static String uaddr(int port) {
    return "127.0.0.1." + (port >> 8) + "." + (port & 0xFF);
  }

  @Test
  void rpcbindGetaddrGivesUniversalAddress() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      for (int vers = 3; vers <= 4; vers++) {
        RpcReply r = c.call(PortmapProgram.PROGRAM, vers, 3, rpcb(NFS, 3, "tcp"));
        assertEquals(uaddr(server.port()), r.decoder().readString(100));
        r = c.call(PortmapProgram.PROGRAM, vers, 3, rpcb(MOUNT, 3, "tcp"));
        assertEquals(uaddr(server.mountPort()), r.decoder().readString(100));
        // another version of a registered program: where the program lives
        r = c.call(PortmapProgram.PROGRAM, vers, 3, rpcb(NFS, 9, "tcp"));
        assertEquals(uaddr(server.port()), r.decoder().readString(100));
        r = c.call(PortmapProgram.PROGRAM, vers, 3, rpcb(123456, 1, "tcp"));
        assertEquals("", r.decoder().readString(100));
      }
      RpcReply r = c.call(PortmapProgram.PROGRAM, 4, 9, rpcb(NFS, 4, "tcp"));
      assertEquals(uaddr(server.port()), r.decoder().readString(100));
      r = c.call(PortmapProgram.PROGRAM, 4, 9, rpcb(NFS, 9, "tcp"));
      assertEquals("", r.decoder().readString(100), "GETVERSADDR is exact");
      RpcReply v3 = c.call(PortmapProgram.PROGRAM, 3, 9, rpcb(NFS, 4, ""));
      assertEquals(RpcReply.PROC_UNAVAIL, v3.acceptStat());
    }
  }

  @Test
  void rpcbindGetaddrlistGivesEveryTransport() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      RpcReply r = c.call(PortmapProgram.PROGRAM, 4, 11, rpcb(MOUNT, 3, ""));
      XdrDecoder d = r.decoder();
      assertTrue(d.readBoolean());
      assertEquals(uaddr(server.mountPort()), d.readString(100));
      assertEquals("tcp", d.readString(10));
      assertEquals(PortmapProgram.NC_TPI_COTS_ORD, d.readInt());
      assertEquals("inet", d.readString(10));
      assertEquals("tcp", d.readString(10));
      assertTrue(d.readBoolean());
      assertEquals(uaddr(server.mountPort()), d.readString(100));
      assertEquals("udp", d.readString(10));
      assertEquals(PortmapProgram.NC_TPI_CLTS, d.readInt());
      assertEquals("inet", d.readString(10));
      assertEquals("udp", d.readString(10));
      assertFalse(d.readBoolean());
      assertEquals(0, d.remaining());
      r = c.call(PortmapProgram.PROGRAM, 4, 11, rpcb(MOUNT, 9, ""));
      assertFalse(r.decoder().readBoolean());
      assertEquals(
          RpcReply.PROC_UNAVAIL,
          c.call(PortmapProgram.PROGRAM, 3, 11, rpcb(MOUNT, 3, "")).acceptStat());
    }
  }

  @Test
  void rpcbindDumpListsNetidsAndAddresses() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      RpcReply r = c.call(PortmapProgram.PROGRAM, 4, 4, new byte[0]);
      XdrDecoder d = r.decoder();
      Set<String> got = new HashSet<>();
      while (d.readBoolean()) {
        got.add(
            d.readInt() + " " + d.readInt() + " " + d.readString(10) + " " + d.readString(100)
                + " " + d.readString(100));
      }
      assertEquals(0, d.remaining());
      assertEquals(server.registrations().size(), got.size());
      assertTrue(got.contains(NFS + " 3 tcp " + uaddr(server.port()) + " jnfs"));
      assertTrue(got.contains(MOUNT + " 1 udp " + uaddr(server.mountPort()) + " jnfs"));
    }
  }

  @Test
  void rpcbindSetAndUnsetByNetid() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      byte[] tcp =
          xdr(e -> e.writeInt(300001).writeInt(1).writeString("tcp").writeString("127.0.0.1.15.160")
              .writeString("me"));
      byte[] udp =
          xdr(e -> e.writeInt(300001).writeInt(1).writeString("udp").writeString("127.0.0.1.15.161")
              .writeString("me"));
      assertTrue(callBool(c, 3, 1, tcp));
      assertTrue(callBool(c, 4, 1, udp));
      assertEquals(4000, getPort(c, 300001, 1, TCP));
      assertEquals(4001, getPort(c, 300001, 1, UDP));
      assertTrue(callBool(c, 3, 2, rpcb(300001, 1, "tcp")));
      assertEquals(0, getPort(c, 300001, 1, TCP));
      assertEquals(4001, getPort(c, 300001, 1, UDP));
      assertTrue(callBool(c, 3, 2, rpcb(300001, 1, "")));
      assertEquals(0, getPort(c, 300001, 1, UDP));
    }
  }

  @Test
  void standalonePortmapperAnswersForTheServer() throws IOException {
    InetSocketAddress pm =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.portmapPort());
    try (RpcTestClient c = RpcTestClient.connect(pm)) {
      assertEquals(server.port(), getPort(c, NFS, 3, TCP));
      assertEquals(server.mountPort(), getPort(c, MOUNT, 3, UDP));
      // only the portmapper is served there
      assertEquals(RpcReply.PROG_UNAVAIL, c.call(NFS, 3, 0, new byte[0]).acceptStat());
    }
    try (RpcUdpTestClient u = new RpcUdpTestClient(pm)) {
      RpcReply r =
          u.call(PortmapProgram.PROGRAM, 2, 3, Credential.None.INSTANCE, mapping(NFS, 4, UDP, 0));
      assertEquals(server.port(), r.decoder().readInt());
    }
  }

  @Test
  void mountPortServesMount() throws IOException {
    InetSocketAddress mount =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.mountPort());
    try (RpcTestClient c = RpcTestClient.connect(mount)) {
      assertTrue(c.call(MOUNT, 3, 0, new byte[0]).isSuccess());
      assertEquals(RpcReply.PROG_UNAVAIL, c.call(NFS, 3, 0, new byte[0]).acceptStat());
    }
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      assertTrue(c.call(MOUNT, 3, 0, new byte[0]).isSuccess(), "MOUNT on the NFS port too");
    }
  }

  @Test
  void universalAddressForms() {
    assertEquals(
        "10.1.2.3.8.1",
        PortmapProgram.universalAddress(new InetSocketAddress("10.1.2.3", 2049), 2049));
    assertEquals(
        "0:0:0:0:0:0:0:1.0.111",
        PortmapProgram.universalAddress(new InetSocketAddress("::1", 1), 111));
    assertEquals(2049, PortmapProgram.portOf("10.1.2.3.8.1"));
    assertEquals(0, PortmapProgram.portOf("10.1.2.3.8.256"));
    assertEquals(0, PortmapProgram.portOf("garbage"));
  }
}
