package dev.jnfs.rpc;

import static dev.jnfs.rpc.testing.RpcMessageBuilder.xdr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.NfsServer;
import dev.jnfs.xdr.XdrDecoder;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many calls in flight on one connection, and the cap that bounds them. */
@ExtendWith(FailOnLeaks.class)
class ConcurrencyTest {

  @Test
  void hundredPipelinedCallsAreAnsweredInCompletionOrder() throws Exception {
    TestProgram program = new TestProgram();
    try (NfsServer server = TestServers.start(program);
        RpcTestClient c = RpcTestClient.connect(TestServers.address(server))) {
      Map<Integer, Integer> tagOfXid = new HashMap<>();
      for (int tag = 0; tag < 100; tag++) {
        int t = tag;
        int xid =
            c.send(
                TestProgram.PROGRAM, 1, TestProgram.AWAIT_TAG, Credential.None.INSTANCE,
                xdr(e -> e.writeInt(t)));
        tagOfXid.put(xid, tag);
      }
      // all 100 run at once on one connection
      assertTrue(program.started.tryAcquire(100, 30, TimeUnit.SECONDS));
      assertEquals(100, program.running.get());
      // completed in reverse order, each reply arrives before the next call may finish
      for (int tag = 99; tag >= 0; tag--) {
        program.release(tag);
        RpcReply r = c.receive();
        assertTrue(r.isSuccess());
        assertEquals(tag, tagOfXid.get(r.xid()));
        assertEquals(tag, r.decoder().readInt());
      }
    }
  }

  @Test
  void inFlightCapBoundsConcurrencyAndReadingResumes() throws Exception {
    TestProgram program = new TestProgram();
    int cap = 4;
    int calls = 40;
    try (NfsServer server =
            TestServers.builder(program).maxInFlightPerConnection(cap).build();
        RpcTestClient c = connect(server)) {
      for (int i = 0; i < calls; i++) {
        int t = i;
        c.send(
            TestProgram.PROGRAM, 1, TestProgram.BLOCK, Credential.None.INSTANCE,
            xdr(e -> e.writeInt(t)));
      }
      assertTrue(program.started.tryAcquire(cap, 30, TimeUnit.SECONDS));
      int answered = 0;
      for (int i = 0; i < calls; i++) {
        program.gate.release();
        RpcReply r = c.receive();
        assertTrue(r.isSuccess());
        answered++;
      }
      assertEquals(calls, answered);
      assertEquals(cap, program.maxRunning.get());
      assertEquals(calls, program.executions.get());
    }
  }

  /** Answers with the name of the thread that ran the call; procedure 0 never blocks. */
  private static final class ThreadProbe implements RpcProgram {
    @Override
    public int program() {
      return 400_002;
    }

    @Override
    public int lowVersion() {
      return 1;
    }

    @Override
    public int highVersion() {
      return 1;
    }

    /** Procedure 2 never blocks when its argument, an int, is 1. */
    @Override
    public boolean isNonBlocking(int version, int procedure, io.netty.buffer.ByteBuf arguments) {
      return procedure == 2
          ? arguments.readableBytes() >= 4 && arguments.getInt(arguments.readerIndex()) == 1
          : isNonBlocking(version, procedure);
    }

    @Override
    public void handle(RpcCall call, dev.jnfs.xdr.XdrEncoder results) {
      results.writeString(Thread.currentThread().getName());
      if (call.procedure() == 2) {
        results.writeInt(call.arguments().readInt());
      }
    }
  }

  @Test
  void nonBlockingCallsRunOnTheEventLoopBlockingOnesOnTheExecutor() throws Exception {
    java.util.concurrent.ExecutorService executor =
        java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "probe-worker"));
    try (NfsServer server = TestServers.builder(new ThreadProbe()).executor(executor).build();
        RpcTestClient c = connect(server)) {
      String inline = c.call(400_002, 1, 0, new byte[0]).decoder().readString(100);
      assertTrue(inline.startsWith("jnfs-io"), inline);
      String hopped = c.call(400_002, 1, 1, new byte[0]).decoder().readString(100);
      assertEquals("probe-worker", hopped);

      XdrDecoder decided = c.call(400_002, 1, 2, xdr(e -> e.writeInt(1))).decoder();
      assertTrue(decided.readString(100).startsWith("jnfs-io"), "its arguments said it never blocks");
      assertEquals(1, decided.readInt(), "the arguments were peeked, not consumed");
      decided = c.call(400_002, 1, 2, xdr(e -> e.writeInt(0))).decoder();
      assertEquals("probe-worker", decided.readString(100));
      assertEquals(0, decided.readInt());
    } finally {
      executor.shutdownNow();
    }
  }

  private static RpcTestClient connect(NfsServer server) throws IOException {
    server.start();
    return RpcTestClient.connect(TestServers.address(server));
  }
}
