package dev.jnfs.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.Owner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalLockManagerTest {
  private static final FileKey FILE = new FileKey(7, FileHandle.of(new byte[] {1}));
  private static final FileKey OTHER = new FileKey(7, FileHandle.of(new byte[] {2}));
  private static final Owner A = owner("a");
  private static final Owner B = owner("b");
  private static final Owner C = owner("c");
  private final LocalLockManager locks = new LocalLockManager();

  private static Owner owner(String name) {
    return new Owner(42, name.getBytes(StandardCharsets.US_ASCII));
  }

  private static ByteRange r(long offset, long length) {
    return new ByteRange(offset, length);
  }

  @Test
  void writeLockBlocksOtherOwnerAndNamesTheHolder() {
    assertTrue(locks.lock(FILE, A, LockType.WRITE, r(0, 100)).isEmpty());
    Optional<HeldLock> conflict = locks.lock(FILE, B, LockType.READ, r(50, 10));
    assertEquals(Optional.of(new HeldLock(A, LockType.WRITE, r(0, 100))), conflict);
    assertEquals(1, locks.locks(FILE).size(), "the refused lock must not be recorded");
  }

  @Test
  void readLocksShareButBlockWriters() {
    assertTrue(locks.lock(FILE, A, LockType.READ, r(0, 10)).isEmpty());
    assertTrue(locks.lock(FILE, B, LockType.READ, r(5, 10)).isEmpty());
    assertEquals(A, locks.lock(FILE, C, LockType.WRITE, r(0, 1)).orElseThrow().owner());
    assertTrue(locks.lock(FILE, C, LockType.WRITE, r(15, 1)).isEmpty());
  }

  @Test
  void differentFilesDoNotConflict() {
    locks.lock(FILE, A, LockType.WRITE, ByteRange.WHOLE_FILE);
    assertTrue(locks.lock(OTHER, B, LockType.WRITE, ByteRange.WHOLE_FILE).isEmpty());
  }

  @Test
  void unlockingTheMiddleSplitsALock() {
    locks.lock(FILE, A, LockType.WRITE, r(0, 100));
    locks.unlock(FILE, A, r(40, 20));
    assertEquals(
        List.of(new HeldLock(A, LockType.WRITE, r(0, 40)), new HeldLock(A, LockType.WRITE, r(60, 40))),
        locks.locks(FILE));
    assertTrue(locks.lock(FILE, B, LockType.WRITE, r(40, 20)).isEmpty());
  }

  @Test
  void unlockingPartOfAnEofLockKeepsTheRestToEof() {
    locks.lock(FILE, A, LockType.WRITE, r(10, ByteRange.TO_END));
    locks.unlock(FILE, A, r(0, 20));
    List<HeldLock> held = locks.locks(FILE);
    assertEquals(1, held.size());
    assertEquals(r(20, ByteRange.TO_END), held.get(0).range());
    assertEquals(A, locks.test(FILE, B, LockType.READ, r(-3L, 1)).orElseThrow().owner());
  }

  @Test
  void adjacentAndOverlappingLocksOfTheSameTypeMerge() {
    locks.lock(FILE, A, LockType.READ, r(0, 10));
    locks.lock(FILE, A, LockType.READ, r(20, 10));
    locks.lock(FILE, A, LockType.READ, r(10, 10));
    assertEquals(List.of(new HeldLock(A, LockType.READ, r(0, 30))), locks.locks(FILE));
    locks.lock(FILE, A, LockType.READ, r(25, ByteRange.TO_END));
    assertEquals(List.of(new HeldLock(A, LockType.READ, r(0, ByteRange.TO_END))), locks.locks(FILE));
  }

  @Test
  void locksOfDifferentTypesDoNotMerge() {
    locks.lock(FILE, A, LockType.READ, r(0, 10));
    locks.lock(FILE, A, LockType.WRITE, r(10, 10));
    assertEquals(2, locks.locks(FILE).size());
  }

  @Test
  void upgradeReplacesOwnReadLockInTheRangeOnly() {
    locks.lock(FILE, A, LockType.READ, r(0, 100));
    assertTrue(locks.lock(FILE, A, LockType.WRITE, r(40, 20)).isEmpty());
    assertEquals(
        List.of(
            new HeldLock(A, LockType.READ, r(0, 40)),
            new HeldLock(A, LockType.WRITE, r(40, 20)),
            new HeldLock(A, LockType.READ, r(60, 40))),
        locks.locks(FILE));
  }

  @Test
  void upgradeIsRefusedWhileAnotherReaderOverlaps() {
    locks.lock(FILE, A, LockType.READ, r(0, 100));
    locks.lock(FILE, B, LockType.READ, r(90, 20));
    assertEquals(B, locks.lock(FILE, A, LockType.WRITE, r(0, 100)).orElseThrow().owner());
    assertEquals(List.of(new HeldLock(A, LockType.READ, r(0, 100)), new HeldLock(B, LockType.READ, r(90, 20))),
        locks.locks(FILE));
  }

  @Test
  void downgradeLetsOtherReadersIn() {
    locks.lock(FILE, A, LockType.WRITE, r(0, 100));
    locks.lock(FILE, A, LockType.READ, r(0, 100));
    assertTrue(locks.lock(FILE, B, LockType.READ, r(0, 100)).isEmpty());
  }

  @Test
  void testDoesNotTakeTheLock() {
    assertTrue(locks.test(FILE, A, LockType.WRITE, r(0, 10)).isEmpty());
    assertTrue(locks.locks(FILE).isEmpty());
    assertFalse(locks.holdsLocks(FILE, A));
  }

  @Test
  void releaseLocksDropsOnlyThatOwner() {
    locks.lock(FILE, A, LockType.READ, r(0, 10));
    locks.lock(FILE, B, LockType.READ, r(0, 10));
    locks.releaseLocks(FILE, A);
    assertFalse(locks.holdsLocks(FILE, A));
    assertTrue(locks.holdsLocks(FILE, B));
  }

  @Test
  void denyWriteRefusesAnotherWriterWithShareDenied() throws NfsException {
    locks.openShare(FILE, A, new ShareReservation(ShareReservation.READ, ShareReservation.WRITE));
    NfsException e = assertThrows(NfsException.class,
        () -> locks.openShare(FILE, B, new ShareReservation(ShareReservation.WRITE, ShareReservation.NONE)));
    assertEquals(NfsStatus.SHARE_DENIED, e.status());
    locks.openShare(FILE, B, new ShareReservation(ShareReservation.READ, ShareReservation.NONE));
    assertTrue(locks.isDenied(FILE, ShareReservation.WRITE));
    assertFalse(locks.isDenied(FILE, ShareReservation.READ));
  }

  @Test
  void denyIsRefusedWhenAnotherAlreadyHasThatAccess() throws NfsException {
    locks.openShare(FILE, A, new ShareReservation(ShareReservation.WRITE, ShareReservation.NONE));
    assertThrows(NfsException.class,
        () -> locks.openShare(FILE, B, new ShareReservation(ShareReservation.READ, ShareReservation.WRITE)));
    assertTrue(locks.share(FILE, B).isEmpty());
  }

  @Test
  void sameOwnerUpgradesByUnion() throws NfsException {
    locks.openShare(FILE, A, new ShareReservation(ShareReservation.READ, ShareReservation.NONE));
    ShareReservation s =
        locks.openShare(FILE, A, new ShareReservation(ShareReservation.WRITE, ShareReservation.READ));
    assertEquals(new ShareReservation(ShareReservation.BOTH, ShareReservation.READ), s);
  }

  @Test
  void downgradeMustBeASubset() throws NfsException {
    locks.openShare(FILE, A, new ShareReservation(ShareReservation.BOTH, ShareReservation.WRITE));
    assertThrows(NfsException.class,
        () -> locks.downgradeShare(FILE, A, new ShareReservation(ShareReservation.READ, ShareReservation.BOTH)));
    locks.downgradeShare(FILE, A, new ShareReservation(ShareReservation.READ, ShareReservation.NONE));
    locks.openShare(FILE, B, new ShareReservation(ShareReservation.WRITE, ShareReservation.NONE));
    NfsException none = assertThrows(NfsException.class,
        () -> locks.downgradeShare(FILE, C, new ShareReservation(ShareReservation.READ, ShareReservation.NONE)));
    assertEquals(NfsStatus.INVAL, none.status());
  }

  @Test
  void releaseShareLetsOthersOpen() throws NfsException {
    locks.openShare(FILE, A, new ShareReservation(ShareReservation.READ, ShareReservation.BOTH));
    locks.releaseShare(FILE, A);
    locks.openShare(FILE, B, new ShareReservation(ShareReservation.BOTH, ShareReservation.BOTH));
  }

  @Test
  void concurrentWritersNeverBothHoldTheSameByte() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicInteger granted = new AtomicInteger();
    try {
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Owner owner = owner("o" + t);
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            if (locks.lock(FILE, owner, LockType.WRITE, r(i % 7, 3)).isEmpty()) {
              granted.incrementAndGet();
              List<HeldLock> held = locks.locks(FILE);
              for (HeldLock a : held) {
                for (HeldLock b : held) {
                  if (a != b && !a.owner().equals(b.owner()) && a.range().overlaps(b.range())) {
                    throw new AssertionError("overlapping write locks " + a + " " + b);
                  }
                }
              }
              locks.unlock(FILE, owner, r(i % 7, 3));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(granted.get() > 0);
    assertTrue(locks.locks(FILE).isEmpty());
  }

  @Test
  void releaseListenersHearOfUnlocksReleasesAndChangedLocksButNotOfConflicts() {
    LocalLockManager locks = new LocalLockManager();
    List<FileKey> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    locks.addReleaseListener(heard::add);

    assertTrue(locks.lock(FILE, A, LockType.WRITE, new ByteRange(0, 10)).isEmpty());
    assertEquals(List.of(FILE), heard, "a granted lock may have replaced a wider one");
    assertTrue(locks.lock(FILE, B, LockType.WRITE, new ByteRange(0, 10)).isPresent());
    assertEquals(1, heard.size(), "a conflict changes nothing");
    locks.unlock(FILE, A, new ByteRange(0, 5));
    locks.releaseLocks(OTHER, A);
    assertEquals(List.of(FILE, FILE, OTHER), heard);
    assertTrue(locks.lock(FILE, B, LockType.WRITE, new ByteRange(0, 5)).isEmpty(), "seen by then");
  }
}
