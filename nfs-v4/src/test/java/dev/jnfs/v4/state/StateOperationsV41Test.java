package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_BOTH;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_READ;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_WRITE;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static dev.jnfs.v4.testing.StateCompound.DENY_WRITE;
import static dev.jnfs.v4.testing.StateCompound.GUARDED4;
import static dev.jnfs.v4.testing.StateCompound.UNCHECKED4;
import static dev.jnfs.v4.testing.StateCompound.WRITE_LT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.FileKey;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.v4.Nfs4Opcode;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The NFSv4.1 session and state operations through the COMPOUND processor, with their error paths. */
class StateOperationsV41Test {
  private final StateFixture fx = new StateFixture();
  private final Wire.Client41 a = new Wire.Client41(fx.client(1), "client-a");

  private Stateid openCreate(Wire.Client41 c, String owner, String name, int access, int deny) {
    OpenReply r = ok(c.call(StateCompound.openCreate(c.next().putrootfh(), 0, access, deny, c.clientId, b(owner),
        name, UNCHECKED4))).last();
    assertEquals(StateCompound.RESULT_LOCKTYPE_POSIX, r.rflags(), "no OPEN_CONFIRM in 4.1");
    return r.stateid();
  }

  private boolean exists(String name) {
    try {
      fx.fs.lookup(Caller.of(0, 0), fx.fs.root(), name);
      return true;
    } catch (NfsException e) {
      return false;
    }
  }

  @Test
  void sessionIsNegotiatedWithGenerousLimits() {
    int[] fore = a.session.fore();
    assertEquals(0, fore[0], "no header padding");
    assertEquals(128, fore[4], "operations: all the server takes, even above the client's wish");
    assertEquals(64, fore[5], "slots: what the client asked");
    Wire.Client41 greedy = new Wire.Client41(fx.client(2), "greedy", 100_000, 100_000);
    assertEquals(128, greedy.session.fore()[5]);
    assertEquals(128, greedy.session.fore()[4]);
    assertTrue(greedy.session.fore()[1] >= (1 << 20), "a request carries a 1 MiB WRITE");
  }

  @Test
  void retriedNonIdempotentCompoundGetsTheCachedBytesAndRunsOnce() {
    Compound create = StateCompound.openCreate(a.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, a.clientId, b("o"),
        "once", GUARDED4).getfh();
    Wire.Answer first = ok(a.call(create));
    Wire.Answer retry = a.call(create);
    assertArrayEquals(first.bytes(), retry.bytes(), "byte-identical cached reply");
    assertEquals(1, fx.engine().backendOpenCount());
    // had it run again, GUARDED4 would have failed with EXIST: prove that by running it anew
    assertEquals(Nfs4Status.EXIST, a.call(StateCompound.openCreate(a.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE,
        a.clientId, b("o"), "once", GUARDED4)).status());
  }

  @Test
  void sequenceErrors() {
    a.seqid++;
    int current = a.seqid;
    ok(a.call(StateCompound.sequence(Compound.v41(), a.sessionId, current, 0, false)));
    assertEquals(Nfs4Status.SEQ_MISORDERED,
        a.call(StateCompound.sequence(Compound.v41(), a.sessionId, current + 2, 0, false)).status());
    assertEquals(Nfs4Status.SEQ_MISORDERED,
        a.call(StateCompound.sequence(Compound.v41(), a.sessionId, current - 1, 0, false)).status());
    assertEquals(Nfs4Status.RETRY_UNCACHED_REP,
        a.call(StateCompound.sequence(Compound.v41(), a.sessionId, current, 0, false)).status(),
        "sa_cachethis was false");
    assertEquals(Nfs4Status.BADSLOT, a.call(StateCompound.sequence(Compound.v41(), a.sessionId, 1, 64, false)).status());
    byte[] unknown = a.sessionId.clone();
    unknown[15] ^= 1;
    assertEquals(Nfs4Status.BADSESSION, a.call(StateCompound.sequence(Compound.v41(), unknown, 1, 0, false)).status());
    StateCompound.SequenceReply other = ok(a.call(StateCompound.sequence(Compound.v41(), a.sessionId, 1, 5, false)))
        .last();
    assertEquals(5, other.slot());
    assertEquals(63, other.highestSlot());
    assertEquals(0, other.statusFlags());
  }

  @Test
  void tooManyOperationsForTheSession() {
    StateFixture limited = new StateFixture(StateConfig.defaults().withMaxOperations(3));
    Wire.Client41 small = new Wire.Client41(limited.client(2), "small", 4, 3);
    assertEquals(3, small.session.fore()[4]);
    Compound c = small.next().putrootfh().getfh().getfh();
    assertEquals(Nfs4Status.TOO_MANY_OPS, small.call(c).status());
    assertEquals(Nfs4Status.OK, small.call(StateCompound.sequence(Compound.v41(), small.sessionId, small.seqid, 0,
        true).putrootfh().getfh()).status(), "the refused request did not use the slot's seqid");
  }

