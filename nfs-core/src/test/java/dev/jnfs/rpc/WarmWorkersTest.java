package dev.jnfs.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hand-over of a connection's next call to a worker that waits for it. */
class WarmWorkersTest {
  private static final Duration LONG = Duration.ofSeconds(20);

  /** Admits the lone calls after which a worker may wait, and returns the last mark. */
  private static long loneStreak(WarmWorkers.Handoff<Runnable> handoff) {
    return loneStreak(handoff, WarmWorkers.LONE_STREAK);
  }

  /** Admits {@code length} lone calls that may not be waited for, and returns the next mark. */
  private static long loneStreak(WarmWorkers.Handoff<Runnable> handoff, int length) {
    for (int i = 0; i < length; i++) {
      assertEquals(WarmWorkers.NO_WAIT, handoff.admit(true), "lone call " + i);
    }
    return handoff.admit(true);
  }

  /**
   * Starts a worker that, as if it had just answered a lone call, waits for the next calls and
   * runs them, and counts down when it stops waiting.
   */
  private static Thread stay(
      WarmWorkers.Handoff<Runnable> handoff, long mark, CountDownLatch stopped) {
    return Thread.ofPlatform()
        .start(
            () -> {
              boolean waits = handoff.expect(mark);
              while (waits) {
                Runnable call = handoff.await(mark);
                if (call == null) {
                  break;
                }
                call.run();
                waits = handoff.expect(mark);
              }
              stopped.countDown();
            });
  }

