package dev.jnfs.rpc;

import static dev.jnfs.rpc.testing.RpcMessageBuilder.xdr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.rpc.testing.RpcUdpTestClient;
import dev.jnfs.server.NfsServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Retransmissions of non-idempotent calls are answered from the cache, not run again. */
@ExtendWith(FailOnLeaks.class)
class DuplicateRequestCacheTest {
  private static final Credential.Sys SYS = new Credential.Sys(1, "c", 1000, 1000, new int[0]);

  private TestProgram program;
  private NfsServer server;
  private InetSocketAddress address;

  @BeforeEach
  void start() {
    program = new TestProgram();
    server = TestServers.start(program);
    address = TestServers.address(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] call(int xid, int procedure, byte[] args) {
    return RpcMessageBuilder.call(xid, TestProgram.PROGRAM, 1, procedure, SYS, args);
  }

  @Test
  void nonIdempotentRetransmissionRunsOnce() throws Exception {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(call(500, TestProgram.COUNT, new byte[0]));
      byte[] first = c.receiveMessage();
      c.sendMessage(call(500, TestProgram.COUNT, new byte[0]));
      byte[] second = c.receiveMessage();
      assertArrayEquals(first, second);
      assertEquals(1, RpcReply.parse(second).decoder().readInt());
      assertEquals(1, program.executions.get());
    }
  }