  @Test
  void exchangeIdAndCreateSessionErrors() {
    StateCompound.ExchangeIdReply x = ok(a.call(StateCompound.exchangeId(Compound.v41(), b("new"), 5, 0))).last();
    assertEquals(Nfs4Status.SEQ_MISORDERED, a.call(StateCompound.createSession(Compound.v41(), x.clientId(),
        x.sequence() + 1, 8, 8)).status());
    Compound cs = StateCompound.createSession(Compound.v41(), x.clientId(), x.sequence(), 8, 8);
    Wire.Answer created = ok(a.call(cs));
    assertArrayEquals(created.<StateCompound.CreateSessionReply>last().sessionId(),
        ok(a.call(cs)).<StateCompound.CreateSessionReply>last().sessionId(), "a retried CREATE_SESSION replays");
    assertEquals(Nfs4Status.NOT_SAME, a.call(StateCompound.exchangeId(Compound.v41(), b("new"), 6,
        0x40000000)).status());
    assertEquals(Nfs4Status.NOENT, a.call(StateCompound.exchangeId(Compound.v41(), b("unknown"), 6,
        0x40000000)).status());
    assertEquals(Nfs4Status.INVAL, a.call(StateCompound.exchangeId(Compound.v41(), b("x"), 6, 0x8)).status());
    assertEquals(Nfs4Status.STALE_CLIENTID, a.call(StateCompound.createSession(Compound.v41(), 12345, 1, 8, 8))
        .status());
  }

  @Test
  void destroyClientIdWhileASessionRemainsIsBusy() {
    assertEquals(Nfs4Status.CLIENTID_BUSY, a.call(StateCompound.destroyClientid(Compound.v41(), a.clientId)).status());
    ok(a.call(StateCompound.destroySession(Compound.v41(), a.sessionId)));
    assertEquals(Nfs4Status.BADSESSION, a.call(a.next()).status());
    ok(a.call(StateCompound.destroyClientid(Compound.v41(), a.clientId)));
    assertEquals(Nfs4Status.STALE_CLIENTID, a.call(StateCompound.destroyClientid(Compound.v41(), a.clientId)).status());
  }

  @Test
  void bindConnToSession() {
    assertEquals(1, (int) ok(a.call(StateCompound.bindConnToSession(Compound.v41(), a.sessionId, 1))).last());
    assertEquals(3, (int) ok(a.call(StateCompound.bindConnToSession(Compound.v41(), a.sessionId, 3))).last());
    assertEquals(Nfs4Status.INVAL, a.call(StateCompound.bindConnToSession(Compound.v41(), a.sessionId, 9)).status());
    byte[] unknown = new byte[16];
    assertEquals(Nfs4Status.BADSESSION, a.call(StateCompound.bindConnToSession(Compound.v41(), unknown, 1)).status());
  }

  @Test
  void reclaimCompleteTwiceIsCompleteAlready() {
    assertEquals(Nfs4Status.COMPLETE_ALREADY, a.call(StateCompound.reclaimComplete(a.next())).status());
    assertEquals(Nfs4Status.OP_NOT_IN_SESSION, a.call(StateCompound.reclaimComplete(Compound.v41())).status());
  }

  @Test
  void testAndFreeStateid() {
    Stateid open = openCreate(a, "o", "f", ACCESS_BOTH, DENY_NONE);
    Stateid lock = ok(a.call(StateCompound.lockNew(a.next().putrootfh().lookup("f"), WRITE_LT, false, 0, 10, 0, open,
        0, a.clientId, b("l")))).last();
    byte[] bad = lock.other();
    bad[11] ^= 0x11;
    List<Integer> codes = ok(a.call(StateCompound.testStateid(a.next(), open, lock, Stateid.of(1, bad),
        Stateid.of(lock.seqid() + 5, lock.other())))).last();
    assertEquals(List.of(Nfs4Status.OK, Nfs4Status.OK, Nfs4Status.BAD_STATEID, Nfs4Status.BAD_STATEID), codes);
    assertEquals(Nfs4Status.LOCKS_HELD, a.call(StateCompound.freeStateid(a.next(), lock)).status());
    assertEquals(Nfs4Status.LOCKS_HELD, a.call(StateCompound.freeStateid(a.next(), open)).status());
    Stateid unlocked = ok(a.call(StateCompound.locku(a.next().putrootfh().lookup("f"), WRITE_LT, 0, lock, 0, 10)))
        .last();
    ok(a.call(StateCompound.freeStateid(a.next(), unlocked)));
    assertEquals(List.of(Nfs4Status.BAD_STATEID), ok(a.call(StateCompound.testStateid(a.next(), unlocked))).last());
  }

