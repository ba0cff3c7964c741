package dev.jnfs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.server.NfsServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server started from a TOML file, checked through the wire: two exports (a
 * local directory and an in-memory file system), NFSv4 only, no UDP; and a reload that
 * changes the export set.
 */
class ConfiguredServerTest {
  private static final int NFS = 100003;
  private static final int MOUNT = 100005;
  private static final int SUCCESS = 0;
  private static final int PROG_UNAVAIL = 1;

  @TempDir Path temp;

  private Path writeConfig(Path local, String secondExport) throws IOException {
    return Files.writeString(temp.resolve("jnfs.toml"), """
        [server]
        bind = "127.0.0.1"
        port = 0
        udp = false
        versions = [4]

        [[export]]
        path = "/local"
        directory = "%s"
        clients = "127.0.0.1(rw,insecure,no_root_squash) 127.0.0.2(ro,insecure,no_root_squash)"

        %s
        """.formatted(local.toString().replace("\\", "\\\\"), secondExport));
  }

  private static final String MEMORY_EXPORT = """
      [[export]]
      path = "/memory"
      backend = "memory"
      clients = "127.0.0.1(rw,insecure,no_root_squash)"
      """;

  @Test
  void servesBothExportsOverNfs4OnlyAndNoUdp() throws Exception {
    Path local = Files.createDirectory(temp.resolve("local"));
    Files.writeString(local.resolve("on-disk.txt"), "from the local directory\n");
    Path config = writeConfig(local, MEMORY_EXPORT);
    try (RunningServer running = StandaloneServerTest.running("--config", config.toString())) {
      NfsServer server = running.server();
      int port = server.port();
      assertEquals(List.of("/local", "/memory"),
          running.specs().stream().map(ExportSpec::path).toList());

      assertEquals(SUCCESS, nullCall(port, NFS, 4), "NFSv4 is served");
      assertEquals(PROG_UNAVAIL, nullCall(port, MOUNT, 3), "no MOUNT without NFSv3");
      assertTrue(server.registrations().stream()
          .noneMatch(m -> (m.program() == NFS && m.version() == 3) || m.program() == MOUNT),
          server.registrations().toString());
      try (DatagramSocket udp =
          new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        assertEquals(port, udp.getLocalPort(), "the server left the UDP port unbound");
      }

      // one exports(5) line, two clients with their own options: 127.0.0.2 may not modify
      int modify = ACCESS_MODIFY | ACCESS_EXTEND | ACCESS_DELETE;
      assertEquals(modify, access(port, "127.0.0.1", "local") & modify, "127.0.0.1 has rw");
      assertEquals(0, access(port, "127.0.0.2", "local") & modify, "127.0.0.2 has ro");

      assumeTrue(StandaloneServerTest.onPath("nfs-ls"), "libnfs-utils not installed");
      // (files are not created here: NFSv4 refuses OPEN with GRACE just after a start)
      String v4 = "?version=4&nfsport=" + port;
      String listing = StandaloneServerTest.libnfs("nfs-ls", "nfs://127.0.0.1/local" + v4);
      assertTrue(listing.contains("on-disk.txt"), listing);
      String memory = StandaloneServerTest.libnfs("nfs-ls", "nfs://127.0.0.1/memory" + v4);
      assertFalse(memory.contains("on-disk.txt"), "the in-memory export is its own: " + memory);
    }
  }

  @Test
  void reloadServesTheNewExportSetAndKeepsTheOldOneWhenTheFileIsWrong() throws Exception {
    Path local = Files.createDirectory(temp.resolve("local"));
    Path config = writeConfig(local, "");
    try (RunningServer running = StandaloneServerTest.running("--config", config.toString())) {
      assertEquals(List.of("/local"), running.specs().stream().map(ExportSpec::path).toList());

      writeConfig(local, MEMORY_EXPORT);
      assertTrue(running.reload());
      assertEquals(List.of("/local", "/memory"),
          running.specs().stream().map(ExportSpec::path).toList());
      assertEquals(SUCCESS, nullCall(running.server().port(), NFS, 4));

      Files.writeString(config, "[server]\nport = \"many\"\n");
      assertFalse(running.reload(), "a wrong file is refused");
      assertEquals(List.of("/local", "/memory"),
          running.specs().stream().map(ExportSpec::path).toList());

      assumeTrue(StandaloneServerTest.onPath("nfs-ls"), "libnfs-utils not installed");
      String v4 = "?version=4&nfsport=" + running.server().port();
      StandaloneServerTest.libnfs("nfs-ls", "nfs://127.0.0.1/memory" + v4);
    }
  }

