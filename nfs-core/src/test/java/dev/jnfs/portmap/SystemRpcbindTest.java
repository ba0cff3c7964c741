package dev.jnfs.portmap;

import static dev.jnfs.rpc.testing.RpcMessageBuilder.xdr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.NfsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registration with the host's real rpcbind, when one listens on port 111 (skipped otherwise).
 * A program number of the user-defined range (RFC 5531 §8.3) stands in for NFS, so that the
 * host's own NFS entries are never touched.
 */
@ExtendWith(FailOnLeaks.class)
class SystemRpcbindTest {
  private static final int PROGRAM = 0x2004_6e66;
  private static final int TCP = 6;
  private static final int UDP = 17;
  private static final InetSocketAddress RPCBIND =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 111);

  private static boolean rpcbindListens() {
    try (Socket s = new Socket()) {
      s.connect(RPCBIND, 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int getPort(int protocol) throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(RPCBIND)) {
      byte[] query = xdr(e -> e.writeInt(PROGRAM).writeInt(1).writeInt(protocol).writeInt(0));
      return c.call(PortmapProgram.PROGRAM, 2, PortmapProgram.PMAPPROC_GETPORT, query)
          .decoder()
          .readInt();
    }
  }

  /** {@code rpcinfo -p}'s output, or null if rpcinfo is not installed. */
  private static String rpcinfo() throws IOException, InterruptedException {
    Path tool = Path.of("/usr/sbin/rpcinfo");
    if (!Files.isExecutable(tool)) {
      return null;
    }
    Process p = new ProcessBuilder(tool.toString(), "-p", "127.0.0.1").redirectErrorStream(true)
        .start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
  }

  @Test
  void registeredWhileRunningAndNotAfter() throws IOException, InterruptedException {
    assumeTrue(rpcbindListens(), "no rpcbind on 127.0.0.1:111");
    NfsServer server =
        NfsServer.builder()
            .port(0)
            .rpcbindAddress(SystemPortmapperRegistration.hostAddresses().get(0))
            .protocol(context -> List.of(new FakeProgram(PROGRAM, 1, 1)))
            .build();
    try {
      server.start();
      int port = server.port();
      assertEquals(port, getPort(TCP));
      assertEquals(port, getPort(UDP));
      String listed = rpcinfo();
      if (listed != null) {
        assertTrue(
            listed.matches("(?s).*\\b" + PROGRAM + "\\s+1\\s+tcp\\s+" + port + "\\b.*"), listed);
      }
      server.stop();
      assertEquals(0, getPort(TCP));
      assertEquals(0, getPort(UDP));
      listed = rpcinfo();
      if (listed != null) {
        assertFalse(listed.contains(Integer.toString(PROGRAM)), listed);
      }
    } finally {
      server.close();
    }
  }
}