  @Test
  void currentStateidFlowsFromOpenToLockToLocku() {
    Wire.Answer r = ok(a.call(StateCompound.locku(StateCompound.lockNew(
        StateCompound.openCreate(a.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, a.clientId, b("o"), "f", UNCHECKED4),
        WRITE_LT, false, 0, 1, 0, Stateid.CURRENT, 0, a.clientId, b("l")), WRITE_LT, 0, Stateid.CURRENT, 0, 1)));
    Stateid locked = r.result(3);
    Stateid unlocked = r.last();
    assertArrayEquals(locked.other(), unlocked.other(), "LOCKU used the lock stateid LOCK made current");
    assertEquals(locked.seqid() + 1, unlocked.seqid());
  }

  @Test
  void closeOfTheCurrentStateidAnswersTheInvalidStateid() {
    Wire.Answer r = ok(a.call(StateCompound.close(
        StateCompound.openCreate(a.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, a.clientId, b("o"), "f", UNCHECKED4),
        0, Stateid.CURRENT)));
    assertEquals(Stateid.INVALID, r.last(), "4.1 CLOSE answers the invalid stateid");
    assertEquals(0, fx.engine().backendOpenCount());
    assertEquals(Nfs4Status.BAD_STATEID, a.call(StateCompound.close(a.next().putrootfh(), 0, Stateid.CURRENT))
        .status(), "no current stateid");
  }

  @Test
  void otherClientsStateidsAreBad() {
    Stateid open = openCreate(a, "o", "f", ACCESS_BOTH, DENY_NONE);
    Wire.Client41 b = new Wire.Client41(fx.client(2), "client-b");
    assertEquals(Nfs4Status.BAD_STATEID, b.call(StateCompound.close(b.next().putrootfh().lookup("f"), 0, open))
        .status());
    assertEquals(List.of(Nfs4Status.BAD_STATEID), ok(b.call(StateCompound.testStateid(b.next(), open))).last());
  }

  @Test
  void delegationClaimsByFilehandleAreDecodedByTheirNumbers() {
    fx.file("f");
    Stateid open = ok(a.call(StateCompound.openName(a.next().putrootfh(), 0, ACCESS_READ, DENY_NONE,
        a.clientId, b("o"), "f"))).<OpenReply>last().stateid();
    // CLAIM_DELEG_CUR_FH (5) carries a delegation stateid (RFC 8881 §18.16.1): an open
    // stateid names no delegation
    Reply cur = a.call(StateCompound.open(a.next().putrootfh().lookup("f"), 0, ACCESS_READ, DENY_NONE,
        a.clientId, b("o"), null, 5, open::encode)).reply();
    assertEquals(Nfs4Status.BAD_STATEID, cur.status());
    // CLAIM_DELEG_PREV_FH (6) carries nothing: no delegation to reclaim
    Reply prev = a.call(StateCompound.open(a.next().putrootfh().lookup("f"), 0, ACCESS_READ, DENY_NONE,
        a.clientId, b("o"), null, 6, x -> { })).reply();
    assertEquals(Nfs4Status.NOTSUPP, prev.status());
    assertEquals(Nfs4Status.BADXDR, a.call(StateCompound.open(a.next().putrootfh().lookup("f"), 0,
        ACCESS_READ, DENY_NONE, a.clientId, b("o"), null, 7, x -> { })).status());
  }

  @Test
  void openByFilehandleExclusiveCreateAndDelegationWishes() {
    fx.file("existing");
    OpenReply byFh = ok(a.call(StateCompound.open(a.next().putrootfh().lookup("existing"), 0, ACCESS_READ | 0x0300,
        DENY_NONE, a.clientId, b("o"), null, StateCompound.CLAIM_FH, x -> { }))).last();
    assertEquals(3, byFh.delegationType(), "OPEN_DELEGATE_NONE_EXT for a delegation wish");
    assertEquals(3, byFh.whyNone(), "WND4_NOT_SUPP_FTYPE");
    OpenReply noWish = ok(a.call(StateCompound.open(a.next().putrootfh().lookup("existing"), 0, ACCESS_READ | 0x0400,
        DENY_NONE, a.clientId, b("o2"), null, StateCompound.CLAIM_FH, x -> { }))).last();
    assertEquals(0, noWish.whyNone(), "WND4_NOT_WANTED");

    Compound exclusive = StateCompound.open(a.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, a.clientId, b("o"),
        x -> {
          x.writeInt(StateCompound.EXCLUSIVE4_1).writeHyper(0x1234);
          dev.jnfs.v4.testing.Attrs.set().mode(0600).encode(x);
        }, StateCompound.CLAIM_NULL, x -> x.writeString("excl"));
    OpenReply created = ok(a.call(exclusive)).last();
    assertNotEquals(0, created.attrset().length);
    assertTrue(exists("excl"));
    assertEquals(Nfs4Status.EXIST, a.call(StateCompound.open(a.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE,
        a.clientId, b("o"), x -> x.writeInt(StateCompound.EXCLUSIVE4_1).writeHyper(0x9999).writeInt(0).writeInt(0),
        StateCompound.CLAIM_NULL, x -> x.writeString("excl"))).status(), "another verifier");
    assertEquals(Nfs4Status.INVAL, a.call(StateCompound.open(a.next().putrootfh().lookup("existing"), 0, ACCESS_READ,
        DENY_NONE, a.clientId, b("o"), x -> x.writeInt(UNCHECKED4).writeInt(0).writeInt(0), StateCompound.CLAIM_FH,
        x -> { })).status(), "creation needs CLAIM_NULL");
  }

