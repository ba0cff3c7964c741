package dev.jnfs.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.GssRpcTestClient;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.rpc.testing.TestKdc;
import dev.jnfs.rpc.testing.WellBehavedClient;
import dev.jnfs.server.NfsServer;
import dev.jnfs.server.PrincipalMapper.Identity;
import dev.jnfs.xdr.XdrDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RPCSEC_GSS context floods (RFC 2203 §5.2). Context creation requests with tokens that are not
 * Kerberos tokens are answered with a GSS error and leave nothing behind; more real contexts
 * than the table holds evict the least recently used, whose client then gets CREDPROBLEM
 * (§5.3.3.3) and may make a new one. A well-behaved client keeps being answered throughout.
 */
class GssContextFloodTest {
  private static final String SERVICE = "nfs/localhost";
  private static final int MAX_CONTEXTS = 8;
  private static final int GARBAGE_INITS = 3000;

  @TempDir static Path dir;

  @Test
  @Timeout(120)
  void floodsOfContextCreationHoldNothingBeyondTheTable() throws Exception {
    try (TestKdc kdc = TestKdc.start(dir)) {
      Path serviceKeytab = kdc.principalWithKeytab(SERVICE);
      Path aliceKeytab = kdc.principalWithKeytab("alice");
      NfsServer server = TestServers.builder(new TestProgram())
          .udp(false)
          .kerberos(kdc.acceptor(serviceKeytab, SERVICE,
                  Map.of("alice", new Identity(1000, 1000, new int[0])))
              .withMaxContexts(MAX_CONTEXTS))
          .build();
      server.start();
      List<GssRpcTestClient> real = new ArrayList<>();
      try (WellBehavedClient good = new WellBehavedClient("RPCSEC_GSS context flood",
              TestServers.address(server), TestProgram.PROGRAM, 1, 5_000);
          RpcTestClient flood = RpcTestClient.connect(TestServers.address(server))) {
        Random random = new Random(20261205L);
        long start = System.nanoTime();
        for (int i = 0; i < GARBAGE_INITS; i++) {
          byte[] token = new byte[random.nextInt(1500)];
          random.nextBytes(token);
          if (i % 3 == 0 && token.length > 2) {
            token[0] = 0x60; // the start of a GSS-API InitialContextToken
          }
          flood.sendMessage(garbageInit(i + 1, token));
          RpcReply reply = RpcReply.parse(flood.receiveMessage());
          assertEquals(i + 1, reply.xid());
          if (reply.isSuccess()) {
            XdrDecoder d = reply.decoder();
            d.readOpaque(1024);
            assertNotEquals(0, d.readInt(), "a garbage token made a context");
          }
          if (i % 100 == 0) {
            good.sample();
          }
        }
        long garbageMillis = (System.nanoTime() - start) / 1_000_000;

        for (int i = 0; i < MAX_CONTEXTS + 4; i++) {
          RpcTestClient rpc = RpcTestClient.connect(TestServers.address(server));
          TestKdc.Initiator initiator = kdc.initiator("alice", aliceKeytab, SERVICE);
          GssRpcTestClient client = GssRpcTestClient.over(rpc, initiator.context());
          real.add(client);
          client.establish(initiator.subject(), TestProgram.PROGRAM, 1);
        }
        byte[] args = RpcMessageBuilder.xdr(e -> e.writeOpaque(new byte[] {1, 2, 3}));
        GssRpcTestClient newest = real.get(real.size() - 1);
        newest.call(TestProgram.PROGRAM, 1, TestProgram.ECHO, GssService.NONE, args);
        // the first contexts were evicted to make room: their clients must make new ones
        IOException evicted = assertThrows(IOException.class,
            () -> real.get(0).call(TestProgram.PROGRAM, 1, TestProgram.ECHO, GssService.NONE, args));
        assertTrue(evicted.getMessage() != null);
        System.out.printf(
            "RPCSEC_GSS flood: %d INITs with garbage tokens answered in %d ms; %d real contexts"
                + " with a table of %d: the oldest evicted%n",
            GARBAGE_INITS, garbageMillis, real.size(), MAX_CONTEXTS);
      } finally {
        for (GssRpcTestClient c : real) {
          c.close();
        }
        server.stop();
      }
    }
  }

  /** An RPCSEC_GSS_INIT call of the NULL procedure carrying the token. */
  private static byte[] garbageInit(int xid, byte[] token) {
    byte[] credential = RpcMessageBuilder.xdr(e -> e
        .writeInt(1) // RPCSEC_GSS_VERS_1
        .writeInt(1) // RPCSEC_GSS_INIT
        .writeInt(0)
        .writeInt(GssService.NONE.wireValue())
        .writeOpaque(new byte[0]));
    return RpcMessageBuilder.xdr(e -> {
      e.writeInt(xid).writeInt(0).writeInt(2);
      e.writeInt(TestProgram.PROGRAM).writeInt(1).writeInt(0);
      e.writeInt(Credential.RPCSEC_GSS).writeOpaque(credential);
      e.writeInt(Credential.AUTH_NONE).writeInt(0);
      e.writeOpaque(token);
    });
  }
}
