package dev.jnfs.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Calls the server sends on a client's connection, and the replies matched to them by xid. */
class OutboundCallsTest {
  private final List<ByteBuf> written = new ArrayList<>();
  private final OutboundCalls calls = new OutboundCalls();

  OutboundCallsTest() {
    calls.writer(written::add);
  }

  /** @return the xid of the framed call written last, after checking its header */
  private int lastCall(int program, int procedure) {
    ByteBuf b = written.get(written.size() - 1);
    assertEquals(b.readableBytes() - 4, b.getInt(0) & 0x7fff_ffff, "one last fragment");
    assertTrue(b.getInt(0) < 0);
    assertEquals(RpcMessages.CALL, b.getInt(8));
    assertEquals(2, b.getInt(12));
    assertEquals(program, b.getInt(16));
    assertEquals(procedure, b.getInt(24));
    return b.getInt(4);
  }

  private static ByteBuf reply(int xid, int replyStat, int acceptStat, byte... results) {
    ByteBuf r = Unpooled.buffer();
    r.writeInt(xid).writeInt(RpcMessages.REPLY).writeInt(replyStat);
    if (replyStat == RpcMessages.MSG_ACCEPTED) {
      r.writeInt(0).writeInt(0).writeInt(acceptStat).writeBytes(results);
    } else {
      r.writeInt(1).writeInt(1);
    }
    return r;
  }

  @Test
  void replyCompletesItsCallWithTheResults() throws Exception {
    CompletableFuture<byte[]> f = calls.send(0x40000000, 1, 1, 1, new byte[] {1, 2, 3}, new byte[] {9, 9, 9, 9});
    int xid = lastCall(0x40000000, 1);
    ByteBuf other = reply(xid + 1, RpcMessages.MSG_ACCEPTED, 0, (byte) 7);
    calls.deliver(other);
    assertEquals(0, other.refCnt(), "a reply to no call is dropped and released");
    assertFalse(f.isDone());
    ByteBuf r = reply(xid, RpcMessages.MSG_ACCEPTED, 0, (byte) 0, (byte) 0, (byte) 0, (byte) 5);
    calls.deliver(r);
    assertEquals(0, r.refCnt());
    assertArrayEquals(new byte[] {0, 0, 0, 5}, f.get());
  }

  @Test
  void deniedOrUnsuccessfulRepliesAndTheConnectionsEndFailTheCall() {
    CompletableFuture<byte[]> denied = calls.send(1, 1, 1, 0, new byte[0], new byte[0]);
    calls.deliver(reply(lastCall(1, 1), RpcMessages.MSG_DENIED, 0));
    CompletableFuture<byte[]> garbage = calls.send(1, 1, 1, 0, new byte[0], new byte[0]);
    calls.deliver(reply(lastCall(1, 1), RpcMessages.MSG_ACCEPTED, RpcException.GARBAGE_ARGS));
    CompletableFuture<byte[]> pending = calls.send(1, 1, 0, 0, new byte[0], new byte[0]);
    calls.close();
    for (CompletableFuture<byte[]> f : List.of(denied, garbage, pending)) {
      ExecutionException e = assertThrows(ExecutionException.class, f::get);
      assertInstanceOf(IOException.class, e.getCause());
    }
    assertTrue(calls.send(1, 1, 0, 0, new byte[0], new byte[0]).isCompletedExceptionally(), "closed");
  }
}