  /** Offers the call until a waiting worker takes it. */
  private static void handOver(WarmWorkers.Handoff<Runnable> handoff, Runnable call) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!handoff.offer(call)) {
      assertTrue(System.nanoTime() < deadline, "no worker waited");
      Thread.onSpinWait();
    }
  }

  private static void awaitWaiting(WarmWorkers.Handoff<Runnable> handoff) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!handoff.hasWaitingWorker()) {
      assertTrue(System.nanoTime() < deadline, "no worker waited");
      Thread.onSpinWait();
    }
  }

  @Test
  void onlyAConnectionWhoseCallsCameOneAtATimeIsWorthWaitingFor() {
    WarmWorkers.Handoff<Runnable> handoff = new WarmWorkers(LONG, 1).newHandoff();
    long mark = loneStreak(handoff);
    assertNotEquals(WarmWorkers.NO_WAIT, mark);
    assertEquals(WarmWorkers.NO_WAIT, handoff.admit(false), "a call beside others");
    assertNotEquals(WarmWorkers.NO_WAIT, loneStreak(handoff), "a new streak counts again");
  }

  @Test
  void nothingIsHandedOverWhileNoWorkerWaits() {
    WarmWorkers.Handoff<Runnable> handoff = new WarmWorkers(LONG, 1).newHandoff();
    assertFalse(handoff.offer(() -> {}));
    loneStreak(handoff);
    assertFalse(handoff.offer(() -> {}));
  }

  @Test
  void aWaitingWorkerRunsTheNextCallsItselfInTheirOrder() throws Exception {
    WarmWorkers.Handoff<Runnable> handoff = new WarmWorkers(LONG, 1).newHandoff();
    long mark = loneStreak(handoff);
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread worker = stay(handoff, mark, stopped);
    for (int i = 0; i < 5; i++) {
      int n = i;
      assertNotEquals(WarmWorkers.NO_WAIT, handoff.admit(true));
      handOver(handoff, () -> ran.add(n + " on " + Thread.currentThread().getName()));
    }
    // a call beside others makes the worker stop waiting long before its 20 seconds are up
    handoff.admit(false);
    assertTrue(stopped.await(10, TimeUnit.SECONDS), "the worker still waits");
    String name = worker.getName();
    assertEquals(
        List.of("0 on " + name, "1 on " + name, "2 on " + name, "3 on " + name, "4 on " + name),
        ran);
    assertFalse(handoff.offer(() -> {}), "nobody waits any more");
  }

  @Test
  void aWorkerStopsWaitingWhenNoCallComesWithinTheWait() throws Exception {
    WarmWorkers.Handoff<Runnable> handoff = new WarmWorkers(Duration.ofMillis(20), 1).newHandoff();
    long mark = loneStreak(handoff);
    CountDownLatch stopped = new CountDownLatch(1);
    stay(handoff, mark, stopped);
    assertTrue(stopped.await(10, TimeUnit.SECONDS));
    assertFalse(handoff.offer(() -> {}));
  }

  @Test
  void anInterruptedWorkerStopsWaiting() throws Exception {
    WarmWorkers.Handoff<Runnable> handoff = new WarmWorkers(LONG, 1).newHandoff();
    long mark = loneStreak(handoff);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread worker = stay(handoff, mark, stopped);
    awaitWaiting(handoff);
    worker.interrupt();
    assertTrue(stopped.await(10, TimeUnit.SECONDS));
  }

  @Test
  void noMoreWorkersWaitThanAllowedAndOnlyOnePerConnection() throws Exception {
    WarmWorkers warm = new WarmWorkers(LONG, 1);
    WarmWorkers.Handoff<Runnable> first = warm.newHandoff();
    WarmWorkers.Handoff<Runnable> second = warm.newHandoff();
    CountDownLatch firstStopped = new CountDownLatch(1);
    stay(first, loneStreak(first), firstStopped);
    handOver(first, () -> {});

    // the server's only waiting place is taken: a worker of another connection goes at once
    CountDownLatch secondStopped = new CountDownLatch(1);
    stay(second, loneStreak(second), secondStopped);
    assertTrue(secondStopped.await(10, TimeUnit.SECONDS));
    assertFalse(second.offer(() -> {}));

    // a second worker of the same connection does not take the first one's place
    WarmWorkers roomy = new WarmWorkers(LONG, 4);
    WarmWorkers.Handoff<Runnable> shared = roomy.newHandoff();
    long mark = loneStreak(shared);
    CountDownLatch a = new CountDownLatch(1);
    Thread waiter = stay(shared, mark, a);
    handOver(shared, () -> {});
    awaitWaiting(shared);
    CountDownLatch b = new CountDownLatch(1);
    stay(shared, mark, b);
    assertTrue(b.await(10, TimeUnit.SECONDS), "the second worker waited too");
    List<String> ran = new CopyOnWriteArrayList<>();
    handOver(shared, () -> ran.add(Thread.currentThread().getName()));
    shared.admit(false);
    assertTrue(a.await(10, TimeUnit.SECONDS));
    assertEquals(List.of(waiter.getName()), ran);

    first.admit(false);
    assertTrue(firstStopped.await(10, TimeUnit.SECONDS));
  }

  @Test
  void withoutAWaitNoWorkerWaits() throws Exception {
    WarmWorkers.Handoff<Runnable> handoff = WarmWorkers.NONE.newHandoff();
    CountDownLatch stopped = new CountDownLatch(1);
    stay(handoff, loneStreak(handoff), stopped);
    assertTrue(stopped.await(10, TimeUnit.SECONDS));
    assertFalse(handoff.offer(() -> {}));
    assertThrows(IllegalArgumentException.class, () -> new WarmWorkers(Duration.ofNanos(-1), 1));
    assertThrows(IllegalArgumentException.class, () -> new WarmWorkers(LONG, -1));
  }

  @Test
  void aClientThatPausesLongerThanTheWaitNeedsAnotherStreak() throws Exception {
    WarmWorkers.Handoff<Runnable> handoff =
        new WarmWorkers(Duration.ofMillis(5), 1).newHandoff();
    long mark = loneStreak(handoff);
    assertTrue(handoff.worthHandingOver(mark));
    CountDownLatch stopped = new CountDownLatch(1);
    stay(handoff, mark, stopped);
    assertTrue(stopped.await(10, TimeUnit.SECONDS)); // no call came within 5 ms
    assertNotEquals(
        WarmWorkers.NO_WAIT, loneStreak(handoff, 2 * WarmWorkers.LONE_STREAK),
        "a new streak, twice as long, counts again");
  }

  @Test
  void eachWaitInVainInARowDoublesTheStreakUntilAWaitGetsItsCall() throws Exception {
    WarmWorkers.Handoff<Runnable> handoff =
        new WarmWorkers(Duration.ofMillis(200), 1).newHandoff();
    int length = WarmWorkers.LONE_STREAK;
    for (int vain = 0; vain < 6; vain++) {
      CountDownLatch stopped = new CountDownLatch(1);
      stay(handoff, loneStreak(handoff, length), stopped);
      assertTrue(stopped.await(10, TimeUnit.SECONDS)); // no call came within the wait
      length = Math.min(WarmWorkers.MAX_STREAK, 2 * length);
    }
    assertEquals(WarmWorkers.MAX_STREAK, length, "the streak stops growing");
    CountDownLatch stopped = new CountDownLatch(1);
    stay(handoff, loneStreak(handoff, length), stopped);
    CountDownLatch ran = new CountDownLatch(1);
    handOver(handoff, ran::countDown);
    assertTrue(ran.await(10, TimeUnit.SECONDS));
    handoff.admit(false); // a call beside it ends the wait, which is not in vain
    assertTrue(stopped.await(10, TimeUnit.SECONDS));
    assertNotEquals(
        WarmWorkers.NO_WAIT, loneStreak(handoff, WarmWorkers.LONE_STREAK),
        "a wait that got its call starts over");
  }

  @Test
  void aCallThatCouldRunOnTheNetworkThreadIsHandedOverOnlyWhereAWorkerMayWait()
      throws Exception {
    WarmWorkers warm = new WarmWorkers(LONG, 1);
    WarmWorkers.Handoff<Runnable> first = warm.newHandoff();
    WarmWorkers.Handoff<Runnable> second = warm.newHandoff();
    assertFalse(first.worthHandingOver(WarmWorkers.NO_WAIT), "not a streak of lone calls");
    long mark = loneStreak(first);
    assertTrue(first.worthHandingOver(mark), "a worker may wait");
    CountDownLatch stopped = new CountDownLatch(1);
    stay(first, mark, stopped);
    awaitWaiting(first);
    assertTrue(first.worthHandingOver(mark), "a worker waits");
    assertFalse(second.worthHandingOver(loneStreak(second)), "no room for another waiter");
    assertFalse(
        WarmWorkers.NONE.<Runnable>newHandoff().worthHandingOver(0), "waiting is off");
    first.admit(false);
    assertTrue(stopped.await(10, TimeUnit.SECONDS));
  }
}
