package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.DelegationWireTest.LEASE;
import static dev.jnfs.v4.state.DelegationWireTest.openForReading;
import static dev.jnfs.v4.state.DelegationWireTest.openForWriting;
import static dev.jnfs.v4.state.DelegationWireTest.readRecall;
import static dev.jnfs.v4.state.DelegationWireTest.twoClients;
import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_READ;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_WRITE;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.NfsServer;
import dev.jnfs.v4.Fattr4;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.BackChannelCalls;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Compound.ReadReply;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Write delegations over the wire (RFC 8881 §10.4): a 4.1 client with a back channel that opens
 * a file nobody else has open gets one, writes under it, and gives it back when another
 * client's OPEN (for reading too) or READ recalls it; another client's GETATTR asks the holder
 * for size and change with CB_GETATTR (§10.4.3); the OPEN4_SHARE_ACCESS_WANT_* flags choose the
 * kind and learn why none was granted.
 */
class WriteDelegationWireTest {
  private static final int OPEN_DELEGATE_WRITE = 2;
  private static final int FILE_SYNC4 = 2;

  private NfsServer server;
  private TcpCompoundTransport connectionA;
  private TcpCompoundTransport connectionB;

  private void start(NfsServer.Delegations policy) throws IOException {
    start(NfsServer.builder(), policy);
  }

  private void start(NfsServer.Builder builder, NfsServer.Delegations policy) throws IOException {
    server = DelegationWireTest.startServer(builder, new InMemoryFileSystem(), 100, policy);
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
    connectionA = new TcpCompoundTransport(address, 0);
    connectionB = new TcpCompoundTransport(address, 0);
  }

  @AfterEach
  void stop() throws Exception {
    if (server == null) {
      return;
    }
    connectionA.close();
    connectionB.close();
    server.stop();
  }

  private static OpenReply open(Wire.Client41 c, int access, String owner) {
    return ok(c.call(StateCompound.openName(c.next().putrootfh(), 0, access, DENY_NONE, c.clientId, b(owner),
        "f"))).last();
  }

  private static Attrs sizeAndChange(Wire.Answer a) {
    return ok(a).last();
  }

  private static Wire.Answer getattr(Wire.Client41 c) {
    return c.call(c.next().putrootfh().lookup("f").getattr(Fattr4.CHANGE, Fattr4.SIZE));
  }

  /** Runs {@code work} on a thread of its own: the back channel's answers, while a call waits. */
  private static <T> FutureTask<T> meanwhile(Callable<T> work) {
    FutureTask<T> task = new FutureTask<>(work);
    Thread.ofVirtual().start(task);
    return task;
  }

  @Test
  void aLoneWriterGetsAWriteDelegationAndWritesUnderIt() throws Exception {
    start(NfsServer.Delegations.READ_WRITE);
    Wire.Client41 a = twoClients(connectionA, connectionB)[0];
    OpenReply write = writeDelegation(a);
    ok(a.call(a.next().putrootfh().lookup("f").write(write.delegation(), 0, FILE_SYNC4, b("hello"))));
    ReadReply read = ok(a.call(a.next().putrootfh().lookup("f").read(write.delegation(), 0, 10))).last();
    assertArrayEquals(b("hello"), read.data());
  }

  @Test
  void noWriteDelegationWhenAnotherClientHasTheFileOpenOrWithoutABackChannel() throws Exception {
    start(NfsServer.Delegations.READ_WRITE);
    Wire.Client41[] c = twoClients(connectionA, connectionB);
    Wire.Client41 a = c[0];
    Wire.Client41 b = c[1];
    assertEquals(0, ok(openForWriting(b)).<OpenReply>last().delegationType(), "no back channel");
    assertEquals(0, ok(openForWriting(a)).<OpenReply>last().delegationType(), "the other client has it open");
  }

  @Test
  void noWriteDelegationWhenTheServerGrantsReadOnes() throws Exception {
    start(NfsServer.Delegations.READ);
    Wire.Client41 a = twoClients(connectionA, connectionB)[0];
    assertEquals(0, ok(openForWriting(a)).<OpenReply>last().delegationType());
    assertEquals(1, openForReading(a).delegationType(), "read delegations still");
  }

