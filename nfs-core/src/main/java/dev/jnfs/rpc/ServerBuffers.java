package dev.jnfs.rpc;

import io.netty.buffer.ByteBufAllocator;

/**
 * Where the server takes buffers of a READ's or WRITE's size (about 1 MiB): direct memory
 * kept for reuse once released, shared by all endpoints of the process.
 *
 * <p>Netty's allocators do not keep buffers that large: each one would be fresh native
 * memory that the kernel maps and zeroes (its pooled allocator frees a chunk as soon as it
 * empties), which cost about a third of the throughput of 1 MiB reads. Small buffers keep
 * coming from the channel's allocator, which serves them faster on short-lived threads.
 */
final class ServerBuffers {
  /** Buffers at least this large come from {@link #LARGE}. */
  static final int LARGE_THRESHOLD = 64 * 1024;

  /** Released large buffers kept for reuse: 256 MiB, 32 calls of 1 MiB on eight connections. */
  private static final long MAX_IDLE_BYTES = 256L << 20;

  /** The allocator of large direct buffers. */
  static final ByteBufAllocator LARGE = new LargeBuffers(MAX_IDLE_BYTES);

  private ServerBuffers() {}
}
