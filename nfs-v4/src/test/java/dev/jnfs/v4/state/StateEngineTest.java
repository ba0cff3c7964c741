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
    long[] r = engine.setClientId(b(name), 1, "sys:0");
    engine.setClientIdConfirm(r[0], r[1], "sys:0");
    return engine.client40(r[0]);
  }

  private ClientRecord client41(String name) throws Nfs4Exception {
    StateEngine.ExchangeIdResult r = engine.exchangeId(b(name), 7, 0, "sys:0");
    CreateSessionResult cs = engine.createSession(r.clientId(), r.sequence(), channel(64), channel(8), "sys:0");
    return engine.session(cs.sessionId()).client;
  }

  private static ChannelAttrs channel(int slots) {
    return new ChannelAttrs(0, 1 << 20, 1 << 20, 8192, 16, slots, null);
  }

  private OpenState open(ClientRecord c, String owner, OpenFile f, ShareReservation share) throws Exception {
    OpenOwner o = engine.openOwner(c, b(owner), 1);
    OpenGrant g = engine.grantOpen(o, f, share, ROOT);
    OpenState s = (OpenState) engine.resolve(g.stateid(), null);
    if (g.confirmNeeded()) {
      engine.confirmOpen(s);
    }
    return s;
  }

  // ------------------------------------------------------------ 4.0 client ids

  @Test
  void setClientIdNeedsConfirmationWithTheRightVerifier() throws Exception {
    long[] r = engine.setClientId(b("c1"), 1, "sys:0");
    assertEquals(Nfs4Status.STALE_CLIENTID, status(() -> engine.client40(r[0])));
    assertEquals(Nfs4Status.STALE_CLIENTID, status(() -> engine.setClientIdConfirm(r[0], r[1] + 1, "sys:0")));
    assertEquals(Nfs4Status.CLID_INUSE, status(() -> engine.setClientIdConfirm(r[0], r[1], "sys:1000")));
    engine.setClientIdConfirm(r[0], r[1], "sys:0");
    engine.setClientIdConfirm(r[0], r[1], "sys:0"); // a retransmission succeeds too
    assertEquals(r[0], engine.client40(r[0]).clientId());
  }

  @Test
  void sameVerifierIsACallbackUpdateKeepingClientIdAndState() throws Exception {
    ClientRecord c = client40("c1");
    OpenState open = open(c, "o", backend.file("f"), READ_DENY_NONE);
    long[] again = engine.setClientId(b("c1"), 1, "sys:0");
    assertEquals(c.clientId(), again[0]);
    engine.setClientIdConfirm(again[0], again[1], "sys:0");
    assertSame(open, engine.resolve(open.stateid(), null));
  }

  @Test
  void newVerifierIsARestartThatDropsTheOldStateAtConfirm() throws Exception {
    ClientRecord c = client40("c1");
    OpenState open = open(c, "o", backend.file("f"), READ_DENY_WRITE);
    long[] restarted = engine.setClientId(b("c1"), 2, "sys:0");
    assertNotEquals(c.clientId(), restarted[0]);
    assertSame(open, engine.resolve(open.stateid(), null), "state kept until confirmation");
    engine.setClientIdConfirm(restarted[0], restarted[1], "sys:0");
    assertEquals(Nfs4Status.EXPIRED, status(() -> engine.resolve(open.stateid(), null)));
    assertEquals(List.of("open f r deny2", "close f"), backend.calls);
    assertTrue(lockManager.share(open.file.key(), open.owner.id).isEmpty());
  }

  @Test
  void anotherPrincipalCannotTakeAClientIdThatHoldsState() throws Exception {
    ClientRecord c = client40("c1");
    open(c, "o", backend.file("f"), READ_DENY_NONE);
    assertEquals(Nfs4Status.CLID_INUSE, status(() -> engine.setClientId(b("c1"), 1, "sys:1000")));
  }

  @Test
  void clientIdOfAnotherInstanceIsStale() throws Exception {
    StateEngine other = new StateEngine(StateConfig.defaults(), clock, new LocalLockManager());
    long[] r = other.setClientId(b("c1"), 1, "sys:0");
    other.setClientIdConfirm(r[0], r[1], "sys:0");
    assertEquals(Nfs4Status.STALE_CLIENTID, status(() -> engine.client40(r[0])));
    assertEquals(Nfs4Status.STALE_CLIENTID, status(() -> engine.setClientIdConfirm(r[0], r[1], "sys:0")));
  }

  @Test
  void expiredFourZeroClientLosesOpensAndLocksAndAnswersExpired() throws Exception {
    OpenFile f = backend.file("f");
    ClientRecord a = client40("a");
    ClientRecord b = client40("b");
    OpenState openA = open(a, "oa", f, BOTH_DENY_NONE);
    LockState lockA = engine.lockStateFor(engine.lockOwner(a, b("la")), openA);
    Stateid lockStateid = engine.lock(lockA, LockType.WRITE, ByteRange.WHOLE_FILE);
    OpenState openB = open(b, "ob", f, BOTH_DENY_NONE);
    LockState lockB = engine.lockStateFor(engine.lockOwner(b, b("lb")), openB);
    assertEquals(Nfs4Status.DENIED, status(() -> engine.lock(lockB, LockType.WRITE, ByteRange.WHOLE_FILE)));

    clock.advance(Duration.ofSeconds(6));
    engine.client40(b.clientId()); // b renews; a does not
    clock.advance(Duration.ofSeconds(6));
    engine.client40(b.clientId());

    LockState lockB2 = engine.lockStateFor(engine.lockOwner(b, b("lb")), openB);
    engine.lock(lockB2, LockType.WRITE, ByteRange.WHOLE_FILE);
    assertEquals(Nfs4Status.EXPIRED, status(() -> engine.client40(a.clientId())));
    assertEquals(Nfs4Status.EXPIRED, status(() -> engine.resolve(lockStateid, null)));
  }

  @Test
  void unconfirmedClientsAreForgottenAfterALease() throws Exception {
    engine.setClientId(b("never-confirmed"), 1, "sys:0");
    assertEquals(1, engine.clientCount());
    clock.advance(Duration.ofSeconds(11));
    client40("other");
    assertEquals(1, engine.clientCount());
  }

  // ------------------------------------------------------------ 4.1 client ids and sessions

  @Test
  void exchangeIdCases() throws Exception {
    StateEngine.ExchangeIdResult first = engine.exchangeId(b("c"), 1, 0, "sys:0");
    assertEquals(0, first.flags() & StateEngine.EXCHGID4_FLAG_CONFIRMED_R);
    // case 4: a repeat while unconfirmed replaces the record
    StateEngine.ExchangeIdResult second = engine.exchangeId(b("c"), 1, 0, "sys:0");
    assertNotEquals(first.clientId(), second.clientId());
    assertEquals(Nfs4Status.STALE_CLIENTID,
        status(() -> engine.createSession(first.clientId(), first.sequence(), channel(4), channel(1), "sys:0")));
    // case 7: update without a confirmed record
    assertEquals(Nfs4Status.NOENT,
        status(() -> engine.exchangeId(b("c"), 1, StateEngine.EXCHGID4_FLAG_UPD_CONFIRMED_REC_A, "sys:0")));
    engine.createSession(second.clientId(), second.sequence(), channel(4), channel(1), "sys:0");
    // case 2: same verifier and principal: same answer, now confirmed
    StateEngine.ExchangeIdResult again = engine.exchangeId(b("c"), 1, 0, "sys:0");
    assertEquals(second.clientId(), again.clientId());
    assertTrue((again.flags() & StateEngine.EXCHGID4_FLAG_CONFIRMED_R) != 0);
    // case 6, 8, 9: updates
    assertEquals(second.clientId(),
        engine.exchangeId(b("c"), 1, StateEngine.EXCHGID4_FLAG_UPD_CONFIRMED_REC_A, "sys:0").clientId());
    assertEquals(Nfs4Status.NOT_SAME,
        status(() -> engine.exchangeId(b("c"), 2, StateEngine.EXCHGID4_FLAG_UPD_CONFIRMED_REC_A, "sys:0")));
    assertEquals(Nfs4Status.PERM,
        status(() -> engine.exchangeId(b("c"), 1, StateEngine.EXCHGID4_FLAG_UPD_CONFIRMED_REC_A, "sys:5")));
    // case 5: restart with a new verifier: new client id, old one goes at CREATE_SESSION
    StateEngine.ExchangeIdResult restart = engine.exchangeId(b("c"), 2, 0, "sys:0");
    assertNotEquals(second.clientId(), restart.clientId());
    engine.createSession(restart.clientId(), restart.sequence(), channel(4), channel(1), "sys:0");
    assertEquals(Nfs4Status.STALE_CLIENTID, status(() -> engine.destroyClientId(second.clientId())));
  }

  @Test
  void exchangeIdCollisionWithStateIsClidInUse() throws Exception {
    ClientRecord c = client41("c");
    open(c, "o", backend.file("f"), READ_DENY_NONE);
    assertEquals(Nfs4Status.CLID_INUSE, status(() -> engine.exchangeId(b("c"), 7, 0, "sys:99")));
  }

  @Test
  void createSessionReplaysAndOrdersBySequence() throws Exception {
    StateEngine.ExchangeIdResult r = engine.exchangeId(b("c"), 1, 0, "sys:0");
    assertEquals(Nfs4Status.SEQ_MISORDERED,
        status(() -> engine.createSession(r.clientId(), r.sequence() + 1, channel(4), channel(1), "sys:0")));
    CreateSessionResult s1 = engine.createSession(r.clientId(), r.sequence(), channel(4), channel(1), "sys:0");
    CreateSessionResult replay = engine.createSession(r.clientId(), r.sequence(), channel(4), channel(1), "sys:0");
    assertSame(s1, replay);
    assertEquals(1, engine.sessionIds().size());
    CreateSessionResult s2 = engine.createSession(r.clientId(), r.sequence() + 1, channel(4), channel(1), "sys:0");
    assertEquals(2, engine.sessionIds().size());
    assertNotEquals(java.util.HexFormat.of().formatHex(s1.sessionId()), java.util.HexFormat.of().formatHex(s2.sessionId()));
    assertEquals(Nfs4Status.SEQ_MISORDERED,
        status(() -> engine.createSession(r.clientId(), r.sequence() + 5, channel(4), channel(1), "sys:0")));
  }

  @Test
  void channelAttributesAreNegotiatedDownToServerLimits() throws Exception {
    StateEngine.ExchangeIdResult r = engine.exchangeId(b("c"), 1, 0, "sys:0");
    ChannelAttrs greedy = new ChannelAttrs(64, -1, -1, -1, 1000, 100_000, 5);
    CreateSessionResult s = engine.createSession(r.clientId(), r.sequence(), greedy, channel(1), "sys:0");
    StateConfig cfg = engine.config();
    assertEquals(0, s.fore().headerPadSize());
    assertEquals(cfg.maxRequestSize(), s.fore().maxRequestSize());
    assertEquals(cfg.maxResponseSize(), s.fore().maxResponseSize());
    assertEquals(cfg.maxCachedResponseSize(), s.fore().maxResponseSizeCached());
    assertEquals(cfg.maxOperations(), s.fore().maxOperations());
    assertEquals(cfg.maxSlots(), s.fore().maxRequests());
    assertEquals(null, s.fore().rdmaIrd());
    CreateSessionResult small = engine.createSession(r.clientId(), r.sequence() + 1,
        new ChannelAttrs(0, 4096, 4096, 1024, 8, 16, null), channel(1), "sys:0");
    assertEquals(16, small.fore().maxRequests());
    assertEquals(4096, small.fore().maxRequestSize());
    assertEquals(1024, small.fore().maxResponseSizeCached());
    assertEquals(cfg.maxOperations(), small.fore().maxOperations(), "never fewer operations than the server takes");
  }

  @Test
  void sequenceGivesExactlyOnceSemantics() throws Exception {
    StateEngine.ExchangeIdResult r = engine.exchangeId(b("c"), 1, 0, "sys:0");
    CreateSessionResult cs = engine.createSession(r.clientId(), r.sequence(), channel(4), channel(1), "sys:0");
    byte[] sid = cs.sessionId();

    SequenceOutcome.Accepted a = assertInstanceOf(SequenceOutcome.Accepted.class, engine.sequence(sid, 1, 0, 3));
    assertEquals(3, a.highestSlotId());
    // the retry while the original still runs must wait
    assertEquals(Nfs4Status.DELAY, status(() -> engine.sequence(sid, 1, 0, 3)));
    engine.completeSlot(a.session(), 0, new byte[] {1, 2, 3});
    SequenceOutcome.Replay replay = assertInstanceOf(SequenceOutcome.Replay.class, engine.sequence(sid, 1, 0, 3));
    assertArrayEquals(new byte[] {1, 2, 3}, replay.reply());
    assertEquals(Nfs4Status.SEQ_MISORDERED, status(() -> engine.sequence(sid, 3, 0, 3)));
    assertEquals(Nfs4Status.SEQ_MISORDERED, status(() -> engine.sequence(sid, 0, 0, 3)));
    assertEquals(Nfs4Status.BADSLOT, status(() -> engine.sequence(sid, 1, 4, 3)));
    assertEquals(Nfs4Status.BADSLOT, status(() -> engine.sequence(sid, 1, -1, 3)));
    assertEquals(Nfs4Status.TOO_MANY_OPS, status(() -> engine.sequence(sid, 2, 0, engine.config().maxOperations() + 1)));
    assertEquals(Nfs4Status.BADSESSION, status(() -> engine.sequence(new byte[16], 1, 0, 3)));

    SequenceOutcome.Accepted next = assertInstanceOf(SequenceOutcome.Accepted.class, engine.sequence(sid, 2, 0, 3));
    engine.completeSlot(next.session(), 0, null); // sa_cachethis false
    assertEquals(Nfs4Status.RETRY_UNCACHED_REP, status(() -> engine.sequence(sid, 2, 0, 3)));
    // other slots are independent
    assertInstanceOf(SequenceOutcome.Accepted.class, engine.sequence(sid, 1, 1, 3));
  }

  @Test
  void destroyClientIdWhileSessionsRemainIsBusy() throws Exception {
    StateEngine.ExchangeIdResult r = engine.exchangeId(b("c"), 1, 0, "sys:0");
    CreateSessionResult cs = engine.createSession(r.clientId(), r.sequence(), channel(4), channel(1), "sys:0");
    assertEquals(Nfs4Status.CLIENTID_BUSY, status(() -> engine.destroyClientId(r.clientId())));
    engine.destroySession(cs.sessionId());
    assertEquals(Nfs4Status.BADSESSION, status(() -> engine.destroySession(cs.sessionId())));
    engine.destroyClientId(r.clientId());
    assertEquals(Nfs4Status.STALE_CLIENTID, status(() -> engine.destroyClientId(r.clientId())));
  }

  @Test
  void expiredFourOneClientIsToldByTheSequenceFlagsAndFreesItsStateids() throws Exception {
    OpenFile f = backend.file("f");
    StateEngine.ExchangeIdResult r = engine.exchangeId(b("c"), 1, 0, "sys:0");
    CreateSessionResult cs = engine.createSession(r.clientId(), r.sequence(), channel(4), channel(1), "sys:0");
    ClientRecord c = engine.session(cs.sessionId()).client;
    OpenState open = open(c, "o", f, BOTH_DENY_NONE);
    LockState lock = engine.lockStateFor(engine.lockOwner(c, b("l")), open);
    Stateid lockid = engine.lock(lock, LockType.WRITE, ByteRange.WHOLE_FILE);

    clock.advance(Duration.ofSeconds(11));
    ClientRecord other = client41("other"); // runs the sweep
    OpenState otherOpen = open(other, "o2", f, BOTH_DENY_NONE);
    engine.lock(engine.lockStateFor(engine.lockOwner(other, b("l2")), otherOpen), LockType.WRITE, ByteRange.WHOLE_FILE);

    SequenceOutcome.Accepted a = assertInstanceOf(SequenceOutcome.Accepted.class, engine.sequence(cs.sessionId(), 1, 0, 2));
    assertEquals(StateEngine.SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED, a.statusFlags());
    engine.completeSlot(a.session(), 0, null);
    assertEquals(Nfs4Status.EXPIRED, engine.testStateid(c, open.stateid()));
    assertEquals(Nfs4Status.EXPIRED, engine.testStateid(c, lockid));
    assertEquals(Nfs4Status.BAD_STATEID, engine.testStateid(other, lockid), "another client's stateid");
    engine.freeStateid(c, lockid);
    engine.freeStateid(c, open.stateid());
    assertEquals(Nfs4Status.BAD_STATEID, engine.testStateid(c, open.stateid()));
    SequenceOutcome.Accepted b2 = assertInstanceOf(SequenceOutcome.Accepted.class, engine.sequence(cs.sessionId(), 2, 0, 2));
    assertEquals(0, b2.statusFlags());
  }

  // ------------------------------------------------------------ stateids

  @Test
  void stateidChecks() throws Exception {
    ClientRecord c = client40("c");
    OpenFile f = backend.file("f");
    OpenState open = open(c, "o", f, READ_DENY_NONE);
    Stateid current = open.stateid();
    engine.grantOpen(open.owner, f, WRITE_DENY_NONE, ROOT); // upgrade: seqid advances
    Stateid newer = open.stateid();
    assertEquals(current.seqid() + 1, newer.seqid());
    assertEquals(Nfs4Status.OLD_STATEID, status(() -> StateEngine.checkSeqid(open, current)));
    assertEquals(Nfs4Status.BAD_STATEID,
        status(() -> StateEngine.checkSeqid(open, Stateid.of(newer.seqid() + 1, newer.other()))));
    byte[] other = newer.other();
    other[11] ^= 0x7F;
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.resolve(Stateid.of(1, other), null)));
    byte[] stale = newer.other();
    stale[0] ^= 0x01;
    assertEquals(Nfs4Status.STALE_STATEID, status(() -> engine.resolve(Stateid.of(1, stale), null)));
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.resolve(Stateid.ANONYMOUS, null)));
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.resolve(Stateid.BYPASS, null)));
  }

  @Test
  void seqidZeroMeansCurrentOnlyInFourOne() throws Exception {
    ClientRecord c41 = client41("c41");
    OpenState o41 = open(c41, "o", backend.file("f"), READ_DENY_NONE);
    StateEngine.checkSeqid(o41, Stateid.of(0, o41.stateid().other()));
    ClientRecord c40 = client40("c40");
    OpenState o40 = open(c40, "o", backend.file("g"), READ_DENY_NONE);
    assertEquals(Nfs4Status.OLD_STATEID, status(() -> StateEngine.checkSeqid(o40, Stateid.of(0, o40.stateid().other()))));
  }

  @Test
  void checkIoFollowsKnfsd() throws Exception {
    ClientRecord c = client40("c");
    OpenFile f = backend.file("f");
    OpenFile g = backend.file("g");
    OpenState reader = open(c, "o", f, READ_DENY_WRITE);
    engine.checkIo(null, reader.stateid(), f, false);
    assertEquals(Nfs4Status.OPENMODE, status(() -> engine.checkIo(null, reader.stateid(), f, true)));
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.checkIo(null, reader.stateid(), g, false)));
    assertEquals(Nfs4Status.LOCKED, status(() -> engine.checkIo(null, Stateid.ANONYMOUS, f, true)));
    engine.checkIo(null, Stateid.ANONYMOUS, f, false);
    engine.checkIo(null, Stateid.BYPASS, f, false);
    engine.checkIo(null, Stateid.ANONYMOUS, g, true);
  }

  @Test
  void unconfirmedOpenCannotBeUsedForIo() throws Exception {
    ClientRecord c = client40("c");
    OpenFile f = backend.file("f");
    OpenGrant g = engine.grantOpen(engine.openOwner(c, b("o"), 1), f, READ_DENY_NONE, ROOT);
    assertTrue(g.confirmNeeded());
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.checkIo(null, g.stateid(), f, false)));
    OpenState s = (OpenState) engine.resolve(g.stateid(), null);
    Stateid confirmed = engine.confirmOpen(s);
    engine.checkIo(null, confirmed, f, false);
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.confirmOpen(s)));
  }

  // ------------------------------------------------------------ opens

  @Test
  void shareReservationsAcrossClientsAndBackendHooks() throws Exception {
    OpenFile f = backend.file("f");
    ClientRecord a = client40("a");
    ClientRecord b = client41("b");
    OpenState openA = open(a, "o", f, READ_DENY_WRITE);
    OpenOwner ownerB = engine.openOwner(b, b("o"), 1);
    assertEquals(Nfs4Status.SHARE_DENIED, status(() -> engine.grantOpen(ownerB, f, WRITE_DENY_NONE, ROOT)));
    OpenGrant readB = engine.grantOpen(ownerB, f, READ_DENY_NONE, ROOT);
    assertFalse(readB.confirmNeeded(), "4.1 owners need no OPEN_CONFIRM");
    assertEquals(List.of("open f r deny2", "open f r"), backend.calls, "the backend hears of each owner's open");
    engine.close(openA);
    assertEquals(List.of("open f r deny2", "open f r", "close f"), backend.calls);
    engine.close((OpenState) engine.resolve(readB.stateid(), b));
    assertEquals(List.of("open f r deny2", "open f r", "close f", "close f"), backend.calls);
    assertEquals(0, engine.backendOpenCount());
  }

  @Test
  void closedFourZeroOpenIsBadStateidButKnownForReplay() throws Exception {
    ClientRecord c = client40("c");
    OpenState open = open(c, "o", backend.file("f"), READ_DENY_NONE);
    Stateid closed = engine.close(open);
    assertFalse(c.hasState(), "a closed open is no state");
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> StateEngine.checkSeqid(engine.resolve(closed, null), closed)));
  }

  @Test
  void downgradeToAModeNeverOpenedWithIsInval() throws Exception {
    ClientRecord c = client41("c");
    OpenFile f = backend.file("f");
    OpenState open = open(c, "o", f, new ShareReservation(ShareReservation.BOTH, ShareReservation.NONE));
    assertEquals(Nfs4Status.INVAL, status(() -> engine.downgradeOpen(open, READ_DENY_NONE)));
    engine.grantOpen(open.owner, f, READ_DENY_NONE, ROOT);
    Stateid before = open.stateid();
    Stateid after = engine.downgradeOpen(open, READ_DENY_NONE);
    assertEquals(before.seqid() + 1, after.seqid());
    assertEquals(READ_DENY_NONE, open.share);
    assertEquals(Nfs4Status.INVAL, status(() -> engine.downgradeOpen(open, WRITE_DENY_NONE)));
  }

  @Test
  void openOfAnOwnerNeverConfirmedIsDroppedAfterALease() throws Exception {
    ClientRecord c = client40("c");
    ClientRecord other = client40("other");
    OpenFile f = backend.file("f");
    OpenGrant g = engine.grantOpen(engine.openOwner(c, b("o"), 1), f, READ_DENY_WRITE, ROOT);
    OpenOwner o = engine.openOwner(other, b("o"), 1);
    o.confirmed = true; // as after an OPEN_CONFIRM of another file
    assertEquals(Nfs4Status.SHARE_DENIED, status(() -> engine.grantOpen(o, f, WRITE_DENY_NONE, ROOT)));
    clock.advance(Duration.ofSeconds(6));
    engine.client40(c.clientId());
    engine.client40(other.clientId());
    clock.advance(Duration.ofSeconds(6));
    engine.client40(c.clientId()); // c's lease is alive; its owner was never confirmed
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.resolve(g.stateid(), null)));
    engine.grantOpen(o, f, WRITE_DENY_NONE, ROOT);
    assertSame(o, engine.openOwner(other, b("o"), 2), "a confirmed owner stays");
  }

  @Test
  void unconfirmedFourZeroOwnerIsReplacedByANewOpen() throws Exception {
    ClientRecord c = client40("c");
    OpenFile f = backend.file("f");
    OpenGrant first = engine.grantOpen(engine.openOwner(c, b("o"), 1), f, READ_DENY_WRITE, ROOT);
    OpenOwner again = engine.openOwner(c, b("o"), 1);
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.resolve(first.stateid(), null)));
    engine.grantOpen(again, f, BOTH_DENY_NONE, ROOT);
  }

  // ------------------------------------------------------------ locks

  @Test
  void lockConflictNamesTheHolder() throws Exception {
    OpenFile f = backend.file("f");
    ClientRecord a = client40("a");
    ClientRecord b = client40("b");
    LockState la = engine.lockStateFor(engine.lockOwner(a, b("owner-a")), open(a, "o", f, BOTH_DENY_NONE));
    engine.lock(la, LockType.WRITE, ByteRange.of(100, 50));
    LockState lb = engine.lockStateFor(engine.lockOwner(b, b("owner-b")), open(b, "o", f, BOTH_DENY_NONE));
    Nfs4Exception e = assertThrows(Nfs4Exception.class, () -> engine.lock(lb, LockType.READ, ByteRange.of(120, 1)));
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
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.resolve(lb.stateid(), null)),
        "a lock state made for a refused LOCK is forgotten");
    engine.testLock(b, b("owner-b"), f, LockType.READ, ByteRange.of(0, 100));
    assertEquals(Nfs4Status.DENIED, status(() -> engine.testLock(b, b("owner-b"), f, LockType.READ, ByteRange.of(149, 1))));
    engine.testLock(a, b("owner-a"), f, LockType.WRITE, ByteRange.of(100, 1));
  }

  @Test
  void lockTypeMustMatchTheOpenMode() throws Exception {
    ClientRecord c = client40("c");
    OpenFile f = backend.file("f");
    LockState l = engine.lockStateFor(engine.lockOwner(c, b("l")), open(c, "o", f, READ_DENY_NONE));
    assertEquals(Nfs4Status.OPENMODE, status(() -> engine.lock(l, LockType.WRITE, ByteRange.WHOLE_FILE)));
  }

  @Test
  void unlockReleaseLockOwnerAndFreeStateid() throws Exception {
    ClientRecord c = client41("c");
    OpenFile f = backend.file("f");
    LockOwner owner = engine.lockOwner(c, b("l"));
    LockState l = engine.lockStateFor(owner, open(c, "o", f, BOTH_DENY_NONE));
    Stateid locked = engine.lock(l, LockType.WRITE, ByteRange.of(0, 10));
    assertEquals(Nfs4Status.LOCKS_HELD, status(() -> engine.releaseLockOwner(c, b("l"))));
    assertEquals(Nfs4Status.LOCKS_HELD, status(() -> engine.freeStateid(c, locked)));
    assertEquals(Nfs4Status.LOCKS_HELD, status(() -> engine.freeStateid(c, l.open.stateid())));
    Stateid unlocked = engine.unlock(l, ByteRange.of(0, 10));
    assertEquals(locked.seqid() + 1, unlocked.seqid());
    engine.freeStateid(c, unlocked);
    assertEquals(Nfs4Status.BAD_STATEID, engine.testStateid(c, unlocked));
    engine.releaseLockOwner(c, b("l"));
    engine.releaseLockOwner(c, b("never-existed"));
  }

  @Test
  void closeDropsTheLocksOfItsLockStates() throws Exception {
    ClientRecord a = client40("a");
    ClientRecord b = client40("b");
    OpenFile f = backend.file("f");
    OpenState openA = open(a, "o", f, BOTH_DENY_NONE);
    LockState la = engine.lockStateFor(engine.lockOwner(a, b("l")), openA);
    Stateid lockid = engine.lock(la, LockType.WRITE, ByteRange.WHOLE_FILE);
    engine.close(openA);
    assertEquals(Nfs4Status.BAD_STATEID, status(() -> engine.resolve(lockid, null)));
    engine.testLock(b, b("x"), f, LockType.WRITE, ByteRange.WHOLE_FILE);
  }

  @Test
  void idleFourOneOwnersAndStatesAreForgottenAtClose() throws Exception {
    ClientRecord c = client41("c");
    OpenState open = open(c, "o", backend.file("f"), BOTH_DENY_NONE);
    LockState l = engine.lockStateFor(b("l"), open);
    engine.lock(l, LockType.WRITE, ByteRange.of(0, 1));
    engine.close(open);
    assertTrue(c.lockOwners.isEmpty());
    assertTrue(c.openOwners.isEmpty());
    assertTrue(c.states.isEmpty());
    assertTrue(lockManager.locks(open.file.key()).isEmpty());
  }

  @Test
  void secondOpenToLockOwnerForTheSameFileIsBadSeqidInFourZero() throws Exception {
    ClientRecord c = client40("c");
    OpenFile f = backend.file("f");
    LockOwner owner = engine.lockOwner(c, b("l"));
    OpenState open = open(c, "o", f, BOTH_DENY_NONE);
    engine.lock(engine.lockStateFor(owner, open), LockType.READ, ByteRange.WHOLE_FILE);
    assertEquals(Nfs4Status.BAD_SEQID, status(() -> engine.lockStateFor(owner, open)));
  }

  // ------------------------------------------------------------ grace

  @Test
  void graceRefusesNewStateAcceptsReclaimsAndEndsOnTimeOrReclaimComplete() throws Exception {
    StateEngine graceful = new StateEngine(
        StateConfig.defaults().withGracePeriod(Duration.ofSeconds(5)), clock, new LocalLockManager());
    long[] r = graceful.setClientId(b("c"), 1, "sys:0");
    graceful.setClientIdConfirm(r[0], r[1], "sys:0");
    ClientRecord c = graceful.client40(r[0]);
    StateEngine.ExchangeIdResult other = graceful.exchangeId(b("still-reclaiming"), 1, 0, "sys:0");
    graceful.createSession(other.clientId(), other.sequence(), channel(2), channel(1), "sys:0");
    assertTrue(graceful.inGrace());
    graceful.checkGrace(c, true);
    assertEquals(Nfs4Status.GRACE, status(() -> graceful.checkGrace(c, false)));
    assertEquals(Nfs4Status.GRACE, status(() -> graceful.checkIo(null, Stateid.ANONYMOUS, backend.file("f"), true)));
    clock.advance(Duration.ofSeconds(6));
    assertFalse(graceful.inGrace());
    graceful.checkGrace(c, false);
    assertEquals(Nfs4Status.NO_GRACE, status(() -> graceful.checkGrace(c, true)));
  }

  @Test
  void fourZeroClientsEndGraceWithTheirFirstNewRequest() throws Exception {
    StateEngine graceful = new StateEngine(
        StateConfig.defaults().withGracePeriod(Duration.ofSeconds(60)), clock, new LocalLockManager());
    long[] r1 = graceful.setClientId(b("a"), 1, "sys:0");
    graceful.setClientIdConfirm(r1[0], r1[1], "sys:0");
    long[] r2 = graceful.setClientId(b("b"), 1, "sys:0");
    graceful.setClientIdConfirm(r2[0], r2[1], "sys:0");
    ClientRecord a = graceful.client40(r1[0]);
    ClientRecord b2 = graceful.client40(r2[0]);
    graceful.checkGrace(a, true);
    assertEquals(Nfs4Status.GRACE, status(() -> graceful.checkGrace(a, false)), "b may still reclaim");
    assertEquals(Nfs4Status.NO_GRACE, status(() -> graceful.checkGrace(a, true)), "a has finished reclaiming");
    graceful.checkGrace(b2, true);
    graceful.checkGrace(b2, false); // the last client's first new request ends the grace period
    assertFalse(graceful.inGrace());
  }

  @Test
  void reclaimCompleteFromAllFourOneClientsEndsGraceEarly() throws Exception {
    StateEngine graceful = new StateEngine(
        StateConfig.defaults().withGracePeriod(Duration.ofSeconds(60)), clock, new LocalLockManager());
    StateEngine.ExchangeIdResult r1 = graceful.exchangeId(b("a"), 1, 0, "sys:0");
    CreateSessionResult s1 = graceful.createSession(r1.clientId(), r1.sequence(), channel(2), channel(1), "sys:0");
    StateEngine.ExchangeIdResult r2 = graceful.exchangeId(b("b"), 1, 0, "sys:0");
    CreateSessionResult s2 = graceful.createSession(r2.clientId(), r2.sequence(), channel(2), channel(1), "sys:0");
    ClientRecord a = graceful.session(s1.sessionId()).client;
    ClientRecord b2 = graceful.session(s2.sessionId()).client;
    graceful.checkGrace(a, true);
    graceful.reclaimComplete(a, false);
    assertEquals(Nfs4Status.NO_GRACE, status(() -> graceful.checkGrace(a, true)), "no reclaim after RECLAIM_COMPLETE");
    assertEquals(Nfs4Status.COMPLETE_ALREADY, status(() -> graceful.reclaimComplete(a, false)));
    assertTrue(graceful.inGrace(), "b has not finished reclaiming");
    graceful.reclaimComplete(b2, false);
    assertFalse(graceful.inGrace());
    graceful.checkGrace(a, false);
  }

  // ------------------------------------------------------------ 4.0 owner seqids

  @Test
  void ownerSeqidReplayAndBadSeqid() throws Exception {
    ClientRecord c = client40("c");
    OpenOwner o = engine.openOwner(c, b("o"), 1);
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
    OpenOwner o = engine.openOwner(c, b("o"), 1);
    NfsException e = assertThrows(NfsException.class, () -> engine.grantOpen(o, f, READ_DENY_WRITE, ROOT));
    assertEquals(dev.jnfs.spi.NfsStatus.ACCES, e.status());
    assertTrue(lockManager.share(f.key(), o.id).isEmpty());
  }
}
