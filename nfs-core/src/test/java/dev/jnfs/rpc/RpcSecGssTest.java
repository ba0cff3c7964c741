package dev.jnfs.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.GssRpcTestClient;
import dev.jnfs.rpc.testing.GssRpcTestClient.Reply;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.rpc.testing.RpcUdpTestClient;
import dev.jnfs.rpc.testing.TestKdc;
import dev.jnfs.server.KerberosConfig;
import dev.jnfs.server.NfsServer;
import dev.jnfs.server.PrincipalMapper.Identity;
import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RPCSEC_GSS (RFC 2203) with Kerberos v5 end to end: a KDC in the JVM, the JDK's GSS-API as
 * initiator, and a server that logs in from a keytab.
 */
@ExtendWith(FailOnLeaks.class)
class RpcSecGssTest {
  private static final String SERVICE = "nfs/localhost";
  private static final int PROG = TestProgram.PROGRAM;

  @TempDir static Path dir;
  static TestKdc kdc;
  static Path serviceKeytab;
  static Path aliceKeytab;
  static Path bobKeytab;
  static Path hostKeytab;
  static TestProgram program;
  static NfsServer server;

  @BeforeAll
  static void start() throws Exception {
    kdc = TestKdc.start(dir);
    serviceKeytab = kdc.principalWithKeytab(SERVICE);
    aliceKeytab = kdc.principalWithKeytab("alice");
    bobKeytab = kdc.principalWithKeytab("bob");
    hostKeytab = kdc.principalWithKeytab("host/client.jnfs.test");
    program = new TestProgram();
    KerberosConfig kerberos =
        kdc.acceptor(
            serviceKeytab, SERVICE, Map.of("alice", new Identity(1000, 1001, new int[] {2000, 2001})));
    server = TestServers.builder(program).kerberos(kerberos).build();
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

  private static GssRpcTestClient connect(String user, Path keytab) throws Exception {
    return connect(server, user, keytab);
  }

  private static GssRpcTestClient connect(NfsServer server, String user, Path keytab)
      throws Exception {
    RpcTestClient rpc = RpcTestClient.connect(TestServers.address(server));
    TestKdc.Initiator initiator = kdc.initiator(user, keytab, SERVICE);
    GssRpcTestClient client = GssRpcTestClient.over(rpc, initiator.context());
    try {
      client.establish(initiator.subject(), PROG, 1);
    } catch (Exception e) {
      client.close();
      throw e;
    }
    return client;
  }

  private static byte[] echoArgs(byte[] payload) {
    return RpcMessageBuilder.xdr(e -> e.writeOpaque(payload));
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static Reply send(GssRpcTestClient client, byte[] message) throws Exception {
    client.rpc().sendMessage(message);
    return Reply.parse(client.rpc().receiveMessage());
  }

  @ParameterizedTest
  @EnumSource(GssService.class)
  void echoRoundTripsWithEachService(GssService service) throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      assertTrue(client.window() > 0);
      for (int size : new int[] {0, 1, 1000, 300_000}) {
        byte[] payload = random(size);
        byte[] results = client.call(PROG, 1, TestProgram.ECHO, service, echoArgs(payload));
        XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(results));
        assertArrayEquals(payload, d.readOpaque(1 << 20));
        assertEquals(0, d.remaining());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(GssService.class)
  void callsCarryTheMappedIdentityAndTheService(GssService service) throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      XdrDecoder d = whoami(client, service);
      assertEquals("alice@" + TestKdc.REALM, d.readString(256));
      assertEquals(service.wireValue(), d.readInt());
      assertEquals(1000, d.readInt());
      assertEquals(1001, d.readInt());
      assertEquals(2, d.readInt());
      assertEquals(2000, d.readInt());
      assertEquals(2001, d.readInt());
    }
  }

