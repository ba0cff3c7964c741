package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.GssService;
import dev.jnfs.rpc.testing.GssRpcTestClient;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.rpc.testing.TestKdc;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.server.PrincipalMapper.Identity;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NFSv4.1 with real RPCSEC_GSS contexts against exports with {@code sec=}: a machine principal
 * creates the client and its session, a user's principal works in that session, the
 * pseudo-filesystem and SECINFO tell the user which flavor an export wants, and the export
 * refuses the others with WRONGSEC.
 */
class KerberosWireTest {
  private static final String SERVICE = "nfs/localhost";
  private static final int NFS = 100003;

  @TempDir static Path dir;
  static TestKdc kdc;
  static Path aliceKeytab;
  static Path hostKeytab;
  static NfsServer server;

  @BeforeAll
  static void start() throws Exception {
    kdc = TestKdc.start(dir);
    Path serviceKeytab = kdc.principalWithKeytab(SERVICE);
    aliceKeytab = kdc.principalWithKeytab("alice");
    hostKeytab = kdc.principalWithKeytab("host/client.jnfs.test");
    server = NfsServer.builder().bind("127.0.0.1").port(0).udp(false)
        .kerberos(kdc.acceptor(
            serviceKeytab, SERVICE, Map.of("alice", new Identity(1000, 1000, new int[0]))))
        .export(new Export("/private", null, new InMemoryFileSystem(),
            ExportOptions.DEFAULT.with("rw,insecure,sec=krb5p")))
        .export(new Export("/open", null, new InMemoryFileSystem(),
            ExportOptions.DEFAULT.with("rw,insecure,sec=sys")))
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

  /** Establishes a context for {@code user} over {@code rpc}. */
  private static GssRpcTestClient establish(RpcTestClient rpc, String user, Path keytab)
      throws Exception {
    TestKdc.Initiator initiator = kdc.initiator(user, keytab, SERVICE);
    GssRpcTestClient client = GssRpcTestClient.over(rpc, initiator.context());
    client.establish(initiator.subject(), NFS, 4);
    return client;
  }

  private static Reply call(GssRpcTestClient client, GssService service, Compound c)
      throws Exception {
    byte[] args = RpcMessageBuilder.xdr(c::encode);
    byte[] results = client.call(NFS, 4, 1, service, args);
    return c.decode(new XdrDecoder(Unpooled.wrappedBuffer(results)));
  }

  @Test
  void aUserWorksInTheMachinesSessionAndIsToldTheFlavorToUse() throws Exception {
    RpcTestClient rpc = RpcTestClient.connect(new InetSocketAddress("127.0.0.1", server.port()));
    try (GssRpcTestClient machine = establish(rpc, "host/client.jnfs.test", hostKeytab)) {
      GssRpcTestClient alice = establish(rpc, "alice", aliceKeytab);
      long[] id = call(machine, GssService.INTEGRITY,
          Compound.v41().exchangeId("linux-client", 1)).last().value();
      byte[] session = call(machine, GssService.INTEGRITY,
          Compound.v41().createSession(id[0], (int) id[1], 16)).last().value();
      int slotSequence = 1;

      // no export allows krb5: the pseudo root refuses it already
      Reply r = call(alice, GssService.NONE,
          Compound.v41().sequence(session, slotSequence++, 0, false).putrootfh().getattr(Fattr4.TYPE));
      assertEquals(Nfs4Status.WRONGSEC, r.status());
      assertEquals(Nfs4Opcode.PUTROOTFH, r.last().opcode());

      // krb5i is refused too; SECINFO_NO_NAME tells what the root and the export want
      r = call(alice, GssService.INTEGRITY,
          Compound.v41().sequence(session, slotSequence++, 0, false).putrootfh().secinfoNoName(0));
      assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
      assertEquals(List.of(1, 6), r.last().<List<Integer>>value()); // sys (/open), krb5p
      r = call(alice, GssService.INTEGRITY,
          Compound.v41().sequence(session, slotSequence++, 0, false).putrootfh().secinfo("private"));
      assertEquals(List.of(6), r.last().<List<Integer>>value());
      r = call(alice, GssService.INTEGRITY,
          Compound.v41().sequence(session, slotSequence++, 0, false).putrootfh().lookup("private"));
      assertEquals(Nfs4Status.WRONGSEC, r.status());
      assertEquals(Nfs4Opcode.LOOKUP, r.last().opcode());

      // krb5p is what the export wants
      r = call(alice, GssService.PRIVACY,
          Compound.v41().sequence(session, slotSequence++, 0, false)
              .putrootfh().lookup("private").getfh().getattr(Fattr4.OWNER));
      assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
      byte[] fh = r.result(3).value();

      // and the handle is refused to the weaker services (PUTFH + GETATTR: at PUTFH)
      r = call(alice, GssService.INTEGRITY,
          Compound.v41().sequence(session, slotSequence++, 0, false).putfh(fh).getattr(Fattr4.TYPE));
      assertEquals(Nfs4Status.WRONGSEC, r.status());
      assertEquals(Nfs4Opcode.PUTFH, r.last().opcode());
      r = call(alice, GssService.PRIVACY,
          Compound.v41().sequence(session, slotSequence++, 0, false).putfh(fh).getfh());
      assertArrayEquals(fh, r.last().value());

      // the machine principal keeps the lease with SEQUENCE alone
      r = call(machine, GssService.INTEGRITY,
          Compound.v41().sequence(session, slotSequence++, 0, false));
      assertEquals(Nfs4Status.OK, r.status());
    }
  }
}
