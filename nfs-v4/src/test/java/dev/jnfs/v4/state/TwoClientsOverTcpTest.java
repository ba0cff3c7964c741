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
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two client identities, each on its own TCP connection, against a real {@link NfsServer}
 * serving the in-memory backend with a 2 second lease: locks, share reservations, lease
 * expiry and the 4.1 reply cache as clients see them on the wire.
 */
class TwoClientsOverTcpTest {
  private static final Duration LEASE = Duration.ofSeconds(2);

  private NfsServer server;
  private TcpCompoundTransport connectionA;
  private TcpCompoundTransport connectionB;

  @BeforeEach
  void start() throws Exception {
    server = NfsServer.builder().bind("127.0.0.1").port(0)
        .export("/", new InMemoryFileSystem(), ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"))
        .protocol(new Nfs4Protocol(StateConfig.defaults().withLeaseTime(LEASE).withGracePeriod(Duration.ZERO)))
        .build();
    server.start();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
    connectionA = new TcpCompoundTransport(address, 0);
    connectionB = new TcpCompoundTransport(address, 0);
  }

  @AfterEach
  void stop() throws Exception {
    connectionA.close();
    connectionB.close();
    server.stop();
  }

  /** A 4.0 open by a new owner, confirmed; the current filehandle is the file. */
  private static Stateid open40(Wire.Client40 c, String name, int access, int deny) {
    OpenReply r = ok(c.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, access, deny, c.clientId,
        b("owner"), name, UNCHECKED4))).last();
    return ok(c.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup(name), r.stateid(), 2))).last();
  }

  @Test
  void lockHeldByOneClientDeniesTheOtherNamingTheHolder() {
    Wire.Client40 a = new Wire.Client40(Wire.tcp(connectionA), "linux-a");
    Wire.Client41 b = new Wire.Client41(Wire.tcp(connectionB), "linux-b");
    Stateid openA = open40(a, "shared", ACCESS_BOTH, DENY_NONE);
    ok(a.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("shared"), WRITE_LT, false, 0, 4096, 3,
        openA, 1, a.clientId, b("pid-1"))));
    Stateid openB = ok(b.call(StateCompound.openName(b.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, b.clientId,
        b("owner"), "shared"))).<OpenReply>last().stateid();

    StateCompound.Denied denied = b.call(StateCompound.lockNew(b.next().putrootfh().lookup("shared"), WRITE_LT,
        false, 1000, 10, 0, openB, 0, b.clientId, b("pid-2"))).denied();
    assertEquals(a.clientId, denied.clientId());
    assertArrayEquals(b("pid-1"), denied.owner());
    assertEquals(0, denied.offset());
    assertEquals(4096, denied.length());
    assertEquals(WRITE_LT, denied.type());
    ok(b.call(StateCompound.lockNew(b.next().putrootfh().lookup("shared"), WRITE_LT, false, 4096, 10, 0, openB, 0,
        b.clientId, b("pid-2"))));
  }

  @Test
  void denyWriteOpenMakesTheOthersWriteOpenFail() {
    Wire.Client41 a = new Wire.Client41(Wire.tcp(connectionA), "a");
    Wire.Client40 b = new Wire.Client40(Wire.tcp(connectionB), "b");
    ok(a.call(StateCompound.openCreate(a.next().putrootfh(), 0, ACCESS_READ, DENY_WRITE, a.clientId, b("o"),
        "exclusive-writer", UNCHECKED4)));
    assertEquals(Nfs4Status.SHARE_DENIED, b.call(StateCompound.openName(Compound.v40().putrootfh(), 1, ACCESS_WRITE,
        DENY_NONE, b.clientId, b("o"), "exclusive-writer")).status());
    assertEquals(Nfs4Status.OK, b.call(StateCompound.openName(Compound.v40().putrootfh(), 2, ACCESS_READ,
        DENY_NONE, b.clientId, b("o"), "exclusive-writer")).status());
  }

  @Test
  void whenTheHolderStopsRenewingItsLeaseExpiresAndTheOtherGetsTheLock() throws Exception {
    Wire.Client40 a = new Wire.Client40(Wire.tcp(connectionA), "crashes");
    Wire.Client41 b = new Wire.Client41(Wire.tcp(connectionB), "waits");
    Stateid openA = open40(a, "contended", ACCESS_BOTH, DENY_NONE);
    Stateid lockA = ok(a.call(StateCompound.lockNew(Compound.v40().putrootfh().lookup("contended"), WRITE_LT,
        false, 0, ByteRange.TO_END, 3, openA, 1, a.clientId, b("l")))).last();
    Stateid openB = ok(b.call(StateCompound.openName(b.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, b.clientId,
        b("o"), "contended"))).<OpenReply>last().stateid();

    // client a goes silent; b polls as a client blocked in a lock would, renewing its lease
    int status = Nfs4Status.DENIED;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int attempts = 0;
    while (status == Nfs4Status.DENIED && System.nanoTime() < deadline) {
      status = b.call(StateCompound.lockNew(b.next().putrootfh().lookup("contended"), WRITE_LT, false, 0, 1, 0,
          openB, 0, b.clientId, b("l"))).status();
      attempts++;
      if (status == Nfs4Status.DENIED) {
        Thread.sleep(200);
      }
    }
    assertEquals(Nfs4Status.OK, status);
    assertTrue(attempts > 1, "the lock was held at first");
    assertEquals(Nfs4Status.EXPIRED, a.call(StateCompound.locku(Compound.v40().putrootfh().lookup("contended"),
        WRITE_LT, 2, lockA, 0, 1)).status());
    assertEquals(Nfs4Status.EXPIRED, a.call(StateCompound.renew(Compound.v40(), a.clientId)).status());
  }

  @Test
  void retriedCompoundOnTheSameSlotGetsTheCachedReplyWithoutRunningAgain() {
    Wire.Client41 a = new Wire.Client41(Wire.tcp(connectionA), "retrier");
    ok(a.call(StateCompound.openCreate(a.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, a.clientId, b("o"),
        "victim", GUARDED4)));
    Compound remove = a.next().putrootfh().remove("victim");
    Wire.Answer first = ok(a.call(remove));
    // the same slot and seqid again, on another connection as after a reconnect
    Wire.Answer retry = Wire.call(Wire.tcp(connectionB), remove);
    assertArrayEquals(first.bytes(), retry.bytes());
    assertEquals(Nfs4Status.NOENT, a.call(a.next().putrootfh().remove("victim")).status(),
        "run anew, REMOVE fails: the retry did not run it a second time");
    assertEquals(Nfs4Status.SEQ_MISORDERED, a.call(StateCompound.sequence(Compound.v41(), a.sessionId, a.seqid + 2,
        0, true)).status());
  }

  @Test
  void retransmittedFourZeroOpenIsAnsweredFromTheOwnersReplyCache() {
    Wire.Client40 a = new Wire.Client40(Wire.tcp(connectionA), "a");
    Compound open = StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_READ, DENY_NONE, a.clientId,
        b("o"), "once", GUARDED4);
    Wire.Answer first = ok(a.call(open));
    Wire.Answer again = Wire.call(Wire.tcp(connectionB), open);
    assertArrayEquals(first.bytes(), again.bytes());
  }
}
