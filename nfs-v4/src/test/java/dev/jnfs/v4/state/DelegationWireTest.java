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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Read delegations over the wire: a 4.1 client whose session has a back channel (its own TCP
 * connection) gets one; another client's conflicting OPEN or WRITE is answered DELAY while the
 * server sends CB_RECALL on that connection, and proceeds once the delegation is returned, or
 * revoked a lease after the recall began.
 */
class DelegationWireTest {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final int CONN_BACK_CHAN = 2;
  private static final int SEQ4_STATUS_RECALLABLE_STATE_REVOKED = 0x40;

  private NfsServer server;
  private InMemoryFileSystem fs;
  private TcpCompoundTransport connectionA;
  private TcpCompoundTransport connectionB;

  private void start(int maxDelegations) throws IOException {
    start(maxDelegations, NfsServer.Delegations.READ_WRITE);
  }

  private void start(int maxDelegations, NfsServer.Delegations policy) throws IOException {
    fs = new InMemoryFileSystem();
    server = NfsServer.builder().bind("127.0.0.1").port(0).delegations(policy)
        .export("/", fs, ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"))
        .protocol(new Nfs4Protocol(StateConfig.defaults().withLeaseTime(LEASE).withGracePeriod(Duration.ZERO)
            .withMaxDelegations(maxDelegations)))
        .build();
    server.start();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
    connectionA = new TcpCompoundTransport(address, 0);
    connectionB = new TcpCompoundTransport(address, 0);
  }

  @AfterEach
  void stop() throws Exception {
    connectionA.close();
    connectionB.close();
    server.stop();
  }

  /** A client with a back channel on connection A, and one without on connection B; "f" exists. */
  private Wire.Client41[] twoClients() {
    Wire.Client41 a = new Wire.Client41(Wire.tcp(connectionA), "holder", 16, 16, true, CONN_BACK_CHAN);
    Wire.Client41 b = new Wire.Client41(Wire.tcp(connectionB), "other");
    OpenReply created = ok(b.call(StateCompound.openCreate(b.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE,
        b.clientId, b("create"), "f", UNCHECKED4))).last();
    ok(b.call(StateCompound.close(b.next().putrootfh().lookup("f"), 0, created.stateid())));
    return new Wire.Client41[] {a, b};
  }

  private static OpenReply openForReading(Wire.Client41 c) {
    return ok(c.call(StateCompound.openName(c.next().putrootfh(), 0, ACCESS_READ, DENY_NONE, c.clientId,
        b("reader"), "f"))).last();
  }

  private static Wire.Answer openForWriting(Wire.Client41 c) {
    return c.call(StateCompound.openName(c.next().putrootfh(), 0, ACCESS_WRITE, DENY_NONE, c.clientId,
        b("writer"), "f"));
  }

  /** A CB_COMPOUND of CB_SEQUENCE and CB_RECALL, and the recalled stateid. */
  private record Recall(BackChannelPeer.Call call, Stateid stateid) {
    byte[] sessionId() {
      return call.sessionId();
    }

    int seqid() {
      return call.seqid();
    }

    int slot() {
      return call.slot();
    }
  }

  private static Recall readRecall(TcpCompoundTransport t) throws IOException {
    BackChannelPeer.Call call = BackChannelPeer.read(t);
    assertEquals(4, call.opcode(), "CB_RECALL");
    return new Recall(call, Stateid.decode(call.args()));
  }

  private static void answer(TcpCompoundTransport t, Recall r, int sequenceStatus) throws IOException {
    BackChannelPeer.answer(t, r.call(), sequenceStatus);
  }

  @Test
  void readDelegationIsRecalledByAnotherClientsOpenForWriting() throws Exception {
    start(100);
    Wire.Client41[] c = twoClients();
    Wire.Client41 a = c[0];
    Wire.Client41 b = c[1];
    OpenReply read = openForReading(a);
    assertEquals(1, read.delegationType(), "OPEN_DELEGATE_READ");
    assertNotNull(read.delegation());

    assertEquals(Nfs4Status.DELAY, openForWriting(b).status());
    Recall recall = readRecall(connectionA);
    assertArrayEquals(a.sessionId, recall.sessionId());
    assertEquals(read.delegation(), recall.stateid());
    assertEquals(1, recall.seqid());
    answer(connectionA, recall, Nfs4Status.OK);
    assertEquals(Nfs4Status.DELAY, openForWriting(b).status(), "until the delegation is returned");

    ok(a.call(StateCompound.delegreturn(a.next().putrootfh().lookup("f"), read.delegation())));
    ok(openForWriting(b));
    assertEquals(Nfs4Status.BAD_STATEID,
        a.call(StateCompound.delegreturn(a.next().putrootfh().lookup("f"), read.delegation())).status());
  }

  @Test
  void noReadDelegationWhileAnotherClientHasTheFileOpenForWriting() throws Exception {
    start(100);
    Wire.Client41[] c = twoClients();
    Wire.Client41 a = c[0];
    Wire.Client41 b = c[1];
    OpenReply writer = ok(openForWriting(b)).last();
    assertEquals(0, openForReading(a).delegationType(), "another client writes");
    ok(b.call(StateCompound.close(b.next().putrootfh().lookup("f"), 0, writer.stateid())));
    OpenReply again = ok(a.call(StateCompound.openName(a.next().putrootfh(), 0, ACCESS_READ, DENY_NONE,
        a.clientId, b("second-reader"), "f"))).last();
    assertEquals(1, again.delegationType(), "once the writer closed");
  }

  @Test
  void anotherClientsLockRecalls() throws Exception {
    start(100);
    Wire.Client41[] c = twoClients();
    Wire.Client41 a = c[0];
    Wire.Client41 b = c[1];
    OpenReply read = openForReading(a);
    OpenReply bOpen = ok(b.call(StateCompound.openName(b.next().putrootfh(), 0, ACCESS_READ, DENY_NONE,
        b.clientId, b("locker"), "f"))).last();
    Compound lock = StateCompound.lockNew(b.next().putrootfh().lookup("f"), 1, false, 0, 10, 0,
        bOpen.stateid(), 0, b.clientId, b("lock-owner"));
    assertEquals(Nfs4Status.DELAY, b.call(lock).status(), "the holder may have locked locally");
    answer(connectionA, readRecall(connectionA), Nfs4Status.OK);
    ok(a.call(StateCompound.delegreturn(a.next().putrootfh().lookup("f"), read.delegation())));
    ok(b.call(StateCompound.lockNew(b.next().putrootfh().lookup("f"), 1, false, 0, 10, 0,
        bOpen.stateid(), 0, b.clientId, b("lock-owner"))));
  }

  @Test
  void anonymousWriteRecallsAndReadsUnderTheDelegationWork() throws Exception {
    start(100);
    Wire.Client41[] c = twoClients();
    Wire.Client41 a = c[0];
    Wire.Client41 b = c[1];
    OpenReply read = openForReading(a);
    ok(a.call(a.next().putrootfh().lookup("f").read(read.delegation(), 0, 10)));
    assertEquals(Nfs4Status.OPENMODE,
        a.call(a.next().putrootfh().lookup("f").write(read.delegation(), 0, 2, b("x"))).status());

    assertEquals(Nfs4Status.DELAY,
        b.call(b.next().putrootfh().lookup("f").write(Stateid.ANONYMOUS, 0, 2, b("data"))).status());
    Recall recall = readRecall(connectionA);
    answer(connectionA, recall, Nfs4Status.OK);
    ok(a.call(StateCompound.delegreturn(a.next().putrootfh().lookup("f"), read.delegation())));
    ok(b.call(b.next().putrootfh().lookup("f").write(Stateid.ANONYMOUS, 0, 2, b("data"))));
  }

  @Test
  void unansweredRecallRevokesTheDelegationAfterTheLease() throws Exception {
    start(100);
    Wire.Client41[] c = twoClients();
    Wire.Client41 a = c[0];
    Wire.Client41 b = c[1];
    OpenReply read = openForReading(a);
    assertEquals(Nfs4Status.DELAY, openForWriting(b).status());
    readRecall(connectionA); // never answered
    assertEquals(Nfs4Status.DELAY, openForWriting(b).status());
    long deadline = System.nanoTime() + LEASE.toNanos() * 3;
    int status;
    do {
      Thread.sleep(200);
      // the holder stays alive: only the recall goes unanswered
      ok(a.call(a.next()));
      status = openForWriting(b).status();
    } while (status == Nfs4Status.DELAY && System.nanoTime() < deadline);
    assertEquals(Nfs4Status.OK, status, "the conflicting OPEN proceeds once the delegation is revoked");

    StateCompound.SequenceReply seq = ok(a.call(a.next())).result(0);
    assertEquals(SEQ4_STATUS_RECALLABLE_STATE_REVOKED, seq.statusFlags() & SEQ4_STATUS_RECALLABLE_STATE_REVOKED);
    assertEquals(Nfs4Status.DELEG_REVOKED,
        a.call(a.next().putrootfh().lookup("f").read(read.delegation(), 0, 10)).status());
    assertEquals(Nfs4Status.DELEG_REVOKED,
        a.call(StateCompound.delegreturn(a.next().putrootfh().lookup("f"), read.delegation())).status());
    ok(a.call(StateCompound.freeStateid(a.next(), read.delegation())));
    seq = ok(a.call(a.next())).result(0);
    assertEquals(0, seq.statusFlags() & SEQ4_STATUS_RECALLABLE_STATE_REVOKED);
  }

  @Test
  void misorderedBackChannelSlotIsResynchronized() throws Exception {
    start(100);
    Wire.Client41[] c = twoClients();
    Wire.Client41 a = c[0];
    Wire.Client41 b = c[1];
    OpenReply read = openForReading(a);
    assertEquals(Nfs4Status.DELAY, openForWriting(b).status());
    Recall first = readRecall(connectionA);
    answer(connectionA, first, Nfs4Status.SEQ_MISORDERED);
    Recall retry = readRecall(connectionA);
    assertEquals(first.slot(), retry.slot());
    assertEquals(1, retry.seqid(), "the slot starts over");
    assertEquals(read.delegation(), retry.stateid());
    answer(connectionA, retry, Nfs4Status.OK);
    ok(a.call(StateCompound.delegreturn(a.next().putrootfh().lookup("f"), read.delegation())));
    OpenReply writer = ok(openForWriting(b)).last();

    // the next recall on the slot moves on from the sequence id the client accepted
    ok(b.call(StateCompound.close(b.next().putrootfh().lookup("f"), 0, writer.stateid())));
    OpenReply again = ok(a.call(StateCompound.openName(a.next().putrootfh(), 0, ACCESS_READ, DENY_NONE,
        a.clientId, b("second-reader"), "f"))).last();
    assertEquals(Nfs4Status.DELAY, openForWriting(b).status());
    Recall next = readRecall(connectionA);
    assertEquals(again.delegation(), next.stateid());
    assertEquals(2, next.seqid());
  }

  @Test
  void noDelegationWithoutABackChannelOrWhenWritingOrWhenOff() throws Exception {
    start(100);
    Wire.Client41[] c = twoClients();
    Wire.Client41 b = c[1];
    assertNull(openForReading(b).delegation(), "no back channel");
    Wire.Client41 a = c[0];
    OpenReply write = ok(openForWriting(a)).last();
    assertEquals(0, write.delegationType(), "write delegations are not granted");
    stop();

    start(0);
    Wire.Client41 holder = twoClients()[0];
    assertEquals(0, openForReading(holder).delegationType(), "none allowed by the state");
    stop();

    start(100, NfsServer.Delegations.OFF);
    holder = twoClients()[0];
    assertEquals(0, openForReading(holder).delegationType(), "delegations off on the server");
    stop();

    start(100, NfsServer.Delegations.READ);
    holder = twoClients()[0];
    assertEquals(1, openForReading(holder).delegationType(), "read delegations on");
  }

  @Test
  void capOnDelegationsHeldIsKept() throws Exception {
    fs = new InMemoryFileSystem();
    server = NfsServer.builder().bind("127.0.0.1").port(0).maxDelegations(1)
        .export("/", fs, ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"))
        .protocol(new Nfs4Protocol(StateConfig.defaults().withLeaseTime(LEASE).withGracePeriod(Duration.ZERO)))
        .build();
    server.start();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
    connectionA = new TcpCompoundTransport(address, 0);
    connectionB = new TcpCompoundTransport(address, 0);
    Wire.Client41 a = twoClients()[0];
    assertEquals(1, openForReading(a).delegationType(), "the default state allows them");
    OpenReply created = ok(a.call(StateCompound.openCreate(a.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE,
        a.clientId, b("create"), "g", UNCHECKED4))).last();
    ok(a.call(StateCompound.close(a.next().putrootfh().lookup("g"), 0, created.stateid())));
    OpenReply second = ok(a.call(StateCompound.openName(a.next().putrootfh(), 0, ACCESS_READ, DENY_NONE,
        a.clientId, b("reader"), "g"))).last();
    assertEquals(0, second.delegationType(), "beyond the cap");

    // the holder is asked to return what it can: CB_RECALL_ANY keeping 0 of its 1, read delegations
    TcpCompoundTransport.Callback call = connectionA.awaitCallback(Duration.ofSeconds(10));
    XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(call.arguments()));
    d.readOpaque(1024);
    d.readInt();
    d.readInt();
    assertEquals(2, d.readInt());
    assertEquals(11, d.readInt(), "CB_SEQUENCE");
    d.readFixedOpaque(16);
    d.readInt();
    d.readInt();
    d.readInt();
    d.readBoolean();
    d.readInt();
    assertEquals(8, d.readInt(), "CB_RECALL_ANY");
    assertEquals(0, d.readInt(), "objects to keep");
    assertEquals(1, d.readInt());
    assertEquals(1, d.readInt(), "RCA4_TYPE_MASK_RDATA_DLG");
  }

  @Test
  void wantNoDelegationIsHonoured() throws Exception {
    start(100);
    Wire.Client41 a = twoClients()[0];
    OpenReply r = ok(a.call(StateCompound.openName(a.next().putrootfh(), 0, ACCESS_READ | 0x0400, DENY_NONE,
        a.clientId, b("reader"), "f"))).last();
    assertEquals(3, r.delegationType(), "OPEN_DELEGATE_NONE_EXT");
    assertEquals(0, r.whyNone(), "WND4_NOT_WANTED");
    assertThrows(IOException.class, () -> connectionA.awaitCallback(Duration.ofMillis(100)));
  }

  @Test
  void removeRenameOverAndTheEmbeddersChangeRecallToo() throws Exception {
    start(100);
    Wire.Client41[] c = twoClients();
    Wire.Client41 a = c[0];
    Wire.Client41 b = c[1];
    OpenReply read = openForReading(a);
    dev.jnfs.spi.FileHandle file = fs.lookup(dev.jnfs.spi.Caller.of(0, 0), fs.root(), "f").handle();

    // an UNCHECKED4 create of the existing file (which sets its size) is a change too
    assertEquals(Nfs4Status.DELAY, b.call(StateCompound.open(b.next().putrootfh(), 0, ACCESS_READ, DENY_NONE,
        b.clientId, b("again"), h -> {
          h.writeInt(UNCHECKED4);
          dev.jnfs.v4.testing.Attrs.set().size(0).encode(h);
        }, 0, h -> h.writeString("f"))).status());
    assertEquals(Nfs4Status.DELAY, b.call(b.next().putrootfh().remove("f")).status());
    Recall recall = readRecall(connectionA);
    assertEquals(read.delegation(), recall.stateid());
    answer(connectionA, recall, Nfs4Status.OK);
    assertEquals(Nfs4Status.DELAY, b.call(b.next().putrootfh().remove("f")).status());
    assertEquals(false, server.recallDelegations(fs, file), "still held");
    ok(a.call(StateCompound.delegreturn(a.next().putrootfh().lookup("f"), read.delegation())));
    assertEquals(true, server.recallDelegations(fs, file));
    ok(b.call(b.next().putrootfh().remove("f")));
  }
}
