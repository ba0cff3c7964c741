package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.GssService;
import dev.jnfs.rpc.testing.GssRpcTestClient;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.rpc.testing.TestKdc;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.server.PrincipalMapper.Identity;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports with {@code sec=} over the wire with real RPCSEC_GSS contexts (a KDC in the JVM,
 * the JDK's GSS-API as initiator): NFSv3 refuses a flavor the export does not list with
 * AUTH_TOOWEAK, MOUNT answers every caller with the export's flavors, and Kerberos callers
 * are squashed by the ids their principals map to.
 */
class Nfs3KerberosExportTest {
  private static final String SERVICE = "nfs/localhost";
  private static final int NFS = 100003;
  private static final int MOUNT = 100005;

  @TempDir static Path dir;
  static TestKdc kdc;
  static Path aliceKeytab;
  static Path rootKeytab;
  static NfsServer server;
  static ServerContext context;
  static Export privacy;
  static Export shared;

  @BeforeAll
  static void start() throws Exception {
    kdc = TestKdc.start(dir);
    Path serviceKeytab = kdc.principalWithKeytab(SERVICE);
    aliceKeytab = kdc.principalWithKeytab("alice");
    rootKeytab = kdc.principalWithKeytab("root/admin");
    InMemoryFileSystem sharedFs = new InMemoryFileSystem();
    sharedFs.setattr(Caller.of(0, 0), sharedFs.root(), SetAttributes.mode(0777), null);
    privacy = new Export("/private", null, new InMemoryFileSystem(),
        ExportOptions.DEFAULT.with("rw,insecure,sec=krb5p"));
    shared = new Export("/shared", null, sharedFs,
        ExportOptions.DEFAULT.with("rw,insecure,sec=krb5:sys,anonuid=4242,anongid=4242"));
    server = NfsServer.builder().bind("127.0.0.1").port(0).udp(false)
        .kerberos(kdc.acceptor(
            serviceKeytab, SERVICE, Map.of("alice", new Identity(1000, 1000, new int[0]))))
        .export(privacy).export(shared)
        .protocol(c -> {
          context = c;
          return new Nfs3Protocol().programs(c);
        })
        .build();
    server.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (kdc != null) {
      kdc.close();
    }
  }

  private static InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", server.port());
  }

  private static GssRpcTestClient connect(String user, Path keytab) throws Exception {
    RpcTestClient rpc = RpcTestClient.connect(address());
    TestKdc.Initiator initiator = kdc.initiator(user, keytab, SERVICE);
    GssRpcTestClient client = GssRpcTestClient.over(rpc, initiator.context());
    try {
      client.establish(initiator.subject(), NFS, 3);
    } catch (Exception e) {
      client.close();
      throw e;
    }
    return client;
  }

  private static byte[] rootHandle(Export export) {
    return context.exports().toWire(export, export.fileSystem().root());
  }

  private static byte[] getattrArgs(byte[] handle) {
    return RpcMessageBuilder.xdr(e -> e.writeOpaque(handle));
  }

  /** Sends one data call and answers the reply, whatever it is. */
  private static GssRpcTestClient.Reply send(
      GssRpcTestClient client, int program, int version, int procedure, GssService service,
      byte[] args) throws Exception {
    int xid = RpcTestClient.nextXid();
    client.rpc().sendMessage(
        client.dataCall(xid, client.nextSequence(), program, version, procedure, service, args));
    return GssRpcTestClient.Reply.parse(client.rpc().receiveMessage());
  }

  @Test
  void aKrb5pExportRefusesKrb5AndKrb5iWithAuthTooweak() throws Exception {
    try (GssRpcTestClient alice = connect("alice", aliceKeytab)) {
      for (GssService weaker : new GssService[] {GssService.NONE, GssService.INTEGRITY}) {
        GssRpcTestClient.Reply r =
            send(alice, NFS, 3, Nfs3Program.GETATTR, weaker, getattrArgs(rootHandle(privacy)));
        assertEquals(1, r.replyStat(), weaker + ": " + r);
        assertEquals(5, r.authStat(), "AUTH_TOOWEAK for " + weaker);
      }
      byte[] ok = alice.call(NFS, 3, Nfs3Program.GETATTR, GssService.PRIVACY,
          getattrArgs(rootHandle(privacy)));
      assertEquals(0, new XdrDecoder(Unpooled.wrappedBuffer(ok)).readInt());
      // the refusals did not harm the context
      ok = alice.call(NFS, 3, Nfs3Program.GETATTR, GssService.NONE, getattrArgs(rootHandle(shared)));
      assertEquals(0, new XdrDecoder(Unpooled.wrappedBuffer(ok)).readInt());
    }
  }

  @Test
  void authSysIsRefusedByAKerberosOnlyExportAndServedByAMixedOne() throws Exception {
    try (RpcTestClient rpc = RpcTestClient.connect(address())) {
      Credential sys = new Credential.Sys(0, "client", 1000, 1000, new int[0]);
      RpcReply refused = rpc.call(NFS, 3, Nfs3Program.GETATTR, sys, getattrArgs(rootHandle(privacy)));
      assertEquals(RpcReply.MSG_DENIED, refused.replyStat());
      assertEquals(5, refused.authStat());
      RpcReply served = rpc.call(NFS, 3, Nfs3Program.GETATTR, sys, getattrArgs(rootHandle(shared)));
      assertTrue(served.isSuccess());
      assertEquals(0, served.decoder().readInt());
    }
  }

  @Test
  void mountAnswersTheFlavorsToAnyCaller() throws Exception {
    byte[] mntArgs = RpcMessageBuilder.xdr(e -> e.writeString("/private"));
    try (RpcTestClient rpc = RpcTestClient.connect(address())) {
      RpcReply reply = rpc.call(MOUNT, 3, 1, new Credential.Sys(0, "c", 0, 0, new int[0]), mntArgs);
      XdrDecoder d = reply.decoder();
      assertEquals(0, d.readInt());
      assertArrayEquals(rootHandle(privacy), d.readOpaque(64));
      assertEquals(1, d.readInt());
      assertEquals(390005, d.readInt());
    }
    try (GssRpcTestClient alice = connect("alice", aliceKeytab)) {
      byte[] results = alice.call(MOUNT, 3, 1, GssService.NONE,
          RpcMessageBuilder.xdr(e -> e.writeString("/shared")));
      XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(results));
      assertEquals(0, d.readInt());
      d.readOpaque(64);
      assertEquals(2, d.readInt());
      assertEquals(390003, d.readInt());
      assertEquals(1, d.readInt());
    }
  }

  @Test
  void theConnectionListNamesThePrincipalSeenOnAConnection() throws Exception {
    try (GssRpcTestClient alice = connect("alice", aliceKeytab)) {
      byte[] ok = alice.call(NFS, 3, Nfs3Program.GETATTR, GssService.NONE,
          getattrArgs(rootHandle(shared)));
      assertEquals(0, new XdrDecoder(Unpooled.wrappedBuffer(ok)).readInt());
      java.util.Set<String> principals = server.connections().stream()
          .filter(c -> c.remoteAddress().equals(alice.rpc().localAddress()))
          .findFirst()
          .orElseThrow()
          .kerberosPrincipals();
      assertEquals(1, principals.size(), principals.toString());
      assertTrue(principals.iterator().next().startsWith("alice@"), principals.toString());
    }
  }

  @Test
  void aKerberosRootPrincipalIsRootSquashed() throws Exception {
    assertEquals(4242, ownerOfNewDirectory(connect("root/admin", rootKeytab), "by-root"));
    assertEquals(1000, ownerOfNewDirectory(connect("alice", aliceKeytab), "by-alice"));
  }

  private static int ownerOfNewDirectory(GssRpcTestClient client, String name) throws Exception {
    try (client) {
      byte[] args = RpcMessageBuilder.xdr(e -> {
        e.writeOpaque(rootHandle(shared));
        e.writeString(name);
        for (int i = 0; i < 4; i++) {
          e.writeBoolean(false);
        }
        e.writeInt(0).writeInt(0);
      });
      XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(
          client.call(NFS, 3, Nfs3Program.MKDIR, GssService.NONE, args)));
      assertEquals(0, d.readInt());
      assertNotNull(Nfs3Replies.postOpFh(d), "the new directory's handle");
      Nfs3Replies.Fattr attributes = Nfs3Replies.postOp(d);
      assertNotNull(attributes, "the new directory's attributes");
      return attributes.uid();
    }
  }
}