  @Test
  void anotherClientsOpenForReadingRecallsItAndReadsWhatTheHolderWrote() throws Exception {
    start(NfsServer.Delegations.READ_WRITE);
    Wire.Client41[] c = twoClients(connectionA, connectionB);
    Wire.Client41 a = c[0];
    Wire.Client41 b = c[1];
    OpenReply write = writeDelegation(a);

    Compound readerOpen = StateCompound.openName(b.next().putrootfh(), 0, ACCESS_READ, DENY_NONE, b.clientId,
        b("reader"), "f");
    assertEquals(Nfs4Status.DELAY, b.call(readerOpen).status());
    DelegationWireTest.Recall recall = readRecall(connectionA);
    assertEquals(write.delegation(), recall.stateid());
    DelegationWireTest.answer(connectionA, recall, Nfs4Status.OK);
    assertEquals(Nfs4Status.DELAY, b.call(StateCompound.openName(b.next().putrootfh(), 0, ACCESS_READ, DENY_NONE,
        b.clientId, b("reader"), "f")).status(), "until the delegation is returned");

    // the holder flushes what it cached, under the delegation and under its open, then returns it
    ok(a.call(a.next().putrootfh().lookup("f").write(write.delegation(), 0, 0, b("hello"))));
    ok(a.call(a.next().putrootfh().lookup("f").write(write.stateid(), 5, 0, b(" world"))));
    ok(a.call(a.next().putrootfh().lookup("f").commit(0, 0)));
    ok(a.call(StateCompound.delegreturn(a.next().putrootfh().lookup("f"), write.delegation())));

    OpenReply reader = open(b, ACCESS_READ, "reader");
    ReadReply read = ok(b.call(b.next().putrootfh().lookup("f").read(reader.stateid(), 0, 100))).last();
    assertArrayEquals(b("hello world"), read.data());
  }

  @Test
  void cbGetattrGivesAnotherClientTheHoldersSizeAndAnAdvancingChange() throws Exception {
    start(NfsServer.Delegations.READ_WRITE);
    Wire.Client41[] c = twoClients(connectionA, connectionB);
    Wire.Client41 a = c[0];
    Wire.Client41 b = c[1];
    OpenReply write = writeDelegation(a);
    Attrs atServer = sizeAndChange(getattr(a)); // the holder's own GETATTR asks nobody
    long serverChange = atServer.number(Fattr4.CHANGE);
    assertEquals(0, atServer.number(Fattr4.SIZE));

    // a holder that modified nothing answers the change it was given: the server's attributes
    FutureTask<Integer> holder = meanwhile(() -> {
      BackChannelCalls.Call call = BackChannelCalls.await(connectionA);
      BackChannelCalls.answerGetattr(connectionA, call, serverChange, 0);
      return call.opcode();
    });
    Attrs unmodified = sizeAndChange(getattr(b));
    assertEquals(BackChannelCalls.CB_GETATTR, holder.get());
    assertEquals(serverChange, unmodified.number(Fattr4.CHANGE));
    assertEquals(0, unmodified.number(Fattr4.SIZE));

    holder = meanwhile(() -> {
      BackChannelCalls.Call call = BackChannelCalls.await(connectionA);
      BackChannelCalls.answerGetattr(connectionA, call, serverChange + 1, 8192);
      return call.opcode();
    });
    Attrs first = sizeAndChange(getattr(b));
    assertEquals(BackChannelCalls.CB_GETATTR, holder.get());
    assertEquals(8192, first.number(Fattr4.SIZE), "the holder's size");
    assertTrue(Long.compareUnsigned(first.number(Fattr4.CHANGE), serverChange) > 0, "a change that advanced");

    // the holder answers the same values again: the change presented must still advance
    holder = meanwhile(() -> {
      BackChannelCalls.Call call = BackChannelCalls.await(connectionA);
      BackChannelCalls.answerGetattr(connectionA, call, serverChange + 1, 8192);
      return call.opcode();
    });
    Attrs second = sizeAndChange(getattr(b));
    assertEquals(BackChannelCalls.CB_GETATTR, holder.get());
    assertEquals(8192, second.number(Fattr4.SIZE));
    assertTrue(Long.compareUnsigned(second.number(Fattr4.CHANGE), first.number(Fattr4.CHANGE)) > 0);
  }

  @Test
  void aFailingCbGetattrRecallsTheDelegation() throws Exception {
    start(NfsServer.Delegations.READ_WRITE);
    Wire.Client41[] c = twoClients(connectionA, connectionB);
    Wire.Client41 a = c[0];
    Wire.Client41 b = c[1];
    OpenReply write = ok(openForWriting(a)).last();
    FutureTask<Integer> holder = meanwhile(() -> {
      BackChannelCalls.Call call = BackChannelCalls.await(connectionA);
      BackChannelCalls.answer(connectionA, call, Nfs4Status.OK, Nfs4Status.BADHANDLE, e -> {});
      return call.opcode();
    });
    assertEquals(Nfs4Status.DELAY, getattr(b).status());
    assertEquals(BackChannelCalls.CB_GETATTR, holder.get());
    DelegationWireTest.Recall recall = readRecall(connectionA);
    assertEquals(write.delegation(), recall.stateid());
    DelegationWireTest.answer(connectionA, recall, Nfs4Status.OK);
    assertEquals(Nfs4Status.DELAY, getattr(b).status(), "the recall runs");
    ok(a.call(StateCompound.delegreturn(a.next().putrootfh().lookup("f"), write.delegation())));
    assertEquals(0, sizeAndChange(getattr(b)).number(Fattr4.SIZE));
  }

