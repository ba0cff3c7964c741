package dev.jnfs.v4.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.LocalLockManager;
import dev.jnfs.lock.LockType;
import dev.jnfs.spi.Owner;
import dev.jnfs.v4.StateConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bounds of {@link LockWaiters}: per client, a lease, until told. */
class LockWaitersTest {
  private static final Duration LEASE = Duration.ofSeconds(10);
  private static final byte[] HANDLE = {1, 2, 3};

  private final MutableClock clock = new MutableClock();
  private final RecordingFileSystem backend = new RecordingFileSystem();
  private final LocalLockManager lockManager = new LocalLockManager();
  private final StateEngine engine = new StateEngine(
      StateConfig.defaults().withLeaseTime(LEASE).withGracePeriod(Duration.ZERO), clock, lockManager);
  private final ClientRecord client = client("waiting");

  private ClientRecord client(String name) {
    try {
      ClientIds.ExchangeIdResult r = engine.clientIds.exchangeId(b(name), 7, 0, "sys:0");
      ChannelAttrs channel = new ChannelAttrs(0, 1 << 20, 1 << 20, 8192, 16, 8, null);
      CreateSessionResult cs = engine.sessions.createSession(r.clientId(), r.sequence(), channel, channel, "sys:0");
      return engine.sessions.session(cs.sessionId()).client;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** @return a file whose bytes another client holds, so that waits on it last */
  private OpenFile held() {
    OpenFile f = backend.file("f");
    lockManager.lock(f.key(), new Owner(client("holder").clientId(), b("holder")), LockType.WRITE, ByteRange.WHOLE_FILE);
    return f;
  }

  private LockOwner owner(int n) {
    return engine.locks.lockOwner(client, b("owner-" + n));
  }

  @Test
  void aClientWaitsForABoundedNumberOfLocks() {
    OpenFile f = held();
    for (int i = 0; i < LockWaiters.MAX_PER_CLIENT + 5; i++) {
      engine.lockWaiters.await(owner(i), f, HANDLE, LockType.WRITE, ByteRange.WHOLE_FILE);
    }
    assertEquals(LockWaiters.MAX_PER_CLIENT, engine.lockWaiters.count());
    engine.lockWaiters.await(owner(0), f, HANDLE, LockType.READ, ByteRange.WHOLE_FILE);
    assertEquals(LockWaiters.MAX_PER_CLIENT, engine.lockWaiters.count(), "a new denial replaces the owner's wait");
    engine.lockWaiters.forget(owner(0), f);
    assertEquals(LockWaiters.MAX_PER_CLIENT - 1, engine.lockWaiters.count());
  }

  @Test
  void aWaitIsForgottenALeaseAfterItsDenial() {
    OpenFile f = held();
    engine.lockWaiters.await(owner(1), f, HANDLE, LockType.WRITE, ByteRange.WHOLE_FILE);
    clock.advance(LEASE.plusSeconds(1));
    engine.lockWaiters.await(owner(2), f, HANDLE, LockType.WRITE, ByteRange.WHOLE_FILE);
    assertEquals(1, engine.lockWaiters.count(), "the first one expired");
  }

  @Test
  void aConflictGoneBeforeTheWaitIsRecordedIsNotMissed() throws Exception {
    engine.lockWaiters.await(owner(1), backend.file("f"), HANDLE, LockType.WRITE, ByteRange.WHOLE_FILE);
    awaitNoWaiter();
  }

  private void awaitNoWaiter() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (engine.lockWaiters.count() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, engine.lockWaiters.count(), "told and forgotten");
  }

  @Test
  void freedWaitersAreForgottenEvenWithoutABackChannel() throws Exception {
    OpenFile f = backend.file("f");
    Owner holder = new Owner(client("holder").clientId(), b("holder"));
    lockManager.lock(f.key(), holder, LockType.WRITE, new ByteRange(0, 10));
    engine.lockWaiters.await(owner(1), f, HANDLE, LockType.WRITE, new ByteRange(0, 10));
    engine.lockWaiters.await(owner(2), f, HANDLE, LockType.WRITE, new ByteRange(5, 10));
    assertEquals(2, engine.lockWaiters.count());
    lockManager.unlock(f.key(), holder, new ByteRange(0, 10));
    awaitNoWaiter();
  }
}
