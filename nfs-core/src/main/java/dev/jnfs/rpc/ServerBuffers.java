package dev.jnfs.rpc;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.NettyRuntime;

/**
 * Where the server takes buffers of a READ's or WRITE's size (about 1 MiB): pooled direct
 * memory in chunks of 16 MiB, shared by all endpoints of the process.
 *
 * <p>Netty's default allocator does not pool buffers that large: each one would be fresh
 * native memory that the kernel maps and zeroes, which cost about a third of the throughput
 * of 1 MiB reads. Chunks of 16 MiB hold a connection's usual 32 calls in flight in two or
 * three chunks, so they are reused rather than freed and mapped again. Small buffers keep
 * coming from the channel's allocator, which serves them faster on short-lived threads.
 */
final class ServerBuffers {
  /** Buffers at least this large come from {@link #LARGE}. */
  static final int LARGE_THRESHOLD = 64 * 1024;

  private static final int PAGE_SIZE = 8192;
  /** 8 KiB pages × 2^11 = 16 MiB chunks. */
  private static final int MAX_ORDER = 11;

  /** The pool of large direct buffers. */
  static final ByteBufAllocator LARGE =
      new PooledByteBufAllocator(
          true,
          0,
          Math.max(1, NettyRuntime.availableProcessors()),
          PAGE_SIZE,
          MAX_ORDER,
          0,
          0,
          false);

  private ServerBuffers() {}
}
