package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_BOTH;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static dev.jnfs.v4.testing.StateCompound.GUARDED4;
import static dev.jnfs.v4.testing.StateCompound.READ_LT;
import static dev.jnfs.v4.testing.StateCompound.WRITE_LT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.FileKey;
import dev.jnfs.lock.HeldLock;
import dev.jnfs.lock.LocalLockManager;
import dev.jnfs.lock.LockManager;
import dev.jnfs.lock.LockType;
import dev.jnfs.lock.ShareReservation;
import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.Owner;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A lock manager given to {@code NfsServer.Builder.lockManager} is the one NFSv4 uses: it
 * receives OPEN's reservation, LOCK, LOCKT, LOCKU, RELEASE_LOCKOWNER and CLOSE as clients
 * send them over TCP, keyed by the export's id and the file's handle and by the client's
 * owner, and its answers are the ones clients get.
 */
class ReplacedLockManagerTest {
  private final InMemoryFileSystem fs = new InMemoryFileSystem();
  private final Export export = new Export("/", null, fs, ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"));
  private final RecordingLockManager recording = new RecordingLockManager();
  private NfsServer server;
  private TcpCompoundTransport connection;

  @BeforeEach
  void start() throws Exception {
    server = NfsServer.builder().bind("127.0.0.1").port(0).export(export)
        .protocol(new Nfs4Protocol(StateConfig.defaults().withGracePeriod(Duration.ZERO)))
        .lockManager(recording)
        .build();
    server.start();
    connection = new TcpCompoundTransport(new InetSocketAddress("127.0.0.1", server.port()), 0);
  }

  @AfterEach
  void stop() throws Exception {
    connection.close();
    server.stop();
  }

  @Test
  void fourOneLockLocktAndLockuReachTheReplacement() {
    Wire.Client41 c = new Wire.Client41(Wire.tcp(connection), "recorded");
    Stateid open = ok(c.call(StateCompound.openCreate(c.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, c.clientId,
        b("opener"), "f", GUARDED4))).<OpenReply>last().stateid();
    Stateid lock = ok(c.call(StateCompound.lockNew(c.next().putrootfh().lookup("f"), WRITE_LT, false, 0, 100, 0,
        open, 0, c.clientId, b("locker")))).last();
    ok(c.call(StateCompound.lockt(c.next().putrootfh().lookup("f"), READ_LT, 200, 10, c.clientId, b("tester"))));
    ok(c.call(StateCompound.locku(c.next().putrootfh().lookup("f"), WRITE_LT, 0, lock, 0, 100)));
    ok(c.call(StateCompound.close(c.next().putrootfh().lookup("f"), 0, open)));

    FileKey file = recording.files.get(0);
    assertEquals(export.id(), file.exportId());
    assertEquals(List.of(
        "openShare opener 3/0",
        "lock locker WRITE [0, 99]",
        "test tester READ [200, 209]",
        "unlock locker [0, 99]",
        "releaseLocks locker",
        "releaseShare opener"), recording.calls());
    for (FileKey f : recording.files) {
      assertEquals(file, f, "every call names the same file");
    }
    for (Owner o : recording.owners) {
      assertEquals(c.clientId, o.clientId(), "every owner is the client's");
    }
  }

  @Test
  void theReplacementsConflictIsWhatTheClientSees() {
    Wire.Client40 c = new Wire.Client40(Wire.tcp(connection), "refused");
    OpenReply r = ok(c.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_BOTH, DENY_NONE,
        c.clientId, b("opener"), "f", GUARDED4))).last();
    Stateid open = ok(c.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup("f"), r.stateid(), 2)))
        .last();
    recording.conflict = new HeldLock(new Owner(0x1234, b("elsewhere")), LockType.WRITE, new ByteRange(10, 5));

    StateCompound.Denied locked = c.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), READ_LT,
        false, 0, 100, 3, open, 1, c.clientId, b("locker"))).denied();
    StateCompound.Denied tested = c.call(StateCompound.lockt(Compound.v40().putrootfh().lookup("f"), READ_LT, 0, 1,
        c.clientId, b("tester"))).denied();

    for (StateCompound.Denied d : List.of(locked, tested)) {
      assertEquals(0x1234, d.clientId());
      assertArrayEquals(b("elsewhere"), d.owner());
      assertEquals(10, d.offset());
      assertEquals(5, d.length());
      assertEquals(WRITE_LT, d.type());
    }
  }

  @Test
  void fourZeroReleaseLockownerReachesTheReplacement() {
    Wire.Client40 c = new Wire.Client40(Wire.tcp(connection), "releaser");
    OpenReply r = ok(c.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_BOTH, DENY_NONE,
        c.clientId, b("opener"), "f", GUARDED4))).last();
    Stateid open = ok(c.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup("f"), r.stateid(), 2)))
        .last();
    Stateid lock = ok(c.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("f"), WRITE_LT, false, 0, 1,
        3, open, 1, c.clientId, b("locker")))).last();
    assertEquals(Nfs4Status.LOCKS_HELD,
        c.call(StateCompound.releaseLockowner(Compound.v40(), c.clientId, b("locker"))).status());
    ok(c.call(StateCompound.locku(Compound.v40().putrootfh().lookup("f"), WRITE_LT, 2, lock, 0, 1)));
    recording.clear();

    ok(c.call(StateCompound.releaseLockowner(Compound.v40(), c.clientId, b("locker"))));

    assertEquals(List.of("holdsLocks locker", "releaseLocks locker"), recording.calls());
  }

  /** Records each call with the owner's name and passes it to a {@link LocalLockManager}. */
  private static final class RecordingLockManager implements LockManager {
    private final LockManager local = new LocalLockManager();
    private final List<String> calls = new ArrayList<>();
    final List<FileKey> files = new ArrayList<>();
    final List<Owner> owners = new ArrayList<>();
    /** When set, every LOCK and LOCKT meets this conflict. */
    volatile HeldLock conflict;

    private synchronized void record(String call, FileKey file, Owner owner) {
      calls.add(call);
      files.add(file);
      if (owner != null) {
        owners.add(owner);
      }
    }

    synchronized List<String> calls() {
      return List.copyOf(calls);
    }

    synchronized void clear() {
      calls.clear();
      files.clear();
      owners.clear();
    }

    private static String name(Owner owner) {
      return new String(owner.name(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public ShareReservation openShare(FileKey file, Owner owner, ShareReservation wanted) throws NfsException {
      record("openShare " + name(owner) + " " + wanted.access() + "/" + wanted.deny(), file, owner);
      return local.openShare(file, owner, wanted);
    }

    @Override
    public void downgradeShare(FileKey file, Owner owner, ShareReservation to) throws NfsException {
      record("downgradeShare " + name(owner) + " " + to.access() + "/" + to.deny(), file, owner);
      local.downgradeShare(file, owner, to);
    }

    @Override
    public void releaseShare(FileKey file, Owner owner) {
      record("releaseShare " + name(owner), file, owner);
      local.releaseShare(file, owner);
    }

    @Override
    public Optional<ShareReservation> share(FileKey file, Owner owner) {
      return local.share(file, owner);
    }

    @Override
    public boolean isDenied(FileKey file, int access) {
      return local.isDenied(file, access);
    }

    @Override
    public Optional<HeldLock> lock(FileKey file, Owner owner, LockType type, ByteRange range) {
      record("lock " + name(owner) + " " + type + " " + range, file, owner);
      return conflict != null ? Optional.of(conflict) : local.lock(file, owner, type, range);
    }

    @Override
    public Optional<HeldLock> test(FileKey file, Owner owner, LockType type, ByteRange range) {
      record("test " + name(owner) + " " + type + " " + range, file, owner);
      return conflict != null ? Optional.of(conflict) : local.test(file, owner, type, range);
    }

    @Override
    public void unlock(FileKey file, Owner owner, ByteRange range) {
      record("unlock " + name(owner) + " " + range, file, owner);
      local.unlock(file, owner, range);
    }

    @Override
    public void releaseLocks(FileKey file, Owner owner) {
      record("releaseLocks " + name(owner), file, owner);
      local.releaseLocks(file, owner);
    }

    @Override
    public boolean holdsLocks(FileKey file, Owner owner) {
      record("holdsLocks " + name(owner), file, owner);
      return local.holdsLocks(file, owner);
    }

    @Override
    public List<HeldLock> locks(FileKey file) {
      return local.locks(file);
    }
  }
}
