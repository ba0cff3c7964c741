package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_BOTH;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_READ;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_WRITE;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static dev.jnfs.v4.testing.StateCompound.UNCHECKED4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.GssService;
import dev.jnfs.rpc.testing.GssRpcTestClient;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.rpc.testing.TestKdc;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.server.PrincipalMapper.Identity;
import dev.jnfs.v4.Nfs4Opcode;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.BackChannelCalls;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.ietf.jgss.MessageProp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RPCSEC_GSS on the back channel (RFC 8881 §2.10.8.2, RFC 2203 §5.3): a 4.1 client that
 * creates its session over Kerberos and offers only RPCSEC_GSS in cb_sec_parms, naming its
 * fore-channel context, gets a read delegation; the recall comes with the client's handle in
 * its credential, a header checksum the client's context verifies and arguments protected as
 * asked, and the client's reply verifier is checked. Client B, over AUTH_SYS, conflicts.
 */
class GssCallbackWireTest {
  private static final String SERVICE = "nfs/localhost";
  private static final String MACHINE = "host/client.jnfs.test";
  private static final int NFS = 100003;
  private static final int CB_PROGRAM = 0x40000000;
  private static final int CONN_BACK_CHAN = 2;
  private static final int SEQ4_STATUS_CB_GSS_CONTEXTS_EXPIRED = 0x4;
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final byte[] CB_HANDLE = b("callback-handle");

  @TempDir static Path dir;
  static TestKdc kdc;
  static Path machineKeytab;
  static NfsServer server;

  private RpcTestClient rpc;
  private TcpCompoundTransport connectionB;
  private Wire.Client41 b;
  private String file;
  private static int files;

  @BeforeAll
  static void startServer() throws Exception {
    kdc = TestKdc.start(dir);
    Path serviceKeytab = kdc.principalWithKeytab(SERVICE);
    machineKeytab = kdc.principalWithKeytab(MACHINE);
    server = NfsServer.builder().bind("127.0.0.1").port(0).udp(false)
        .kerberos(kdc.acceptor(serviceKeytab, SERVICE, Map.of(MACHINE, new Identity(0, 0, new int[0]))))
        .export("/", new InMemoryFileSystem(),
            ExportOptions.DEFAULT.with("rw,insecure,no_root_squash,sec=sys:krb5:krb5i:krb5p"))
        .protocol(new Nfs4Protocol(StateConfig.defaults().withLeaseTime(LEASE).withGracePeriod(Duration.ZERO)
            .withMaxDelegations(100)))
        .build();
    server.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (kdc != null) {
      kdc.close();
    }
  }

  @BeforeEach
  void connect() throws Exception {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
    rpc = RpcTestClient.connect(address);
    connectionB = new TcpCompoundTransport(address, 0);
    b = new Wire.Client41(Wire.tcp(connectionB), "other-" + files);
    file = "f" + files++;
    create(file);
  }

  @AfterEach
  void close() throws Exception {
    rpc.close();
    connectionB.close();
  }

  private void create(String name) {
    OpenReply created = ok(b.call(StateCompound.openCreate(b.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE,
        b.clientId, b("create"), name, UNCHECKED4))).last();
    ok(b.call(StateCompound.close(b.next().putrootfh().lookup(name), 0, created.stateid())));
  }

  private GssRpcTestClient context() throws Exception {
    TestKdc.Initiator initiator = kdc.initiator(MACHINE, machineKeytab, SERVICE);
    GssRpcTestClient client = GssRpcTestClient.over(rpc, initiator.context());
    client.establish(initiator.subject(), NFS, 4);
    return client;
  }

  /** A 4.1 client over RPCSEC_GSS whose connection is its session's back channel. */
  private static final class GssClient {
    final GssRpcTestClient fore;
    final long clientId;
    final byte[] sessionId;
    int seqid;

