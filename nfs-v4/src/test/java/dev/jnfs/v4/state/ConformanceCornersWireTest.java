package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_BOTH;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_READ;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_WRITE;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static dev.jnfs.v4.testing.StateCompound.DENY_READ;
import static dev.jnfs.v4.testing.StateCompound.DENY_WRITE;
import static dev.jnfs.v4.testing.StateCompound.READ_LT;
import static dev.jnfs.v4.testing.StateCompound.UNCHECKED4;
import static dev.jnfs.v4.testing.StateCompound.WRITE_LT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.Access;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.v4.Fattr4;
import dev.jnfs.v4.Nfs4Opcode;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Compound.ReadReply;
import dev.jnfs.v4.testing.Compound.WriteReply;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The corners of NFSv4.0 and 4.1 the Linux client leaves alone, as other clients and
 * conformance testers reach them: over TCP through a real {@link NfsServer}, on the in-memory
 * backend and on a local directory.
 */
class ConformanceCornersWireTest {
  enum Backend {
    MEMORY, LOCAL_DIRECTORY
  }

  @TempDir Path dir;
  private NfsServer server;
  private TcpCompoundTransport connection;

  private Wire.Raw start(Backend backend) throws IOException {
    NfsFileSystem fs = backend == Backend.MEMORY ? new InMemoryFileSystem() : LocalFileSystem.of(dir);
    server = NfsServer.builder().bind("127.0.0.1").port(0)
        .export("/", fs, ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"))
        .protocol(new Nfs4Protocol(StateConfig.defaults().withGracePeriod(Duration.ZERO)))
        .build();
    server.start();
    connection = new TcpCompoundTransport(new InetSocketAddress("127.0.0.1", server.port()), 0);
    return Wire.tcp(connection);
  }

  @AfterEach
  void stop() throws IOException {
    if (connection != null) {
      connection.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  /** A 4.0 OPEN creating {@code name} for a new owner, confirmed: the open stateid. */
  private static Stateid create40(Wire.Client40 c, String name, byte[] owner) {
    OpenReply r = ok(c.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_BOTH, DENY_NONE,
        c.clientId, owner, name, UNCHECKED4))).last();
    return ok(c.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup(name), r.stateid(), 2))).last();
  }

  private static Attrs attrs(Wire.Client40 c, String name, int... attributes) {
    return ok(c.call(Compound.v40().putrootfh().lookup(name).getattr(attributes))).last();
  }

  // ---- WRITE and READ at the edges

  @ParameterizedTest
  @EnumSource(Backend.class)
  void writeOfZeroBytesChangesNothing(Backend backend) throws Exception {
    Wire.Client40 c = new Wire.Client40(start(backend), "zero-write");
    Stateid open = create40(c, "f", b("o"));
    ok(c.call(Compound.v40().putrootfh().lookup("f").write(open, 0, 2, b("abc"))));
    Attrs before = attrs(c, "f", Fattr4.CHANGE, Fattr4.TIME_MODIFY, Fattr4.SIZE);
    Thread.sleep(20);
    WriteReply w = ok(c.call(Compound.v40().putrootfh().lookup("f").write(open, 1, 2, new byte[0]))).last();
    assertEquals(0, w.count());
    Attrs after = attrs(c, "f", Fattr4.CHANGE, Fattr4.TIME_MODIFY, Fattr4.SIZE);
    assertEquals(before.get(Fattr4.TIME_MODIFY), after.get(Fattr4.TIME_MODIFY), "time_modify");
    assertEquals(before.number(Fattr4.CHANGE), after.number(Fattr4.CHANGE), "change");
    assertEquals(3, after.number(Fattr4.SIZE));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void readFarPastTheEndAnswersEofWithoutData(Backend backend) throws Exception {
    Wire.Client40 c = new Wire.Client40(start(backend), "far-read");
    Stateid open = create40(c, "f", b("o"));
    ok(c.call(Compound.v40().putrootfh().lookup("f").write(open, 0, 2, b("abc"))));
    for (long offset : new long[] {Long.MAX_VALUE - 5, Long.MAX_VALUE, 1L << 62}) {
      ReadReply r = ok(c.call(Compound.v40().putrootfh().lookup("f").read(open, offset, 10))).last();
      assertTrue(r.eof(), "eof at " + offset);
      assertEquals(0, r.data().length, "data at " + offset);
    }
  }

  // ---- SETATTR

  @ParameterizedTest
  @EnumSource(Backend.class)
  void setattrOfAnEmptyOwnerOrGroupIsInvalid(Backend backend) throws Exception {
    Wire.Client40 c = new Wire.Client40(start(backend), "empty-owner");
    create40(c, "f", b("o"));
    assertEquals(Nfs4Status.INVAL,
        c.call(Compound.v40().putrootfh().lookup("f").setattr(Stateid.ANONYMOUS, Attrs.set().owner(""))).status());
    assertEquals(Nfs4Status.INVAL,
        c.call(Compound.v40().putrootfh().lookup("f").setattr(Stateid.ANONYMOUS, Attrs.set().group(""))).status());
    assertEquals(Nfs4Status.OK,
        c.call(Compound.v40().putrootfh().lookup("f").setattr(Stateid.ANONYMOUS, Attrs.set().owner("0"))).status());
  }

  // ---- ACCESS

  @ParameterizedTest
  @EnumSource(Backend.class)
  void accessSupportsOnlyTheBitsMeaningfulForTheType(Backend backend) throws Exception {
    Wire.Client40 c = new Wire.Client40(start(backend), "access");
    create40(c, "f", b("o"));
    ok(c.call(Compound.v40().putrootfh().mkdir("d", Attrs.set().mode(0755))));
    ok(c.call(Compound.v40().putrootfh().symlink("l", "f")));
    int file = Access.READ | Access.MODIFY | Access.EXTEND | Access.EXECUTE;
    int directory = Access.READ | Access.LOOKUP | Access.MODIFY | Access.EXTEND | Access.DELETE;
    assertEquals(file, supported(c, Compound.v40().putrootfh().lookup("f"), Access.ALL));
    assertEquals(file, supported(c, Compound.v40().putrootfh().lookup("l"), Access.ALL));
    assertEquals(directory, supported(c, Compound.v40().putrootfh().lookup("d"), Access.ALL));
    assertEquals(Access.READ, supported(c, Compound.v40().putrootfh().lookup("d"), Access.READ | Access.EXECUTE));
    int[] lookupOnFile = ok(c.call(Compound.v40().putrootfh().lookup("f").access(Access.LOOKUP))).last();
    assertEquals(0, lookupOnFile[0], "supported");
    assertEquals(0, lookupOnFile[1], "access");
  }

  private static int supported(Wire.Client40 c, Compound at, int requested) {
    int[] r = ok(c.call(at.access(requested))).last();
    assertEquals(0, r[1] & ~r[0], "access beyond supported");
    return r[0];
  }

  // ---- LOCK, LOCKT and OPEN on objects that are not regular files

  /** NF4FIFO. */
  private static final int FIFO = 7;

  /**
   * Makes a directory "d", a symbolic link "l" and, when the backend can, a FIFO "p".
   *
   * @return whether the FIFO was made
   */
  private static boolean nonFiles(Wire.Raw raw) {
    Wire.Client40 c = new Wire.Client40(raw, "maker");
    ok(c.call(Compound.v40().putrootfh().mkdir("d", Attrs.set().mode(0755))));
    ok(c.call(Compound.v40().putrootfh().symlink("l", "f")));
    int fifo = c.call(Compound.v40().putrootfh().mknod(FIFO, "p", 0, 0)).status();
    if (fifo != Nfs4Status.NOTSUPP) {
      assertEquals(Nfs4Status.OK, fifo, "CREATE of a FIFO");
    }
    return fifo == Nfs4Status.OK;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void locksOnObjectsThatAreNotRegularFilesAnswerTheTypeError(Backend backend) throws Exception {
    Wire.Raw raw = start(backend);
    boolean fifo = nonFiles(raw);
    Wire.Client40 c40 = new Wire.Client40(raw, "locker-40");
    Wire.Client41 c41 = new Wire.Client41(raw, "locker-41");
    Stateid open40 = create40(c40, "f", b("o"));
    Stateid open41 = ok(c41.call(StateCompound.openCreate(c41.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE,
        c41.clientId, b("o"), "g", UNCHECKED4))).<OpenReply>last().stateid();
    // RFC 8881 §18.10.3 and §18.11.3: ISDIR, SYMLINK, else WRONG_TYPE; 4.0 has only INVAL for the latter two
    assertEquals(Nfs4Status.ISDIR, c40.call(StateCompound.lockt(Compound.v40().putrootfh().lookup("d"),
        WRITE_LT, 0, 10, c40.clientId, b("p"))).status());
    assertEquals(Nfs4Status.INVAL, c40.call(StateCompound.lockt(Compound.v40().putrootfh().lookup("l"),
        WRITE_LT, 0, 10, c40.clientId, b("p"))).status());
    assertEquals(Nfs4Status.ISDIR, c41.call(StateCompound.lockt(c41.next().putrootfh().lookup("d"),
        WRITE_LT, 0, 10, c41.clientId, b("p"))).status());
    assertEquals(Nfs4Status.SYMLINK, c41.call(StateCompound.lockt(c41.next().putrootfh().lookup("l"),
        WRITE_LT, 0, 10, c41.clientId, b("p"))).status());
    if (fifo) {
      assertEquals(Nfs4Status.INVAL, c40.call(StateCompound.lockt(Compound.v40().putrootfh().lookup("p"),
          WRITE_LT, 0, 10, c40.clientId, b("p"))).status());
      assertEquals(Nfs4Status.WRONG_TYPE, c41.call(StateCompound.lockt(c41.next().putrootfh().lookup("p"),
          WRITE_LT, 0, 10, c41.clientId, b("p"))).status());
    }
    assertEquals(Nfs4Status.ISDIR, c40.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("d"), WRITE_LT,
        false, 0, 10, 3, open40, 1, c40.clientId, b("lo"))).status());
    assertEquals(Nfs4Status.SYMLINK, c41.call(StateCompound.lockNew(c41.next().putrootfh().lookup("l"), WRITE_LT,
        false, 0, 10, 0, open41, 0, c41.clientId, b("lo"))).status());
    // the 4.0 open-owner's seqid advanced past the failed LOCK: the next one is 5
    ok(c40.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), WRITE_LT, false, 0, 10, 4, open40, 1,
        c40.clientId, b("lo"))));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void openOfObjectsThatAreNotRegularFilesAnswersTheTypeErrorOfTheMinorVersion(Backend backend) throws Exception {
    Wire.Raw raw = start(backend);
    boolean fifo = nonFiles(raw);
    Wire.Client40 c40 = new Wire.Client40(raw, "opener-40");
    Wire.Client41 c41 = new Wire.Client41(raw, "opener-41");
    assertEquals(Nfs4Status.ISDIR, open40(c40, "d"));
    assertEquals(Nfs4Status.SYMLINK, open40(c40, "l"));
    assertEquals(Nfs4Status.ISDIR, open41(c41, "d"));
    assertEquals(Nfs4Status.SYMLINK, open41(c41, "l"));
    if (fifo) {
      // RFC 7530 §16.16.6: SYMLINK for special files too; RFC 8881 §18.16.3: WRONG_TYPE
      assertEquals(Nfs4Status.SYMLINK, open40(c40, "p"));
      assertEquals(Nfs4Status.WRONG_TYPE, open41(c41, "p"));
    }
  }

  private static int open40(Wire.Client40 c, String name) {
    return c.call(StateCompound.openName(Compound.v40().putrootfh(), 1, ACCESS_BOTH, DENY_NONE, c.clientId,
        b("o-" + name), name)).status();
  }

  private static int open41(Wire.Client41 c, String name) {
    return c.call(StateCompound.openName(c.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, c.clientId, b("o"), name))
        .status();
  }

  // ---- OPEN with create on an existing file

  @ParameterizedTest
  @EnumSource(Backend.class)
  void uncheckedCreateOfAnExistingFileAppliesOnlyTheSize(Backend backend) throws Exception {
    Wire.Client40 c = new Wire.Client40(start(backend), "recreate");
    Stateid open = create40(c, "f", b("o"));
    ok(c.call(Compound.v40().putrootfh().lookup("f").write(open, 0, 2, b("content"))));
    Attrs before = attrs(c, "f", Fattr4.MODE, Fattr4.OWNER, Fattr4.TIME_MODIFY);
    OpenReply again = ok(c.call(StateCompound.open(Compound.v40().putrootfh(), 3, ACCESS_BOTH, DENY_NONE, c.clientId,
        b("o"), a -> {
          a.writeInt(UNCHECKED4);
          Attrs.set().mode(0600).size(2).owner("4242").mtime(Instant.parse("2001-01-01T00:00:00Z")).encode(a);
        }, StateCompound.CLAIM_NULL, a -> a.writeString("f")))).last();
    // RFC 7530 §16.16.5: on recreate only the size is applied, the other attributes are ignored
    assertArrayEquals(new int[] {1 << Fattr4.SIZE}, again.attrset(), "attrset");
    Attrs after = attrs(c, "f", Fattr4.MODE, Fattr4.OWNER, Fattr4.TIME_MODIFY, Fattr4.SIZE);
    assertEquals(2, after.number(Fattr4.SIZE));
    assertEquals(before.number(Fattr4.MODE), after.number(Fattr4.MODE), "mode");
    assertEquals(before.get(Fattr4.OWNER), after.get(Fattr4.OWNER), "owner");
    assertTrue(((Instant) after.get(Fattr4.TIME_MODIFY)).isAfter(Instant.parse("2001-01-02T00:00:00Z")), "mtime");
  }

  // ---- share reservations within one open-owner

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anOwnersOwnDenyRefusesItsLaterOpens40(Backend backend) throws Exception {
    Wire.Raw raw = start(backend);
    Wire.Client40 c = new Wire.Client40(raw, "share-40");
    Wire.Client40 other = new Wire.Client40(raw, "share-40-other");
    OpenReply first = ok(c.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_READ, DENY_WRITE,
        c.clientId, b("p"), "g", UNCHECKED4))).last();
    ok(c.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup("g"), first.stateid(), 2)));
    // the same owner: its DENY_WRITE refuses its own WRITE, its READ access its own DENY_READ
    assertEquals(Nfs4Status.SHARE_DENIED, c.call(StateCompound.openName(Compound.v40().putrootfh(), 3, ACCESS_WRITE,
        DENY_NONE, c.clientId, b("p"), "g")).status());
    assertEquals(Nfs4Status.SHARE_DENIED, c.call(StateCompound.openName(Compound.v40().putrootfh(), 4, ACCESS_READ,
        DENY_READ, c.clientId, b("p"), "g")).status());
    // SHARE_DENIED advanced the seqid (RFC 7530 §9.1.7); a compatible OPEN of the owner still works
    ok(c.call(StateCompound.openName(Compound.v40().putrootfh(), 5, ACCESS_READ, DENY_NONE, c.clientId, b("p"), "g")));
    // across owners and clients, unchanged
    assertEquals(Nfs4Status.SHARE_DENIED, c.call(StateCompound.openName(Compound.v40().putrootfh(), 1, ACCESS_WRITE,
        DENY_NONE, c.clientId, b("q"), "g")).status());
    assertEquals(Nfs4Status.SHARE_DENIED, other.call(StateCompound.openName(Compound.v40().putrootfh(), 1,
        ACCESS_WRITE, DENY_NONE, other.clientId, b("p"), "g")).status());
    ok(other.call(StateCompound.openName(Compound.v40().putrootfh(), 1, ACCESS_READ, DENY_NONE, other.clientId,
        b("r"), "g")));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anOwnersOwnDenyRefusesItsLaterOpens41(Backend backend) throws Exception {
    Wire.Client41 c = new Wire.Client41(start(backend), "share-41");
    ok(c.call(StateCompound.openCreate(c.next().putrootfh(), 0, ACCESS_READ, DENY_READ, c.clientId, b("o"), "f",
        UNCHECKED4)));
    assertEquals(Nfs4Status.SHARE_DENIED, c.call(StateCompound.openName(c.next().putrootfh(), 0, ACCESS_READ,
        DENY_NONE, c.clientId, b("o"), "f")).status());
    assertEquals(Nfs4Status.SHARE_DENIED, c.call(StateCompound.openName(c.next().putrootfh(), 0, ACCESS_WRITE,
        DENY_READ, c.clientId, b("o"), "f")).status());
    ok(c.call(StateCompound.openName(c.next().putrootfh(), 0, ACCESS_WRITE, DENY_NONE, c.clientId, b("o"), "f")));
    assertEquals(Nfs4Status.SHARE_DENIED, c.call(StateCompound.openName(c.next().putrootfh(), 0, ACCESS_READ,
        DENY_NONE, c.clientId, b("other"), "f")).status());
  }

  // ---- 4.0 lock-owner sequencing across an open upgrade and downgrade

  @ParameterizedTest
  @EnumSource(Backend.class)
  void lockOwnerSequenceSurvivesAnOpenUpgradeAndDowngrade(Backend backend) throws Exception {
    Wire.Client40 c = new Wire.Client40(start(backend), "upgrade");
    Compound f = Compound.v40().putrootfh().lookup("f");
    OpenReply created = ok(c.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_READ, DENY_NONE,
        c.clientId, b("o"), "f", UNCHECKED4))).last();
    Stateid open = ok(c.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup("f"), created.stateid(), 2)))
        .last();
    Stateid lock = ok(c.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), READ_LT, false, 0, 10, 3,
        open, 0, c.clientId, b("lo")))).last();
    open = ok(c.call(StateCompound.openName(Compound.v40().putrootfh(), 4, ACCESS_WRITE, DENY_NONE, c.clientId,
        b("o"), "f"))).<OpenReply>last().stateid();
    lock = ok(c.call(StateCompound.locku(Compound.v40().putrootfh().lookup("f"), READ_LT, 1, lock, 0, 10))).last();
    open = ok(c.call(StateCompound.openDowngrade(Compound.v40().putrootfh().lookup("f"), open, 5, ACCESS_WRITE,
        DENY_NONE))).last();
    // RFC 7530 §9.1.7, §16.10: the lock-owner's own sequence goes on at 2, whatever the open did
    lock = ok(c.call(StateCompound.lockExisting(Compound.v40().putrootfh().lookup("f"), WRITE_LT, 0, 10, lock, 2)))
        .last();
    ok(c.call(StateCompound.locku(Compound.v40().putrootfh().lookup("f"), WRITE_LT, 3, lock, 0, 10)));
    ok(c.call(StateCompound.close(Compound.v40().putrootfh().lookup("f"), 6, open)));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void knownLockOwnerLockingAgainFromTheOpenStateidAfterAnUpgradeAndDowngrade(Backend backend) throws Exception {
    Wire.Client40 c = new Wire.Client40(start(backend), "upgrade-new");
    OpenReply created = ok(c.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_READ, DENY_NONE,
        c.clientId, b("o"), "f", UNCHECKED4))).last();
    Stateid open = ok(c.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup("f"), created.stateid(), 2)))
        .last();
    Stateid lock = ok(c.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), READ_LT, false, 0, 10, 3,
        open, 0, c.clientId, b("lo")))).last();
    open = ok(c.call(StateCompound.openName(Compound.v40().putrootfh(), 4, ACCESS_WRITE, DENY_NONE, c.clientId,
        b("o"), "f"))).<OpenReply>last().stateid();
    ok(c.call(StateCompound.locku(Compound.v40().putrootfh().lookup("f"), READ_LT, 1, lock, 0, 10)));
    open = ok(c.call(StateCompound.openDowngrade(Compound.v40().putrootfh().lookup("f"), open, 5, ACCESS_WRITE,
        DENY_NONE))).last();
    // RFC 7530 §16.10.5: a known lock-owner out of its sequence is BAD_SEQID (which advances nothing)
    assertEquals(Nfs4Status.BAD_SEQID, c.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), WRITE_LT,
        false, 0, 10, 6, open, 7, c.clientId, b("lo"))).status());
    // in its sequence it goes on from its lock state, as knfsd lets it
    ok(c.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), WRITE_LT, false, 0, 10, 6, open, 2,
        c.clientId, b("lo"))));
    ok(c.call(StateCompound.close(Compound.v40().putrootfh().lookup("f"), 7, open)));
  }

  // ---- RECLAIM_COMPLETE before new state

  @ParameterizedTest
  @EnumSource(Backend.class)
  void newStateBeforeReclaimCompleteAnswersGraceOutsideTheGracePeriodToo(Backend backend) throws Exception {
    Wire.Raw raw = start(backend);
    Wire.Client41 early = new Wire.Client41(raw, "no-reclaim-complete", 64, 16, false);
    Wire.Client41 done = new Wire.Client41(raw, "reclaim-complete");
    Stateid open = ok(done.call(StateCompound.openCreate(done.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE,
        done.clientId, b("o"), "f", UNCHECKED4))).<OpenReply>last().stateid();
    // RFC 8881 §18.51.3
    assertEquals(Nfs4Status.GRACE, early.call(StateCompound.openName(early.next().putrootfh(), 0, ACCESS_READ,
        DENY_NONE, early.clientId, b("o"), "f")).status());
    assertEquals(Nfs4Status.GRACE, early.call(StateCompound.openCreate(early.next().putrootfh(), 0, ACCESS_BOTH,
        DENY_NONE, early.clientId, b("o"), "g", UNCHECKED4)).status());
    // a test for a lock obtains none: not refused
    ok(early.call(StateCompound.lockt(early.next().putrootfh().lookup("f"), WRITE_LT, 0, 10, early.clientId,
        b("l"))));
    ok(early.call(StateCompound.reclaimComplete(early.next())));
    Stateid mine = ok(early.call(StateCompound.openName(early.next().putrootfh(), 0, ACCESS_READ, DENY_NONE,
        early.clientId, b("o"), "f"))).<OpenReply>last().stateid();
    ok(early.call(StateCompound.lockNew(early.next().putrootfh().lookup("f"), READ_LT, false, 0, 10, 0, mine, 0,
        early.clientId, b("l"))));
    ok(done.call(StateCompound.lockNew(done.next().putrootfh().lookup("f"), READ_LT, false, 20, 10, 0, open, 0,
        done.clientId, b("l"))));
  }

  // ---- CREATE_SESSION and SEQUENCE limits

  /** CREATE_SESSION with the given flags and fore channel sizes; 8 slots, 16 operations. */
  private static Compound createSession(long clientId, int sequence, int flags, int maxRequest, int maxResponse,
      int maxResponseCached) {
    return Compound.v41().op(Nfs4Opcode.CREATE_SESSION, a -> {
      a.writeHyper(clientId).writeInt(sequence).writeInt(flags);
      a.writeInt(0).writeInt(maxRequest).writeInt(maxResponse).writeInt(maxResponseCached).writeInt(16).writeInt(8)
          .writeInt(0);
      a.writeInt(0).writeInt(4096).writeInt(4096).writeInt(0).writeInt(2).writeInt(1).writeInt(0);
      a.writeInt(0x40000000).writeInt(1).writeInt(0);
    }, in -> in.readFixedOpaque(16));
  }

  private static StateCompound.ExchangeIdReply exchangeId(Wire.Raw raw, String name) {
    return ok(Wire.call(raw, StateCompound.exchangeId(Compound.v41(), b(name), 1, 0))).last();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void createSessionReplaysAndChecksItsArguments(Backend backend) throws Exception {
    Wire.Raw raw = start(backend);
    StateCompound.ExchangeIdReply x = exchangeId(raw, "create-session");
    int seq = x.sequence();
    // RFC 8881 §18.36.4: undefined flags are INVAL; sizes too small for a SEQUENCE alone are TOOSMALL
    assertEquals(Nfs4Status.INVAL, Wire.call(raw, createSession(x.clientId(), seq, 0x10, 1 << 20, 1 << 20, 8192))
        .status());
    assertEquals(Nfs4Status.TOOSMALL, Wire.call(raw, createSession(x.clientId(), seq, 0, 40, 1 << 20, 8192))
        .status());
    assertEquals(Nfs4Status.TOOSMALL, Wire.call(raw, createSession(x.clientId(), seq, 0, 1 << 20, 40, 8192))
        .status());
    byte[] session = ok(Wire.call(raw, createSession(x.clientId(), seq, 0, 1 << 20, 1 << 20, 8192))).last();
    // a retransmission of the same csa_sequence: the same answer (§18.36.4, case of a replay)
    byte[] again = ok(Wire.call(raw, createSession(x.clientId(), seq, 0, 1 << 20, 1 << 20, 8192))).last();
    assertArrayEquals(session, again);
    assertEquals(Nfs4Status.SEQ_MISORDERED,
        Wire.call(raw, createSession(x.clientId(), seq + 5, 0, 1 << 20, 1 << 20, 8192)).status());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void sequenceEnforcesTheNegotiatedRequestAndCachedReplySizes(Backend backend) throws Exception {
    Wire.Raw raw = start(backend);
    StateCompound.ExchangeIdReply x = exchangeId(raw, "sizes");
    byte[] session = ok(Wire.call(raw, createSession(x.clientId(), x.sequence(), 0, 1024, 1 << 20, 512))).last();
    ok(Wire.call(raw, StateCompound.reclaimComplete(StateCompound.sequence(Compound.v41(), session, 1, 0, false))));
    // a request over ca_maxrequestsize: REQ_TOO_BIG from SEQUENCE, before anything runs (§2.10.6.4)
    Wire.Answer big = Wire.call(raw, StateCompound.sequence(Compound.v41(), session, 2, 0, false).putrootfh()
        .symlink("never", "x".repeat(2000)));
    assertEquals(Nfs4Status.REQ_TOO_BIG, big.status());
    assertEquals(1, big.reply().results().size(), "only SEQUENCE answered");
    // the slot did not advance: seqid 2 is still the next
    assertEquals(Nfs4Status.NOENT, Wire.call(raw, StateCompound.sequence(Compound.v41(), session, 2, 0, false)
        .putrootfh().lookup("never")).status());
    // a reply to cache over ca_maxresponsesize_cached: REP_TOO_BIG_TO_CACHE (§18.46.3); uncached it fits
    Compound many = StateCompound.sequence(Compound.v41(), session, 3, 0, true).putrootfh();
    Compound manyUncached = StateCompound.sequence(Compound.v41(), session, 4, 0, false).putrootfh();
    for (int i = 0; i < 12; i++) {
      many.getattr(Fattr4.TYPE, Fattr4.CHANGE, Fattr4.SIZE, Fattr4.MODE, Fattr4.OWNER, Fattr4.TIME_MODIFY);
      manyUncached.getattr(Fattr4.TYPE, Fattr4.CHANGE, Fattr4.SIZE, Fattr4.MODE, Fattr4.OWNER, Fattr4.TIME_MODIFY);
    }
    assertEquals(Nfs4Status.REP_TOO_BIG_TO_CACHE, Wire.call(raw, many).status());
    ok(Wire.call(raw, manyUncached));
  }

  // ---- the NFSv4.0 duplicate request cache

  @ParameterizedTest
  @EnumSource(Backend.class)
  void retransmitted40CompoundIsAnsweredFromTheDuplicateRequestCache(Backend backend) throws Exception {
    start(backend);
    Compound mkdir = Compound.v40().putrootfh().mkdir("d", Attrs.set().mode(0755));
    int xid = 0x7000_0000 + backend.ordinal();
    byte[] first = connection.callRaw(mkdir, xid);
    assertEquals(Nfs4Status.OK, status(mkdir, first));
    byte[] retransmitted = connection.callRaw(mkdir, xid);
    assertArrayEquals(first, retransmitted, "the first reply, not a second run answering EXIST");
    assertEquals(Nfs4Status.EXIST, status(mkdir, connection.callRaw(mkdir, xid + 1)), "a new request runs");
  }

  private static int status(Compound c, byte[] reply) {
    return c.decode(new XdrDecoder(Unpooled.wrappedBuffer(reply))).status();
  }
}