  @Test
  void retransmissionFromAnotherConnectionIsAnsweredFromCache() throws Exception {
    byte[] first;
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(call(501, TestProgram.COUNT, new byte[0]));
      first = c.receiveMessage();
    }
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(call(501, TestProgram.COUNT, new byte[0]));
      assertArrayEquals(first, c.receiveMessage());
    }
    assertEquals(1, program.executions.get());
  }

  @Test
  void idempotentCallsRunEveryTime() throws Exception {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(call(502, TestProgram.COUNT_IDEMPOTENT, new byte[0]));
      RpcReply first = c.receive();
      c.sendMessage(call(502, TestProgram.COUNT_IDEMPOTENT, new byte[0]));
      RpcReply second = c.receive();
      assertEquals(1, first.decoder().readInt());
      assertEquals(2, second.decoder().readInt());
      assertEquals(2, program.executions.get());
    }
  }

  @Test
  void sameXidWithOtherArgumentsIsANewCall() throws Exception {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      c.sendMessage(call(503, TestProgram.COUNT, xdr(e -> e.writeInt(1))));
      RpcReply first = c.receive();
      c.sendMessage(call(503, TestProgram.COUNT, xdr(e -> e.writeInt(2))));
      RpcReply second = c.receive();
      assertNotEquals(first.decoder().readInt(), second.decoder().readInt());
      assertEquals(2, program.executions.get());
    }
  }

  @Test
  void retransmissionWhileRunningIsDropped() throws Exception {
    try (RpcTestClient c = RpcTestClient.connect(address)) {
      byte[] blocking = call(504, TestProgram.BLOCK, xdr(e -> e.writeInt(7)));
      c.sendMessage(blocking);
      assertTrue(program.started.tryAcquire(30, TimeUnit.SECONDS));
      c.sendMessage(blocking);
      // the NULL call is answered while BLOCK still runs: the retransmission did not queue
      c.sendMessage(call(505, TestProgram.NULL, new byte[0]));
      assertEquals(505, c.receive().xid());
      program.gate.release();
      RpcReply r = c.receive();
      assertEquals(504, r.xid());
      assertEquals(7, r.decoder().readInt());
      // nothing else is pending: the next reply is for the next call
      c.sendMessage(call(506, TestProgram.NULL, new byte[0]));
      assertEquals(506, c.receive().xid());
      // BLOCK ran once, plus the two NULL calls
      assertEquals(3, program.executions.get());
    }
  }

  @Test
  void udpRetransmissionRunsOnce() throws Exception {
    try (RpcUdpTestClient c = new RpcUdpTestClient(address)) {
      c.send(call(507, TestProgram.COUNT, new byte[0]));
      byte[] first = c.receiveReplyTo(507);
      c.send(call(507, TestProgram.COUNT, new byte[0]));
      assertArrayEquals(first, c.receiveReplyTo(507));
      assertEquals(1, program.executions.get());
    }
  }

  @Test
  void cacheIsBoundedAndEvictsLeastRecentlyUsed() {
    DuplicateRequestCache cache = new DuplicateRequestCache(2, 1 << 20, 1024);
    InetAddress client = InetAddress.getLoopbackAddress();
    ByteBuf args = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4});
    ByteBuf reply = Unpooled.wrappedBuffer(new byte[] {9, 9, 9, 9});
    DuplicateRequestCache.Key a = DuplicateRequestCache.keyOf(1, 1, 1, 1, client, args);
    DuplicateRequestCache.Key b = DuplicateRequestCache.keyOf(2, 1, 1, 1, client, args);
    DuplicateRequestCache.Key c = DuplicateRequestCache.keyOf(3, 1, 1, 1, client, args);
    assertTrue(cache.begin(a) instanceof DuplicateRequestCache.Miss);
    cache.complete(a, reply, 0);
    assertTrue(cache.begin(b) instanceof DuplicateRequestCache.Miss);
    cache.complete(b, reply, 0);
    assertTrue(cache.begin(a) instanceof DuplicateRequestCache.Replay);
    assertTrue(cache.begin(c) instanceof DuplicateRequestCache.Miss);
    cache.complete(c, reply, 0);
    assertEquals(2, cache.size());
    // b was least recently used
    assertTrue(cache.begin(b) instanceof DuplicateRequestCache.Miss);
    assertTrue(cache.begin(c) instanceof DuplicateRequestCache.Replay);
    assertTrue(cache.begin(b) instanceof DuplicateRequestCache.InProgress);
  }

  @Test
  void runningCallsAreNeverEvicted() {
    DuplicateRequestCache cache = new DuplicateRequestCache(2, 8, 1024);
    InetAddress client = InetAddress.getLoopbackAddress();
    ByteBuf reply = Unpooled.wrappedBuffer(new byte[] {9, 9, 9, 9});
    DuplicateRequestCache.Key[] keys = new DuplicateRequestCache.Key[6];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = DuplicateRequestCache.keyOf(i, 1, 1, 1, client, Unpooled.EMPTY_BUFFER);
      assertTrue(cache.begin(keys[i]) instanceof DuplicateRequestCache.Miss);
    }
    // far more running than the cache keeps: each retransmission is still dropped
    for (DuplicateRequestCache.Key k : keys) {
      assertTrue(cache.begin(k) instanceof DuplicateRequestCache.InProgress);
    }
    for (DuplicateRequestCache.Key k : keys) {
      cache.complete(k, reply, 0);
    }
    // once done, the bounds hold: two replies of 4 bytes
    assertEquals(2, cache.size());
    assertTrue(cache.begin(keys[5]) instanceof DuplicateRequestCache.Replay);
    assertTrue(cache.begin(keys[4]) instanceof DuplicateRequestCache.Replay);
    assertTrue(cache.begin(keys[0]) instanceof DuplicateRequestCache.Miss);
  }

  @Test
  void byteBoundEvictsAndAbandonKeepsACompletedReply() {
    DuplicateRequestCache cache = new DuplicateRequestCache(100, 6, 1024);
    InetAddress client = InetAddress.getLoopbackAddress();
    DuplicateRequestCache.Key a = DuplicateRequestCache.keyOf(1, 1, 1, 1, client, Unpooled.EMPTY_BUFFER);
    DuplicateRequestCache.Key b = DuplicateRequestCache.keyOf(2, 1, 1, 1, client, Unpooled.EMPTY_BUFFER);
    cache.begin(a);
    cache.complete(a, Unpooled.wrappedBuffer(new byte[4]), 0);
    cache.abandon(a); // after its reply: nothing changes
    assertTrue(cache.begin(a) instanceof DuplicateRequestCache.Replay);
    cache.begin(b);
    cache.complete(b, Unpooled.wrappedBuffer(new byte[4]), 0);
    // 8 bytes over a bound of 6: the least recently used goes
    assertEquals(1, cache.size());
    assertTrue(cache.begin(b) instanceof DuplicateRequestCache.Replay);
    assertTrue(cache.begin(a) instanceof DuplicateRequestCache.Miss);
  }

  @Test
  void oversizedRepliesAreNotKept() {
    DuplicateRequestCache cache = new DuplicateRequestCache(10, 1 << 20, 2);
    InetAddress client = InetAddress.getLoopbackAddress();
    DuplicateRequestCache.Key a =
        DuplicateRequestCache.keyOf(1, 1, 1, 1, client, Unpooled.EMPTY_BUFFER);
    cache.begin(a);
    cache.complete(a, Unpooled.wrappedBuffer(new byte[3]), 0);
    assertTrue(cache.begin(a) instanceof DuplicateRequestCache.Miss);
  }
}
