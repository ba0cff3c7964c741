package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_BOTH;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_READ;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static dev.jnfs.v4.testing.StateCompound.DENY_READ;
import static dev.jnfs.v4.testing.StateCompound.DENY_WRITE;
import static dev.jnfs.v4.testing.StateCompound.UNCHECKED4;
import static dev.jnfs.v4.testing.StateCompound.WRITE_LT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * READ, WRITE and SETATTR of the size with the stateids the state engine hands out, as Linux
 * knfsd checks them: the open's file and mode, current seqids, special stateids against share
 * denials, grace; byte-range locks are advisory and not enforced on I/O.
 */
class StateidCheckedIoTest {
  private static final int FILE_SYNC = 2;
  private static final byte[] DATA = b("hello");

  private final StateFixture fx = new StateFixture();
  private final Wire.Client41 a = new Wire.Client41(fx.client(1), "a");
  private final Wire.Client41 other = new Wire.Client41(fx.client(2), "b");

  private Stateid open(Wire.Client41 c, String name, int access, int deny) {
    return ok(c.call(StateCompound.openCreate(c.next().putrootfh(), 0, access, deny, c.clientId, b("o"), name,
        UNCHECKED4))).<OpenReply>last().stateid();
  }

  @Test
  void openStateidAllowsWhatItsModeAllows() {
    Stateid rw = open(a, "f", ACCESS_BOTH, DENY_NONE);
    ok(a.call(a.next().putrootfh().lookup("f").write(rw, 0, FILE_SYNC, DATA)));
    Compound.ReadReply read = ok(a.call(a.next().putrootfh().lookup("f").read(rw, 0, 100))).last();
    assertArrayEquals(DATA, read.data());
    ok(a.call(a.next().putrootfh().lookup("f").setattr(rw, Attrs.set().size(2))));

    Stateid readOnly = open(other, "f", ACCESS_READ, DENY_NONE);
    ok(other.call(other.next().putrootfh().lookup("f").read(readOnly, 0, 10)));
    assertEquals(Nfs4Status.OPENMODE,
        other.call(other.next().putrootfh().lookup("f").write(readOnly, 0, FILE_SYNC, DATA)).status());
    assertEquals(Nfs4Status.OPENMODE,
        other.call(other.next().putrootfh().lookup("f").setattr(readOnly, Attrs.set().size(0))).status());
  }

  @Test
  void stateidsMustNameThisFileAndBeCurrentAndOwn() {
    Stateid f = open(a, "f", ACCESS_BOTH, DENY_NONE);
    open(a, "g", ACCESS_BOTH, DENY_NONE);
    assertEquals(Nfs4Status.BAD_STATEID,
        a.call(a.next().putrootfh().lookup("g").write(f, 0, FILE_SYNC, DATA)).status());
    Stateid upgraded = ok(a.call(StateCompound.openName(a.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, a.clientId,
        b("o"), "f"))).<OpenReply>last().stateid();
    assertEquals(f.seqid() + 1, upgraded.seqid());
    assertEquals(Nfs4Status.OLD_STATEID,
        a.call(a.next().putrootfh().lookup("f").write(f, 0, FILE_SYNC, DATA)).status());
    ok(a.call(a.next().putrootfh().lookup("f").write(Stateid.of(0, f.other()), 0, FILE_SYNC, DATA)));
    assertEquals(Nfs4Status.BAD_STATEID,
        other.call(other.next().putrootfh().lookup("f").write(upgraded, 0, FILE_SYNC, DATA)).status(),
        "another client's stateid");
    byte[] stale = upgraded.other();
    stale[0] ^= 0x40;
    assertEquals(Nfs4Status.STALE_STATEID,
        a.call(a.next().putrootfh().lookup("f").read(Stateid.of(1, stale), 0, 10)).status());
  }

  @Test
  void lockStateidsCarryTheirOpensMode() {
    Stateid open = open(a, "f", ACCESS_BOTH, DENY_NONE);
    Stateid lock = ok(a.call(StateCompound.lockNew(a.next().putrootfh().lookup("f"), WRITE_LT, false, 0, 10, 0, open,
        0, a.clientId, b("l")))).last();
    ok(a.call(a.next().putrootfh().lookup("f").write(lock, 0, FILE_SYNC, DATA)));
    // locks are advisory, as in knfsd: another client may write under them
    Stateid otherOpen = open(other, "f", ACCESS_BOTH, DENY_NONE);
    ok(other.call(other.next().putrootfh().lookup("f").write(otherOpen, 0, FILE_SYNC, DATA)));
  }

  @Test
  void anonymousWritesAreLockedOutByDenyWriteAndBypassReadsAreNot() {
    open(a, "f", ACCESS_BOTH, DENY_WRITE);
    assertEquals(Nfs4Status.LOCKED, other.call(other.next().putrootfh().lookup("f")
        .write(Stateid.ANONYMOUS, 0, FILE_SYNC, DATA)).status());
    assertEquals(Nfs4Status.LOCKED, other.call(other.next().putrootfh().lookup("f")
        .setattr(Stateid.ANONYMOUS, Attrs.set().size(0))).status());
    ok(other.call(other.next().putrootfh().lookup("f").read(Stateid.ANONYMOUS, 0, 10)));
    open(a, "g", ACCESS_BOTH, DENY_READ);
    assertEquals(Nfs4Status.LOCKED, other.call(other.next().putrootfh().lookup("g")
        .read(Stateid.ANONYMOUS, 0, 10)).status());
    ok(other.call(other.next().putrootfh().lookup("g").read(Stateid.BYPASS, 0, 10)));
  }

  @Test
  void ioWithoutAnOpenWaitsForTheGracePeriod() {
    StateFixture graceful = new StateFixture(Duration.ofSeconds(30), Duration.ofSeconds(30));
    Wire.Client41 reclaiming = new Wire.Client41(graceful.client(2), "r", 4, 8, false);
    Wire.Client41 c = new Wire.Client41(graceful.client(1), "c");
    graceful.file("f");
    assertEquals(Nfs4Status.GRACE, c.call(c.next().putrootfh().lookup("f")
        .write(Stateid.ANONYMOUS, 0, FILE_SYNC, DATA)).status());
    ok(reclaiming.call(StateCompound.reclaimComplete(reclaiming.next())));
    ok(c.call(c.next().putrootfh().lookup("f").write(Stateid.ANONYMOUS, 0, FILE_SYNC, DATA)));
  }
}
