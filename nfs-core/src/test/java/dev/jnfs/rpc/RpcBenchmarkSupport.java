package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;

/** Gives the benchmarks in another package access to the engine's package-private pieces. */
public final class RpcBenchmarkSupport {
  private static final InetSocketAddress CLIENT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 800);
  private static final InetSocketAddress SERVER =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 2049);

  private RpcBenchmarkSupport() {}

  /**
   * @param executor where blocking calls run
   * @param programs the programs to serve
   * @return a channel with the TCP pipeline: record marking, then the connection handler
   */
  public static EmbeddedChannel tcpChannel(Executor executor, RpcProgram... programs) {
    return tcpChannel(executor, ServerMetrics.NONE, programs);
  }

  /**
   * @param executor where blocking calls run
   * @param metrics where the calls are measured
   * @param programs the programs to serve
   * @return a channel with the TCP pipeline: record marking, then the connection handler
   */
  public static EmbeddedChannel tcpChannel(
      Executor executor, ServerMetrics metrics, RpcProgram... programs) {
    RpcDispatcher dispatcher =
        new RpcDispatcher(new ProgramTable(List.of(programs)), 1024, null, false, null, metrics);
    return new EmbeddedChannel(
        new RecordMarkingDecoder((1 << 20) + (64 << 10)),
        new RpcConnectionHandler(dispatcher, executor, 128));
  }

  /**
   * @param executor where blocking calls run
   * @param crowded whether the channel's event loop counts as serving other connections that
   *     pipeline, so that every non-blocking call of a read batch runs on it
   * @param programs the programs to serve
   * @return a channel with the TCP pipeline: record marking, then the connection handler
   */
  public static EmbeddedChannel tcpChannel(
      Executor executor, boolean crowded, RpcProgram... programs) {
    RpcDispatcher dispatcher =
        new RpcDispatcher(new ProgramTable(List.of(programs)), 1024, null, false, null);
    EventLoopCrowding crowding = new EventLoopCrowding(Long.MAX_VALUE / 4);
    if (crowded) {
      long now = System.nanoTime();
      crowding.pipelined(new Object(), now);
      crowding.pipelined(new Object(), now);
    }
    return new EmbeddedChannel(
        new RecordMarkingDecoder((1 << 20) + (64 << 10)),
        new RpcConnectionHandler(
            dispatcher, executor, WarmWorkers.NONE, 128, 0, null, crowding));
  }

  /** Decodes call headers the way the server does, without running the calls. */
  public static final class HeaderDecoder {
    private final RpcDispatcher dispatcher;

    /** @param programs the programs calls may address */
    public HeaderDecoder(RpcProgram... programs) {
      this.dispatcher = new RpcDispatcher(new ProgramTable(List.of(programs)), 0);
    }

    /**
     * Decodes one record (taking ownership of it) and drops the call.
     *
     * @param record an RPC call message
     * @return the procedure number decoded
     */
    public int decode(ByteBuf record) {
      Inbound in =
          dispatcher.accept(record, CLIENT, SERVER, Transport.TCP, ByteBufAllocator.DEFAULT);
      if (in instanceof RpcCallTask task) {
        int proc = task.call().procedure();
        task.discard();
        return proc;
      }
      if (in instanceof Inbound.Reply reply) {
        reply.buffer().release();
      }
      return -1;
    }
  }
}