  @Test
  void openingDirectoriesAndMissingNames() {
    fx.mkdir("d");
    assertEquals(Nfs4Status.ISDIR, a.call(StateCompound.openName(a.next().putrootfh(), 0, ACCESS_READ, DENY_NONE,
        a.clientId, b("o"), "d")).status());
    assertEquals(Nfs4Status.NOENT, a.call(StateCompound.openName(a.next().putrootfh(), 0, ACCESS_READ, DENY_NONE,
        a.clientId, b("o"), "missing")).status());
    assertEquals(Nfs4Status.NOFILEHANDLE, a.call(StateCompound.openName(a.next(), 0, ACCESS_READ, DENY_NONE,
        a.clientId, b("o"), "missing")).status());
  }

  @Test
  void shareDenialAcrossClients() {
    openCreate(a, "o", "f", ACCESS_READ, DENY_WRITE);
    Wire.Client41 b = new Wire.Client41(fx.client(2), "client-b");
    assertEquals(Nfs4Status.SHARE_DENIED, b.call(StateCompound.openName(b.next().putrootfh(), 0, ACCESS_WRITE,
        DENY_NONE, b.clientId, b("o"), "f")).status());
  }

  @Test
  void leaseExpiryRevokesStateAndSequenceSaysSo() {
    Stateid open = openCreate(a, "o", "f", ACCESS_BOTH, DENY_NONE);
    Stateid lock = ok(a.call(StateCompound.lockNew(a.next().putrootfh().lookup("f"), WRITE_LT, false, 0,
        ByteRange.TO_END, 0, open, 0, a.clientId, b("l")))).last();
    Wire.Client41 b = new Wire.Client41(fx.client(2), "client-b");
    Stateid openB = openCreate(b, "o", "f", ACCESS_BOTH, DENY_NONE);
    assertEquals(Nfs4Status.DENIED, b.call(StateCompound.lockNew(b.next().putrootfh().lookup("f"), WRITE_LT, false,
        0, 1, 0, openB, 0, b.clientId, b("l"))).status());
    fx.clock.advance(Duration.ofSeconds(20));
    ok(b.call(b.next()));
    fx.clock.advance(Duration.ofSeconds(20));
    ok(b.call(StateCompound.lockNew(b.next().putrootfh().lookup("f"), WRITE_LT, false, 0, 1, 0, openB, 0,
        b.clientId, b("l"))));

    StateCompound.SequenceReply s = ok(a.call(a.next())).last();
    assertEquals(0x8, s.statusFlags(), "SEQ4_STATUS_EXPIRED_ALL_STATE_REVOKED");
    assertEquals(List.of(Nfs4Status.EXPIRED, Nfs4Status.EXPIRED),
        ok(a.call(StateCompound.testStateid(a.next(), open, lock))).last());
    ok(a.call(StateCompound.freeStateid(a.next(), lock)));
    ok(a.call(StateCompound.freeStateid(a.next(), open)));
    StateCompound.SequenceReply after = ok(a.call(a.next())).last();
    assertEquals(0, after.statusFlags());
    assertFalse(fx.locks.locks(new FileKey(fx.exportId, lookup("f"))).stream()
        .anyMatch(l -> l.owner().clientId() == a.clientId));
  }

  private dev.jnfs.spi.FileHandle lookup(String name) {
    try {
      return fx.fs.lookup(Caller.of(0, 0), fx.fs.root(), name).handle();
    } catch (NfsException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void fourZeroOnlyOperationsAreNotSupportedInFourOne() {
    Wire.Answer r = a.call(StateCompound.renew(a.next(), a.clientId));
    assertEquals(Nfs4Status.NOTSUPP, r.status());
    assertEquals(Nfs4Opcode.RENEW, r.reply().last().opcode());
    assertEquals(Nfs4Status.NOTSUPP, a.call(StateCompound.openConfirm(a.next().putrootfh(), Stateid.ANONYMOUS, 1))
        .status());
  }
}
