package dev.jnfs.rpc;

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
 * buffer, which {@link #collect} provokes.
 */
final class LeakWatch implements AutoCloseable {
  private final ResourceLeakDetector<ByteBuf> detector;
  private final List<String> leaks = new CopyOnWriteArrayList<>();

  @SuppressWarnings("unchecked")
  LeakWatch() throws ReflectiveOperationException {
    Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
    f.setAccessible(true);
    detector = (ResourceLeakDetector<ByteBuf>) f.get(null);
    detector.setLeakListener((type, records) -> leaks.add(type + ": " + records));
  }

  /** Runs the garbage collector and lets the detector look at what it collected. */
  List<String> collect() throws InterruptedException {
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
  void clear() {
    leaks.clear();
  }

  @Override
  public void close() {
    detector.setLeakListener(null);
  }
}
