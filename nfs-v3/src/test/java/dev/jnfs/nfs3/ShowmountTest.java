package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jnfs.mount.MountProgram;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.ClientRange;
import dev.jnfs.server.ExportOptions;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MOUNT's EXPORT and DUMP through third-party tools that find it through the portmapper:
 * showmount (nfs-common) and {@code nfs-ls -D} (libnfs). Skipped with a message when the
 * tools are missing, except on CI (CI=true).
 */
class ShowmountTest {
  static final Credential ROOT = new Credential.Sys(1, "test", 0, 0, new int[0]);
  static RunningServer server;

  @BeforeAll
  static void start() {
    for (String tool : List.of("showmount", "nfs-ls")) {
      if (!LibnfsToolsTest.onPath(tool)) {
        String message = tool + " not found: install nfs-common and libnfs-utils to run this test";
        if ("true".equals(System.getenv("CI"))) {
          fail(message);
        }
        Assumptions.abort(message);
      }
    }
    ExportOptions insecure = ExportOptions.DEFAULT.with("insecure");
    server = RunningServer.start(true,
        new Export("/export", null, TestBackends.create(), insecure),
        new Export("/lab", null, TestBackends.create(),
            insecure.withClients(List.of(ClientRange.parse("10.1.0.0/16"), ClientRange.parse("192.0.2.7")))));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static List<String> lines(String output) {
    return Arrays.stream(output.split("\n")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  @Test
  void showmountListsExportsWithTheirClients() throws Exception {
    LibnfsToolsTest.Result r = LibnfsToolsTest.run("showmount", "--no-headers", "-e", server.host);
    assertEquals(0, r.exit(), r.output());
    List<String> lines = lines(r.output());
    assertEquals(2, lines.size(), r.output());
    assertTrue(lines.get(0).matches("/export\\s+\\*"), lines.get(0));
    assertTrue(lines.get(1).matches("/lab\\s+10\\.1\\.0\\.0/16,192\\.0\\.2\\.7"), lines.get(1));
  }

  @Test
  void showmountListsMountsUntilUnmounted() throws Exception {
    InetSocketAddress local = new InetSocketAddress("127.0.0.1", 0);
    try (RpcTestClient c = RpcTestClient.connect(server.mountAddress(), local)) {
      byte[] path = RpcMessageBuilder.xdr(e -> e.writeString("/export"));
      assertEquals(0, c.call(MountProgram.PROGRAM, 3, 1, ROOT, path).decoder().readInt());
      LibnfsToolsTest.Result r = LibnfsToolsTest.run("showmount", "--no-headers", "-a", server.host);
      assertEquals(0, r.exit(), r.output());
      assertTrue(lines(r.output()).contains("127.0.0.1:/export"), r.output());
      assertTrue(c.call(MountProgram.PROGRAM, 3, 3, ROOT, path).isSuccess());
      r = LibnfsToolsTest.run("showmount", "--no-headers", "-a", server.host);
      assertEquals(0, r.exit(), r.output());
      assertFalse(r.output().contains("127.0.0.1:/export"), r.output());
    }
  }

  @Test
  void libnfsDiscoversExports() throws Exception {
    LibnfsToolsTest.Result r = LibnfsToolsTest.run("nfs-ls", "-D", "nfs://" + server.host);
    assertEquals(0, r.exit(), r.output());
    List<String> lines = lines(r.output());
    assertTrue(lines.contains("nfs://" + server.host + "/export"), r.output());
    assertTrue(lines.contains("nfs://" + server.host + "/lab"), r.output());
  }
}