  private static XdrDecoder whoami(GssRpcTestClient client, GssService service) throws Exception {
    byte[] results = client.call(PROG, 1, TestProgram.WHOAMI, service, new byte[0]);
    XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(results));
    assertEquals(Credential.RPCSEC_GSS, d.readInt());
    return d;
  }

  @Test
  void machinePrincipalMapsToRootAndUnknownUserToNobody() throws Exception {
    try (GssRpcTestClient client = connect("host/client.jnfs.test", hostKeytab)) {
      XdrDecoder d = whoami(client, GssService.INTEGRITY);
      assertEquals("host/client.jnfs.test@" + TestKdc.REALM, d.readString(256));
      d.readInt();
      assertEquals(0, d.readInt());
      assertEquals(0, d.readInt());
    }
    try (GssRpcTestClient client = connect("bob", bobKeytab)) {
      XdrDecoder d = whoami(client, GssService.NONE);
      assertEquals("bob@" + TestKdc.REALM, d.readString(256));
      d.readInt();
      assertEquals(65534, d.readInt());
      assertEquals(65534, d.readInt());
    }
  }

  @Test
  void contextMadeOnOneConnectionServesAnother() throws Exception {
    try (GssRpcTestClient first = connect("alice", aliceKeytab);
        GssRpcTestClient second =
            first.sharedOver(RpcTestClient.connect(TestServers.address(server)))) {
      XdrDecoder d = whoami(second, GssService.PRIVACY);
      assertEquals("alice@" + TestKdc.REALM, d.readString(256));
      first.call(PROG, 1, TestProgram.NULL, GssService.INTEGRITY, new byte[0]);
    }
  }

  @Test
  void acceptedErrorsCarryTheRpcsecGssVerifier() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      int[][] calls = {
        {PROG + 1, 1, 0, RpcReply.PROG_UNAVAIL},
        {PROG, 9, 0, RpcReply.PROG_MISMATCH},
        {PROG, 1, 99, RpcReply.PROC_UNAVAIL},
      };
      for (int[] c : calls) {
        int seq = client.nextSequence();
        Reply r =
            send(client, client.dataCall(RpcTestClient.nextXid(), seq, c[0], c[1], c[2],
                GssService.PRIVACY, new byte[0]));
        assertEquals(c[3], r.acceptStat());
        client.verifyReplyVerifier(r, seq);
      }
    }
  }

  @Test
  void contextMadeOverTcpServesUdp() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab);
        RpcUdpTestClient udp = new RpcUdpTestClient(TestServers.address(server))) {
      for (GssService service : GssService.values()) {
        int seq = client.nextSequence();
        int xid = RpcTestClient.nextXid();
        udp.send(client.dataCall(xid, seq, PROG, 1, TestProgram.ECHO, service,
            echoArgs(new byte[] {9, 8, 7})));
        Reply reply = Reply.parse(udp.receiveReplyTo(xid));
        XdrDecoder d =
            new XdrDecoder(Unpooled.wrappedBuffer(client.unprotect(reply, seq, service)));
        assertArrayEquals(new byte[] {9, 8, 7}, d.readOpaque(16), service.toString());
      }
    }
  }

  @Test
  void fullContextTableEvictsTheLeastRecentlyUsed() throws Exception {
    NfsServer small =
        TestServers.builder(new TestProgram())
            .udp(false)
            .kerberos(
                KerberosConfig.of(serviceKeytab, SERVICE + "@" + TestKdc.REALM)
                    .withKrb5Conf(kdc.krb5Conf())
                    .withMaxContexts(2))
            .build();
    small.start();
    try (GssRpcTestClient first = connect(small, "alice", aliceKeytab);
        GssRpcTestClient second = connect(small, "alice", aliceKeytab)) {
      first.call(PROG, 1, TestProgram.NULL, GssService.NONE, new byte[0]);
      second.call(PROG, 1, TestProgram.NULL, GssService.NONE, new byte[0]);
      first.call(PROG, 1, TestProgram.NULL, GssService.NONE, new byte[0]);
      try (GssRpcTestClient third = connect(small, "bob", bobKeytab)) {
        third.call(PROG, 1, TestProgram.NULL, GssService.NONE, new byte[0]);
        // the second was used least recently: gone, the client must make a new context
        Reply gone =
            send(second, second.dataCall(RpcTestClient.nextXid(), second.nextSequence(), PROG, 1,
                TestProgram.NULL, GssService.NONE, new byte[0]));
        assertEquals(GssRpcTestClient.CREDPROBLEM, gone.authStat());
        first.call(PROG, 1, TestProgram.NULL, GssService.NONE, new byte[0]);
      }
    } finally {
      small.stop();
    }
  }

  @Test
  void replayedSequenceNumberIsDroppedAndTheNextIsAnswered() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      int seq = client.nextSequence();
      int xid = RpcTestClient.nextXid();
      byte[] call =
          client.dataCall(xid, seq, PROG, 1, TestProgram.ECHO, GssService.INTEGRITY,
              echoArgs(new byte[] {1, 2, 3}));
      Reply first = send(client, call);
      assertEquals(xid, first.xid());
      client.unprotect(first, seq, GssService.INTEGRITY);

      int executions = program.executions.get();
      client.rpc().sendMessage(call); // the same seq_num again: silently discarded
      expectOnlyTheNextCallAnswered(client, executions);
    }
  }

  /**
   * Makes two more calls after a request that must have been discarded, and checks that only
   * they were answered and run.
   */
  private static void expectOnlyTheNextCallAnswered(GssRpcTestClient client, int executions)
      throws Exception {
    for (int i = 0; i < 2; i++) {
      int seq = client.nextSequence();
      int xid = RpcTestClient.nextXid();
      Reply next =
          send(client, client.dataCall(xid, seq, PROG, 1, TestProgram.ECHO, GssService.NONE,
              echoArgs(new byte[4])));
      assertEquals(xid, next.xid());
      client.verifyReplyVerifier(next, seq);
    }
    assertEquals(executions + 2, program.executions.get());
  }

  @Test
  void sequenceNumberBelowTheWindowIsDropped() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      int old = client.nextSequence();
      for (int i = 0; i < client.window(); i++) {
        client.nextSequence();
      }
      client.call(PROG, 1, TestProgram.NULL, GssService.NONE, new byte[0]);
      // never seen, but a whole window below the highest
      int executions = program.executions.get();
      client.rpc().sendMessage(
          client.dataCall(RpcTestClient.nextXid(), old, PROG, 1, TestProgram.ECHO,
              GssService.NONE, echoArgs(new byte[4])));
      expectOnlyTheNextCallAnswered(client, executions);
    }
  }

  @Test
  void outOfOrderSequenceNumbersInsideTheWindowAreAccepted() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      int earlier = client.nextSequence();
      int later = client.nextSequence();
      for (int seq : new int[] {later, earlier}) {
        int xid = RpcTestClient.nextXid();
        Reply r =
            send(client, client.dataCall(xid, seq, PROG, 1, TestProgram.NULL, GssService.NONE,
                new byte[0]));
        client.verifyReplyVerifier(r, seq);
      }
    }
  }

  /** Corrupts the byte at {@code fromEnd} bytes before the end of the message. */
  private static Reply sendCorrupted(
      GssRpcTestClient client, int seq, GssService service, int fromEnd) throws Exception {
    int xid = RpcTestClient.nextXid();
    byte[] call =
        client.dataCall(xid, seq, PROG, 1, TestProgram.ECHO, service, echoArgs(random(64)));
    call[call.length - fromEnd] ^= 0x40;
    return send(client, call);
  }

  @Test
  void corruptedIntegrityChecksumIsGarbageArgs() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      int seq = client.nextSequence();
      // the checksum is last
      Reply r = sendCorrupted(client, seq, GssService.INTEGRITY, 3);
      assertEquals(0, r.replyStat());
      assertEquals(RpcException.GARBAGE_ARGS, r.acceptStat());
      client.verifyReplyVerifier(r, seq);
      // the server goes on serving the context
      client.call(PROG, 1, TestProgram.NULL, GssService.INTEGRITY, new byte[0]);
    }
  }

  @Test
  void corruptedIntegrityBodyIsGarbageArgs() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      int seq = client.nextSequence();
      int xid = RpcTestClient.nextXid();
      byte[] args = echoArgs(random(64));
      byte[] call = client.dataCall(xid, seq, PROG, 1, TestProgram.ECHO, GssService.INTEGRITY, args);
      byte[] protectedArgs = client.protect(seq, GssService.INTEGRITY, args);
      int argsAt = call.length - protectedArgs.length;
      call[argsAt + 4 + 4 + 10] ^= 1; // inside the arguments, after length and seq_num
      Reply r = send(client, call);
      assertEquals(RpcException.GARBAGE_ARGS, r.acceptStat());
      client.verifyReplyVerifier(r, seq);
    }
  }

  @Test
  void corruptedPrivacyBodyIsGarbageArgs() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      int seq = client.nextSequence();
      Reply r = sendCorrupted(client, seq, GssService.PRIVACY, 20);
      assertEquals(RpcException.GARBAGE_ARGS, r.acceptStat());
      client.verifyReplyVerifier(r, seq);
    }
  }

  @Test
  void sequenceNumberInsideTheBodyMustMatchTheCredential() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      for (GssService service : new GssService[] {GssService.INTEGRITY, GssService.PRIVACY}) {
        int seq = client.nextSequence();
        byte[] wrongBody = client.protect(seq + 1, service, new byte[0]);
        Reply r =
            send(client, client.controlCall(RpcTestClient.nextXid(), seq, GssRpcTestClient.DATA,
                PROG, 1, TestProgram.NULL, service, wrongBody));
        assertEquals(RpcException.GARBAGE_ARGS, r.acceptStat(), service.toString());
      }
    }
  }

  @Test
  void badHeaderChecksumIsCredProblem() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      int xid = RpcTestClient.nextXid();
      byte[] call =
          client.dataCall(xid, client.nextSequence(), PROG, 1, TestProgram.NULL,
              GssService.NONE, new byte[0]);
      call[23] ^= 1; // the procedure number, covered by the header checksum
      Reply r = send(client, call);
      assertEquals(1, r.replyStat());
      assertEquals(GssRpcTestClient.CREDPROBLEM, r.authStat());
    }
  }

  @Test
  void unknownHandleIsCredProblem() throws Exception {
    try (RpcTestClient rpc = RpcTestClient.connect(TestServers.address(server))) {
      for (byte[] handle : new byte[][] {random(16), random(3)}) {
        byte[] cred = GssRpcTestClient.credential(GssRpcTestClient.DATA, 1, GssService.NONE, handle);
        rpc.sendMessage(
            GssRpcTestClient.call(RpcTestClient.nextXid(), PROG, 1, TestProgram.NULL, cred,
                Credential.RPCSEC_GSS, random(28), new byte[0]));
        Reply r = Reply.parse(rpc.receiveMessage());
        assertEquals(GssRpcTestClient.CREDPROBLEM, r.authStat());
      }
    }
  }

  @Test
  void destroyedContextIsCredProblem() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      client.call(PROG, 1, TestProgram.NULL, GssService.NONE, new byte[0]);
      Reply destroyed = client.destroy(PROG, 1);
      assertTrue(destroyed.isSuccess(), destroyed.toString());
      Reply after =
          send(client, client.dataCall(RpcTestClient.nextXid(), client.nextSequence(), PROG, 1,
              TestProgram.NULL, GssService.NONE, new byte[0]));
      assertEquals(1, after.replyStat());
      assertEquals(GssRpcTestClient.CREDPROBLEM, after.authStat());
    }
  }

  @Test
  void sequenceNumberAtMaxseqIsCtxProblem() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      Reply r =
          send(client, client.dataCall(RpcTestClient.nextXid(), 0x8000_0000, PROG, 1,
              TestProgram.NULL, GssService.NONE, new byte[0]));
      assertEquals(GssRpcTestClient.CTXPROBLEM, r.authStat());
    }
  }

  @Test
  void malformedCredentialsAreBadCred() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      byte[] handle = client.handle();
      byte[] good = GssRpcTestClient.credential(GssRpcTestClient.DATA, 5, GssService.NONE, handle);
      byte[][] bad = {
        Arrays.copyOf(good, 10),
        withInt(good, 0, 2), // version 2
        withInt(good, 0, 0), // version 0
        withInt(good, 4, 9), // gss_proc 9
        withInt(good, 12, 0), // service 0
        withInt(good, 12, 4), // service 4
        Arrays.copyOf(good, good.length + 4), // bytes after the handle
        withInt(good, 16, 4000), // handle longer than the body
      };
      for (byte[] cred : bad) {
        Reply r =
            send(client, GssRpcTestClient.call(RpcTestClient.nextXid(), PROG, 1, TestProgram.NULL,
                cred, Credential.RPCSEC_GSS, new byte[0], new byte[0]));
        assertEquals(1, r.replyStat());
        assertEquals(RpcException.AUTH_BADCRED, r.authStat());
      }
      // context creation goes to procedure 0 only
      byte[] init = GssRpcTestClient.credential(GssRpcTestClient.INIT, 0, GssService.NONE, new byte[0]);
      Reply r =
          send(client, GssRpcTestClient.call(RpcTestClient.nextXid(), PROG, 1, TestProgram.ECHO,
              init, Credential.AUTH_NONE, new byte[0], echoArgs(new byte[8])));
      assertEquals(RpcException.AUTH_BADCRED, r.authStat());
      // the connection still serves the context
      client.call(PROG, 1, TestProgram.NULL, GssService.PRIVACY, new byte[0]);
    }
  }

  private static byte[] withInt(byte[] bytes, int at, int value) {
    byte[] copy = bytes.clone();
    ByteBuffer.wrap(copy).putInt(at, value);
    return copy;
  }

  @Test
  void garbageInitTokenFailsContextCreation() throws Exception {
    try (RpcTestClient rpc = RpcTestClient.connect(TestServers.address(server))) {
      byte[] cred = GssRpcTestClient.credential(GssRpcTestClient.INIT, 0, GssService.NONE, new byte[0]);
      rpc.sendMessage(
          GssRpcTestClient.call(RpcTestClient.nextXid(), PROG, 1, 0, cred, Credential.AUTH_NONE,
              new byte[0], echoArgs(random(100))));
      Reply r = Reply.parse(rpc.receiveMessage());
      assertTrue(r.isSuccess());
      assertEquals(Credential.AUTH_NONE, r.verifierFlavor());
      XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(r.body()));
      assertEquals(0, d.readOpaque(64).length, "no handle after a failure");
      int major = d.readInt();
      assertTrue(major != 0 && major != 1, "gss_major " + major);
    }
  }

  @Test
  void continueInitWithUnknownHandleIsNoContext() throws Exception {
    try (RpcTestClient rpc = RpcTestClient.connect(TestServers.address(server))) {
      byte[] cred =
          GssRpcTestClient.credential(GssRpcTestClient.CONTINUE_INIT, 0, GssService.NONE, random(16));
      rpc.sendMessage(
          GssRpcTestClient.call(RpcTestClient.nextXid(), PROG, 1, 0, cred, Credential.AUTH_NONE,
              new byte[0], echoArgs(random(10))));
      Reply r = Reply.parse(rpc.receiveMessage());
      XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(r.body()));
      d.readOpaque(64);
      assertEquals(GssCall.GSS_S_NO_CONTEXT, d.readInt());
    }
  }

  @Test
  void retransmissionWithNewSequenceNumberIsAnsweredFromTheCache() throws Exception {
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      int xid = RpcTestClient.nextXid();
      int seq1 = client.nextSequence();
      Reply first =
          send(client, client.dataCall(xid, seq1, PROG, 1, TestProgram.COUNT,
              GssService.INTEGRITY, new byte[0]));
      int count = ByteBuffer.wrap(client.unprotect(first, seq1, GssService.INTEGRITY)).getInt();
      int seq2 = client.nextSequence();
      Reply again =
          send(client, client.dataCall(xid, seq2, PROG, 1, TestProgram.COUNT,
              GssService.INTEGRITY, new byte[0]));
      assertEquals(xid, again.xid());
      // protected anew for the retransmission's seq_num, same result: not run twice
      assertEquals(
          count, ByteBuffer.wrap(client.unprotect(again, seq2, GssService.INTEGRITY)).getInt());
      byte[] next = client.call(PROG, 1, TestProgram.COUNT, GssService.INTEGRITY, new byte[0]);
      assertEquals(count + 1, ByteBuffer.wrap(next).getInt());
    }
  }

  @Test
  void unprotectedResultsFailTheClientCheckWithAWrongSequence() throws Exception {
    // the reply verifier covers the seq_num: a check against another one fails
    try (GssRpcTestClient client = connect("alice", aliceKeytab)) {
      int seq = client.nextSequence();
      int xid = RpcTestClient.nextXid();
      Reply r =
          send(client, client.dataCall(xid, seq, PROG, 1, TestProgram.NULL, GssService.NONE,
              new byte[0]));
      assertThrows(Exception.class, () -> client.verifyReplyVerifier(r, seq + 1));
      client.verifyReplyVerifier(r, seq);
    }
  }
}
