package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_BOTH;
import static dev.jnfs.v4.testing.StateCompound.CLAIM_PREVIOUS;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static dev.jnfs.v4.testing.StateCompound.UNCHECKED4;
import static dev.jnfs.v4.testing.StateCompound.WRITE_LT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.v4.Nfs4Opcode;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import dev.jnfs.v4.testing.Compound.WriteReply;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server restarts as clients see them on the wire: a {@link NfsServer} on a state directory
 * is stopped (or its state directory taken as a crash would leave it) and a new one started
 * on the same directory and the same in-memory file system. Clients that held state reclaim
 * it, others cannot, and the grace period ends when the recorded clients are done. Also the
 * server identity EXCHANGE_ID answers.
 */
class ClientRecoveryWireTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path stateDirectory;
  @TempDir Path crashCopy;
  private final InMemoryFileSystem files = new InMemoryFileSystem();
  private final List<NfsServer> servers = Collections.synchronizedList(new ArrayList<>());
  private final List<TcpCompoundTransport> connections = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (TcpCompoundTransport c : connections) {
      c.close();
    }
    for (NfsServer s : List.copyOf(servers)) {
      s.stop();
    }
  }

  private NfsServer start(Path state, Duration grace) {
    return start(grace, b -> {
      if (state != null) {
        b.stateDirectory(state);
      }
    });
  }

  private NfsServer start(Duration grace, Consumer<NfsServer.Builder> more) {
    NfsServer.Builder builder = NfsServer.builder().bind("127.0.0.1").port(0)
        .export("/", files, ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"))
        .protocol(new Nfs4Protocol(StateConfig.defaults().withLeaseTime(LEASE).withGracePeriod(grace)));
    more.accept(builder);
    NfsServer server = builder.build();
    server.start();
    servers.add(server);
    return server;
  }

  private Wire.Raw connect(NfsServer server) throws IOException {
    TcpCompoundTransport c = new TcpCompoundTransport(new InetSocketAddress("127.0.0.1", server.port()), 0);
    connections.add(c);
    return Wire.tcp(c);
  }

  /** A 4.1 client after a restart: EXCHANGE_ID and CREATE_SESSION, no RECLAIM_COMPLETE yet. */
  private static Wire.Client41 recovering(Wire.Raw raw, String name) {
    return new Wire.Client41(raw, name, 64, 16, false);
  }

  private static Wire.Answer reclaimOpen(Wire.Client41 c, String name) {
    return c.call(StateCompound.open(c.next().putrootfh().lookup(name), 0, ACCESS_BOTH, DENY_NONE, c.clientId,
        b("open-owner"), null, CLAIM_PREVIOUS, a -> a.writeInt(0)));
  }

  private static Wire.Answer lock(Wire.Client41 c, String name, boolean reclaim, Stateid open, String owner) {
    return c.call(StateCompound.lockNew(c.next().putrootfh().lookup(name), WRITE_LT, reclaim, 0, 4096, 0, open, 0,
        c.clientId, b(owner)));
  }

  /** A 4.1 client that opens (creating) a file with read and write access. */
  private static Stateid open41(Wire.Client41 c, String name) {
    return ok(c.call(StateCompound.openCreate(c.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, c.clientId,
        b("open-owner"), name, UNCHECKED4))).<OpenReply>last().stateid();
  }

  /** Before the restart: "holder" opens and locks the file, "watcher" has it open. */
  private NfsServer holdOpenAndLock(Path state) throws IOException {
    NfsServer first = start(state, Duration.ZERO);
    Wire.Raw raw = connect(first);
    Wire.Client41 holder = new Wire.Client41(raw, "holder");
    ok(lock(holder, "f", false, open41(holder, "f"), "lock-owner"));
    open41(new Wire.Client41(raw, "watcher"), "f");
    return first;
  }

  @Test
  void recordedClientsReclaimTheirOpenAndLockAndOthersGetNoGrace() throws Exception {
    holdOpenAndLock(stateDirectory).stop();
    NfsServer second = start(stateDirectory, Duration.ofMinutes(5));
    Wire.Raw raw = connect(second);

    Wire.Client41 holder = recovering(raw, "holder");
    Stateid open = ok(reclaimOpen(holder, "f")).<OpenReply>last().stateid();
    Stateid lock = ok(lock(holder, "f", true, open, "lock-owner")).last();
    Wire.Client41 stranger = recovering(raw, "stranger");
    assertEquals(Nfs4Status.NO_GRACE, reclaimOpen(stranger, "f").status(), "held nothing before the restart");

    // the watcher reclaims its open and is done; a new lock of it waits for the grace period
    Wire.Client41 watcher = recovering(raw, "watcher");
    Stateid watcherOpen = ok(reclaimOpen(watcher, "f")).<OpenReply>last().stateid();
    ok(watcher.call(StateCompound.reclaimComplete(watcher.next())));
    assertEquals(Nfs4Status.GRACE, lock(watcher, "f", false, watcherOpen, "watcher-lock").status());

    // the last recorded client says it is done: the grace period ends before its time
    ok(holder.call(StateCompound.reclaimComplete(holder.next())));
    StateCompound.Denied denied = lock(watcher, "f", false, watcherOpen, "watcher-lock").denied();
    assertEquals(holder.clientId, denied.clientId(), "the reclaimed lock is held");
    WriteReply written = ok(holder.call(holder.next().putrootfh().lookup("f").write(lock, 0, 2, b("still mine"))))
        .last();
    assertEquals(10, written.count());
    assertEquals(Nfs4Status.NO_GRACE, reclaimOpen(stranger, "f").status());
  }

  @Test
  void aFourZeroClientReclaimsAndTheGracePeriodRunsItsLength() throws Exception {
    NfsServer first = start(stateDirectory, Duration.ZERO);
    Wire.Client40 before = new Wire.Client40(connect(first), "holder-40");
    OpenReply created = ok(before.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_BOTH,
        DENY_NONE, before.clientId, b("o"), "g", UNCHECKED4))).last();
    Stateid open = ok(before.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup("g"),
        created.stateid(), 2))).last();
    ok(before.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("g"), WRITE_LT, false, 0, 4096, 3,
        open, 0, before.clientId, b("l"))));
    first.stop();

    Duration grace = Duration.ofSeconds(3);
    long started = System.nanoTime();
    NfsServer second = start(stateDirectory, grace);
    Wire.Raw raw = connect(second);
    assertEquals(Nfs4Status.STALE_CLIENTID, Wire.call(raw, StateCompound.renew(Compound.v40(), before.clientId))
        .status(), "a clientid of the previous instance");
    Wire.Client40 holder = new Wire.Client40(raw, "holder-40");
    OpenReply reclaimed = ok(holder.call(StateCompound.open(Compound.v40().putrootfh().lookup("g"), 1, ACCESS_BOTH,
        DENY_NONE, holder.clientId, b("o"), null, CLAIM_PREVIOUS, a -> a.writeInt(0)))).last();
    assertEquals(StateCompound.RESULT_LOCKTYPE_POSIX, reclaimed.rflags(), "a reclaim needs no OPEN_CONFIRM");
    ok(holder.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("g"), WRITE_LT, true, 0, 4096, 2,
        reclaimed.stateid(), 0, holder.clientId, b("l"))));
    Wire.Client40 stranger = new Wire.Client40(raw, "stranger-40");
    assertEquals(Nfs4Status.NO_GRACE, stranger.call(StateCompound.open(Compound.v40().putrootfh().lookup("g"), 1,
        ACCESS_BOTH, DENY_NONE, stranger.clientId, b("o"), null, CLAIM_PREVIOUS, a -> a.writeInt(0))).status());

    // a newcomer: no new open during grace, which 4.0 cannot end early
    Wire.Client41 other = new Wire.Client41(raw, "other");
    Supplier<Wire.Answer> otherOpen = () -> other.call(StateCompound.openName(other.next().putrootfh(), 0,
        ACCESS_BOTH, DENY_NONE, other.clientId, b("o"), "g"));
    Wire.Answer answer = otherOpen.get();
    while (answer.status() == Nfs4Status.GRACE) {
      Thread.sleep(100);
      answer = otherOpen.get();
    }
    assertTrue(System.nanoTime() - started >= grace.toNanos(), "grace ran its length");
    Stateid otherOpenStateid = ok(answer).<OpenReply>last().stateid();
    assertEquals(holder.clientId, lock(other, "g", false, otherOpenStateid, "l").denied().clientId());
  }

  @Test
  void afterACrashTheRecordsOnDiskDecideAndATornLastRecordIsIgnored() throws Exception {
    NfsServer first = holdOpenAndLock(stateDirectory);
    Wire.Client41 late = new Wire.Client41(connect(first), "recorded-last");
    // the state directory as a crash leaves it: the log not closed, its last record torn
    copy(stateDirectory, crashCopy);
    Path log = crashCopy.resolve("nfs4").resolve(ClientRecordLog.FILE);
    try (FileChannel c = FileChannel.open(log, StandardOpenOption.WRITE)) {
      c.truncate(c.size() - 3);
    }
    assertNotEquals(0, late.clientId);

    NfsServer second = start(crashCopy, Duration.ofMinutes(5));
    Wire.Raw raw = connect(second);
    Wire.Client41 holder = recovering(raw, "holder");
    Stateid open = ok(reclaimOpen(holder, "f")).<OpenReply>last().stateid();
    ok(lock(holder, "f", true, open, "lock-owner"));
    assertEquals(Nfs4Status.NO_GRACE, reclaimOpen(recovering(raw, "recorded-last"), "f").status(),
        "its record never reached the disk whole");
    ok(holder.call(StateCompound.reclaimComplete(holder.next())));
    Wire.Client41 watcher = recovering(raw, "watcher");
    Stateid watcherOpen = ok(reclaimOpen(watcher, "f")).<OpenReply>last().stateid();
    ok(watcher.call(StateCompound.reclaimComplete(watcher.next())));
    assertEquals(holder.clientId, lock(watcher, "f", false, watcherOpen, "w").denied().clientId(),
        "grace over: every recorded client is done");
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  // ------------------------------------------------------------ server identity

  /** EXCHANGE_ID's eir_clientid, so_major_id and eir_server_scope. */
  private record Identity(long clientId, String majorId, String scope) {}

  private static Identity exchangeId(Wire.Raw raw) {
    Compound c = Compound.v41().op(Nfs4Opcode.EXCHANGE_ID, a -> {
      a.writeHyper(1).writeOpaque(b("same-client")).writeInt(0).writeInt(0);
      a.writeInt(0);
    }, in -> {
      long clientId = in.readHyper();
      in.readInt();
      in.readInt();
      in.readInt(); // SP4_NONE
      in.readHyper(); // so_minor_id
      String major = new String(in.readOpaque(1024), StandardCharsets.UTF_8);
      String scope = new String(in.readOpaque(1024), StandardCharsets.UTF_8);
      return new Identity(clientId, major, scope);
    });
    return ok(Wire.call(raw, c)).last();
  }

  @Test
  void twoServersStartedAtOnceAnswerDifferentOwnersScopesAndClientIds() throws Exception {
    List<CompletableFuture<NfsServer>> starting = List.of(
        CompletableFuture.supplyAsync(() -> start(null, Duration.ZERO)),
        CompletableFuture.supplyAsync(() -> start(null, Duration.ZERO)));
    Identity one = exchangeId(connect(starting.get(0).join()));
    Identity two = exchangeId(connect(starting.get(1).join()));
    assertNotEquals(one.majorId(), two.majorId());
    assertNotEquals(one.scope(), two.scope());
    assertNotEquals(one.clientId(), two.clientId());
    assertNotEquals(one.clientId() >>> 32, two.clientId() >>> 32, "boot verifiers differ");
    assertEquals(one.majorId(), one.scope());
  }

  @Test
  void theIdentityKeptInTheStateDirectoryOutlivesARestartAndAChosenOneIsShared() throws Exception {
    NfsServer first = start(stateDirectory, Duration.ZERO);
    Identity before = exchangeId(connect(first));
    first.stop();
    Identity after = exchangeId(connect(start(stateDirectory, Duration.ZERO)));
    assertEquals(before.majorId(), after.majorId());
    assertEquals(before.scope(), after.scope());
    assertNotEquals(before.clientId(), after.clientId(), "a new instance: a new boot verifier");
    assertTrue(Files.exists(stateDirectory.resolve("server-id")));

    Identity sharedOne = exchangeId(connect(start(Duration.ZERO, b -> b.serverIdentity("cluster-7"))));
    Identity sharedTwo = exchangeId(connect(start(Duration.ZERO, b -> b.serverIdentity("cluster-7"))));
    assertEquals("cluster-7", sharedOne.majorId());
    assertEquals("cluster-7", sharedTwo.scope());
    assertFalse(sharedOne.clientId() == sharedTwo.clientId());
  }

  @Test
  void theWriteVerifierChangesAtEveryStart() throws Exception {
    List<Long> verifiers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      NfsServer server = start(stateDirectory, Duration.ZERO);
      Wire.Client41 c = new Wire.Client41(connect(server), "writer");
      Stateid open = open41(c, "v");
      WriteReply w = ok(c.call(c.next().putrootfh().lookup("v").write(open, 0, 0, b("unstable")))).last();
      verifiers.add(w.verifier());
      server.stop();
    }
    assertNotEquals(verifiers.get(0), verifiers.get(1));
  }
}
