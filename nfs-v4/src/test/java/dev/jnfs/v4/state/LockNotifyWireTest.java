package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_BOTH;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static dev.jnfs.v4.testing.StateCompound.UNCHECKED4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.BackChannelCalls;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CB_NOTIFY_LOCK over the wire (RFC 8881 §9.6, §20.11): client A holds a write lock; client
 * B, whose session has a back channel on its own connection, is denied a blocking lock and is
 * told on that back channel once A's lock is gone, after which B's LOCK succeeds.
 */
class LockNotifyWireTest {
  /** A lease long enough that a callback's wait (half a lease) outlasts the timings below. */
  private static final Duration LEASE = Duration.ofSeconds(6);
  private static final int CONN_BACK_CHAN = 2;
  private static final int WRITE_LT = 2;
  private static final int WRITEW_LT = 4;
  private static final int OPEN4_RESULT_MAY_NOTIFY_LOCK = 0x20;

  private NfsServer server;
  private TcpCompoundTransport connectionA;
  private TcpCompoundTransport connectionB;
  private Wire.Client41 a;
  private Wire.Client41 b;
  private OpenReply openA;
  private OpenReply openB;
  private byte[] fileHandle;

  @BeforeEach
  void start() throws IOException {
    server = NfsServer.builder().bind("127.0.0.1").port(0).delegations(NfsServer.Delegations.OFF)
        .export("/", new InMemoryFileSystem(), ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"))
        .protocol(new Nfs4Protocol(StateConfig.defaults().withLeaseTime(LEASE).withGracePeriod(Duration.ZERO)))
        .build();
    server.start();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
    connectionA = new TcpCompoundTransport(address, 0);
    connectionB = new TcpCompoundTransport(address, 0);
    a = new Wire.Client41(Wire.tcp(connectionA), "holder");
    b = new Wire.Client41(Wire.tcp(connectionB), "waiter", 16, 16, true, CONN_BACK_CHAN);
    openA = ok(a.call(StateCompound.openCreate(a.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, a.clientId,
        b("open-a"), "f", UNCHECKED4))).last();
    Wire.Answer opened = ok(b.call(StateCompound.openName(b.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE,
        b.clientId, b("open-b"), "f").getfh()));
    openB = opened.result(2);
    fileHandle = opened.last();
  }

  @AfterEach
  void stop() throws Exception {
    connectionA.close();
    connectionB.close();
    server.stop();
  }

  private Stateid lockA(long offset, long length) {
    return ok(a.call(StateCompound.lockNew(a.next().putrootfh().lookup("f"), WRITE_LT, false, offset, length, 0,
        openA.stateid(), 0, a.clientId, b("owner-a")))).last();
  }

  private Wire.Answer lockB(int type, long offset, long length) {
    return b.call(StateCompound.lockNew(b.next().putrootfh().lookup("f"), type, false, offset, length, 0,
        openB.stateid(), 0, b.clientId, b("owner-b")));
  }

  private Stateid unlockA(Stateid lock, long offset, long length) {
    return ok(a.call(StateCompound.locku(a.next().putrootfh().lookup("f"), WRITE_LT, 0, lock, offset, length)))
        .last();
  }

  private void assertNoCallback() {
    assertThrows(IOException.class, () -> connectionB.awaitCallback(Duration.ofMillis(500)));
  }

  @Test
  void openAdvertisesNotificationsOnlyWithABackChannel() {
    assertEquals(OPEN4_RESULT_MAY_NOTIFY_LOCK, openB.rflags() & OPEN4_RESULT_MAY_NOTIFY_LOCK);
    assertEquals(0, openA.rflags() & OPEN4_RESULT_MAY_NOTIFY_LOCK, "A has no back channel");
  }

  @Test
  void deniedBlockingLockIsNotifiedOnceTheHolderUnlocks() throws Exception {
    Stateid held = lockA(0, 10);
    Wire.Answer denied = lockB(WRITEW_LT, 0, 10);
    assertEquals(Nfs4Status.DENIED, denied.status());
    assertEquals(a.clientId, denied.denied().clientId());
    assertNoCallback();

    unlockA(held, 0, 10);
    BackChannelCalls.Call call = BackChannelCalls.await(connectionB);
    assertEquals(LockWaiters.OP_CB_NOTIFY_LOCK, call.opcode());
    assertArrayEquals(b.sessionId, call.sessionId());
    assertArrayEquals(fileHandle, call.args().readOpaque(128), "cnla_fh");
    assertEquals(b.clientId, call.args().readHyper(), "the lock-owner's clientid");
    assertArrayEquals(b("owner-b"), call.args().readOpaque(1024), "the lock-owner's name");
    BackChannelCalls.answer(connectionB, call, Nfs4Status.OK);

    // the server grants nothing itself: B asks again, and gets it
    ok(lockB(WRITEW_LT, 0, 10));
    assertNoCallback();
  }

  @Test
  void nonBlockingLockTypesAreNotNotified() {
    Stateid held = lockA(0, 10);
    assertEquals(Nfs4Status.DENIED, lockB(WRITE_LT, 0, 10).status());
    unlockA(held, 0, 10);
    assertNoCallback();
  }

  @Test
  void notifiedOnlyWhenTheRequestNoLongerConflictsAndNotAfterItsOwnSuccess() {
    Stateid held = lockA(0, 10);
    assertEquals(Nfs4Status.DENIED, lockB(WRITEW_LT, 0, 10).status());
    held = unlockA(held, 5, 5);
    assertNoCallback(); // bytes 0 to 4 are still A's

    // B's next LOCK, granted, ends its wait: A's unlock then tells it nothing
    ok(lockB(WRITEW_LT, 20, 10));
    unlockA(held, 0, 10);
    assertNoCallback();
  }

  @Test
  void aBackChannelThatDoesNotAnswerHoldsNothingUp() throws Exception {
    Stateid held = lockA(0, 10);
    assertEquals(Nfs4Status.DENIED, lockB(WRITEW_LT, 0, 10).status());
    long started = System.nanoTime();
    held = unlockA(held, 0, 10);
    BackChannelCalls.Call unanswered = BackChannelCalls.await(connectionB);
    assertEquals(LockWaiters.OP_CB_NOTIFY_LOCK, unanswered.opcode());
    // while the callback waits for its answer, both clients go on
    held = ok(a.call(StateCompound.lockExisting(a.next().putrootfh().lookup("f"), WRITE_LT, 100, 10, held, 0)))
        .last();
    unlockA(held, 100, 10);
    ok(lockB(WRITEW_LT, 0, 10));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(took.compareTo(BackChannel.timeout(StateConfig.defaults().withLeaseTime(LEASE))) < 0,
        "took " + took);
  }

  @Test
  void theHoldersCloseNotifiesToo() throws Exception {
    lockA(0, 10);
    assertEquals(Nfs4Status.DENIED, lockB(WRITEW_LT, 5, 1).status());
    ok(a.call(StateCompound.close(a.next().putrootfh().lookup("f"), 0, openA.stateid())));
    BackChannelCalls.Call call = BackChannelCalls.await(connectionB);
    assertEquals(LockWaiters.OP_CB_NOTIFY_LOCK, call.opcode());
    BackChannelCalls.answer(connectionB, call, Nfs4Status.OK);
    ok(lockB(WRITEW_LT, 5, 1));
  }
}
