package dev.jnfs.rpc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When an event loop counts as crowded: two connections pipelined in the last period or two. */
class EventLoopCrowdingTest {
  private static final long PERIOD = 1_000;

  private final Object a = new Object();
  private final Object b = new Object();
  private final EventLoopCrowding crowding = new EventLoopCrowding(PERIOD);

  @Test
  void oneConnectionAloneDoesNotCrowd() {
    long t = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      crowding.pipelined(a, t + i * 300);
    }
    assertFalse(crowding.crowded(t + 3_000));
  }

  @Test
  void twoConnectionsCrowdForTheRestOfThePeriodAndTheNext() {
    long t = System.nanoTime();
    assertFalse(crowding.crowded(t));
    crowding.pipelined(a, t + 10);
    assertFalse(crowding.crowded(t + 20));
    crowding.pipelined(b, t + 30);
    assertTrue(crowding.crowded(t + 40));
    assertTrue(crowding.crowded(t + PERIOD + 50), "the period before saw both");
    assertFalse(crowding.crowded(t + 2 * PERIOD + 100), "two periods without them");
  }

  @Test
  void aLongPauseForgetsTheConnectionBeforeIt() {
    long t = System.nanoTime();
    crowding.pipelined(a, t + 10);
    crowding.pipelined(b, t + 5 * PERIOD);
    assertFalse(crowding.crowded(t + 5 * PERIOD + 10), "a pipelined long ago");
    crowding.pipelined(a, t + 5 * PERIOD + 20);
    assertTrue(crowding.crowded(t + 5 * PERIOD + 30));
  }

  @Test
  void twoConnectionsOnOneLoopDoNotCrowdItWhileTheOtherLoopsIdle() {
    java.util.Set<EventLoopCrowding> loops = new java.util.HashSet<>();
    EventLoopCrowding first = new EventLoopCrowding(PERIOD, 2, loops);
    EventLoopCrowding second = new EventLoopCrowding(PERIOD, 2, loops);
    long t = System.nanoTime();
    first.pipelined(a, t + 10);
    first.pipelined(b, t + 20);
    assertFalse(first.crowded(t + PERIOD + 30), "the other loop saw no pipelined batch");
    second.pipelined(new Object(), t + PERIOD + 40);
    first.pipelined(a, t + PERIOD + 50);
    first.pipelined(b, t + PERIOD + 60);
    assertFalse(first.crowded(t + PERIOD + 70), "counted once per period");
    assertTrue(first.crowded(t + 2 * PERIOD + 80), "both loops pipelined in the last periods");
    assertFalse(second.crowded(t + 2 * PERIOD + 90), "one connection on the second loop");
    assertFalse(first.crowded(t + 5 * PERIOD), "a pause ends it");
  }

  @Test
  void eachThreadHasItsOwn() throws InterruptedException {
    EventLoopCrowding mine = EventLoopCrowding.ofCurrentThread();
    assertSame(mine, EventLoopCrowding.ofCurrentThread());
    EventLoopCrowding[] other = new EventLoopCrowding[1];
    Thread thread = new Thread(() -> other[0] = EventLoopCrowding.ofCurrentThread());
    thread.start();
    thread.join();
    assertTrue(other[0] != null && other[0] != mine);
  }
}
