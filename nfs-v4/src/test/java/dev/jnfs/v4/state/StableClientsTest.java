package dev.jnfs.v4.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.lock.LocalLockManager;
import dev.jnfs.lock.ShareReservation;
import dev.jnfs.spi.Caller;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may reclaim after a restart, server instance after server instance on one state
 * directory, with a clock moved by hand: the recorded clients, and not those whose state went
 * or that did not finish reclaiming in time (RFC 8881 §8.4.3's edge conditions).
 */
class StableClientsTest {
  private static final Duration LEASE = Duration.ofSeconds(10);
  private static final Duration GRACE = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();
  private final RecordingFileSystem backend = new RecordingFileSystem();
  private StateEngine engine;

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  /** Stops the current instance, if any, and starts the next on the same records. */
  private StateEngine restart(Duration grace) throws IOException {
    return restart(grace, new ClientRecordLog(dir, 1024, 4));
  }

  private StateEngine restart(Duration grace, ClientRecordStore store) {
    if (engine != null) {
      engine.close();
    }
    engine = new StateEngine(StateConfig.defaults().withLeaseTime(LEASE).withGracePeriod(grace), clock,
        new LocalLockManager(), store, null);
    return engine;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int status(Executable e) {
    return assertThrows(Nfs4Exception.class, e).status();
  }

  private ClientRecord client40(String name) throws Nfs4Exception {
    long[] r = engine.clientIds.setClientId(b(name), clock.instant().toEpochMilli(), "sys:0");
    engine.clientIds.setClientIdConfirm(r[0], r[1], "sys:0");
    return engine.clientIds.client40(r[0]);
  }

  private ClientRecord client41(String name) throws Nfs4Exception {
    ClientIds.ExchangeIdResult r = engine.clientIds.exchangeId(b(name), clock.instant().toEpochMilli(), 0, "sys:0");
    ChannelAttrs channel = new ChannelAttrs(0, 1 << 20, 1 << 20, 8192, 16, 4, null);
    CreateSessionResult cs = engine.sessions.createSession(r.clientId(), r.sequence(), channel, channel, "sys:0");
    return engine.sessions.session(cs.sessionId()).client;
  }

  /** Gives a client an open of a file, as OPEN does once {@code checkGrace} let it. */
  private void open(ClientRecord c, String file) throws Exception {
    engine.leases.checkGrace(c, false);
    OpenOwner o = engine.opens.openOwner(c, b("owner"), 1, false);
    OpenGrant g = engine.opens.grantOpen(o, backend.file(file),
        new ShareReservation(ShareReservation.BOTH, ShareReservation.NONE), Caller.of(0, 0));
    if (g.confirmNeeded()) {
      engine.opens.confirmOpen((OpenState) engine.stateids.resolve(g.stateid(), null));
    }
  }

  /** A 4.1 client that finishes reclaiming at once and takes a new lock. */
  private ClientRecord holder41(String name) throws Nfs4Exception {
    ClientRecord c = client41(name);
    engine.leases.reclaimComplete(c, false);
    engine.leases.checkGrace(c, false);
    return c;
  }

  @Test
  void withoutRecordsThereIsNoGracePeriod() throws Exception {
    restart(GRACE);
    assertFalse(engine.leases.inGrace(), "no client held state before");
    ClientRecord c = client41("newcomer");
    assertEquals(Nfs4Status.NO_GRACE, status(() -> engine.leases.checkGrace(c, true)));
  }

  @Test
  void recordedClientsReclaimOthersGetNoGrace() throws Exception {
    restart(Duration.ZERO);
    holder41("four-one");
    engine.leases.checkGrace(client40("four-zero"), false); // recorded at its first OPEN or LOCK

    restart(GRACE);
    assertTrue(engine.leases.inGrace());
    engine.leases.checkGrace(client41("four-one"), true);
    engine.leases.checkGrace(client40("four-zero"), true);
    ClientRecord stranger = client41("stranger");
    assertEquals(Nfs4Status.NO_GRACE, status(() -> engine.leases.checkGrace(stranger, true)));
    ClientRecord stranger40 = client40("stranger-40");
    assertEquals(Nfs4Status.NO_GRACE, status(() -> engine.leases.checkGrace(stranger40, true)));
  }

  @Test
  void graceEndsEarlyOnceEveryRecordedFourOneClientSentReclaimComplete() throws Exception {
    restart(Duration.ZERO);
    holder41("a");
    holder41("b");

    restart(GRACE);
    ClientRecord a = client41("a");
    ClientRecord newcomer = client41("newcomer");
    engine.leases.reclaimComplete(newcomer, false);
    engine.leases.checkGrace(a, true);
    engine.leases.reclaimComplete(a, false);
    assertTrue(engine.leases.inGrace(), "b may still reclaim");
    assertEquals(Nfs4Status.GRACE, status(() -> engine.leases.checkGrace(newcomer, false)));
    ClientRecord b = client41("b");
    engine.leases.reclaimComplete(b, false);
    assertFalse(engine.leases.inGrace(), "every recorded client has finished");
    engine.leases.checkGrace(newcomer, false);
  }

  @Test
  void aRecordedFourZeroClientKeepsTheGracePeriodToItsEnd() throws Exception {
    restart(Duration.ZERO);
    engine.leases.checkGrace(client40("old"), false);
    holder41("b");

    restart(GRACE);
    ClientRecord old = client40("old");
    engine.leases.checkGrace(old, true);
    assertEquals(Nfs4Status.GRACE, status(() -> engine.leases.checkGrace(old, false)), "its reclaims end here");
    engine.leases.reclaimComplete(client41("b"), false);
    assertTrue(engine.leases.inGrace(), "4.0 cannot say it finished: the period runs its length");
    clock.advance(GRACE.plusSeconds(1));
    engine.leases.checkGrace(old, false);
  }

  @Test
  void aClientWhoseLeaseExpiredMayNotReclaimAfterARestart() throws Exception {
    restart(Duration.ZERO);
    ClientRecord partitioned41 = holder41("partitioned-41");
    open(partitioned41, "f41");
    open(client40("partitioned-40"), "f40");
    ClientRecord renewing = holder41("renewing");
    open(renewing, "r");
    // two go silent beyond their lease; the server releases their state (first edge condition)
    clock.advance(LEASE.plusSeconds(2));
    engine.leases.renew(renewing);
    engine.leases.sweep();
    assertTrue(partitioned41.stateRevoked);
    assertEquals(0, engine.clients.all().stream().filter(c -> c.minorVersion == 0).count(), "4.0 client forgotten");

    restart(GRACE);
    assertTrue(engine.leases.inGrace(), "the client that renewed may reclaim");
    assertEquals(Nfs4Status.NO_GRACE, status(() -> engine.leases.checkGrace(client41("partitioned-41"), true)));
    assertEquals(Nfs4Status.NO_GRACE, status(() -> engine.leases.checkGrace(client40("partitioned-40"), true)));
    engine.leases.checkGrace(client41("renewing"), true);
  }

  @Test
  void aClientThatDidNotFinishReclaimingInGraceMayNotReclaimAfterASecondRestart() throws Exception {
    restart(Duration.ZERO);
    holder41("back");
    holder41("away");
    holder41("partial");

    restart(GRACE);
    ClientRecord back = client41("back");
    engine.leases.checkGrace(back, true);
    engine.leases.reclaimComplete(back, false);
    ClientRecord partial = client41("partial");
    engine.leases.checkGrace(partial, true); // one lock reclaimed, the partition starts: no RECLAIM_COMPLETE
    clock.advance(GRACE.plusSeconds(1));
    engine.leases.checkGrace(back, false); // a new lock after grace: the records of the missing go first

    restart(GRACE);
    engine.leases.checkGrace(client41("back"), true);
    assertEquals(Nfs4Status.NO_GRACE, status(() -> engine.leases.checkGrace(client41("away"), true)));
    assertEquals(Nfs4Status.NO_GRACE, status(() -> engine.leases.checkGrace(client41("partial"), true)));
  }

  @Test
  void aCrashDuringGraceLeavesEveryRecordedClientAbleToReclaim() throws Exception {
    restart(Duration.ZERO);
    holder41("back");
    holder41("late");

    restart(GRACE);
    ClientRecord back = client41("back");
    engine.leases.reclaimComplete(back, false);
    StateEngine crashed = engine;
    engine = null; // crash: neither the end of grace nor a close

    restart(GRACE);
    engine.leases.checkGrace(client41("late"), true);
    engine.leases.checkGrace(client41("back"), true);
    crashed.close();
  }

  @Test
  void destroyedAndRestartedClientsAreForgotten() throws Exception {
    restart(Duration.ZERO);
    ClientRecord destroyed = holder41("destroyed");
    for (Session session : List.copyOf(destroyed.sessions.values())) {
      engine.sessions.destroySession(session.id);
    }
    engine.clientIds.destroyClientId(destroyed.clientId());
    holder41("restarted");
    ClientRecord restarted40 = client40("restarted-40");
    engine.leases.checkGrace(restarted40, false);
    clock.advance(Duration.ofSeconds(1)); // the clients restart: new verifiers
    holder41("restarted"); // the earlier incarnation's state goes at confirmation
    client40("restarted-40"); // confirmed, no state yet

    restart(GRACE);
    assertEquals(Nfs4Status.NO_GRACE, status(() -> engine.leases.checkGrace(client41("destroyed"), true)));
    assertEquals(Nfs4Status.NO_GRACE, status(() -> engine.leases.checkGrace(client40("restarted-40"), true)));
    engine.leases.checkGrace(client41("restarted"), true);
  }

  @Test
  void damagedRecordsLetNoClientReclaim() throws Exception {
    restart(Duration.ZERO);
    holder41("a");
    holder41("b");
    engine.close();
    engine = null;
    byte[] bytes = Files.readAllBytes(dir.resolve(ClientRecordLog.FILE));
    bytes[8 + 4 + 2] ^= 0x01; // the first record's name: a bad checksum before the end
    Files.write(dir.resolve(ClientRecordLog.FILE), bytes);

    restart(GRACE);
    assertFalse(engine.leases.inGrace(), "no client can be known to have held state");
    assertEquals(Nfs4Status.NO_GRACE, status(() -> engine.leases.checkGrace(client41("a"), true)));
  }

  @Test
  void aRecordThatCannotBeWrittenRefusesTheStateWithServerfault() throws Exception {
    ClientRecordStore failing = new ClientRecordStore() {
      @Override
      public boolean isDurable() {
        return true;
      }

      @Override
      public List<StableClient> load() {
        return List.of();
      }

      @Override
      public void add(StableClient client) throws IOException {
        throw new IOException("disk full");
      }

      @Override
      public void remove(StableClient client) {}

      @Override
      public void endGrace() {}

      @Override
      public void close() {}
    };
    restart(Duration.ZERO, failing);
    ClientRecord c = client41("c");
    assertEquals(Nfs4Status.SERVERFAULT, status(() -> engine.leases.reclaimComplete(c, false)));
    assertFalse(c.reclaimComplete, "the RECLAIM_COMPLETE did not happen");
    ClientRecord d = client40("d");
    assertEquals(Nfs4Status.SERVERFAULT, status(() -> engine.leases.checkGrace(d, false)));
  }
}
