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