  @Test
  void aGetattrThatCannotWaitRecallsInsteadOfAskingTheHolder() throws Exception {
    ExecutorService platformThreads = Executors.newFixedThreadPool(2);
    try {
      start(NfsServer.builder().executor(platformThreads), NfsServer.Delegations.READ_WRITE);
      Wire.Client41[] c = twoClients(connectionA, connectionB);
      Wire.Client41 a = c[0];
      Wire.Client41 b = c[1];
      OpenReply write = writeDelegation(a);
      assertEquals(Nfs4Status.DELAY, getattr(b).status());
      DelegationWireTest.Recall recall = readRecall(connectionA);
      assertEquals(write.delegation(), recall.stateid(), "CB_RECALL, no CB_GETATTR");
      DelegationWireTest.answer(connectionA, recall, Nfs4Status.OK);
      ok(a.call(StateCompound.delegreturn(a.next().putrootfh().lookup("f"), write.delegation())));
      assertEquals(0, sizeAndChange(getattr(b)).number(Fattr4.SIZE));
    } finally {
      stop();
      server = null;
      platformThreads.shutdownNow();
    }
  }

  @Test
  void anotherClientsReadRecallsAndAnUnansweredRecallRevokesAfterTheLease() throws Exception {
    start(NfsServer.Delegations.READ_WRITE);
    Wire.Client41[] c = twoClients(connectionA, connectionB);
    Wire.Client41 a = c[0];
    Wire.Client41 b = c[1];
    OpenReply write = ok(openForWriting(a)).last();
    Compound read = b.next().putrootfh().lookup("f").read(dev.jnfs.v4.Stateid.ANONYMOUS, 0, 10);
    assertEquals(Nfs4Status.DELAY, b.call(read).status());
    readRecall(connectionA); // never answered
    long deadline = System.nanoTime() + LEASE.toNanos() * 3;
    int status;
    do {
      Thread.sleep(200);
      ok(a.call(a.next())); // the holder stays alive: only the recall goes unanswered
      status = b.call(b.next().putrootfh().lookup("f").read(dev.jnfs.v4.Stateid.ANONYMOUS, 0, 10)).status();
    } while (status == Nfs4Status.DELAY && System.nanoTime() < deadline);
    assertEquals(Nfs4Status.OK, status, "the READ proceeds once the delegation is revoked");
    assertEquals(Nfs4Status.DELEG_REVOKED,
        a.call(a.next().putrootfh().lookup("f").write(write.delegation(), 0, FILE_SYNC4, b("late"))).status());
  }

  @Test
  void wantFlagsChooseTheKindAndLearnWhyNone() throws Exception {
    start(NfsServer.Delegations.READ_WRITE);
    Wire.Client41[] c = twoClients(connectionA, connectionB);
    Wire.Client41 a = c[0];
    Wire.Client41 b = c[1];
    OpenReply readWanted = open(a, ACCESS_WRITE | 0x0100, "w1");
    assertEquals(1, readWanted.delegationType(), "WANT_READ_DELEG: a read delegation, though writing");
    OpenReply upgrade = open(a, ACCESS_WRITE | 0x0200, "w2");
    assertEquals(3, upgrade.delegationType(), "OPEN_DELEGATE_NONE_EXT");
    assertEquals(5, upgrade.whyNone(), "WND4_NOT_SUPP_UPGRADE");
    OpenReply noCallback = open(b, ACCESS_READ | 0x0300, "r1");
    assertEquals(2, noCallback.whyNone(), "WND4_RESOURCE: no back channel");
    ok(a.call(StateCompound.delegreturn(a.next().putrootfh().lookup("f"), readWanted.delegation())));
    OpenReply contended = open(a, ACCESS_READ | 0x0200, "r2");
    assertEquals(1, contended.whyNone(), "WND4_CONTENTION: the other client has the file open");
    stop();

    start(NfsServer.Delegations.READ);
    a = twoClients(connectionA, connectionB)[0];
    OpenReply off = open(a, ACCESS_WRITE | 0x0200, "w");
    assertEquals(4, off.whyNone(), "WND4_WRITE_DELEG_NOT_SUPP_FTYPE");
    OpenReply writeWanted = open(a, ACCESS_READ | 0x0300, "r");
    assertEquals(1, writeWanted.delegationType(), "WANT_ANY_DELEG with read access: a read delegation");
  }

  /** Opens f for writing as {@code a}, which must get a write delegation. */
  private OpenReply writeDelegation(Wire.Client41 a) throws Exception {
    OpenReply write = ok(openForWriting(a)).last();
    assertEquals(OPEN_DELEGATE_WRITE, write.delegationType(), "a write delegation");
    return write;
  }
}
