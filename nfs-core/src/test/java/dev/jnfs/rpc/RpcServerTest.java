package dev.jnfs.rpc;

import static dev.jnfs.rpc.testing.RpcMessageBuilder.xdr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.rpc.testing.RpcUdpTestClient;
import dev.jnfs.server.NfsServer;
import dev.jnfs.xdr.XdrDecoder;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The RPC engine over TCP and UDP, seen from a raw client: framing, header, rejections. */
@ExtendWith(FailOnLeaks.class)
class RpcServerTest {
  private static final int MAX_RECORD = 64 * 1024;

  private TestProgram program;
  private NfsServer server;
  private InetSocketAddress address;

  @BeforeEach
  void start() {
    program = new TestProgram();
    server =
        TestServers.builder(program)
            .maxRecordSize(MAX_RECORD)
            .maxWriteSize(32 * 1024)
            .maxReadSize(32 * 1024)
            .build();
    server.start();
    address = TestServers.address(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] ints(int... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4);
    for (int v : values) {
      b.putInt(v);
    }
    return b.array();
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  @Test
  void nullCallAnsweredWithExactAcceptedReply() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(ints(77, 0, 2, TestProgram.PROGRAM, 1, 0, 0, 0, 0, 0));
      // xid, REPLY, MSG_ACCEPTED, verifier AUTH_NONE length 0, SUCCESS
      assertArrayEquals(ints(77, 1, 0, 0, 0, 0), c.receiveMessage());
    }
  }

  @Test
  void echoReturnsArguments() throws IOException {
    byte[] payload = "hello, rpc".getBytes();
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      RpcReply r =
          c.call(TestProgram.PROGRAM, 2, TestProgram.ECHO, xdr(e -> e.writeOpaque(payload)));
      assertTrue(r.isSuccess());
      assertArrayEquals(payload, r.decoder().readOpaque(100));
    }
  }

  @Test
  void multiFragmentRecordIsReassembled() throws IOException {
    byte[] payload = new byte[1000];
    Arrays.fill(payload, (byte) 7);
    byte[] message =
        RpcMessageBuilder.call(
            5, TestProgram.PROGRAM, 1, TestProgram.ECHO, Credential.None.INSTANCE,
            xdr(e -> e.writeOpaque(payload)));
    // three fragments: 10 bytes, 0 bytes, the rest (last)
    byte[] first = Arrays.copyOfRange(message, 0, 10);
    byte[] rest = Arrays.copyOfRange(message, 10, message.length);
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendRaw(concat(ints(first.length), first, ints(0)));
      c.sendRaw(concat(ints(0x8000_0000 | rest.length), rest));
      RpcReply r = c.receive();
      assertEquals(5, r.xid());
      assertTrue(r.isSuccess());
      assertArrayEquals(payload, r.decoder().readOpaque(2000));
    }
  }

  @Test
  void oversizedRecordClosesOnlyThatConnection() throws IOException {
    try (RpcTestClient bad = RpcTestClient.connect(address);
        RpcTestClient good = RpcTestClient.connect(address)) {
      // announces a record one byte over the limit: closed before the body arrives
      bad.sendRaw(ints(0x8000_0000 | (MAX_RECORD + 1)));
      assertTrue(bad.awaitClose());
      assertTrue(good.call(TestProgram.PROGRAM, 1, TestProgram.NULL, new byte[0]).isSuccess());
    }
    try (RpcTestClient again = RpcTestClient.connect(address)) {
      assertTrue(again.call(TestProgram.PROGRAM, 1, TestProgram.NULL, new byte[0]).isSuccess());
    }
  }

  @Test
  void oversizedMultiFragmentRecordClosesConnection() throws IOException {
    try (RpcTestClient bad = RpcTestClient.connect(address)) {
      byte[] half = new byte[MAX_RECORD / 2 + 4];
      bad.sendRaw(concat(ints(half.length), half));
      bad.sendRaw(concat(ints(half.length), half));
      assertTrue(bad.awaitClose());
    }
  }

  @Test
  void recordOfExactlyTheMaximumIsServed() throws IOException {
    byte[] header =
        RpcMessageBuilder.call(
            9, TestProgram.PROGRAM, 1, TestProgram.ECHO, Credential.None.INSTANCE, new byte[0]);
    int payload = MAX_RECORD - header.length - 4;
    byte[] body = new byte[payload];
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(concat(header, ints(payload), body));
      RpcReply r = c.receive();
      assertTrue(r.isSuccess());
      assertEquals(payload, r.decoder().readOpaque(MAX_RECORD).length);
    }
  }

  @Test
  void truncatedHeaderClosesConnection() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      // xid, CALL, rpcvers 2, prog, vers, proc, then the credential is cut off
      c.sendMessage(ints(1, 0, 2, TestProgram.PROGRAM, 1, 0, 1));
      assertThrows(EOFException.class, c::receiveMessage);
    }
  }

  @Test
  void recordTooShortForXidAndTypeClosesConnection() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(ints(1));
      assertThrows(EOFException.class, c::receiveMessage);
    }
  }

  @Test
  void replyMessageIsIgnoredAndConnectionKept() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(ints(3, 1, 0, 0, 0, 0));
      RpcReply r = c.call(TestProgram.PROGRAM, 1, TestProgram.NULL, new byte[0]);
      assertTrue(r.isSuccess());
    }
  }

  @Test
  void rpcVersionMismatch() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(ints(11, 0, 3, TestProgram.PROGRAM, 1, 0, 0, 0, 0, 0));
      // MSG_DENIED, RPC_MISMATCH, low 2, high 2
      assertArrayEquals(ints(11, 1, 1, 0, 2, 2), c.receiveMessage());
    }
  }

  @Test
  void unknownProgram() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(ints(12, 0, 2, 123456, 1, 0, 0, 0, 0, 0));
      assertArrayEquals(ints(12, 1, 0, 0, 0, RpcReply.PROG_UNAVAIL), c.receiveMessage());
    }
  }

  @Test
  void unknownVersionGivesSupportedRange() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(ints(13, 0, 2, TestProgram.PROGRAM, 3, 0, 0, 0, 0, 0));
      assertArrayEquals(ints(13, 1, 0, 0, 0, RpcReply.PROG_MISMATCH, 1, 2), c.receiveMessage());
    }
  }

  @Test
  void unknownProcedure() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(ints(14, 0, 2, TestProgram.PROGRAM, 1, 99, 0, 0, 0, 0));
      assertArrayEquals(ints(14, 1, 0, 0, 0, RpcReply.PROC_UNAVAIL), c.receiveMessage());
    }
  }

  @Test
  void garbageArguments() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      // ECHO's opaque claims 1000 bytes, none follow
      c.sendMessage(ints(15, 0, 2, TestProgram.PROGRAM, 1, TestProgram.ECHO, 0, 0, 0, 0, 1000));
      assertArrayEquals(ints(15, 1, 0, 0, 0, RpcReply.GARBAGE_ARGS), c.receiveMessage());
    }
  }

  @Test
  void failingProcedureAnswersSystemErrorWithoutPartialResults() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(ints(16, 0, 2, TestProgram.PROGRAM, 1, TestProgram.FAIL, 0, 0, 0, 0));
      assertArrayEquals(ints(16, 1, 0, 0, 0, RpcReply.SYSTEM_ERR), c.receiveMessage());
      assertTrue(c.call(TestProgram.PROGRAM, 1, TestProgram.NULL, new byte[0]).isSuccess());
    }
  }

  @Test
  void authErrorThrownByProgram() throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(ints(17, 0, 2, TestProgram.PROGRAM, 1, TestProgram.REJECT_AUTH, 0, 0, 0, 0));
      assertArrayEquals(ints(17, 1, 1, 1, RpcException.AUTH_TOOWEAK), c.receiveMessage());
    }
  }

  @Test
  void authSysCredentialReachesProgram() throws IOException {
    int[] gids = new int[16];
    for (int i = 0; i < gids.length; i++) {
      gids[i] = 100 + i;
    }
    Credential.Sys sys = new Credential.Sys(0x1234, "client.example", 1000, 1001, gids);
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      RpcReply r = c.call(TestProgram.PROGRAM, 1, TestProgram.WHOAMI, sys, new byte[0]);
      assertTrue(r.isSuccess());
      XdrDecoder d = r.decoder();
      assertEquals(Credential.AUTH_SYS, d.readInt());
      assertEquals(0x1234, d.readInt());
      assertEquals("client.example", d.readString(255));
      assertEquals(1000, d.readInt());
      assertEquals(1001, d.readInt());
      int n = d.readInt();
      int[] got = new int[n];
      for (int i = 0; i < n; i++) {
        got[i] = d.readInt();
      }
      assertArrayEquals(gids, got);
    }
  }

  private byte[] callWithCredential(int xid, int flavor, byte[] body, int verfFlavor, byte[] verf) {
    return xdr(
        e -> {
          e.writeInt(xid).writeInt(0).writeInt(2);
          e.writeInt(TestProgram.PROGRAM).writeInt(1).writeInt(TestProgram.WHOAMI);
          e.writeInt(flavor).writeOpaque(body);
          e.writeInt(verfFlavor).writeOpaque(verf);
        });
  }

  private void assertAuthError(int authStat, byte[] message) throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(message);
      int xid = ByteBuffer.wrap(message).getInt();
      assertArrayEquals(ints(xid, 1, 1, 1, authStat), c.receiveMessage());
      // the connection keeps serving
      assertTrue(c.call(TestProgram.PROGRAM, 1, TestProgram.NULL, new byte[0]).isSuccess());
    }
  }

  @Test
  void authSysWithSeventeenGidsIsBadCredential() throws IOException {
    byte[] body = RpcMessageBuilder.authSysBody(1, "host", 0, 0, new int[17]);
    assertAuthError(
        RpcException.AUTH_BADCRED,
        callWithCredential(21, Credential.AUTH_SYS, body, 0, new byte[0]));
  }

  @Test
  void authSysWithLongMachineNameIsBadCredential() throws IOException {
    byte[] body = RpcMessageBuilder.authSysBody(1, "h".repeat(256), 0, 0, new int[0]);
    assertAuthError(
        RpcException.AUTH_BADCRED,
        callWithCredential(22, Credential.AUTH_SYS, body, 0, new byte[0]));
  }

  @Test
  void truncatedAuthSysIsBadCredential() throws IOException {
    byte[] body = RpcMessageBuilder.authSysBody(1, "host", 0, 0, new int[3]);
    byte[] cut = Arrays.copyOf(body, body.length - 4);
    assertAuthError(
        RpcException.AUTH_BADCRED,
        callWithCredential(23, Credential.AUTH_SYS, cut, 0, new byte[0]));
  }

  @Test
  void authSysWithTrailingBytesIsBadCredential() throws IOException {
    byte[] body = RpcMessageBuilder.authSysBody(1, "host", 0, 0, new int[0]);
    byte[] longer = Arrays.copyOf(body, body.length + 4);
    assertAuthError(
        RpcException.AUTH_BADCRED,
        callWithCredential(24, Credential.AUTH_SYS, longer, 0, new byte[0]));
  }

  @Test
  void credentialLongerThan400BytesIsBadCredential() throws IOException {
    assertAuthError(
        RpcException.AUTH_BADCRED,
        callWithCredential(25, Credential.AUTH_SYS, new byte[404], 0, new byte[0]));
  }

  @Test
  void unknownFlavorIsBadCredential() throws IOException {
    assertAuthError(
        RpcException.AUTH_BADCRED,
        callWithCredential(26, Credential.RPCSEC_GSS, new byte[8], 0, new byte[0]));
  }

  @Test
  void authShortIsRejectedCredential() throws IOException {
    assertAuthError(
        RpcException.AUTH_REJECTEDCRED,
        callWithCredential(27, Credential.AUTH_SHORT, new byte[8], 0, new byte[0]));
  }

  @Test
  void authNoneWithBodyIsBadCredential() throws IOException {
    assertAuthError(
        RpcException.AUTH_BADCRED,
        callWithCredential(28, Credential.AUTH_NONE, new byte[4], 0, new byte[0]));
  }

  @Test
  void nonNullVerifierIsBadVerifier() throws IOException {
    assertAuthError(
        RpcException.AUTH_BADVERF,
        callWithCredential(29, Credential.AUTH_NONE, new byte[0], 1, new byte[4]));
  }

  @Test
  void clientMayBindAnotherLoopbackAddressAndAPrivilegedPort() throws IOException {
    java.net.InetAddress other = java.net.InetAddress.getByName("127.0.0.2");
    RpcTestClient c = null;
    for (int port = 1023; port > 900 && c == null; port--) {
      try {
        c = RpcTestClient.connect(address, new InetSocketAddress(other, port));
      } catch (java.net.BindException e) {
        // in use, or no privilege: try the next
      }
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(c != null, "cannot bind a privileged port");
    try (RpcTestClient client = c) {
      RpcReply r = client.call(TestProgram.PROGRAM, 1, TestProgram.PEER, new byte[0]);
      XdrDecoder d = r.decoder();
      assertEquals("127.0.0.2", d.readString(100));
      assertEquals(client.localAddress().getPort(), d.readInt());
      assertTrue(client.localAddress().getPort() < 1024);
      assertEquals(Transport.TCP.protocolNumber(), d.readInt());
    }
  }

  @Test
  void udpCallsAreAnswered() throws IOException {
    Credential.Sys sys = new Credential.Sys(1, "udp-client", 5, 6, new int[] {7});
    try (RpcUdpTestClient c = new RpcUdpTestClient(address)) {
      assertTrue(c.call(TestProgram.PROGRAM, 1, TestProgram.NULL, sys, new byte[0]).isSuccess());
      RpcReply r =
          c.call(
              TestProgram.PROGRAM, 1, TestProgram.SLEEP, sys, xdr(e -> e.writeInt(1).writeInt(99)));
      assertTrue(r.isSuccess());
      assertEquals(99, r.decoder().readInt());
      c.send(ints(31, 0, 2, 123456, 1, 0, 0, 0, 0, 0));
      assertArrayEquals(ints(31, 1, 0, 0, 0, RpcReply.PROG_UNAVAIL), c.receiveReplyTo(31));
      // a truncated datagram gets no answer, the next call does
      c.send(ints(32, 0, 2));
      c.send(ints(33, 0, 3, 1, 1, 0, 0, 0, 0, 0));
      assertArrayEquals(ints(33, 1, 1, 0, 2, 2), c.receiveReplyTo(33));
    }
  }
}
