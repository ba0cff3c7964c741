package dev.jnfs.rpc;

import static dev.jnfs.rpc.testing.RpcMessageBuilder.xdr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The connection handler on an embedded channel, with executors and flushes the test drives,
 * so nothing depends on timing: it stops reading while its replies cannot be written and at
 * its in-flight cap, reads again when both clear, and spreads pipelined calls over workers.
 */
@ExtendWith(FailOnLeaks.class)
class RpcConnectionHandlerTest {

  /** Holds flushes back while closed, so written replies stay in the outbound buffer. */
  private static final class FlushGate extends ChannelOutboundHandlerAdapter {
    boolean open;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (open) {
        ctx.flush();
      }
    }
  }

  private static ByteBuf echoCall(int xid, int size) {
    byte[] message =
        RpcMessageBuilder.call(
            xid, TestProgram.PROGRAM, 1, TestProgram.ECHO, Credential.None.INSTANCE,
            xdr(e -> e.writeOpaque(new byte[size])));
    return Unpooled.wrappedBuffer(RpcMessageBuilder.frame(message));
  }

  private static EmbeddedChannel channel(FlushGate gate, int maxInFlight) {
    RpcDispatcher dispatcher =
        new RpcDispatcher(new ProgramTable(List.of(new TestProgram())), 0);
    EmbeddedChannel ch =
        new EmbeddedChannel(
            gate,
            new RecordMarkingDecoder(1 << 20),
            new RpcConnectionHandler(dispatcher, Runnable::run, maxInFlight));
    ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1024, 4096));
    return ch;
  }

  private static int drainReplies(EmbeddedChannel ch) {
    int n = 0;
    ByteBuf reply;
    while ((reply = ch.readOutbound()) != null) {
      reply.release();
      n++;
    }
    return n;
  }

  @Test
  void unwritableConnectionIsNotRead() {
    FlushGate gate = new FlushGate();
    EmbeddedChannel ch = channel(gate, 16);
    assertTrue(ch.config().isAutoRead());
    ch.writeInbound(echoCall(1, 8192));
    ch.runPendingTasks();
    assertFalse(ch.isWritable(), "the reply waits in the outbound buffer");
    assertFalse(ch.config().isAutoRead(), "reading stops");
    gate.open = true;
    ch.flush();
    assertTrue(ch.isWritable());
    assertTrue(ch.config().isAutoRead(), "reading resumes");
    assertEquals(1, drainReplies(ch));
    assertFalse(ch.finish());
  }

  @Test
  void callsBeyondTheCapWaitAndReadingResumesBelowIt() {
    java.util.ArrayDeque<Runnable> workers = new java.util.ArrayDeque<>();
    RpcDispatcher dispatcher =
        new RpcDispatcher(new ProgramTable(List.of(new TestProgram())), 0);
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new RecordMarkingDecoder(1 << 20),
            new RpcConnectionHandler(dispatcher, workers::add, 2));
    // three calls in one read: two start, the third waits, reading stops
    ch.writeInbound(Unpooled.wrappedBuffer(echoCall(1, 4), echoCall(2, 4), echoCall(3, 4)));
    assertEquals(2, workers.size());
    assertFalse(ch.config().isAutoRead());
    // the two finish; the event loop writes them and starts the third
    workers.poll().run();
    workers.poll().run();
    ch.runPendingTasks();
    assertEquals(2, drainReplies(ch));
    assertEquals(1, workers.size());
    assertTrue(ch.config().isAutoRead(), "below the cap again");
    workers.poll().run();
    ch.runPendingTasks();
    assertEquals(1, drainReplies(ch));
    assertFalse(ch.finish());
  }

  @Test
  void ofPipelinedNonBlockingCallsOnlyTheLastRunsOnTheEventLoop() {
    java.util.ArrayDeque<Runnable> workers = new java.util.ArrayDeque<>();
    RpcDispatcher dispatcher =
        new RpcDispatcher(new ProgramTable(List.of(new TestProgram())), 0);
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new RecordMarkingDecoder(1 << 20),
            new RpcConnectionHandler(dispatcher, workers::add, 16));
    ByteBuf nulls = Unpooled.buffer();
    for (int xid = 1; xid <= 3; xid++) {
      nulls.writeBytes(
          RpcMessageBuilder.frame(
              RpcMessageBuilder.call(
                  xid, TestProgram.PROGRAM, 1, TestProgram.NULL, Credential.None.INSTANCE,
                  new byte[0])));
    }
    ch.writeInbound(nulls);
    // one read batch of three NULL calls: two went to workers, the last ran inline
    assertEquals(2, workers.size());
    ByteBuf inline = ch.readOutbound();
    assertEquals(3, inline.getInt(4), "the inline reply is the last call's");
    inline.release();
    while (!workers.isEmpty()) {
      workers.poll().run();
    }
    ch.runPendingTasks();
    assertEquals(2, drainReplies(ch));
    assertFalse(ch.finish());
  }

  private static ByteBuf nullCalls(int firstXid, int count) {
    ByteBuf calls = Unpooled.buffer();
    for (int xid = firstXid; xid < firstXid + count; xid++) {
      calls.writeBytes(
          RpcMessageBuilder.frame(
              RpcMessageBuilder.call(
                  xid, TestProgram.PROGRAM, 1, TestProgram.NULL, Credential.None.INSTANCE,
                  new byte[0])));
    }
    return calls;
  }

  @Test
  void onAnEventLoopWhereTwoConnectionsPipelineEveryNonBlockingCallRunsInline() {
    java.util.ArrayDeque<Runnable> workers = new java.util.ArrayDeque<>();
    RpcDispatcher dispatcher =
        new RpcDispatcher(new ProgramTable(List.of(new TestProgram())), 0);
    EventLoopCrowding crowding = new EventLoopCrowding(Long.MAX_VALUE / 4);
    EmbeddedChannel a = crowdedChannel(dispatcher, workers, crowding);
    EmbeddedChannel b = crowdedChannel(dispatcher, workers, crowding);
    // each connection pipelines once while the other has not yet: calls go to workers
    a.writeInbound(nullCalls(1, 3));
    b.writeInbound(nullCalls(1, 3));
    assertEquals(4, workers.size());
    while (!workers.isEmpty()) {
      workers.poll().run();
    }
    a.runPendingTasks();
    b.runPendingTasks();
    assertEquals(3, drainReplies(a));
    assertEquals(3, drainReplies(b));
    // now both pipelined on this event loop: the next batch runs on it, replies in call order
    a.writeInbound(nullCalls(10, 3));
    assertTrue(workers.isEmpty(), "no call went to a worker");
    for (int xid = 10; xid < 13; xid++) {
      ByteBuf reply = a.readOutbound();
      assertEquals(xid, reply.getInt(4));
      reply.release();
    }
    assertFalse(a.finish());
    assertFalse(b.finish());
  }

  private static EmbeddedChannel crowdedChannel(
      RpcDispatcher dispatcher, java.util.Queue<Runnable> workers, EventLoopCrowding crowding) {
    return new EmbeddedChannel(
        new RecordMarkingDecoder(1 << 20),
        new RpcConnectionHandler(
            dispatcher, workers::add, WarmWorkers.NONE, 16, 0, null, crowding));
  }
}
