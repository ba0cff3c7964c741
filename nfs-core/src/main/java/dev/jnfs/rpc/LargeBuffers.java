package dev.jnfs.rpc;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An allocator that keeps released direct buffers of a READ's or WRITE's size for reuse, so
 * 1 MiB calls do not map and zero fresh memory each time. Capacities are rounded up to
 * multiples of 64 KiB and kept per rounded size, up to a total of {@code maxIdleBytes};
 * beyond that a released buffer is left to the garbage collector. Thread-safe: buffers are
 * typically taken on one thread and released on another.
 */
final class LargeBuffers extends AbstractByteBufAllocator {
  private static final int GRANULE = 64 * 1024;
  private static final int MAX_POOLED_CAPACITY = 16 << 20;

  private final long maxIdleBytes;
  private final AtomicLong idleBytes = new AtomicLong();
  private final ConcurrentHashMap<Integer, Queue<ByteBuffer>> idle = new ConcurrentHashMap<>();

  /** @param maxIdleBytes how many bytes of released buffers to keep at most */
  LargeBuffers(long maxIdleBytes) {
    super(true);
    this.maxIdleBytes = maxIdleBytes;
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    int size = roundUp(initialCapacity);
    if (size > MAX_POOLED_CAPACITY) {
      return new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
    }
    ByteBuffer memory = idle.computeIfAbsent(size, s -> new ConcurrentLinkedQueue<>()).poll();
    if (memory != null) {
      idleBytes.addAndGet(-size);
    } else {
      memory = ByteBuffer.allocateDirect(size);
    }
    return new Recycled(this, memory, initialCapacity, maxCapacity);
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return true;
  }

  /** @return bytes of released buffers kept for reuse */
  long idleBytes() {
    return idleBytes.get();
  }

  private void giveBack(ByteBuffer memory) {
    int size = memory.capacity();
    if (idleBytes.addAndGet(size) > maxIdleBytes) {
      idleBytes.addAndGet(-size);
      return;
    }
    idle.get(size).offer(memory.clear());
  }

  private static int roundUp(int capacity) {
    return (int) Math.min(Integer.MAX_VALUE, ((long) Math.max(capacity, 1) + GRANULE - 1) / GRANULE * GRANULE);
  }

  /** A buffer over pooled memory that hands the memory back when released. */
  private static final class Recycled extends UnpooledDirectByteBuf {
    private final LargeBuffers pool;
    private final ByteBuffer memory;

    Recycled(LargeBuffers pool, ByteBuffer memory, int capacity, int maxCapacity) {
      super(pool, memory.clear().limit(capacity), maxCapacity);
      this.pool = pool;
      this.memory = memory;
      clear(); // a wrapped buffer starts out readable; this one starts empty
    }

    @Override
    protected void deallocate() {
      super.deallocate(); // wrapped memory: not freed here
      pool.giveBack(memory);
    }
  }
}
