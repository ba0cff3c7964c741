package dev.jnfs.rpc.testing;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects the buffer leaks Netty's leak detector reports, so a test can fail on them instead
 * of only logging them. Reports happen when the detector notices a collected, unreleased
 * buffer, which {@link #collect} provokes. One watch at a time: the detector has a single
 * listener. {@link FailOnLeaks} applies it to a whole test class.
 */
public final class LeakWatch implements AutoCloseable {
  private final ResourceLeakDetector<ByteBuf> detector;
  private final List<String> leaks = new CopyOnWriteArrayList<>();

  /**
   * Starts listening to the leak detector of Netty's buffers.
   *
   * @throws ReflectiveOperationException if the detector cannot be reached
   */
  @SuppressWarnings("unchecked")
  public LeakWatch() throws ReflectiveOperationException {
    Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
    f.setAccessible(true);
    detector = (ResourceLeakDetector<ByteBuf>) f.get(null);
    detector.setLeakListener((type, records) -> leaks.add(type + ": " + records));
  }

  /**
   * Runs the garbage collector and lets the detector look at what it collected.
   *
   * @return every leak reported since the watch started or was cleared
   * @throws InterruptedException if interrupted while waiting for the collector
   */
  public List<String> collect() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(20);
      for (int j = 0; j < 100; j++) {
        ByteBufAllocator.DEFAULT.directBuffer(16).release();
        ByteBufAllocator.DEFAULT.heapBuffer(16).release();
      }
    }
    return List.copyOf(leaks);
  }

  /** Forgets what was reported so far. */
  public void clear() {
    leaks.clear();
  }

  /** Stops listening. */
  @Override
  public void close() {
    detector.setLeakListener(null);
  }
}
