package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_BOTH;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_READ;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_WRITE;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static dev.jnfs.v4.testing.StateCompound.UNCHECKED4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NFSv4.0 callbacks over the wire: the server opens a connection to the callback address a
 * client gave in SETCLIENTID, probes it with CB_NULL, grants delegations only when the probe
 * was answered, and sends CB_RECALL over that connection.
 */
class Callback40WireTest {
  private NfsServer server;
  private TcpCompoundTransport connectionA;
  private TcpCompoundTransport connectionB;

  @BeforeEach
  void start() throws IOException {
    server = NfsServer.builder().bind("127.0.0.1").port(0)
        .export("/", new InMemoryFileSystem(), ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"))
        .protocol(new Nfs4Protocol(StateConfig.defaults().withLeaseTime(Duration.ofSeconds(2))
            .withGracePeriod(Duration.ZERO)))
        .build();
    server.start();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
    connectionA = new TcpCompoundTransport(address, 0);
    connectionB = new TcpCompoundTransport(address, 0);
  }

  @AfterEach
  void stop() throws Exception {
    connectionA.close();
    connectionB.close();
    server.stop();
  }

  /** A client's callback service: answers CB_NULL, and CB_COMPOUND with OK; records the calls. */
  private static final class CallbackService implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 4, java.net.InetAddress.getLoopbackAddress());
    final BlockingQueue<int[]> nulls = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> compounds = new LinkedBlockingQueue<>();
    final Thread thread = Thread.ofVirtual().start(this::serve);

    CallbackService() throws IOException {}

    String universalAddress() {
      int port = socket.getLocalPort();
      return "127.0.0.1." + (port >> 8) + "." + (port & 0xff);
    }

    private void serve() {
      try (Socket s = socket.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        while (true) {
          int mark = in.readInt();
          byte[] record = new byte[mark & 0x7fffffff];
          in.readFully(record);
          XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(record));
          int xid = d.readInt();
          d.readInt();
          d.readInt();
          d.readInt(); // program
          d.readInt(); // version
          int procedure = d.readInt();
          d.readInt();
          d.readOpaque(400);
          d.readInt();
          d.readOpaque(400);
          byte[] results;
          if (procedure == 0) {
            nulls.add(new int[] {xid});
            results = new byte[0];
          } else {
            byte[] args = d.readFixedOpaque(d.remaining());
            compounds.add(args);
            XdrDecoder a = new XdrDecoder(Unpooled.wrappedBuffer(args));
            a.readOpaque(1024);
            a.readInt();
            a.readInt();
            a.readInt();
            int opcode = a.readInt();
            results = ByteBuffer.allocate(20).putInt(0).putInt(0).putInt(1).putInt(opcode).putInt(0).array();
          }
          ByteBuffer reply = ByteBuffer.allocate(28 + results.length);
          reply.putInt(0x80000000 | (24 + results.length)).putInt(xid).putInt(1).putInt(0).putInt(0).putInt(0)
              .putInt(0).put(results);
          out.write(reply.array());
          out.flush();
        }
      } catch (IOException e) {
        // closed
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      thread.interrupt();
    }
  }

  /** Creates "f" through another (4.1) client, then opens it twice for reading as the 4.0 client. */
  private static OpenReply openForReadingTwice(Wire.Client40 a, Wire.Client41 b) {
    return openTwice(a, b, ACCESS_READ);
  }

  /** Creates "f" through another (4.1) client, then opens it twice with {@code access} as the 4.0 client. */
  private static OpenReply openTwice(Wire.Client40 a, Wire.Client41 b, int access) {
    OpenReply created = ok(b.call(StateCompound.openCreate(b.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE,
        b.clientId, b("create"), "f", UNCHECKED4))).last();
    ok(b.call(StateCompound.close(b.next().putrootfh().lookup("f"), 0, created.stateid())));
    OpenReply first = ok(a.call(StateCompound.openName(Compound.v40().putrootfh(), 1, access, DENY_NONE,
        a.clientId, b("owner"), "f"))).last();
    assertEquals(0, first.delegationType(), "not with an OPEN that still needs OPEN_CONFIRM");
    ok(a.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup("f"), first.stateid(), 2)));
    return ok(a.call(StateCompound.openName(Compound.v40().putrootfh(), 3, access, DENY_NONE,
        a.clientId, b("owner"), "f"))).last();
  }

  @Test
  void aClientOpeningForWritingGetsNoWriteDelegationIn40() throws Exception {
    try (CallbackService service = new CallbackService()) {
      Wire.Client40 a = new Wire.Client40(Wire.tcp(connectionA), "v40", service.universalAddress());
      assertNotNull(service.nulls.poll(10, TimeUnit.SECONDS), "CB_NULL probe");
      Thread.sleep(200);
      Wire.Client41 b = new Wire.Client41(Wire.tcp(connectionB), "other");
      OpenReply write = openTwice(a, b, ACCESS_WRITE);
      assertEquals(0, write.delegationType(), "write delegations are 4.1's");
      ok(a.call(Compound.v40().putrootfh().lookup("f").write(write.stateid(), 0, 2, b("data"))));
      assertNull(service.compounds.poll(200, TimeUnit.MILLISECONDS), "nothing to recall or ask");
    }
  }

  @Test
  void answeredProbeGetsADelegationRecalledOverTheCallbackConnection() throws Exception {
    try (CallbackService service = new CallbackService()) {
      Wire.Client40 a = new Wire.Client40(Wire.tcp(connectionA), "v40", service.universalAddress());
      assertNotNull(service.nulls.poll(10, TimeUnit.SECONDS), "CB_NULL probe");
      Thread.sleep(200);
      Wire.Client41 b = new Wire.Client41(Wire.tcp(connectionB), "other");
      OpenReply read = openForReadingTwice(a, b);
      assertEquals(1, read.delegationType(), "OPEN_DELEGATE_READ");

      Compound conflicting = StateCompound.openName(b.next().putrootfh(), 0, ACCESS_WRITE, DENY_NONE,
          b.clientId, b("writer"), "f");
      assertEquals(Nfs4Status.DELAY, b.call(conflicting).status());
      byte[] recall = service.compounds.poll(10, TimeUnit.SECONDS);
      assertNotNull(recall, "CB_RECALL");
      XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(recall));
      d.readOpaque(1024);
      assertEquals(0, d.readInt(), "minorversion");
      assertEquals(1, d.readInt(), "callback_ident");
      assertEquals(1, d.readInt());
      assertEquals(4, d.readInt(), "CB_RECALL");
      assertEquals(read.delegation(), Stateid.decode(d));

      ok(a.call(StateCompound.delegreturn(Compound.v40().putrootfh().lookup("f"), read.delegation())));
      ok(b.call(StateCompound.openName(b.next().putrootfh(), 0, ACCESS_WRITE, DENY_NONE, b.clientId,
          b("writer"), "f")));
    }
  }

  @Test
  void failedProbeMeansNoDelegation() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Wire.Client40 a = new Wire.Client40(Wire.tcp(connectionA), "v40",
        "127.0.0.1." + (closedPort >> 8) + "." + (closedPort & 0xff));
    Thread.sleep(500);
    Wire.Client41 b = new Wire.Client41(Wire.tcp(connectionB), "other");
    assertEquals(0, openForReadingTwice(a, b).delegationType());
  }
}
