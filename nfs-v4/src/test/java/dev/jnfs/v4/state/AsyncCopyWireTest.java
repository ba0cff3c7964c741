package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.V42Compound.copy;
import static dev.jnfs.v4.testing.V42Compound.offloadStatus;
import static dev.jnfs.v4.testing.V42Compound.withStateid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.v4.Nfs4Opcode;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.StateTestPrograms;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.BackChannelCalls;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import dev.jnfs.v4.testing.V42Compound.CopyResult;
import dev.jnfs.v4.testing.V42Compound.OffloadStatusReply;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous COPY over the wire (RFC 7862 §4.4, §15.2, §15.8, §15.9, §16.1): a 4.2 client
 * whose session has a back channel gets a copy stateid at once and CB_OFFLOAD at the end;
 * OFFLOAD_STATUS and OFFLOAD_CANCEL reach the copy mid-way. The backend copies through a gate
 * that can hold a chosen backend call or fail it, so every mid-copy observation is
 * deterministic.
 */
class AsyncCopyWireTest {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final int CONN_BACK_CHAN = 2;
  private static final int OP_CB_OFFLOAD = 15;
  private static final int UNSTABLE4 = 0;
  /** The server's chunk: one backend call each. */
  private static final int CHUNK = 8 << 20;
  private static final Caller ROOT = Caller.of(0, 0);
  private static final Stateid ANY = Stateid.ANONYMOUS;

  private final InMemoryFileSystem memory = new InMemoryFileSystem();
  private final Gate gate = new Gate();
  /** The state's clock, moved by hand: leases end without waiting. */
  private final MutableClock clock = new MutableClock();
  private NfsServer server;
  private TcpCompoundTransport connection;
  private TcpCompoundTransport otherConnection;
  private Wire.Client41 client;

