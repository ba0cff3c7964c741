package dev.jnfs.v4.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.LocalLockManager;
import dev.jnfs.lock.LockType;
import dev.jnfs.lock.ShareReservation;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class StateEngineTest {
  private static final Caller ROOT = Caller.of(0, 0);
  private static final ShareReservation READ_DENY_WRITE =
      new ShareReservation(ShareReservation.READ, ShareReservation.WRITE);
  private static final ShareReservation BOTH_DENY_NONE =
      new ShareReservation(ShareReservation.BOTH, ShareReservation.NONE);
  private static final ShareReservation WRITE_DENY_NONE =
      new ShareReservation(ShareReservation.WRITE, ShareReservation.NONE);
  private static final ShareReservation READ_DENY_NONE =
      new ShareReservation(ShareReservation.READ, ShareReservation.NONE);

  private final MutableClock clock = new MutableClock();
  private final RecordingFileSystem backend = new RecordingFileSystem();
  private final LocalLockManager lockManager = new LocalLockManager();
  private final StateEngine engine = new StateEngine(
      StateConfig.defaults().withLeaseTime(Duration.ofSeconds(10)).withGracePeriod(Duration.ZERO),
      clock, lockManager);

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int status(Executable e) {
    return assertThrows(Nfs4Exception.class, e).status();
  }

  private ClientRecord client40(String name) throws Nfs4Exception {
    long[] r = engine.clientIds.setClientId(b(name), 1, "sys:0");
    engine.clientIds.setClientIdConfirm(r[0], r[1], "sys:0");
    return engine.clientIds.client40(r[0]);
  }

  private ClientRecord client41(String name) throws Nfs4Exception {
    ClientIds.ExchangeIdResult r = engine.clientIds.exchangeId(b(name), 7, 0, "sys:0");
    CreateSessionResult cs = engine.sessions.createSession(r.clientId(), r.sequence(), channel(64), channel(8), "sys:0");
    return engine.sessions.session(cs.sessionId()).client;
  }

  private static ChannelAttrs channel(int slots) {
    return new ChannelAttrs(0, 1 << 20, 1 << 20, 8192, 16, slots, null);
  }

  private OpenState open(ClientRecord c, String owner, OpenFile f, ShareReservation share) throws Exception {
    OpenOwner o = engine.opens.openOwner(c, b(owner), 1, false);
    OpenGrant g = engine.opens.grantOpen(o, f, share, ROOT);
    OpenState s = (OpenState) engine.stateids.resolve(g.stateid(), null);
    if (g.confirmNeeded()) {
      engine.opens.confirmOpen(s);
    }
    return s;
  }

  // ------------------------------------------------------------ 4.0 client ids

  @Test
  void setClientIdNeedsConfirmationWithTheRightVerifier() throws Exception {
    long[] r = engine.clientIds.setClientId(b("c1"), 1, "sys:0");
    assertEquals(Nfs4Status.STALE_CLIENTID, status(() -> engine.clientIds.client40(r[0])));
    assertEquals(Nfs4Status.STALE_CLIENTID, status(() -> engine.clientIds.setClientIdConfirm(r[0], r[1] + 1, "sys:0")));
    assertEquals(Nfs4Status.CLID_INUSE, status(() -> engine.clientIds.setClientIdConfirm(r[0], r[1], "sys:1000")));
    engine.clientIds.setClientIdConfirm(r[0], r[1], "sys:0");
    engine.clientIds.setClientIdConfirm(r[0], r[1], "sys:0"); // a retransmission succeeds too
    assertEquals(r[0], engine.clientIds.client40(r[0]).clientId());
  }

  @Test
  void sameVerifierIsACallbackUpdateKeepingClientIdAndState() throws Exception {
    ClientRecord c = client40("c1");
    OpenState open = open(c, "o", backend.file("f"), READ_DENY_NONE);
    long[] again = engine.clientIds.setClientId(b("c1"), 1, "sys:0");
    assertEquals(c.clientId(), again[0]);
    engine.clientIds.setClientIdConfirm(again[0], again[1], "sys:0");
    assertSame(open, engine.stateids.resolve(open.stateid(), null));
  }

  @Test
  void newVerifierIsARestartThatDropsTheOldStateAtConfirm() throws Exception {
    ClientRecord c = client40("c1");
    OpenState open = open(c, "o", backend.file("f"), READ_DENY_WRITE);
    long[] restarted = engine.clientIds.setClientId(b("c1"), 2, "sys:0");
    assertNotEquals(c.clientId(), restarted[0]);
    assertSame(open, engine.stateids.resolve(open.stateid(), null), "state kept until confirmation");
    engine.clientIds.setClientIdConfirm(restarted[0], restarted[1], "sys:0");
    assertEquals(Nfs4Status.EXPIRED, status(() -> engine.stateids.resolve(open.stateid(), null)));
    assertEquals(List.of("open f r deny2", "close f"), backend.calls);
    assertTrue(lockManager.share(open.file.key(), open.owner.id).isEmpty());
  }

  @Test
  void anotherPrincipalCannotTakeAClientIdThatHoldsState() throws Exception {
    ClientRecord c = client40("c1");
    open(c, "o", backend.file("f"), READ_DENY_NONE);
    assertEquals(Nfs4Status.CLID_INUSE, status(() -> engine.clientIds.setClientId(b("c1"), 1, "sys:1000")));
  }

  @Test
  void clientIdOfAnotherInstanceIsStale() throws Exception {
    StateEngine other = new StateEngine(StateConfig.defaults(), clock, new LocalLockManager());
    long[] r = other.clientIds.setClientId(b("c1"), 1, "sys:0");
    other.clientIds.setClientIdConfirm(r[0], r[1], "sys:0");
    assertEquals(Nfs4Status.STALE_CLIENTID, status(() -> engine.clientIds.client40(r[0])));
    assertEquals(Nfs4Status.STALE_CLIENTID, status(() -> engine.clientIds.setClientIdConfirm(r[0], r[1], "sys:0")));
  }

  @Test
  void expiredFourZeroClientLosesOpensAndLocksAndAnswersExpired() throws Exception {
    OpenFile f = backend.file("f");
    ClientRecord a = client40("a");
    ClientRecord b = client40("b");
    OpenState openA = open(a, "oa", f, BOTH_DENY_NONE);
    LockState lockA = engine.locks.lockStateFor(engine.locks.lockOwner(a, b("la")), openA, 0);
    Stateid lockStateid = engine.locks.lock(lockA, LockType.WRITE, ByteRange.WHOLE_FILE);
    OpenState openB = open(b, "ob", f, BOTH_DENY_NONE);
    LockState lockB = engine.locks.lockStateFor(engine.locks.lockOwner(b, b("lb")), openB, 0);
    assertEquals(Nfs4Status.DENIED, status(() -> engine.locks.lock(lockB, LockType.WRITE, ByteRange.WHOLE_FILE)));

    clock.advance(Duration.ofSeconds(6));
    engine.clientIds.client40(b.clientId()); // b renews; a does not
    clock.advance(Duration.ofSeconds(6));
    engine.clientIds.client40(b.clientId());

    LockState lockB2 = engine.locks.lockStateFor(engine.locks.lockOwner(b, b("lb")), openB, 0);
    engine.locks.lock(lockB2, LockType.WRITE, ByteRange.WHOLE_FILE);
    assertEquals(Nfs4Status.EXPIRED, status(() -> engine.clientIds.client40(a.clientId())));
    assertEquals(Nfs4Status.EXPIRED, status(() -> engine.stateids.resolve(lockStateid, null)));
  }

  @Test
  void unconfirmedClientsAreForgottenAfterALease() throws Exception {
    engine.clientIds.setClientId(b("never-confirmed"), 1, "sys:0");
    assertEquals(1, engine.clientCount());
    clock.advance(Duration.ofSeconds(11));
    client40("other");
    assertEquals(1, engine.clientCount());
  }

  // ------------------------------------------------------------ 4.1 client ids and sessions

  @Test
  void exchangeIdCases() throws Exception {
    ClientIds.ExchangeIdResult first = engine.clientIds.exchangeId(b("c"), 1, 0, "sys:0");
    assertEquals(0, first.flags() & ClientIds.EXCHGID4_FLAG_CONFIRMED_R);
    // case 4: a repeat while unconfirmed replaces the record
    ClientIds.ExchangeIdResult second = engine.clientIds.exchangeId(b("c"), 1, 0, "sys:0");
    assertNotEquals(first.clientId(), second.clientId());
    assertEquals(Nfs4Status.STALE_CLIENTID,
        status(() -> engine.sessions.createSession(first.clientId(), first.sequence(), channel(4), channel(1), "sys:0")));
    // case 7: update without a confirmed record
    assertEquals(Nfs4Status.NOENT,
        status(() -> engine.clientIds.exchangeId(b("c"), 1, ClientIds.EXCHGID4_FLAG_UPD_CONFIRMED_REC_A, "sys:0")));
    engine.sessions.createSession(second.clientId(), second.sequence(), channel(4), channel(1), "sys:0");
    // case 2: same verifier and principal: same answer, now confirmed
    ClientIds.ExchangeIdResult again = engine.clientIds.exchangeId(b("c"), 1, 0, "sys:0");
    assertEquals(second.clientId(), again.clientId());
    assertTrue((again.flags() & ClientIds.EXCHGID4_FLAG_CONFIRMED_R) != 0);
    // case 6, 8, 9: updates
    assertEquals(second.clientId(),
        engine.clientIds.exchangeId(b("c"), 1, ClientIds.EXCHGID4_FLAG_UPD_CONFIRMED_REC_A, "sys:0").clientId());
    assertEquals(Nfs4Status.NOT_SAME,
        status(() -> engine.clientIds.exchangeId(b("c"), 2, ClientIds.EXCHGID4_FLAG_UPD_CONFIRMED_REC_A, "sys:0")));
    assertEquals(Nfs4Status.PERM,
        status(() -> engine.clientIds.exchangeId(b("c"), 1, ClientIds.EXCHGID4_FLAG_UPD_CONFIRMED_REC_A, "sys:5")));
    // case 5: restart with a new verifier: new client id, old one goes at CREATE_SESSION
    ClientIds.ExchangeIdResult restart = engine.clientIds.exchangeId(b("c"), 2, 0, "sys:0");
    assertNotEquals(second.clientId(), restart.clientId());
    engine.sessions.createSession(restart.clientId(), restart.sequence(), channel(4), channel(1), "sys:0");
    assertEquals(Nfs4Status.STALE_CLIENTID, status(() -> engine.clientIds.destroyClientId(second.clientId())));
  }

  @Test
  void exchangeIdCollisionWithStateIsClidInUse() throws Exception {
    ClientRecord c = client41("c");
    open(c, "o", backend.file("f"), READ_DENY_NONE);
    assertEquals(Nfs4Status.CLID_INUSE, status(() -> engine.clientIds.exchangeId(b("c"), 7, 0, "sys:99")));
  }

  @Test
  void createSessionReplaysAndOrdersBySequence() throws Exception {
    ClientIds.ExchangeIdResult r = engine.clientIds.exchangeId(b("c"), 1, 0, "sys:0");
    assertEquals(Nfs4Status.SEQ_MISORDERED,
        status(() -> engine.sessions.createSession(r.clientId(), r.sequence() + 1, channel(4), channel(1), "sys:0")));
    CreateSessionResult s1 = engine.sessions.createSession(r.clientId(), r.sequence(), channel(4), channel(1), "sys:0");
    CreateSessionResult replay = engine.sessions.createSession(r.clientId(), r.sequence(), channel(4), channel(1), "sys:0");
    assertSame(s1, replay);
    assertEquals(1, engine.sessionIds().size());
    CreateSessionResult s2 = engine.sessions.createSession(r.clientId(), r.sequence() + 1, channel(4), channel(1), "sys:0");
    assertEquals(2, engine.sessionIds().size());
    assertNotEquals(java.util.HexFormat.of().formatHex(s1.sessionId()), java.util.HexFormat.of().formatHex(s2.sessionId()));
    assertEquals(Nfs4Status.SEQ_MISORDERED,
        status(() -> engine.sessions.createSession(r.clientId(), r.sequence() + 5, channel(4), channel(1), "sys:0")));
  }

  @Test
  void channelAttributesAreNegotiatedDownToServerLimits() throws Exception {
    ClientIds.ExchangeIdResult r = engine.clientIds.exchangeId(b("c"), 1, 0, "sys:0");
    ChannelAttrs greedy = new ChannelAttrs(64, -1, -1, -1, 1000, 100_000, 5);
    CreateSessionResult s = engine.sessions.createSession(r.clientId(), r.sequence(), greedy, channel(1), "sys:0");
    StateConfig cfg = engine.config();
    assertEquals(0, s.fore().headerPadSize());
    assertEquals(cfg.maxRequestSize(), s.fore().maxRequestSize());
    assertEquals(cfg.maxResponseSize(), s.fore().maxResponseSize());
    assertEquals(cfg.maxCachedResponseSize(), s.fore().maxResponseSizeCached());
    assertEquals(cfg.maxOperations(), s.fore().maxOperations());
    assertEquals(cfg.maxSlots(), s.fore().maxRequests());
    assertEquals(null, s.fore().rdmaIrd());
    CreateSessionResult small = engine.sessions.createSession(r.clientId(), r.sequence() + 1,
        new ChannelAttrs(0, 4096, 4096, 1024, 8, 16, null), channel(1), "sys:0");
    assertEquals(16, small.fore().maxRequests());
    assertEquals(4096, small.fore().maxRequestSize());
    assertEquals(1024, small.fore().maxResponseSizeCached());
    assertEquals(cfg.maxOperations(), small.fore().maxOperations(), "never fewer operations than the server takes");
  }

  @Test
  void sequenceGivesExactlyOnceSemantics() throws Exception {
    ClientIds.ExchangeIdResult r = engine.clientIds.exchangeId(b("c"), 1, 0, "sys:0");
    CreateSessionResult cs = engine.sessions.createSession(r.clientId(), r.sequence(), channel(4), channel(1), "sys:0");
    byte[] sid = cs.sessionId();

    SequenceOutcome.Accepted a = assertInstanceOf(SequenceOutcome.Accepted.class, engine.sessions.sequence(sid, 1, 0, 3, 100));
    assertEquals(3, a.highestSlotId());
    // the retry while the original still runs must wait
    assertEquals(Nfs4Status.DELAY, status(() -> engine.sessions.sequence(sid, 1, 0, 3, 100)));
    engine.sessions.completeSlot(a.session(), 0, new byte[] {1, 2, 3});
    SequenceOutcome.Replay replay = assertInstanceOf(SequenceOutcome.Replay.class, engine.sessions.sequence(sid, 1, 0, 3, 100));
    assertArrayEquals(new byte[] {1, 2, 3}, replay.reply());
    assertEquals(Nfs4Status.SEQ_MISORDERED, status(() -> engine.sessions.sequence(sid, 3, 0, 3, 100)));
    assertEquals(Nfs4Status.SEQ_MISORDERED, status(() -> engine.sessions.sequence(sid, 0, 0, 3, 100)));
    assertEquals(Nfs4Status.BADSLOT, status(() -> engine.sessions.sequence(sid, 1, 4, 3, 100)));
    assertEquals(Nfs4Status.BADSLOT, status(() -> engine.sessions.sequence(sid, 1, -1, 3, 100)));
    assertEquals(Nfs4Status.TOO_MANY_OPS, status(() -> engine.sessions.sequence(sid, 2, 0, engine.config().maxOperations() + 1, 100)));
    assertEquals(Nfs4Status.BADSESSION, status(() -> engine.sessions.sequence(new byte[16], 1, 0, 3, 100)));

    SequenceOutcome.Accepted next = assertInstanceOf(SequenceOutcome.Accepted.class, engine.sessions.sequence(sid, 2, 0, 3, 100));
    engine.sessions.completeSlot(next.session(), 0, null); // sa_cachethis false
    assertEquals(Nfs4Status.RETRY_UNCACHED_REP, status(() -> engine.sessions.sequence(sid, 2, 0, 3, 100)));
    // other slots are independent
    assertInstanceOf(SequenceOutcome.Accepted.class, engine.sessions.sequence(sid, 1, 1, 3, 100));
  }

  @Test
  void destroyClientIdWhileSessionsRemainIsBusy() throws Exception {
    ClientIds.ExchangeIdResult r = engine.clientIds.exchangeId(b("c"), 1, 0, "sys:0");
    CreateSessionResult cs = engine.sessions.createSession(r.clientId(), r.sequence(), channel(4), channel(1), "sys:0");
    assertEquals(Nfs4Status.CLIENTID_BUSY, status(() -> engine.clientIds.destroyClientId(r.clientId())));
    engine.sessions.destroySession(cs.sessionId());
    assertEquals(Nfs4Status.BADSESSION, status(() -> engine.sessions.destroySession(cs.sessionId())));
    engine.clientIds.destroyClientId(r.clientId());
    assertEquals(Nfs4Status.STALE_CLIENTID, status(() -> engine.clientIds.destroyClientId(r.clientId())));
  }

  @Test
  void expiredFourOneClientIsToldByTheSequenceFlagsAndFreesItsStateids() throws Exception {
    OpenFile f = backend.file("f");
    ClientIds.ExchangeIdResult r = engine.clientIds.exchangeId(b("c"), 1, 0, "sys:0");
    CreateSessionResult cs = engine.sessions.createSession(r.clientId(), r.sequence(), channel(4), channel(1), "sys:0");
    ClientRecord c = engine.sessions.session(cs.sessionId()).client;
    OpenState open = open(c, "o", f, BOTH_DENY_NONE);
    LockState lock = engine.locks.lockStateFor(engine.locks.lockOwner(c, b("l")), open, 0);
    Stateid lockid = engine.locks.lock(lock, LockType.WRITE, ByteRange.WHOLE_FILE);

    clock.advance(Duration.ofSeconds(11));
    ClientRecord other = client41("other"); // runs the sweep
    OpenState otherOpen = open(other, "o2", f, BOTH_DENY_NONE);
    engine.locks.lock(engine.locks.lockStateFor(engine.locks.lockOwner(other, b("l2")), otherOpen, 0), LockType.WRITE, ByteRange.WHOLE_FILE);

    SequenceOutcome.Accepted a = assertInstanceOf(SequenceOutcome.Accepted.class, engine.sessions.sequence(cs.sessionId(), 1, 0, 2, 100));
    assertEquals(SessionTable.SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED, a.statusFlags());
    engine.sessions.completeSlot(a.session(), 0, null);
    assertEquals(Nfs4Status.EXPIRED, engine.stateids.testStateid(c, open.stateid()));
    assertEquals(Nfs4Status.EXPIRED, engine.stateids.testStateid(c, lockid));
    assertEquals(Nfs4Status.BAD_STATEID, engine.stateids.testStateid(other, lockid), "another client's stateid");
    engine.stateids.freeStateid(c, lockid);
    engine.stateids.freeStateid(c, open.stateid());
    assertEquals(Nfs4Status.BAD_STATEID, engine.stateids.testStateid(c, open.stateid()));
    SequenceOutcome.Accepted b2 = assertInstanceOf(SequenceOutcome.Accepted.class, engine.sessions.sequence(cs.sessionId(), 2, 0, 2, 100));
    assertEquals(0, b2.statusFlags());
  }

  // ------------------------------------------------------------ stateids

  @Test
  void stateidChecks() throws Exception {
    ClientRecord c = client40("c");
    OpenFile f = backend.file("f");
    OpenState open = open(c, "o", f, READ_DENY_NONE);
    Stateid current = open.stateid();
    engine.opens.grantOpen(open.owner, f, WRITE_DENY_NONE, ROOT); // upgrade: seqid advances
    Stateid newer = open.stateid();
    assertEquals(current.seqid() + 1, newer.seqid());
    assertEquals(Nfs4Status.OLD_STATEID, status(() -> StateidTable.checkSeqid(open, current)));
    assertEquals(Nfs4Status.BAD_STATEID,
        status(() -> StateidTable.checkSeqid(open, Stateid.of(newer.seqid() + 1, newer.other()))));
    byte[] other = newer.other();
    other[11] ^= 0x7F;
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.stateids.resolve(Stateid.of(1, other), null)));
    byte[] stale = newer.other();
    stale[0] ^= 0x01;
    assertEquals(Nfs4Status.STALE_STATEID, status(() -> engine.stateids.resolve(Stateid.of(1, stale), null)));
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.stateids.resolve(Stateid.ANONYMOUS, null)));
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.stateids.resolve(Stateid.BYPASS, null)));
  }

  @Test
  void seqidZeroMeansCurrentOnlyInFourOne() throws Exception {
    ClientRecord c41 = client41("c41");
    OpenState o41 = open(c41, "o", backend.file("f"), READ_DENY_NONE);
    StateidTable.checkSeqid(o41, Stateid.of(0, o41.stateid().other()));
    ClientRecord c40 = client40("c40");
    OpenState o40 = open(c40, "o", backend.file("g"), READ_DENY_NONE);
    assertEquals(Nfs4Status.OLD_STATEID, status(() -> StateidTable.checkSeqid(o40, Stateid.of(0, o40.stateid().other()))));
  }

  @Test
  void checkIoFollowsKnfsd() throws Exception {
    ClientRecord c = client40("c");
    OpenFile f = backend.file("f");
    OpenFile g = backend.file("g");
    OpenState reader = open(c, "o", f, READ_DENY_WRITE);
    engine.stateids.checkIo(null, reader.stateid(), f, false);
    assertEquals(Nfs4Status.OPENMODE, status(() -> engine.stateids.checkIo(null, reader.stateid(), f, true)));
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.stateids.checkIo(null, reader.stateid(), g, false)));
    assertEquals(Nfs4Status.LOCKED, status(() -> engine.stateids.checkIo(null, Stateid.ANONYMOUS, f, true)));
    engine.stateids.checkIo(null, Stateid.ANONYMOUS, f, false);
    engine.stateids.checkIo(null, Stateid.BYPASS, f, false);
    engine.stateids.checkIo(null, Stateid.ANONYMOUS, g, true);
  }

  @Test
  void unconfirmedOpenCannotBeUsedForIo() throws Exception {
    ClientRecord c = client40("c");
    OpenFile f = backend.file("f");
    OpenGrant g = engine.opens.grantOpen(engine.opens.openOwner(c, b("o"), 1, false), f, READ_DENY_NONE, ROOT);
    assertTrue(g.confirmNeeded());
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.stateids.checkIo(null, g.stateid(), f, false)));
    OpenState s = (OpenState) engine.stateids.resolve(g.stateid(), null);
    Stateid confirmed = engine.opens.confirmOpen(s);
    engine.stateids.checkIo(null, confirmed, f, false);
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.opens.confirmOpen(s)));
  }

  // ------------------------------------------------------------ opens

  @Test
  void shareReservationsAcrossClientsAndBackendHooks() throws Exception {
    OpenFile f = backend.file("f");
    ClientRecord a = client40("a");
    ClientRecord b = client41("b");
    OpenState openA = open(a, "o", f, READ_DENY_WRITE);
    OpenOwner ownerB = engine.opens.openOwner(b, b("o"), 1, false);
    assertEquals(Nfs4Status.SHARE_DENIED, status(() -> engine.opens.grantOpen(ownerB, f, WRITE_DENY_NONE, ROOT)));
    OpenGrant readB = engine.opens.grantOpen(ownerB, f, READ_DENY_NONE, ROOT);
    assertFalse(readB.confirmNeeded(), "4.1 owners need no OPEN_CONFIRM");
    assertEquals(List.of("open f r deny2", "open f r"), backend.calls, "the backend hears of each owner's open");
    engine.opens.close(openA);
    assertEquals(List.of("open f r deny2", "open f r", "close f"), backend.calls);
    engine.opens.close((OpenState) engine.stateids.resolve(readB.stateid(), b));
    assertEquals(List.of("open f r deny2", "open f r", "close f", "close f"), backend.calls);
    assertEquals(0, engine.backendOpenCount());
  }

  @Test
  void closedFourZeroOpenIsBadStateidButKnownForReplay() throws Exception {
    ClientRecord c = client40("c");
    OpenState open = open(c, "o", backend.file("f"), READ_DENY_NONE);
    Stateid closed = engine.opens.close(open);
    assertFalse(c.hasState(), "a closed open is no state");
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> StateidTable.checkSeqid(engine.stateids.resolve(closed, null), closed)));
  }

  @Test
  void downgradeToAModeNeverOpenedWithIsInval() throws Exception {
    ClientRecord c = client41("c");
    OpenFile f = backend.file("f");
    OpenState open = open(c, "o", f, new ShareReservation(ShareReservation.BOTH, ShareReservation.NONE));
    assertEquals(Nfs4Status.INVAL, status(() -> engine.opens.downgradeOpen(open, READ_DENY_NONE)));
    engine.opens.grantOpen(open.owner, f, READ_DENY_NONE, ROOT);
    Stateid before = open.stateid();
    Stateid after = engine.opens.downgradeOpen(open, READ_DENY_NONE);
    assertEquals(before.seqid() + 1, after.seqid());
    assertEquals(READ_DENY_NONE, open.share);
    assertEquals(Nfs4Status.INVAL, status(() -> engine.opens.downgradeOpen(open, WRITE_DENY_NONE)));
  }

  @Test
  void openOfAnOwnerNeverConfirmedIsDroppedAfterALease() throws Exception {
    ClientRecord c = client40("c");
    ClientRecord other = client40("other");
    OpenFile f = backend.file("f");
    OpenGrant g = engine.opens.grantOpen(engine.opens.openOwner(c, b("o"), 1, false), f, READ_DENY_WRITE, ROOT);
    OpenOwner o = engine.opens.openOwner(other, b("o"), 1, false);
    o.confirmed = true; // as after an OPEN_CONFIRM of another file
    assertEquals(Nfs4Status.SHARE_DENIED, status(() -> engine.opens.grantOpen(o, f, WRITE_DENY_NONE, ROOT)));
    clock.advance(Duration.ofSeconds(6));
    engine.clientIds.client40(c.clientId());
    engine.clientIds.client40(other.clientId());
    clock.advance(Duration.ofSeconds(6));
    engine.clientIds.client40(c.clientId()); // c's lease is alive; its owner was never confirmed
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.stateids.resolve(g.stateid(), null)));
    engine.opens.grantOpen(o, f, WRITE_DENY_NONE, ROOT);
    assertSame(o, engine.opens.openOwner(other, b("o"), 2, false), "a confirmed owner stays");
  }

  @Test
  void unconfirmedFourZeroOwnerIsReplacedByANewOpen() throws Exception {
    ClientRecord c = client40("c");
    OpenFile f = backend.file("f");
    OpenGrant first = engine.opens.grantOpen(engine.opens.openOwner(c, b("o"), 1, false), f, READ_DENY_WRITE, ROOT);
    OpenOwner again = engine.opens.openOwner(c, b("o"), 1, false);
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.stateids.resolve(first.stateid(), null)));
    engine.opens.grantOpen(again, f, BOTH_DENY_NONE, ROOT);
  }

  // ------------------------------------------------------------ locks

  @Test
  void lockConflictNamesTheHolder() throws Exception {
    OpenFile f = backend.file("f");
    ClientRecord a = client40("a");
    ClientRecord b = client40("b");
    LockState la = engine.locks.lockStateFor(engine.locks.lockOwner(a, b("owner-a")), open(a, "o", f, BOTH_DENY_NONE), 0);
    engine.locks.lock(la, LockType.WRITE, ByteRange.of(100, 50));
    LockState lb = engine.locks.lockStateFor(engine.locks.lockOwner(b, b("owner-b")), open(b, "o", f, BOTH_DENY_NONE), 0);
    Nfs4Exception e = assertThrows(Nfs4Exception.class, () -> engine.locks.lock(lb, LockType.READ, ByteRange.of(120, 1)));
    assertEquals(Nfs4Status.DENIED, e.status());
    ByteBuf buf = Unpooled.buffer();
    try {
      e.errorBody().accept(new XdrEncoder(buf));
      assertEquals(100, buf.readLong());
      assertEquals(50, buf.readLong());
      assertEquals(LockDenied.WRITE_LT, buf.readInt());
      assertEquals(a.clientId(), buf.readLong());
      assertEquals(7, buf.readInt());
      byte[] owner = new byte[7];
      buf.readBytes(owner);
      assertEquals("owner-a", new String(owner, StandardCharsets.UTF_8));
    } finally {
      buf.release();
    }
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.stateids.resolve(lb.stateid(), null)),
        "a lock state made for a refused LOCK is forgotten");
    engine.locks.testLock(b, b("owner-b"), f, LockType.READ, ByteRange.of(0, 100));
    assertEquals(Nfs4Status.DENIED, status(() -> engine.locks.testLock(b, b("owner-b"), f, LockType.READ, ByteRange.of(149, 1))));
    engine.locks.testLock(a, b("owner-a"), f, LockType.WRITE, ByteRange.of(100, 1));
  }

  @Test
  void lockTypeMustMatchTheOpenMode() throws Exception {
    ClientRecord c = client40("c");
    OpenFile f = backend.file("f");
    LockState l = engine.locks.lockStateFor(engine.locks.lockOwner(c, b("l")), open(c, "o", f, READ_DENY_NONE), 0);
    assertEquals(Nfs4Status.OPENMODE, status(() -> engine.locks.lock(l, LockType.WRITE, ByteRange.WHOLE_FILE)));
  }

  @Test
  void unlockReleaseLockOwnerAndFreeStateid() throws Exception {
    ClientRecord c = client41("c");
    OpenFile f = backend.file("f");
    LockOwner owner = engine.locks.lockOwner(c, b("l"));
    LockState l = engine.locks.lockStateFor(owner, open(c, "o", f, BOTH_DENY_NONE), 0);
    Stateid locked = engine.locks.lock(l, LockType.WRITE, ByteRange.of(0, 10));
    assertEquals(Nfs4Status.LOCKS_HELD, status(() -> engine.locks.releaseLockOwner(c, b("l"))));
    assertEquals(Nfs4Status.LOCKS_HELD, status(() -> engine.stateids.freeStateid(c, locked)));
    assertEquals(Nfs4Status.LOCKS_HELD, status(() -> engine.stateids.freeStateid(c, l.open.stateid())));
    Stateid unlocked = engine.locks.unlock(l, ByteRange.of(0, 10));
    assertEquals(locked.seqid() + 1, unlocked.seqid());
    engine.stateids.freeStateid(c, unlocked);
    assertEquals(Nfs4Status.BAD_STATEID, engine.stateids.testStateid(c, unlocked));
    engine.locks.releaseLockOwner(c, b("l"));
    engine.locks.releaseLockOwner(c, b("never-existed"));
  }

  @Test
  void closeDropsTheLocksOfItsLockStates() throws Exception {
    ClientRecord a = client40("a");
    ClientRecord b = client40("b");
    OpenFile f = backend.file("f");
    OpenState openA = open(a, "o", f, BOTH_DENY_NONE);
    LockState la = engine.locks.lockStateFor(engine.locks.lockOwner(a, b("l")), openA, 0);
    Stateid lockid = engine.locks.lock(la, LockType.WRITE, ByteRange.WHOLE_FILE);
    engine.opens.close(openA);
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.stateids.resolve(lockid, null)));
    engine.locks.testLock(b, b("x"), f, LockType.WRITE, ByteRange.WHOLE_FILE);
  }

  @Test
  void idleFourOneOwnersAndStatesAreForgottenAtClose() throws Exception {
    ClientRecord c = client41("c");
    OpenState open = open(c, "o", backend.file("f"), BOTH_DENY_NONE);
    LockState l = engine.locks.lockStateFor(b("l"), open, 0);
    engine.locks.lock(l, LockType.WRITE, ByteRange.of(0, 1));
    engine.opens.close(open);
    assertTrue(c.lockOwners.isEmpty());
    assertTrue(c.openOwners.isEmpty());
    assertTrue(c.states.isEmpty());
    assertTrue(lockManager.locks(open.file.key()).isEmpty());
  }

  @Test
  void secondOpenToLockOwnerForTheSameFileIsBadSeqidInFourZero() throws Exception {
    ClientRecord c = client40("c");
    OpenFile f = backend.file("f");
    LockOwner owner = engine.locks.lockOwner(c, b("l"));
    OpenState open = open(c, "o", f, BOTH_DENY_NONE);
    engine.locks.lock(engine.locks.lockStateFor(owner, open, 0), LockType.READ, ByteRange.WHOLE_FILE);
    assertEquals(Nfs4Status.BAD_SEQID, status(() -> engine.locks.lockStateFor(owner, open, 0)));
  }

  // ------------------------------------------------------------ grace

  @Test
  void graceRefusesNewStateAcceptsReclaimsAndEndsOnTimeOrReclaimComplete() throws Exception {
    StateEngine graceful = new StateEngine(
        StateConfig.defaults().withGracePeriod(Duration.ofSeconds(5)), clock, new LocalLockManager());
    long[] r = graceful.clientIds.setClientId(b("c"), 1, "sys:0");
    graceful.clientIds.setClientIdConfirm(r[0], r[1], "sys:0");
    ClientRecord c = graceful.clientIds.client40(r[0]);
    ClientIds.ExchangeIdResult other = graceful.clientIds.exchangeId(b("still-reclaiming"), 1, 0, "sys:0");
    graceful.sessions.createSession(other.clientId(), other.sequence(), channel(2), channel(1), "sys:0");
    assertTrue(graceful.leases.inGrace());
    graceful.leases.checkGrace(c, true);
    assertEquals(Nfs4Status.GRACE, status(() -> graceful.leases.checkGrace(c, false)));
    assertEquals(Nfs4Status.GRACE, status(() -> graceful.stateids.checkIo(null, Stateid.ANONYMOUS, backend.file("f"), true)));
    clock.advance(Duration.ofSeconds(6));
    assertFalse(graceful.leases.inGrace());
    graceful.leases.checkGrace(c, false);
    assertEquals(Nfs4Status.NO_GRACE, status(() -> graceful.leases.checkGrace(c, true)));
  }

  @Test
  void fourOneClientTakesNewLocksOnlyAfterItsReclaimCompleteEvenOutOfGrace() throws Exception {
    ClientRecord c = client41("no-reclaim-complete");
    assertFalse(engine.leases.inGrace());
    assertEquals(Nfs4Status.GRACE, status(() -> engine.leases.checkGrace(c, false)), "OPEN or LOCK");
    engine.leases.checkGrace(c, false, false); // LOCKT obtains no lock
    engine.leases.reclaimComplete(c, true); // for one file system: enough to take new state
    engine.leases.checkGrace(c, false);
    ClientRecord d = client41("reclaim-complete");
    engine.leases.reclaimComplete(d, false);
    engine.leases.checkGrace(d, false);
  }

  @Test
  void fourZeroClientsEndGraceWithTheirFirstNewRequest() throws Exception {
    StateEngine graceful = new StateEngine(
        StateConfig.defaults().withGracePeriod(Duration.ofSeconds(60)), clock, new LocalLockManager());
    long[] r1 = graceful.clientIds.setClientId(b("a"), 1, "sys:0");
    graceful.clientIds.setClientIdConfirm(r1[0], r1[1], "sys:0");
    long[] r2 = graceful.clientIds.setClientId(b("b"), 1, "sys:0");
    graceful.clientIds.setClientIdConfirm(r2[0], r2[1], "sys:0");
    ClientRecord a = graceful.clientIds.client40(r1[0]);
    ClientRecord b2 = graceful.clientIds.client40(r2[0]);
    graceful.leases.checkGrace(a, true);
    assertEquals(Nfs4Status.GRACE, status(() -> graceful.leases.checkGrace(a, false)), "b may still reclaim");
    assertEquals(Nfs4Status.NO_GRACE, status(() -> graceful.leases.checkGrace(a, true)), "a has finished reclaiming");
    graceful.leases.checkGrace(b2, true);
    graceful.leases.checkGrace(b2, false); // the last client's first new request ends the grace period
    assertFalse(graceful.leases.inGrace());
  }

  @Test
  void reclaimCompleteFromAllFourOneClientsEndsGraceEarly() throws Exception {
    StateEngine graceful = new StateEngine(
        StateConfig.defaults().withGracePeriod(Duration.ofSeconds(60)), clock, new LocalLockManager());
    ClientIds.ExchangeIdResult r1 = graceful.clientIds.exchangeId(b("a"), 1, 0, "sys:0");
    CreateSessionResult s1 = graceful.sessions.createSession(r1.clientId(), r1.sequence(), channel(2), channel(1), "sys:0");
    ClientIds.ExchangeIdResult r2 = graceful.clientIds.exchangeId(b("b"), 1, 0, "sys:0");
    CreateSessionResult s2 = graceful.sessions.createSession(r2.clientId(), r2.sequence(), channel(2), channel(1), "sys:0");
    ClientRecord a = graceful.sessions.session(s1.sessionId()).client;
    ClientRecord b2 = graceful.sessions.session(s2.sessionId()).client;
    graceful.leases.checkGrace(a, true);
    graceful.leases.reclaimComplete(a, false);
    assertEquals(Nfs4Status.NO_GRACE, status(() -> graceful.leases.checkGrace(a, true)), "no reclaim after RECLAIM_COMPLETE");
    assertEquals(Nfs4Status.COMPLETE_ALREADY, status(() -> graceful.leases.reclaimComplete(a, false)));
    assertTrue(graceful.leases.inGrace(), "b has not finished reclaiming");
    graceful.leases.reclaimComplete(b2, false);
    assertFalse(graceful.leases.inGrace());
    graceful.leases.checkGrace(a, false);
  }

  // ------------------------------------------------------------ 4.0 owner seqids

  @Test
  void ownerSeqidReplayAndBadSeqid() throws Exception {
    ClientRecord c = client40("c");
    OpenOwner o = engine.opens.openOwner(c, b("o"), 1, false);
    assertEquals(StateOwner.SeqidCheck.NEW, o.checkSeqid(41));
    ReplyRecord reply = new ReplyRecord(41, Nfs4Status.OK, new byte[] {9});
    o.recordReply(reply);
    assertEquals(StateOwner.SeqidCheck.REPLAY, o.checkSeqid(41));
    assertSame(reply, o.lastReply());
    assertEquals(StateOwner.SeqidCheck.NEW, o.checkSeqid(42));
    assertEquals(Nfs4Status.BAD_SEQID, status(() -> o.checkSeqid(43)));
    assertEquals(Nfs4Status.BAD_SEQID, status(() -> o.checkSeqid(40)));
    o.recordReply(new ReplyRecord(-1, Nfs4Status.OK, new byte[0]));
    assertEquals(StateOwner.SeqidCheck.NEW, o.checkSeqid(0), "seqids wrap");
    assertFalse(StateOwner.advancesSeqid(Nfs4Status.BAD_STATEID));
    assertTrue(StateOwner.advancesSeqid(Nfs4Status.DENIED));
  }

  @Test
  void backendRefusingOpenLeavesNoReservation() throws Exception {
    ClientRecord c = client40("c");
    OpenFile f = new OpenFile((dev.jnfs.spi.NfsFileSystem) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {dev.jnfs.spi.NfsFileSystem.class},
        (p, m, args) -> {
          if (m.getName().equals("open")) {
            throw new NfsException(dev.jnfs.spi.NfsStatus.ACCES);
          }
          return m.getName().equals("hashCode") ? 1 : m.getName().equals("equals") ? p == args[0] : null;
        }), backend.file("f").key());
    OpenOwner o = engine.opens.openOwner(c, b("o"), 1, false);
    NfsException e = assertThrows(NfsException.class, () -> engine.opens.grantOpen(o, f, READ_DENY_WRITE, ROOT));
    assertEquals(dev.jnfs.spi.NfsStatus.ACCES, e.status());
    assertTrue(lockManager.share(f.key(), o.id).isEmpty());
  }
}
