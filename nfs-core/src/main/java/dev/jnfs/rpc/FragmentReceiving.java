package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;

/**
 * The receive buffers of one TCP connection: normally Netty's adaptive choice, but while the
 * connection's {@link RecordMarkingDecoder} collects a large fragment (a WRITE's data), the
 * socket reads straight into that fragment's buffer instead of into a buffer whose bytes
 * would then be copied there. One instance per connection.
 */
final class FragmentReceiving implements RecvByteBufAllocator {
  private final RecordMarkingDecoder decoder;
  private final RecvByteBufAllocator standard = new AdaptiveRecvByteBufAllocator();

  /** @param decoder the connection's decoder, asked for space before each read */
  FragmentReceiving(RecordMarkingDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public Handle newHandle() {
    return new Lending(standard.newHandle());
  }

  /** Delegates everything but the choice of buffer. */
  private final class Lending extends RecvByteBufAllocator.DelegatingHandle {
    Lending(Handle delegate) {
      super(delegate);
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      ByteBuf space = decoder.lendArrivingSpace();
      return space != null ? space : super.allocate(alloc);
    }
  }
}
