package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.mount.MountProgram;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.rpc.testing.RpcUdpTestClient;
import dev.jnfs.server.ClientRange;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NFSv3 and MOUNT through a raw RPC client against a real server: what other clients cannot
 * be made to send (garbage handles and arguments) and what depends on the client's address and
 * source port (client ranges, secure exports).
 */
class Nfs3OverRpcTest {
  static final Credential ROOT = new Credential.Sys(1, "test", 0, 0, new int[0]);
  static final int NFS = Nfs3Program.PROGRAM;

  static RunningServer server;

  @BeforeAll
  static void start() {
    ExportOptions insecure = ExportOptions.DEFAULT.with("insecure,no_root_squash");
    server = RunningServer.start(false,
        new Export("/open", null, TestBackends.create(), insecure),
        new Export("/local-only", null, TestBackends.create(),
            insecure.withClients(List.of(ClientRange.parse("127.0.0.1/32")))),
        new Export("/secure", null, TestBackends.create(), ExportOptions.DEFAULT.with("no_root_squash")));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static byte[] args(Consumer<XdrEncoder> writer) {
    return RpcMessageBuilder.xdr(writer);
  }

  static byte[] mount(RpcTestClient client, String path) throws IOException {
    RpcReply r = client.call(MountProgram.PROGRAM, 3, 1, ROOT, args(e -> e.writeString(path)));
    assertTrue(r.isSuccess());
    XdrDecoder d = r.decoder();
    assertEquals(0, d.readInt(), "MNT " + path);
    return d.readOpaque(64);
  }

  /** Connects from a given local address and a privileged or unprivileged source port. */
  static RpcTestClient connect(InetSocketAddress server, String localHost, boolean privileged)
      throws IOException {
    if (!privileged) {
      return RpcTestClient.connect(server, new InetSocketAddress(localHost, 0));
    }
    IOException last = null;
    for (int i = 0; i < 50; i++) {
      int port = ThreadLocalRandom.current().nextInt(600, 1024);
      try {
        return RpcTestClient.connect(server, new InetSocketAddress(localHost, port));
      } catch (BindException e) {
        last = e; // in use: try another
      }
    }
    throw last;
  }

  @Test
  void garbageHandleIsBadhandleAndServerKeepsServing() throws Exception {
    try (RpcTestClient c = RpcTestClient.connect(server.nfsAddress())) {
      RpcReply r = c.call(NFS, 3, Nfs3Program.GETATTR, ROOT, args(e -> e.writeOpaque(new byte[] {7, 7, 7, 7, 7, 7, 7})));
      assertTrue(r.isSuccess());
      assertEquals(10001, r.decoder().readInt());
      r = c.call(NFS, 3, Nfs3Program.GETATTR, ROOT, args(e -> e.writeOpaque(new byte[65])));
      assertEquals(RpcReply.GARBAGE_ARGS, r.acceptStat(), "a handle over 64 bytes is not XDR of nfs_fh3");
      r = c.call(NFS, 3, Nfs3Program.WRITE, ROOT, args(e -> e.writeOpaque(new byte[10]).writeHyper(0)));
      assertEquals(RpcReply.GARBAGE_ARGS, r.acceptStat());
      r = c.call(NFS, 3, 22, ROOT, new byte[0]);
      assertEquals(RpcReply.PROC_UNAVAIL, r.acceptStat());
      byte[] root = mount(c, "/open");
      r = c.call(NFS, 3, Nfs3Program.GETATTR, ROOT, args(e -> e.writeOpaque(root)));
      assertEquals(0, r.decoder().readInt());
    }
  }

  @Test
  void clientRangeAdmitsOnlyItsAddresses() throws Exception {
    byte[] root;
    try (RpcTestClient admitted = connect(server.mountAddress(), "127.0.0.1", false)) {
      root = mount(admitted, "/local-only");
    }
    try (RpcTestClient other = connect(server.mountAddress(), "127.0.0.2", false)) {
      RpcReply r = other.call(MountProgram.PROGRAM, 3, 1, ROOT, args(e -> e.writeString("/local-only")));
      assertEquals(13, r.decoder().readInt(), "MNT3ERR_ACCES");
    }
    // the rules hold for every NFS call, not only at MNT
    try (RpcTestClient other = connect(server.nfsAddress(), "127.0.0.2", false)) {
      RpcReply r = other.call(NFS, 3, Nfs3Program.GETATTR, ROOT, args(e -> e.writeOpaque(root)));
      assertEquals(13, r.decoder().readInt(), "NFS3ERR_ACCES");
      r = other.call(NFS, 3, Nfs3Program.LOOKUP, ROOT, args(e -> e.writeOpaque(root).writeString("x")));
      XdrDecoder d = r.decoder();
      assertEquals(13, d.readInt());
      assertEquals(0, d.readInt(), "no directory attributes for a refused client");
      assertEquals(0, d.remaining());
    }
    try (RpcTestClient admitted = connect(server.nfsAddress(), "127.0.0.1", false)) {
      RpcReply r = admitted.call(NFS, 3, Nfs3Program.GETATTR, ROOT, args(e -> e.writeOpaque(root)));
      assertEquals(0, r.decoder().readInt());
    }
  }

  @Test
  void secureExportNeedsPrivilegedSourcePort() throws Exception {
    byte[] root;
    try (RpcTestClient low = connect(server.mountAddress(), "127.0.0.1", true)) {
      assertTrue(low.localAddress().getPort() < 1024);
      root = mount(low, "/secure");
    }
    try (RpcTestClient high = connect(server.mountAddress(), "127.0.0.1", false)) {
      assertTrue(high.localAddress().getPort() >= 1024);
      RpcReply r = high.call(MountProgram.PROGRAM, 3, 1, ROOT, args(e -> e.writeString("/secure")));
      assertEquals(RpcReply.MSG_DENIED, r.replyStat());
      assertEquals(RpcReply.AUTH_ERROR, r.rejectStat());
      assertEquals(5, r.authStat(), "AUTH_TOOWEAK");
    }
    try (RpcTestClient high = connect(server.nfsAddress(), "127.0.0.1", false)) {
      RpcReply r = high.call(NFS, 3, Nfs3Program.GETATTR, ROOT, args(e -> e.writeOpaque(root)));
      assertEquals(RpcReply.MSG_DENIED, r.replyStat());
      assertEquals(5, r.authStat(), "AUTH_TOOWEAK");
    }
    try (RpcTestClient low = connect(server.nfsAddress(), "127.0.0.1", true)) {
      RpcReply r = low.call(NFS, 3, Nfs3Program.GETATTR, ROOT, args(e -> e.writeOpaque(root)));
      assertTrue(r.isSuccess());
      assertEquals(0, r.decoder().readInt());
    }
  }

  @Test
  void servesOverUdpToo() throws Exception {
    RunningServer udp = RunningServer.startWithUdp(new Export("/udp", null, TestBackends.create(),
        ExportOptions.DEFAULT.with("insecure")));
    try (RpcUdpTestClient c = new RpcUdpTestClient(udp.mountAddress())) {
      RpcReply r = c.call(MountProgram.PROGRAM, 3, 1, ROOT, args(e -> e.writeString("/udp")));
      XdrDecoder d = r.decoder();
      assertEquals(0, d.readInt());
      byte[] root = d.readOpaque(64);
      try (RpcUdpTestClient n = new RpcUdpTestClient(udp.nfsAddress())) {
        r = n.call(NFS, 3, Nfs3Program.READDIRPLUS, ROOT, args(e -> e.writeOpaque(root).writeHyper(0)
            .writeHyper(0).writeInt(8192).writeInt(32768)));
        d = r.decoder();
        assertEquals(0, d.readInt());
      }
    } finally {
      udp.close();
    }
  }

  @Test
  void writeVerifierChangesAcrossRestart() throws Exception {
    long first = writeAndCommit();
    server.server.stop();
    server.server.start();
    long second = writeAndCommit();
    assertNotEquals(first, second);
  }

  /** Writes unstable data and commits it; checks both replies carry one verifier. */
  private static long writeAndCommit() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(server.nfsAddress())) {
      byte[] root = mount(c, "/open");
      RpcReply r = c.call(NFS, 3, Nfs3Program.CREATE, ROOT, args(e -> {
        e.writeOpaque(root).writeString("verifier-" + System.nanoTime()).writeInt(0);
        Nfs3Replies.noSattr(e);
      }));
      XdrDecoder d = r.decoder();
      assertEquals(0, d.readInt());
      byte[] fh = Nfs3Replies.postOpFh(d);
      r = c.call(NFS, 3, Nfs3Program.WRITE, ROOT, args(e -> e.writeOpaque(fh).writeHyper(0).writeInt(4)
          .writeInt(0).writeOpaque(new byte[] {1, 2, 3, 4})));
      d = r.decoder();
      assertEquals(0, d.readInt());
      Nfs3Replies.wcc(d);
      assertEquals(4, d.readInt());
      d.readInt();
      long writeVerifier = d.readHyper();
      r = c.call(NFS, 3, Nfs3Program.COMMIT, ROOT, args(e -> e.writeOpaque(fh).writeHyper(0).writeInt(0)));
      d = r.decoder();
      assertEquals(0, d.readInt());
      Nfs3Replies.wcc(d);
      assertEquals(writeVerifier, d.readHyper());
      assertEquals(server.context().writeVerifier(), writeVerifier);
      return writeVerifier;
    }
  }
}
