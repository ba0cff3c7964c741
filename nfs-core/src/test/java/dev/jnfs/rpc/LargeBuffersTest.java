package dev.jnfs.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LargeBuffersTest {
  @Test
  void releasedMemoryIsReusedForTheSameRoundedSize() {
    LargeBuffers pool = new LargeBuffers(8 << 20);
    ByteBuf first = pool.directBuffer((1 << 20) + 100, (1 << 20) + 100);
    assertEquals((1 << 20) + 100, first.capacity());
    java.nio.ByteBuffer memory = first.nioBuffer(0, 4);
    first.writeInt(42);
    first.release();
    assertEquals((1 << 20) + 65536, pool.idleBytes());
    ByteBuf second = pool.directBuffer((1 << 20) + 4000);
    first = null;
    second.writerIndex(4);
    assertEquals(42, second.getInt(0), "the released memory comes back");
    assertEquals(42, memory.getInt(0));
    second.writerIndex(0);
    assertEquals(0, second.readableBytes(), "a reused buffer starts empty");
    assertEquals((1 << 20) + 4000, second.capacity());
    assertEquals(0, pool.idleBytes());
    second.release();
  }

  @Test
  void keepsNoMoreThanItsLimit() {
    LargeBuffers pool = new LargeBuffers(3 << 20);
    List<ByteBuf> held = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      held.add(pool.directBuffer(1 << 20));
    }
    held.forEach(ByteBuf::release);
    assertEquals(3 << 20, pool.idleBytes());
  }

  @Test
  void aBufferMayStillGrowBeyondItsPooledMemory() {
    LargeBuffers pool = new LargeBuffers(8 << 20);
    ByteBuf b = pool.directBuffer(70_000);
    b.writeZero(70_000);
    b.writeLong(7);
    assertTrue(b.capacity() > 70_000);
    assertEquals(7, b.getLong(70_000));
    b.release();
    assertEquals(128 * 1024, pool.idleBytes(), "the original memory went back, once");
  }
}
