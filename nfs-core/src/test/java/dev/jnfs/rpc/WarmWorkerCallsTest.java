package dev.jnfs.rpc;

import static dev.jnfs.rpc.testing.RpcMessageBuilder.xdr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.NfsServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls of a client that sends one at a time are run by a worker that waits for them (see
 * {@link WarmWorkers}); pipelined calls and a server that stops are not held up by it.
 */
@ExtendWith(FailOnLeaks.class)
class WarmWorkerCallsTest {
  private static final int CALLS = 40;

  private static NfsServer start(TestProgram program, Duration wait) {
    NfsServer server = TestServers.builder(program).nextCallWait(wait).build();
    server.start();
    return server;
  }

  /**
   * Calls until two calls in a row run on one worker thread: the worker that waits for the
   * connection's calls (a worker may miss the first calls while its code is still cold).
   *
   * @return that thread's id
   */
  private static long warmUp(RpcTestClient c, TestProgram program) throws IOException {
    long previous = threadOfCall(c);
    for (int i = 0; i < 5_000; i++) {
      long thread = threadOfCall(c);
      if (thread == previous && program.threads.get(thread).isVirtual()) {
        return thread;
      }
      previous = thread;
    }
    throw new AssertionError("no worker waited for the calls");
  }

  private static long threadOfCall(RpcTestClient c) throws IOException {
    RpcReply reply = c.call(TestProgram.PROGRAM, 1, TestProgram.THREAD, new byte[0]);
    assertTrue(reply.isSuccess());
    return reply.decoder().readHyper();
  }

  @Test
  void callsSentOneAtATimeRunOnTheWorkerThatWaitsForThem() throws Exception {
    TestProgram program = new TestProgram();
    // a long wait, so that no call of this test comes too late for the worker
    try (NfsServer server = start(program, Duration.ofSeconds(30));
        RpcTestClient c = RpcTestClient.connect(TestServers.address(server))) {
      long warm = warmUp(c, program);
      List<Long> threads = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        threads.add(threadOfCall(c));
      }
      assertEquals(List.of(warm), List.copyOf(new HashSet<>(threads)), "threads: " + threads);
    }
  }

  @Test
  void withoutWaitingEveryCallHasAThreadOfItsOwn() throws Exception {
    TestProgram program = new TestProgram();
    try (NfsServer server = start(program, Duration.ZERO);
        RpcTestClient c = RpcTestClient.connect(TestServers.address(server))) {
      List<Long> threads = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        threads.add(threadOfCall(c));
      }
      assertEquals(CALLS, new HashSet<>(threads).size(), "threads: " + threads);
    }
  }

  @Test
  void pipelinedCallsAfterLoneOnesAreAllAnswered() throws Exception {
    Random random = new Random(17);
    TestProgram program = new TestProgram();
    try (NfsServer server = start(program, Duration.ofSeconds(30));
        RpcTestClient c = RpcTestClient.connect(TestServers.address(server))) {
      for (int round = 0; round < 10; round++) {
        warmUp(c, program); // a worker waits now
        Map<Integer, byte[]> sent = new HashMap<>();
        for (int i = 0; i < 24; i++) {
          byte[] payload = new byte[random.nextInt(70_000)];
          random.nextBytes(payload);
          int xid =
              c.send(
                  TestProgram.PROGRAM, 1, TestProgram.ECHO, Credential.None.INSTANCE,
                  xdr(e -> e.writeOpaque(payload)));
          sent.put(xid, payload);
        }
        for (int i = 0; i < 24; i++) {
          RpcReply reply = c.receive();
          assertTrue(reply.isSuccess());
          byte[] expected = sent.remove(reply.xid());
          assertArrayEquals(expected, reply.decoder().readOpaque(1 << 20));
        }
        assertTrue(sent.isEmpty());
      }
    }
  }

  @Test
  void stoppingTheServerEndsAWaitingWorker() throws Exception {
    TestProgram program = new TestProgram();
    NfsServer server = start(program, Duration.ofMinutes(10));
    long last;
    try (RpcTestClient c = RpcTestClient.connect(TestServers.address(server))) {
      last = warmUp(c, program);
    } finally {
      server.stop();
    }
    Thread worker = program.threads.get(last);
    worker.join(Duration.ofSeconds(30));
    assertFalse(worker.isAlive(), "the worker still waits for a call");
  }

  @Test
  void callsThatCouldRunOnTheNetworkThreadAreHandedToTheWaitingWorkerToo() throws Exception {
    TestProgram program = new TestProgram();
    program.nonBlocking = true;
    try (NfsServer server = start(program, Duration.ofSeconds(30));
        RpcTestClient c = RpcTestClient.connect(TestServers.address(server))) {
      long warm = warmUp(c, program);
      assertTrue(program.threads.get(warm).isVirtual(), "a worker, not a network thread");
      for (int i = 0; i < CALLS; i++) {
        assertEquals(warm, threadOfCall(c));
      }
    }
  }

  @Test
  void withoutWaitingCallsThatCanRunOnTheNetworkThreadDoSo() throws Exception {
    TestProgram program = new TestProgram();
    program.nonBlocking = true;
    try (NfsServer server = start(program, Duration.ZERO);
        RpcTestClient c = RpcTestClient.connect(TestServers.address(server))) {
      for (int i = 0; i < CALLS; i++) {
        Thread t = program.threads.get(threadOfCall(c));
        assertFalse(t.isVirtual(), t + " is not the network thread");
        assertTrue(t.getName().startsWith("jnfs-io"), t.getName());
      }
    }
  }
}