    /**
     * @param fore the context of the fore channel's calls
     * @param handleFromServer the handle cb_sec_parms names, and the service the callbacks get
     */
    GssClient(GssRpcTestClient fore, String name, byte[] handleFromServer, GssService service) throws Exception {
      this.fore = fore;
      long[] id = call(Compound.v41().exchangeId(name, 1)).last().value();
      this.clientId = id[0];
      StateCompound.CreateSessionReply session =
          done(call(createSession(id, handleFromServer, service))).last().value();
      this.sessionId = session.sessionId();
      done(call(StateCompound.reclaimComplete(next())));
    }

    Compound next() {
      return StateCompound.sequence(Compound.v41(), sessionId, ++seqid, 0, true);
    }

    /** Calls with integrity, as the Linux client's state operations on a krb5i mount go. */
    Reply call(Compound c) throws Exception {
      byte[] results = fore.call(NFS, 4, 1, GssService.INTEGRITY, RpcMessageBuilder.xdr(c::encode));
      return c.decode(new XdrDecoder(Unpooled.wrappedBuffer(results)));
    }

    OpenReply openForReading(String name) throws Exception {
      return done(call(StateCompound.openName(next().putrootfh(), 0, ACCESS_READ, DENY_NONE, clientId,
          b("reader"), name))).last().value();
    }

    int statusFlags() throws Exception {
      return done(call(next())).result(0).<StateCompound.SequenceReply>value().statusFlags();
    }
  }

  /** CREATE_SESSION whose connection is the back channel, with one gss_cb_handles4 as cb_sec_parms. */
  private static Compound createSession(long[] exchanged, byte[] handleFromServer, GssService service) {
    return StateCompound.createSession(Compound.v41(), exchanged[0], (int) exchanged[1], 16, 16, CONN_BACK_CHAN, 2,
        a -> a.writeInt(1).writeInt(6).writeInt(service.wireValue()).writeOpaque(handleFromServer)
            .writeOpaque(CB_HANDLE));
  }

  private static Reply done(Reply r) {
    assertEquals(Nfs4Status.OK, r.status(), "COMPOUND status");
    return r;
  }

  /** A callback as the client's context sees it: verified header, unprotected CB_COMPOUND. */
  private record Received(int xid, int seq, GssService service, BackChannelCalls.Call call) {}