  /** Starts the server with "src" of {@code sourceBytes} and an empty "dst"; a 4.2 client with a back channel. */
  private void start(int sourceBytes) throws Exception {
    FileHandle src = create("src");
    byte[] piece = new byte[1 << 20];
    for (int offset = 0; offset < sourceBytes; offset += piece.length) {
      int n = Math.min(piece.length, sourceBytes - offset);
      fill(piece, offset);
      memory.write(ROOT, src, offset, ByteBuffer.wrap(piece, 0, n), Stability.FILE_SYNC);
    }
    create("dst");
    server = NfsServer.builder().bind("127.0.0.1").port(0)
        .export("/", gate.backend(memory), ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"))
        .protocol(ctx -> List.of(StateTestPrograms.program(ctx, StateModule.create(ctx,
            StateConfig.defaults().withLeaseTime(LEASE).withGracePeriod(Duration.ZERO), clock, ctx.lockManager()))))
        .build();
    server.start();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
    connection = new TcpCompoundTransport(address, 0);
    otherConnection = new TcpCompoundTransport(address, 0);
    client = new Wire.Client41(Wire.tcp(connection), "copier", 16, 16, true, CONN_BACK_CHAN, 2);
  }

  @AfterEach
  void stop() throws Exception {
    gate.openAll();
    if (connection != null) {
      connection.close();
      otherConnection.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private FileHandle create(String name) throws NfsException {
    return memory.create(ROOT, memory.root(), name, CreateMode.GUARDED, SetAttributes.mode(0666), 0).handle();
  }

  private static void fill(byte[] piece, long offset) {
    for (int i = 0; i < piece.length; i++) {
      long at = offset + i;
      piece[i] = (byte) (at * 7 + (at >>> 12));
    }
  }

  private static Compound srcToDst(Compound c, String destination) {
    return c.putrootfh().lookup("src").savefh().putrootfh().lookup(destination);
  }

  private CopyResult copyToDst(Wire.Client41 c, long count, boolean synchronous) {
    return ok(c.call(copy(srcToDst(c.next(), "dst"), ANY, ANY, 0, 0, count, synchronous))).last();
  }

  private Wire.Answer status(Wire.Client41 c, String file, Stateid copyId) {
    return c.call(offloadStatus(c.next().putrootfh().lookup(file), copyId));
  }

  private Wire.Answer cancel(Wire.Client41 c, Stateid copyId) {
    return c.call(withStateid(c.next().putrootfh().lookup("dst"), Nfs4Opcode.OFFLOAD_CANCEL, copyId));
  }

  private long size(String name) throws NfsException {
    return memory.getattr(ROOT, memory.lookup(ROOT, memory.root(), name).handle()).size();
  }

  /** A CB_OFFLOAD received: the call and its decoded arguments. */
  private record Offload(BackChannelCalls.Call call, byte[] fileHandle, Stateid stateid, int status, long count,
      int committed, long verifier) {}

  private Offload awaitOffload() throws IOException {
    BackChannelCalls.Call call = BackChannelCalls.await(connection);
    assertEquals(2, call.minorVersion());
    assertEquals(OP_CB_OFFLOAD, call.opcode(), "CB_OFFLOAD");
    byte[] fh = call.args().readOpaque(128);
    Stateid stateid = Stateid.decode(call.args());
    int status = call.args().readInt();
    if (status != Nfs4Status.OK) {
      return new Offload(call, fh, stateid, status, call.args().readHyper(), -1, 0);
    }
    assertEquals(0, call.args().readInt(), "no wr_callback_id in CB_OFFLOAD");
    long count = call.args().readHyper();
    return new Offload(call, fh, stateid, status, count, call.args().readInt(), call.args().readHyper());
  }

  private void answer(Offload o) throws IOException {
    BackChannelCalls.answer(connection, o.call(), Nfs4Status.OK, Nfs4Status.OK);
  }

  @Test
  void asynchronousCopyAnswersAtOnceAndReportsItsEndWithCbOffload() throws Exception {
    int size = 64 << 20;
    start(size);
    CopyResult reply = copyToDst(client, 0, false);
    assertNotNull(reply.callbackId(), "a copy stateid");
    assertEquals(0, reply.count());
    assertFalse(reply.synchronous());
    assertTrue(reply.consecutive());
    assertNotEquals(0, reply.callbackId().seqid(), "a copy stateid's seqid is never 0");

    Offload done = awaitOffload();
    assertEquals(reply.callbackId(), done.stateid());
    assertEquals(Nfs4Status.OK, done.status());
    assertEquals(size, done.count());
    assertEquals(UNSTABLE4, done.committed());
    assertEquals(reply.verifier(), done.verifier());
    byte[] dstHandle = ok(client.call(client.next().putrootfh().lookup("dst").getfh())).last();
    assertArrayEquals(dstHandle, done.fileHandle());
    answer(done);
    assertEquals(size / CHUNK, gate.calls.get(), "one backend call per chunk");

    assertEquals(size, size("dst"));
    FileHandle src = memory.lookup(ROOT, memory.root(), "src").handle();
    FileHandle dst = memory.lookup(ROOT, memory.root(), "dst").handle();
    byte[] expected = new byte[1 << 20];
    byte[] actual = new byte[1 << 20];
    for (long offset = 0; offset < size; offset += expected.length) {
      memory.read(ROOT, src, offset, ByteBuffer.wrap(expected));
      memory.read(ROOT, dst, offset, ByteBuffer.wrap(actual));
      assertArrayEquals(expected, actual, "at " + offset);
    }

    // the client has the outcome: the stateid is released (at once, or by this status)
    Wire.Answer after = status(client, "dst", reply.callbackId());
    if (after.status() == Nfs4Status.OK) {
      assertEquals(Nfs4Status.OK, ((OffloadStatusReply) after.last()).complete());
    }
    assertEquals(Nfs4Status.BAD_STATEID, status(client, "dst", reply.callbackId()).status());
  }

  @Test
  void offloadStatusShowsProgressAndTheEnd() throws Exception {
    start(2 * CHUNK + 4096);
    gate.holdCall(2);
    CopyResult reply = copyToDst(client, 0, false);
    gate.awaitHeld();
    OffloadStatusReply mid = ok(status(client, "dst", reply.callbackId())).last();
    assertEquals(CHUNK, mid.count(), "the first chunk is copied");
    assertNull(mid.complete(), "still running");

    gate.openAll();
    Offload done = awaitOffload();
    assertEquals(2L * CHUNK + 4096, done.count());
    // the CB_OFFLOAD is not answered yet: OFFLOAD_STATUS reports the end too, and releases the stateid
    OffloadStatusReply end = ok(status(client, "dst", reply.callbackId())).last();
    assertEquals(2L * CHUNK + 4096, end.count());
    assertEquals(Nfs4Status.OK, end.complete());
    answer(done);
    assertEquals(Nfs4Status.BAD_STATEID, status(client, "dst", reply.callbackId()).status());
  }

  @Test
  void offloadCancelStopsTheCopyBetweenChunksWithoutCbOffload() throws Exception {
    start(4 * CHUNK);
    gate.holdCall(2);
    CopyResult reply = copyToDst(client, 0, false);
    gate.awaitHeld();
    ok(cancel(client, reply.callbackId()));
    assertEquals(Nfs4Status.BAD_STATEID, status(client, "dst", reply.callbackId()).status(),
        "OFFLOAD_CANCEL released the copy stateid");
    assertEquals(Nfs4Status.BAD_STATEID, cancel(client, reply.callbackId()).status());
    gate.openAll();

    server.close(); // waits for the copy's thread: none is left running
    assertEquals(2, gate.calls.get(), "the chunk under way finished, no other began");
    assertEquals(2L * CHUNK, size("dst"));
    assertThrows(IOException.class, () -> BackChannelCalls.await(connection), "no CB_OFFLOAD after a cancel");
  }

  @Test
  void destroyingTheSessionCancelsItsCopies() throws Exception {
    start(4 * CHUNK);
    gate.holdCall(2);
    copyToDst(client, 0, false);
    gate.awaitHeld();
    ok(client.call(StateCompound.destroySession(Compound.minor(2), client.sessionId)));
    gate.openAll();

    server.close();
    assertEquals(2, gate.calls.get());
    assertEquals(2L * CHUNK, size("dst"));
  }

  @Test
  void theEndOfTheClientsLeaseCancelsItsCopies() throws Exception {
    start(4 * CHUNK);
    gate.holdCall(2);
    Stateid copyId = copyToDst(client, 0, false).callbackId();
    gate.awaitHeld();
    clock.advance(LEASE.multipliedBy(2));
    // another client's call finds the silent client's lease over and takes its state away
    Wire.Client41 other = new Wire.Client41(Wire.tcp(otherConnection), "other", 16, 16, true, 0, 2);
    assertEquals(Nfs4Status.BAD_STATEID, status(other, "dst", copyId).status());
    assertEquals(Nfs4Status.EXPIRED, status(client, "dst", copyId).status());
    gate.openAll();

    server.close();
    assertEquals(2, gate.calls.get(), "the chunk under way finished, no other began");
    assertEquals(2L * CHUNK, size("dst"));
    assertThrows(IOException.class, () -> BackChannelCalls.await(connection), "no CB_OFFLOAD");
  }

  @Test
  void anErrorMidCopyIsReportedInCbOffload() throws Exception {
    start(3 * CHUNK);
    gate.failCall(2, NfsStatus.NOSPC);
    CopyResult reply = copyToDst(client, 0, false);
    Offload failed = awaitOffload();
    assertEquals(reply.callbackId(), failed.stateid());
    assertEquals(Nfs4Status.NOSPC, failed.status());
    assertEquals(CHUNK, failed.count(), "coa_bytes_copied before the error");
    answer(failed);
    assertEquals(2, gate.calls.get(), "no chunk after the error");

    // unstable data may have been lost: the write verifier changed
    CopyResult sync = copyToDst(client, CHUNK, true);
    assertNotEquals(reply.verifier(), sync.verifier());
  }

  @Test
  void synchronousWhenAskedWhenSmallOrWithoutABackChannel() throws Exception {
    start(3 * CHUNK);
    CopyResult asked = copyToDst(client, 0, true);
    assertNull(asked.callbackId());
    assertEquals(3L * CHUNK, asked.count());
    assertTrue(asked.synchronous());

    CopyResult small = copyToDst(client, CHUNK, false);
    assertNull(small.callbackId(), "one chunk is copied synchronously");
    assertEquals(CHUNK, small.count());
    assertTrue(small.synchronous());

    Wire.Client41 noBackChannel = new Wire.Client41(Wire.tcp(otherConnection), "plain", 16, 16, true, 0, 2);
    CopyResult without = copyToDst(noBackChannel, 0, false);
    assertNull(without.callbackId(), "no back channel for CB_OFFLOAD");
    assertEquals(3L * CHUNK, without.count());
    assertTrue(without.synchronous());
    assertThrows(IOException.class, () -> connection.awaitCallback(Duration.ofMillis(200)));
  }

  @Test
  void copyStateidsAreTheirClientsAndNotForIo() throws Exception {
    start(3 * CHUNK);
    gate.holdCall(2);
    CopyResult reply = copyToDst(client, 0, false);
    Stateid copyId = reply.callbackId();
    gate.awaitHeld();

    Wire.Client41 other = new Wire.Client41(Wire.tcp(otherConnection), "other", 16, 16, true, 0, 2);
    assertEquals(Nfs4Status.BAD_STATEID, status(other, "dst", copyId).status(), "another client's copy");
    assertEquals(Nfs4Status.BAD_STATEID, cancel(other, copyId).status(), "another client's copy");
    assertEquals(Nfs4Status.BAD_STATEID, status(client, "src", copyId).status(), "another file");
    assertEquals(Nfs4Status.BAD_STATEID, status(client, "dst", Stateid.of(0, copyId.other())).status(),
        "seqid 0");
    byte[] unknownOther = copyId.other();
    unknownOther[11] ^= 0x55;
    assertEquals(Nfs4Status.BAD_STATEID, status(client, "dst", Stateid.of(1, unknownOther)).status(), "unknown");
    assertEquals(Nfs4Status.BAD_STATEID,
        client.call(client.next().putrootfh().lookup("dst").read(copyId, 0, 10)).status(), "READ");
    assertEquals(Nfs4Status.BAD_STATEID,
        client.call(client.next().putrootfh().lookup("dst").write(copyId, 0, 2, new byte[10])).status(), "WRITE");
    assertEquals(Nfs4Status.BAD_STATEID,
        client.call(StateCompound.freeStateid(client.next(), copyId)).status(), "FREE_STATEID");
    OffloadStatusReply own = ok(status(client, "dst", copyId)).last();
    assertEquals(CHUNK, own.count(), "the copy's own client sees it");

    gate.openAll();
    answer(awaitOffload());
  }

  @Test
  void beyondItsLimitOfRunningCopiesAClientCopiesSynchronously() throws Exception {
    start(2 * CHUNK);
    create("dst2");
    gate.holdAllInto("dst");
    for (int i = 0; i < CopyTable.MAX_PER_CLIENT; i++) {
      assertNotNull(copyToDst(client, 0, false).callbackId(), "copy " + i);
    }
    CopyResult beyond = ok(client.call(copy(srcToDst(client.next(), "dst2"), ANY, ANY, 0, 0, 0, false))).last();
    assertNull(beyond.callbackId(), "over the limit");
    assertEquals(2L * CHUNK, beyond.count());

    gate.openAll();
    for (int i = 0; i < CopyTable.MAX_PER_CLIENT; i++) {
      Offload o = awaitOffload();
      assertEquals(Nfs4Status.OK, o.status());
      answer(o);
    }
  }

  /**
   * The in-memory backend behind a proxy whose {@code copy} can be held (the n-th call, or every
   * call into one file, waits until opened) or failed (the n-th call).
   */
  private static final class Gate {
    final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch open = new CountDownLatch(1);
    private final Semaphore held = new Semaphore(0);
    private volatile int holdCall;
    private volatile String holdInto;
    private volatile int failCall;
    private volatile NfsStatus failStatus;
    private InMemoryFileSystem memory;

    void holdCall(int n) {
      holdCall = n;
    }

    void holdAllInto(String name) {
      holdInto = name;
    }

    void failCall(int n, NfsStatus status) {
      failStatus = status;
      failCall = n;
    }

    void awaitHeld() throws InterruptedException {
      assertTrue(held.tryAcquire(10, TimeUnit.SECONDS), "the copy reached the held call");
    }

    void openAll() {
      open.countDown();
    }

    NfsFileSystem backend(InMemoryFileSystem delegate) {
      memory = delegate;
      return (NfsFileSystem) Proxy.newProxyInstance(
          NfsFileSystem.class.getClassLoader(), new Class<?>[] {NfsFileSystem.class},
          (proxy, method, args) -> {
            if (method.getName().equals("copy")) {
              int n = calls.incrementAndGet();
              if (n == holdCall || holdInto != null && into((FileHandle) args[3], holdInto)) {
                held.release();
                assertTrue(open.await(20, TimeUnit.SECONDS), "the test opens the gate");
              }
              if (n == failCall) {
                throw new NfsException(failStatus, "injected");
              }
            }
            try {
              return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    private boolean into(FileHandle destination, String name) throws NfsException {
      return destination.equals(memory.lookup(ROOT, memory.root(), name).handle());
    }
  }
}
