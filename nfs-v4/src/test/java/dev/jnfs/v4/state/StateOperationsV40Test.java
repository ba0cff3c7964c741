package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_BOTH;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_READ;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_WRITE;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static dev.jnfs.v4.testing.StateCompound.DENY_READ;
import static dev.jnfs.v4.testing.StateCompound.DENY_WRITE;
import static dev.jnfs.v4.testing.StateCompound.GUARDED4;
import static dev.jnfs.v4.testing.StateCompound.READ_LT;
import static dev.jnfs.v4.testing.StateCompound.UNCHECKED4;
import static dev.jnfs.v4.testing.StateCompound.WRITE_LT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.v4.Nfs4Opcode;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The NFSv4.0 state operations through the COMPOUND processor, with their error paths. */
class StateOperationsV40Test {
  private final StateFixture fx = new StateFixture();
  private final Wire.Client40 a = new Wire.Client40(fx.client(1), "client-a");
  private final Wire.Client40 b = new Wire.Client40(fx.client(2), "client-b");

  /** Opens (creating) a name for a new owner and confirms it; returns the confirmed stateid. */
  private Stateid openConfirmed(Wire.Client40 c, String owner, String name, int access, int deny) {
    Wire.Answer r = ok(c.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, access, deny, c.clientId,
        b(owner), name, UNCHECKED4)));
    OpenReply open = r.last();
    assertEquals(StateCompound.RESULT_CONFIRM | StateCompound.RESULT_LOCKTYPE_POSIX, open.rflags());
    Wire.Answer confirmed = ok(c.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup(name),
        open.stateid(), 2)));
    return confirmed.last();
  }

  @Test
  void openCreateConfirmAndClose() {
    Wire.Answer r = ok(a.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_BOTH, DENY_NONE,
        a.clientId, b("o"), "f", GUARDED4).getfh()));
    OpenReply open = r.result(1);
    assertEquals(1, open.stateid().seqid());
    assertNotEquals(open.before(), open.after(), "the directory changed");
    assertTrue(open.attrset().length > 0 && open.attrset()[1] != 0, "mode was set");
    assertEquals(StateCompound.RESULT_CONFIRM | StateCompound.RESULT_LOCKTYPE_POSIX, open.rflags());
    assertEquals(0, open.delegationType());
    byte[] fh = r.last();

    Stateid confirmed = ok(a.call(StateCompound.openConfirm(Compound.v40().putfh(fh), open.stateid(), 2))).last();
    assertEquals(2, confirmed.seqid());
    assertEquals(1, fx.engine().backendOpenCount());
    Stateid closed = ok(a.call(StateCompound.close(Compound.v40().putfh(fh), 3, confirmed))).last();
    assertEquals(3, closed.seqid());
    assertEquals(0, fx.engine().backendOpenCount(), "the backend heard the last close");
    assertEquals(Nfs4Status.BAD_STATEID,
        a.call(StateCompound.close(Compound.v40().putfh(fh), 4, closed)).status());
  }

  @Test
  void confirmedOwnerNeedsNoSecondConfirmation() {
    openConfirmed(a, "o", "f", ACCESS_READ, DENY_NONE);
    OpenReply second = ok(a.call(StateCompound.openCreate(Compound.v40().putrootfh(), 3, ACCESS_READ, DENY_NONE,
        a.clientId, b("o"), "g", UNCHECKED4))).last();
    assertEquals(StateCompound.RESULT_LOCKTYPE_POSIX, second.rflags());
  }

  @Test
  void retransmittedOpenGetsTheSameReplyAndRunsOnce() {
    Compound open = StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_READ, DENY_NONE, a.clientId,
        b("o"), "f", GUARDED4);
    Wire.Answer first = ok(a.call(open));
    // a second GUARDED4 create would fail with EXIST: the replay must not run it again
    Wire.Answer replay = a.call(open);
    assertEquals(Nfs4Status.OK, replay.status());
    assertArrayEquals(first.bytes(), replay.bytes());
    OpenReply open1 = first.last();
    Compound confirm = StateCompound.openConfirm(Compound.v40().putrootfh().lookup("f"), open1.stateid(), 2);
    Wire.Answer confirmed = ok(a.call(confirm));
    assertArrayEquals(confirmed.bytes(), a.call(confirm).bytes(), "OPEN_CONFIRM replayed too");
    // once confirmed, a seqid that skips one is refused and changes nothing
    assertEquals(Nfs4Status.BAD_SEQID, a.call(StateCompound.openCreate(Compound.v40().putrootfh(), 4, ACCESS_READ,
        DENY_NONE, a.clientId, b("o"), "g", UNCHECKED4)).status());
    assertEquals(Nfs4Status.OK, a.call(StateCompound.openCreate(Compound.v40().putrootfh(), 3, ACCESS_READ,
        DENY_NONE, a.clientId, b("o"), "g", GUARDED4)).status());
  }

  @Test
  void failedOpenIsReplayedWithItsError() {
    fx.mkdir("d");
    Stateid s = openConfirmed(a, "o", "f", ACCESS_READ, DENY_NONE);
    Compound openDir = StateCompound.openName(Compound.v40().putrootfh(), 3, ACCESS_READ, DENY_NONE, a.clientId,
        b("o"), "d");
    assertEquals(Nfs4Status.ISDIR, a.call(openDir).status());
    assertEquals(Nfs4Status.ISDIR, a.call(openDir).status(), "replayed from the owner's cache");
    assertEquals(Nfs4Status.OK, a.call(StateCompound.close(Compound.v40().putrootfh().lookup("f"), 4, s)).status());
  }

  @Test
  void openingASymlinkIsSymlink() {
    fx.symlink("l", "target");
    Stateid s = openConfirmed(a, "o", "f", ACCESS_READ, DENY_NONE);
    assertEquals(Nfs4Status.SYMLINK, a.call(StateCompound.openName(Compound.v40().putrootfh(), 3, ACCESS_READ,
        DENY_NONE, a.clientId, b("o"), "l")).status());
    assertEquals(2, s.seqid());
  }

  @Test
  void denyWriteOpenRefusesAnotherClientsWriteOpen() {
    openConfirmed(a, "o", "f", ACCESS_READ, DENY_WRITE);
    assertEquals(Nfs4Status.SHARE_DENIED, b.call(StateCompound.openName(Compound.v40().putrootfh(), 1,
        ACCESS_WRITE, DENY_NONE, b.clientId, b("o"), "f")).status());
    assertEquals(Nfs4Status.OK, b.call(StateCompound.openName(Compound.v40().putrootfh(), 2, ACCESS_READ,
        DENY_NONE, b.clientId, b("o"), "f")).status());
  }

  @Test
  void lockConflictIsDeniedNamingTheHolderUntilUnlocked() {
    Stateid openA = openConfirmed(a, "oa", "f", ACCESS_BOTH, DENY_NONE);
    Stateid lockA = ok(a.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), WRITE_LT, false,
        100, 50, 3, openA, 1, a.clientId, b("lock-owner-a")))).last();
    assertEquals(1, lockA.seqid());

    Stateid openB = openConfirmed(b, "ob", "f", ACCESS_BOTH, DENY_NONE);
    Wire.Answer denied = b.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), READ_LT, false,
        120, 1, 3, openB, 1, b.clientId, b("lock-owner-b")));
    StateCompound.Denied holder = denied.denied();
    assertEquals(100, holder.offset());
    assertEquals(50, holder.length());
    assertEquals(WRITE_LT, holder.type());
    assertEquals(a.clientId, holder.clientId());
    assertArrayEquals(b("lock-owner-a"), holder.owner());
    Wire.Answer tested = b.call(StateCompound.lockt(Compound.v40().putrootfh().lookup("f"), WRITE_LT, 0,
        ByteRange.TO_END, b.clientId, b("lock-owner-b")));
    assertEquals(a.clientId, tested.denied().clientId());

    Stateid unlocked = ok(a.call(StateCompound.locku(Compound.v40().putrootfh().lookup("f"), WRITE_LT, 2, lockA,
        100, 50))).last();
    assertEquals(2, unlocked.seqid());
    Stateid lockB = ok(b.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), WRITE_LT, false,
        120, 1, 4, openB, 1, b.clientId, b("lock-owner-b")))).last();
    // the lock-owner's sequence continues from lock_seqid
    assertEquals(Nfs4Status.OK, b.call(StateCompound.lockExisting(Compound.v40().putrootfh().lookup("f"), READ_LT,
        120, 1, lockB, 2)).status());
    assertEquals(Nfs4Status.BAD_SEQID, b.call(StateCompound.lockExisting(Compound.v40().putrootfh().lookup("f"),
        READ_LT, 120, 1, lockB, 9)).status());
  }

  @Test
  void lockRangeErrorsAndOpenMode() {
    Stateid open = openConfirmed(a, "o", "f", ACCESS_READ, DENY_NONE);
    assertEquals(Nfs4Status.INVAL, a.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), READ_LT,
        false, 10, 0, 3, open, 1, a.clientId, b("l"))).status());
    assertEquals(Nfs4Status.INVAL, a.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), READ_LT,
        false, -10L, 10, 4, open, 1, a.clientId, b("l"))).status());
    assertEquals(Nfs4Status.OPENMODE, a.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"),
        WRITE_LT, false, 0, 10, 5, open, 1, a.clientId, b("l"))).status());
    assertEquals(Nfs4Status.OK, a.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), READ_LT,
        false, 0, ByteRange.TO_END, 6, open, 1, a.clientId, b("l"))).status());
  }

  @Test
  void releaseLockownerWhileLocksAreHeldIsLocksHeld() {
    Stateid open = openConfirmed(a, "o", "f", ACCESS_BOTH, DENY_NONE);
    Stateid lock = ok(a.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), WRITE_LT, false, 0, 1,
        3, open, 1, a.clientId, b("l")))).last();
    assertEquals(Nfs4Status.LOCKS_HELD, a.call(StateCompound.releaseLockowner(Compound.v40(), a.clientId, b("l")))
        .status());
    ok(a.call(StateCompound.locku(Compound.v40().putrootfh().lookup("f"), WRITE_LT, 2, lock, 0, 1)));
    ok(a.call(StateCompound.releaseLockowner(Compound.v40(), a.clientId, b("l"))));
  }

  @Test
  void lockStateidIsBadAfterClose() {
    Stateid open = openConfirmed(a, "o", "f", ACCESS_BOTH, DENY_NONE);
    Stateid lock = ok(a.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), WRITE_LT, false, 0, 1,
        3, open, 1, a.clientId, b("l")))).last();
    ok(a.call(StateCompound.close(Compound.v40().putrootfh().lookup("f"), 4, open)));
    assertEquals(Nfs4Status.BAD_STATEID, a.call(StateCompound.lockExisting(Compound.v40().putrootfh().lookup("f"),
        WRITE_LT, 0, 1, lock, 2)).status());
    Stateid openB = openConfirmed(b, "o", "f", ACCESS_BOTH, DENY_NONE);
    assertEquals(Nfs4Status.OK, b.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), WRITE_LT,
        false, 0, 1, 3, openB, 1, b.clientId, b("l"))).status(), "CLOSE released the lock");
  }

  @Test
  void stateidErrors() {
    Stateid s = openConfirmed(a, "o", "f", ACCESS_WRITE, DENY_NONE);
    Stateid upgraded = ok(a.call(StateCompound.openName(Compound.v40().putrootfh(), 3, ACCESS_WRITE, DENY_READ,
        a.clientId, b("o"), "f"))).<OpenReply>last().stateid();
    assertEquals(3, upgraded.seqid());
    Compound old = StateCompound.openDowngrade(Compound.v40().putrootfh().lookup("f"), s, 4, ACCESS_WRITE, DENY_NONE);
    assertEquals(Nfs4Status.OLD_STATEID, a.call(old).status());
    byte[] other = s.other();
    other[11] ^= 0x55;
    assertEquals(Nfs4Status.BAD_STATEID, a.call(StateCompound.close(Compound.v40().putrootfh().lookup("f"), 5,
        Stateid.of(1, other))).status());
    StateFixture elsewhere = new StateFixture();
    Wire.Client40 foreign = new Wire.Client40(elsewhere.client(1), "client-a");
    Stateid foreignOpen = ok(foreign.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_READ,
        DENY_NONE, foreign.clientId, b("o"), "f", UNCHECKED4))).<OpenReply>last().stateid();
    assertEquals(Nfs4Status.STALE_STATEID, a.call(StateCompound.close(Compound.v40().putrootfh().lookup("f"), 5,
        foreignOpen)).status());
    assertEquals(Nfs4Status.STALE_CLIENTID, a.call(StateCompound.renew(Compound.v40(), foreign.clientId)).status());
    assertEquals(Nfs4Status.BAD_STATEID, a.call(StateCompound.close(Compound.v40().putrootfh().lookup("f"), 5,
        Stateid.ANONYMOUS)).status());
    Stateid downgraded = ok(a.call(StateCompound.openDowngrade(Compound.v40().putrootfh().lookup("f"), upgraded,
        5, ACCESS_WRITE, DENY_NONE))).last();
    assertEquals(4, downgraded.seqid());
    assertEquals(Nfs4Status.INVAL, a.call(StateCompound.openDowngrade(Compound.v40().putrootfh().lookup("f"),
        downgraded, 6, ACCESS_READ, DENY_NONE)).status(), "read-only was never opened");
  }

  @Test
  void expiredClientIsExpiredAndLosesItsLocks() {
    Stateid open = openConfirmed(a, "o", "f", ACCESS_BOTH, DENY_NONE);
    Stateid lock = ok(a.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), WRITE_LT, false, 0,
        ByteRange.TO_END, 3, open, 1, a.clientId, b("l")))).last();
    Stateid openB = openConfirmed(b, "o", "f", ACCESS_BOTH, DENY_NONE);
    fx.clock.advance(Duration.ofSeconds(20));
    ok(b.call(StateCompound.renew(Compound.v40(), b.clientId)));
    fx.clock.advance(Duration.ofSeconds(20));
    ok(b.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), WRITE_LT, false, 0, 1, 3, openB, 1,
        b.clientId, b("l"))));
    assertEquals(Nfs4Status.EXPIRED, a.call(StateCompound.renew(Compound.v40(), a.clientId)).status());
    assertEquals(Nfs4Status.EXPIRED, a.call(StateCompound.locku(Compound.v40().putrootfh().lookup("f"), WRITE_LT,
        2, lock, 0, 1)).status());
  }

  @Test
  void graceRefusesNewOpensAndAcceptsReclaimsUntilEveryClientIsDone() {
    StateFixture graceful = new StateFixture(Duration.ofSeconds(30), Duration.ofSeconds(30));
    Wire.Client40 c = new Wire.Client40(graceful.client(1), "c");
    Wire.Client40 slow = new Wire.Client40(graceful.client(2), "slow");
    graceful.mkdir("d");
    graceful.file("f");
    // CLAIM_PREVIOUS names the file by the current filehandle
    OpenReply reclaimed = ok(c.call(StateCompound.open(Compound.v40().putrootfh().lookup("f"), 1, ACCESS_READ,
        DENY_NONE, c.clientId, b("o"), null, StateCompound.CLAIM_PREVIOUS, a -> a.writeInt(0)))).last();
    assertEquals(StateCompound.RESULT_LOCKTYPE_POSIX, reclaimed.rflags(),
        "a reclaimed open needs no OPEN_CONFIRM: the Linux client could not send one");
    assertEquals(Nfs4Status.ISDIR, c.call(StateCompound.open(Compound.v40().putrootfh().lookup("d"), 2, ACCESS_READ,
        DENY_NONE, c.clientId, b("o"), null, StateCompound.CLAIM_PREVIOUS, a -> a.writeInt(0))).status(),
        "a reclaim of a directory is ISDIR");
    // c's first new request ends its reclaims; "slow" has not finished, so grace goes on
    assertEquals(Nfs4Status.GRACE, c.call(StateCompound.openCreate(Compound.v40().putrootfh(), 3, ACCESS_READ,
        DENY_NONE, c.clientId, b("o"), "g", UNCHECKED4)).status());
    assertEquals(Nfs4Status.GRACE, c.call(StateCompound.lockt(Compound.v40().putrootfh().lookup("f"), READ_LT, 0, 1,
        c.clientId, b("l"))).status());
    assertEquals(Nfs4Status.NO_GRACE, c.call(StateCompound.open(Compound.v40().putrootfh().lookup("f"), 4,
        ACCESS_READ, DENY_NONE, c.clientId, b("o"), null, StateCompound.CLAIM_PREVIOUS, a -> a.writeInt(0))).status());
    // the last client's first new request ends the grace period and goes through
    assertEquals(Nfs4Status.OK, slow.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_READ,
        DENY_NONE, slow.clientId, b("o"), "h", UNCHECKED4)).status());
    assertEquals(Nfs4Status.OK, c.call(StateCompound.openCreate(Compound.v40().putrootfh(), 5, ACCESS_READ,
        DENY_NONE, c.clientId, b("o"), "g", UNCHECKED4)).status());
  }

  @Test
  void clientIdErrors() {
    StateCompound.SetClientIdReply r = ok(a.call(StateCompound.setclientid(Compound.v40(), b("fresh"), 9))).last();
    assertEquals(Nfs4Status.STALE_CLIENTID,
        a.call(StateCompound.setclientidConfirm(Compound.v40(), r.clientId(), r.confirm() + 1)).status());
    assertEquals(Nfs4Status.STALE_CLIENTID, a.call(StateCompound.renew(Compound.v40(), r.clientId())).status());
    assertEquals(Nfs4Status.STALE_CLIENTID, a.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1,
        ACCESS_READ, DENY_NONE, r.clientId(), b("o"), "f", UNCHECKED4)).status());
    ok(a.call(StateCompound.setclientidConfirm(Compound.v40(), r.clientId(), r.confirm())));
    ok(a.call(StateCompound.renew(Compound.v40(), r.clientId())));
  }

  @Test
  void delegationOperationsWithoutDelegations() {
    Stateid open = openConfirmed(a, "o", "f", ACCESS_READ, DENY_NONE);
    assertEquals(Nfs4Status.BAD_STATEID,
        a.call(StateCompound.delegreturn(Compound.v40().putrootfh().lookup("f"), open)).status());
    assertEquals(Nfs4Status.NOFILEHANDLE, a.call(StateCompound.delegreturn(Compound.v40(), open)).status());
    assertEquals(Nfs4Status.NOTSUPP, a.call(StateCompound.delegpurge(Compound.v40(), a.clientId)).status());
    assertEquals(Nfs4Status.BAD_STATEID, a.call(StateCompound.open(Compound.v40().putrootfh(), 3, ACCESS_READ,
        DENY_NONE, a.clientId, b("o"), null, StateCompound.CLAIM_DELEGATE_CUR, x -> {
          open.encode(x);
          x.writeString("f");
        })).status());
    assertEquals(Nfs4Status.NOTSUPP, a.call(StateCompound.open(Compound.v40().putrootfh(), 3, ACCESS_READ,
        DENY_NONE, a.clientId, b("o"), null, StateCompound.CLAIM_DELEGATE_PREV, x -> x.writeString("f"))).status());
  }

  @Test
  void stateidOfTheWrongKindOrFileIsBad() {
    Stateid open = openConfirmed(a, "o", "f", ACCESS_BOTH, DENY_NONE);
    openConfirmed(a, "o2", "g", ACCESS_BOTH, DENY_NONE);
    Stateid lock = ok(a.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), WRITE_LT, false, 0, 1,
        3, open, 1, a.clientId, b("l")))).last();
    assertEquals(Nfs4Status.BAD_STATEID, a.call(StateCompound.locku(Compound.v40().putrootfh().lookup("f"), WRITE_LT,
        4, open, 0, 1)).status(), "LOCKU with an open stateid");
    assertEquals(Nfs4Status.BAD_STATEID, a.call(StateCompound.close(Compound.v40().putrootfh().lookup("f"), 4, lock))
        .status(), "CLOSE with a lock stateid");
    assertEquals(Nfs4Status.BAD_STATEID, a.call(StateCompound.locku(Compound.v40().putrootfh().lookup("g"), WRITE_LT,
        2, lock, 0, 1)).status(), "lock stateid of another file");
    assertEquals(Nfs4Status.BAD_STATEID, a.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup("f"), open,
        4)).status(), "owner already confirmed");
    assertEquals(Nfs4Status.NOFILEHANDLE, a.call(StateCompound.close(Compound.v40(), 4, open)).status());
  }

  @Test
  void clientIdOfAnotherPrincipalWithStateIsInUse() {
    openConfirmed(a, "o", "f", ACCESS_READ, DENY_NONE);
    Wire.Raw otherUser = Wire.direct(new dev.jnfs.v4.testing.DirectClient(fx.program,
        new java.net.InetSocketAddress("127.0.0.1", 701), new dev.jnfs.rpc.Credential.Sys(0, "x", 1000, 1000,
        new int[0])));
    Wire.Answer r = Wire.call(otherUser, StateCompound.setclientid(Compound.v40(), b("client-a"), 7));
    assertEquals(Nfs4Status.CLID_INUSE, r.status());
    assertEquals("tcp", r.rest().readString(64), "clientaddr4 follows the status");
  }

  @Test
  void exclusiveCreateSucceedsAgainWithTheSameVerifierOnly() {
    openConfirmed(a, "o", "seed", ACCESS_READ, DENY_NONE);
    OpenReply first = ok(a.call(StateCompound.open(Compound.v40().putrootfh(), 3, ACCESS_BOTH, DENY_NONE, a.clientId,
        b("o"), x -> x.writeInt(StateCompound.EXCLUSIVE4).writeHyper(0xABCDL), StateCompound.CLAIM_NULL,
        x -> x.writeString("x")))).last();
    assertTrue(java.util.Arrays.stream(first.attrset()).allMatch(word -> word == 0), "EXCLUSIVE4 sets no attributes");
    assertEquals(Nfs4Status.OK, a.call(StateCompound.open(Compound.v40().putrootfh(), 4, ACCESS_BOTH, DENY_NONE,
        a.clientId, b("o"), x -> x.writeInt(StateCompound.EXCLUSIVE4).writeHyper(0xABCDL), StateCompound.CLAIM_NULL,
        x -> x.writeString("x"))).status(), "a retry with the same verifier");
    assertEquals(Nfs4Status.EXIST, a.call(StateCompound.open(Compound.v40().putrootfh(), 5, ACCESS_BOTH, DENY_NONE,
        a.clientId, b("o"), x -> x.writeInt(StateCompound.EXCLUSIVE4).writeHyper(0x1111L), StateCompound.CLAIM_NULL,
        x -> x.writeString("x"))).status());
    assertEquals(Nfs4Status.BADXDR, a.call(StateCompound.open(Compound.v40().putrootfh(), 6, ACCESS_BOTH, DENY_NONE,
        a.clientId, b("o"), x -> x.writeInt(StateCompound.EXCLUSIVE4_1).writeHyper(1).writeInt(0).writeInt(0),
        StateCompound.CLAIM_NULL, x -> x.writeString("y"))).status(), "EXCLUSIVE4_1 does not exist in 4.0");
  }

  @Test
  void fourOneOperationsAreIllegalInFourZero() {
    assertEquals(Nfs4Status.OP_ILLEGAL, a.call(StateCompound.exchangeId(Compound.v40(), b("x"), 1, 0)).status());
    assertEquals(Nfs4Opcode.ILLEGAL, a.call(StateCompound.reclaimComplete(Compound.v40())).reply().last().opcode());
  }

  @Test
  void badShareValuesAreInval() {
    assertEquals(Nfs4Status.INVAL, a.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, 0, DENY_NONE,
        a.clientId, b("o"), "f", UNCHECKED4)).status());
    assertEquals(Nfs4Status.INVAL, a.call(StateCompound.openCreate(Compound.v40().putrootfh(), 2, ACCESS_READ, 4,
        a.clientId, b("o"), "f", UNCHECKED4)).status());
    assertEquals(Nfs4Status.INVAL, a.call(StateCompound.openCreate(Compound.v40().putrootfh(), 3,
        ACCESS_READ | 0x0100, DENY_NONE, a.clientId, b("o"), "f", UNCHECKED4)).status(), "want bits are 4.1 only");
  }
}