  /**
   * Sends a NULL call of a program and version over a new TCP connection.
   *
   * @return the reply's accept_stat (RFC 5531 §9: 0 SUCCESS, 1 PROG_UNAVAIL, 2 PROG_MISMATCH)
   */
  static int nullCall(int port, int program, int version) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      ByteBuffer call = ByteBuffer.allocate(44)
          .putInt(0x80000000 | 40)
          .putInt(9).putInt(0).putInt(2) // xid, CALL, RPC version 2
          .putInt(program).putInt(version).putInt(0) // procedure 0: NULL
          .putInt(0).putInt(0).putInt(0).putInt(0); // AUTH_NONE credential and verifier
      socket.getOutputStream().write(call.array());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int[] reply = new int[7]; // record mark, xid, REPLY, MSG_ACCEPTED, verifier, accept_stat
      for (int i = 0; i < reply.length; i++) {
        reply[i] = in.readInt();
      }
      assertEquals(0, reply[3], "MSG_ACCEPTED");
      return reply[6];
    }
  }

  private static final int ACCESS_MODIFY = 0x04;
  private static final int ACCESS_EXTEND = 0x08;
  private static final int ACCESS_DELETE = 0x10;

  /**
   * Asks NFSv4.0 ACCESS of an export's root (PUTROOTFH, LOOKUP, ACCESS) as root with AUTH_SYS,
   * over a connection from {@code source}.
   *
   * @return the access bits granted (RFC 7530 §16.1)
   */
  private static int access(int port, String source, String export) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      socket.setSoTimeout(10_000);
      byte[] name = export.getBytes(StandardCharsets.US_ASCII);
      int padded = (name.length + 3) & ~3;
      ByteBuffer call = ByteBuffer.allocate(200);
      call.putInt(0).putInt(7).putInt(0).putInt(2).putInt(NFS).putInt(4).putInt(1) // COMPOUND
          .putInt(1).putInt(20).putInt(0).putInt(0).putInt(0).putInt(0).putInt(0) // AUTH_SYS root
          .putInt(0).putInt(0) // AUTH_NONE verifier
          .putInt(0).putInt(0).putInt(3) // empty tag, minor version 0, three operations
          .putInt(24) // PUTROOTFH
          .putInt(15).putInt(name.length).put(name).put(new byte[padded - name.length]) // LOOKUP
          .putInt(3).putInt(0x1f); // ACCESS of every bit
      call.putInt(0, 0x80000000 | (call.position() - 4));
      socket.getOutputStream().write(call.array(), 0, call.position());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      in.readInt(); // record mark
      int[] header = {in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
          in.readInt()}; // xid, REPLY, MSG_ACCEPTED, verifier flavor and length, accept_stat
      assertEquals(0, header[5], "SUCCESS");
      assertEquals(0, in.readInt(), "COMPOUND status");
      in.skipBytes((in.readInt() + 3) & ~3); // tag
      assertEquals(3, in.readInt());
      for (int op : new int[] {24, 15, 3}) {
        assertEquals(op, in.readInt());
        assertEquals(0, in.readInt(), "status of operation " + op);
      }
      in.readInt(); // supported
      return in.readInt();
    }
  }

  /** The access log is written through Logback to the log file. */
  @Test
  void accessLogRecordsAcceptedClosedAndRefusedConnections() throws Exception {
    Path log = temp.resolve("jnfs.log");
    Path config = writeConfig(Files.createDirectory(temp.resolve("local")), "");
    Files.writeString(config, "\n[limits]\nmax_connection_rate = 1\n", StandardOpenOption.APPEND);
    ServerLogging.configure(ServerCommandLineTest.parse("--log-file", log.toString()));
    try (RunningServer running = StandaloneServerTest.running("--config", config.toString())) {
      assertEquals(SUCCESS, nullCall(running.server().port(), NFS, 4));
      try (Socket refused = new Socket(InetAddress.getLoopbackAddress(), running.server().port())) {
        refused.setSoTimeout(10_000);
        assertEquals(-1, refused.getInputStream().read(), "the second connection of the minute");
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!(Files.readString(log).contains("closed by the client")
              && Files.readString(log).contains("refused a connection"))
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } finally {
      ServerLoggingTest.restoreTestLogging();
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(text.contains("dev.jnfs.access - accepted #") && text.contains("from 127.0.0.1:"),
        text);
    assertTrue(text.matches("(?s).*dev\\.jnfs\\.access - closed #\\d+ from 127\\.0\\.0\\.1:\\d+:"
        + " closed by the client; \\d+ s, 1 calls.*"), text);
    assertTrue(text.matches("(?s).*WARN .*dev\\.jnfs\\.access - refused a connection from"
        + " 127\\.0\\.0\\.1:\\d+: too many new connections from its address.*"), text);
  }
}