  /**
   * Reads the server's call from the connection and checks its RPCSEC_GSS credential (the
   * client's handle, DATA, the service) and its verifier (the checksum of the header).
   */
  private Received receive(GssRpcTestClient context, GssService service) throws Exception {
    byte[] message = rpc.receiveMessage();
    ByteBuffer m = ByteBuffer.wrap(message);
    int xid = m.getInt();
    assertEquals(0, m.getInt(), "a CALL");
    assertEquals(2, m.getInt());
    assertEquals(CB_PROGRAM, m.getInt());
    assertEquals(1, m.getInt());
    assertEquals(1, m.getInt(), "CB_COMPOUND");
    assertEquals(Credential.RPCSEC_GSS, m.getInt());
    int credLength = m.getInt();
    ByteBuffer cred = ByteBuffer.wrap(message, m.position(), credLength);
    assertEquals(1, cred.getInt(), "RPCSEC_GSS_VERS_1");
    assertEquals(GssRpcTestClient.DATA, cred.getInt());
    int seq = cred.getInt();
    assertEquals(service.wireValue(), cred.getInt(), "the service asked for");
    byte[] handle = new byte[cred.getInt()];
    cred.get(handle);
    assertArrayEquals(CB_HANDLE, handle, "gcbp_handle_from_client");
    m.position(m.position() + ((credLength + 3) & ~3));
    int headerEnd = m.position();
    assertEquals(Credential.RPCSEC_GSS, m.getInt(), "verifier flavor");
    byte[] mic = new byte[m.getInt()];
    m.get(mic);
    m.position(m.position() + (-mic.length & 3));
    context.context().verifyMIC(mic, 0, mic.length, message, 0, headerEnd, new MessageProp(0, false));
    byte[] body = Arrays.copyOfRange(message, m.position(), message.length);
    byte[] args = switch (service) {
      case NONE -> body;
      case INTEGRITY -> {
        XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(body));
        byte[] data = d.readOpaque(body.length);
        byte[] checksum = d.readOpaque(body.length);
        context.context().verifyMIC(checksum, 0, checksum.length, data, 0, data.length, new MessageProp(0, false));
        yield withoutSequence(data, seq);
      }
      case PRIVACY -> {
        byte[] token = new XdrDecoder(Unpooled.wrappedBuffer(body)).readOpaque(body.length);
        yield withoutSequence(context.context().unwrap(token, 0, token.length, new MessageProp(0, true)), seq);
      }
    };
    return new Received(xid, seq, service, BackChannelCalls.parse(xid, args));
  }

  private static byte[] withoutSequence(byte[] data, int seq) {
    assertEquals(seq, ByteBuffer.wrap(data).getInt(), "seq_num inside the arguments");
    return Arrays.copyOfRange(data, 4, data.length);
  }

  /** Answers with CB_SEQUENCE and the operation OK, the verifier the checksum of {@code verifiedSeq}. */
  private void answer(GssRpcTestClient context, Received r, int verifiedSeq) throws Exception {
    byte[] verifier = context.context().getMIC(ByteBuffer.allocate(4).putInt(verifiedSeq).array(), 0, 4,
        new MessageProp(0, false));
    byte[] results = context.protect(r.seq(), r.service(), BackChannelCalls.results(r.call(), Nfs4Status.OK));
    rpc.sendMessage(RpcMessageBuilder.xdr(e -> {
      e.writeInt(r.xid()).writeInt(1).writeInt(0);
      e.writeInt(Credential.RPCSEC_GSS).writeOpaque(verifier);
      e.writeInt(0);
      e.writeFixedOpaque(results);
    }));
  }

  private Wire.Answer openForWriting(String name) {
    return b.call(StateCompound.openName(b.next().putrootfh(), 0, ACCESS_WRITE, DENY_NONE, b.clientId,
        b("writer"), name));
  }

  @ParameterizedTest
  @EnumSource(GssService.class)
  void aSessionWithOnlyRpcsecGssCallbacksGetsADelegationAndItsRecall(GssService service) throws Exception {
    GssRpcTestClient machine = context();
    GssClient a = new GssClient(machine, "gss-" + service, machine.handle(), service);
    assertEquals(0, a.statusFlags(), "the back channel is up");
    OpenReply read = a.openForReading(file);
    assertEquals(1, read.delegationType(), "OPEN_DELEGATE_READ");

    assertEquals(Nfs4Status.DELAY, openForWriting(file).status());
    Received recall = receive(machine, service);
    assertEquals(4, recall.call().opcode(), "CB_RECALL");
    assertArrayEquals(a.sessionId, recall.call().sessionId());
    assertEquals(read.delegation(), Stateid.decode(recall.call().args()));
    answer(machine, recall, recall.seq());

    done(a.call(StateCompound.delegreturn(a.next().putrootfh().lookup(file), read.delegation())));
    ok(openForWriting(file));
  }

  @Test
  void aHandleThatNamesNoContextIsRefused() throws Exception {
    GssRpcTestClient machine = context();
    GssClient a = new GssClient(machine, "gss-unknown", machine.handle(), GssService.NONE);
    long[] id = a.call(Compound.v41().exchangeId("gss-unknown-2", 1)).last().value();
    Reply refused = a.call(createSession(id, b("no such context!"), GssService.NONE));
    assertEquals(Nfs4Status.NOENT, refused.status(), "RFC 8881 §18.36.3");
    Reply backchannelCtl = a.call(a.next().op(Nfs4Opcode.BACKCHANNEL_CTL,
        e -> e.writeInt(CB_PROGRAM).writeInt(1).writeInt(6).writeInt(1).writeOpaque(b("no such context!"))
            .writeOpaque(CB_HANDLE), in -> null));
    assertEquals(Nfs4Status.NOENT, backchannelCtl.status(), "RFC 8881 §18.33.3");
    assertEquals(1, a.openForReading(file).delegationType(), "the session's back channel is unchanged");
  }

  @Test
  void aContextThatGoesAwayIsReportedAndEndsDelegations() throws Exception {
    GssRpcTestClient fore = context();
    GssRpcTestClient callbacks = context();
    GssClient a = new GssClient(fore, "gss-destroyed", callbacks.handle(), GssService.NONE);
    assertEquals(0, a.statusFlags());
    assertEquals(Nfs4Status.OK, callbacks.destroy(NFS, 4).acceptStat(), "RPCSEC_GSS_DESTROY");
    int flags = a.statusFlags();
    assertEquals(SEQ4_STATUS_CB_GSS_CONTEXTS_EXPIRED, flags & SEQ4_STATUS_CB_GSS_CONTEXTS_EXPIRED);
    assertEquals(0, a.openForReading(file).delegationType());
  }

  @Test
  void aBadReplyVerifierFailsTheCallback() throws Exception {
    GssRpcTestClient machine = context();
    GssClient a = new GssClient(machine, "gss-bad-verifier", machine.handle(), GssService.NONE);
    OpenReply read = a.openForReading(file);
    assertEquals(1, read.delegationType());
    assertEquals(Nfs4Status.DELAY, openForWriting(file).status());
    Received recall = receive(machine, GssService.NONE);
    assertEquals(1, recall.call().seqid());
    answer(machine, recall, recall.seq() + 1);

    // the recall failed: nothing more is sent, and the lease ends the delegation
    long deadline = System.nanoTime() + LEASE.toNanos() * 3;
    int status;
    do {
      Thread.sleep(200);
      a.statusFlags();
      status = openForWriting(file).status();
    } while (status == Nfs4Status.DELAY && System.nanoTime() < deadline);
    assertEquals(Nfs4Status.OK, status, "the conflicting OPEN proceeds once the delegation is revoked");

    // and the back channel's slot did not move on: the client never accepted that call
    String second = file + "-second";
    create(second);
    OpenReply again = a.openForReading(second);
    assertEquals(1, again.delegationType());
    assertEquals(Nfs4Status.DELAY, openForWriting(second).status());
    Received next = receive(machine, GssService.NONE);
    assertEquals(recall.call().slot(), next.call().slot());
    assertEquals(1, next.call().seqid(), "the slot's sequence id was not accepted");
    assertEquals(again.delegation(), Stateid.decode(next.call().args()));
  }

  @Test
  void aVersion40ClientOverKerberosGetsNoCallbackPath() throws Exception {
    GssRpcTestClient machine = context();
    try (ServerSocket callbackService = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = callbackService.getLocalPort();
      StateCompound.SetClientIdReply r = call40(machine, StateCompound.setclientid(Compound.v40(), b("gss-v40"), 1,
          "127.0.0.1." + (port >> 8) + "." + (port & 0xff))).last().value();
      call40(machine, StateCompound.setclientidConfirm(Compound.v40(), r.clientId(), r.confirm()));
      callbackService.setSoTimeout(1000);
      assertThrows(SocketTimeoutException.class, callbackService::accept, "no CB_NULL probe");

      OpenReply first = call40(machine, StateCompound.openName(Compound.v40().putrootfh(), 1, ACCESS_READ,
          DENY_NONE, r.clientId(), b("owner"), file)).last().value();
      call40(machine, StateCompound.openConfirm(Compound.v40().putrootfh().lookup(file), first.stateid(), 2));
      OpenReply second = call40(machine, StateCompound.openName(Compound.v40().putrootfh(), 3, ACCESS_READ,
          DENY_NONE, r.clientId(), b("owner"), file)).last().value();
      assertEquals(0, second.delegationType(), "no delegation without a callback path");
    }
  }

  private static Reply call40(GssRpcTestClient context, Compound c) throws Exception {
    byte[] results = context.call(NFS, 4, 1, GssService.INTEGRITY, RpcMessageBuilder.xdr(c::encode));
    return done(c.decode(new XdrDecoder(Unpooled.wrappedBuffer(results))));
  }
}
