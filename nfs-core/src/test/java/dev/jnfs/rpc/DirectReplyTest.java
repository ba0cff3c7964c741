package dev.jnfs.rpc;

import static dev.jnfs.rpc.testing.RpcMessageBuilder.xdr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.NfsServer;
import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replies that workers write to the socket themselves: a call alone on its connection, a
 * reply the socket takes only in part, and lone calls mixed with pipelined ones.
 */
@ExtendWith(FailOnLeaks.class)
class DirectReplyTest {

  @Test
  void loneCallsOfEverySizeGetTheirOwnReplies() throws Exception {
    Random random = new Random(7);
    try (NfsServer server = TestServers.start(new TestProgram());
        RpcTestClient c = RpcTestClient.connect(TestServers.address(server))) {
      for (int i = 0; i < 300; i++) {
        byte[] payload = randomBytes(random, random.nextInt(i % 10 == 0 ? 1 << 20 : 512));
        assertArrayEquals(payload, echo(c.call(TestProgram.PROGRAM, 1, TestProgram.ECHO, opaque(payload))));
      }
    }
  }

  @Test
  void aReplyTheSocketTakesInPartArrivesWholeAndTheConnectionGoesOn() throws Exception {
    Random random = new Random(11);
    try (NfsServer server = TestServers.start(new TestProgram());
        RpcTestClient c = RpcTestClient.connectSlowReader(TestServers.address(server), 4096)) {
      for (int round = 0; round < 4; round++) {
        int length = (12 << 20) + round; // beyond what the socket buffers hold
        int seed = round * 31;
        int xid =
            c.send(
                TestProgram.PROGRAM, 1, TestProgram.FILL, Credential.None.INSTANCE,
                xdr(e -> e.writeInt(length).writeInt(seed)));
        Thread.sleep(200); // the client does not read: the socket fills mid-reply
        RpcReply reply = c.receive();
        assertEquals(xid, reply.xid());
        byte[] data = reply.decoder().readOpaque(length);
        assertEquals(length, data.length);
        for (int i = 0; i < length; i++) {
          if (data[i] != (byte) (seed + i)) {
            throw new AssertionError("byte " + i + " of the reply is wrong");
          }
        }
        byte[] small = randomBytes(random, 100);
        assertArrayEquals(small, echo(c.call(TestProgram.PROGRAM, 1, TestProgram.ECHO, opaque(small))));
      }
    }
  }

  @Test
  void loneAndPipelinedCallsNeverInterleaveTheirBytes() throws Exception {
    Random random = new Random(13);
    try (NfsServer server = TestServers.start(new TestProgram());
        RpcTestClient c = RpcTestClient.connectSlowReader(TestServers.address(server), 16 * 1024)) {
      for (int round = 0; round < 30; round++) {
        byte[] alone = randomBytes(random, random.nextInt(200_000));
        assertArrayEquals(alone, echo(c.call(TestProgram.PROGRAM, 1, TestProgram.ECHO, opaque(alone))));
        Map<Integer, byte[]> sent = new HashMap<>();
        for (int i = 0; i < 12; i++) {
          byte[] payload = randomBytes(random, random.nextInt(i == 0 ? 300_000 : 3_000));
          sent.put(c.send(TestProgram.PROGRAM, 1, TestProgram.ECHO, Credential.None.INSTANCE, opaque(payload)), payload);
        }
        for (int i = 0; i < 12; i++) {
          RpcReply reply = c.receive();
          byte[] expected = sent.remove(reply.xid());
          assertNotNull(expected, "reply to an unknown or repeated xid " + reply.xid());
          assertArrayEquals(expected, echo(reply));
        }
      }
    }
  }

  @Test
  void theWriterWritesWholeRepliesCarriesOverWhatTheSocketRefusesAndThenStepsAside()
      throws Exception {
    try (SocketPair pair = SocketPair.open()) {
      SocketChannel peer = pair.peer();
      DirectReplyWriter writer = DirectReplyWriter.forChannel(pair.connection());
      assertNotNull(writer);

      ByteBuf small = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4});
      assertEquals(DirectReplyWriter.Outcome.WRITTEN, writer.tryWrite(small));
      assertEquals(0, small.refCnt());
      ByteBuffer got = ByteBuffer.allocate(4);
      while (got.hasRemaining()) {
        peer.read(got);
      }
      assertArrayEquals(new byte[] {1, 2, 3, 4}, got.array());

      ByteBuf huge = Unpooled.wrappedBuffer(new byte[64 << 20]); // more than any socket buffers
      assertEquals(DirectReplyWriter.Outcome.CARRIED_OVER, writer.tryWrite(huge));
      assertTrue(huge.isReadable() && huge.refCnt() == 1, "the rest is kept for the event loop");
      ByteBuf next = Unpooled.wrappedBuffer(new byte[] {5});
      assertEquals(DirectReplyWriter.Outcome.REFUSED, writer.tryWrite(next), "a carry-over goes first");
      assertEquals(1, next.refCnt());
      next.release();

      writer.release();
      assertEquals(0, huge.refCnt(), "a closing connection drops its carry-over");
      ByteBuf late = Unpooled.wrappedBuffer(new byte[] {6});
      assertEquals(DirectReplyWriter.Outcome.REFUSED, writer.tryWrite(late));
      late.release();
    }
  }

  @Test
  void fileBytesHeldByNettyKeepDirectWritesAway(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path data = java.nio.file.Files.write(dir.resolve("data"), new byte[50_000]);
    try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(data);
        SocketPair pair = SocketPair.open()) {
      SocketChannel peer = pair.peer();
      SocketChannel accepted = pair.accepted();
      DirectWriteServerChannel.Connection connection = pair.connection();
      DirectReplyWriter writer = DirectReplyWriter.forChannel(connection);
      java.util.concurrent.atomic.AtomicInteger released = new java.util.concurrent.atomic.AtomicInteger();
      FileBytes range = new FileBytes(file, 0, 50_000, released::incrementAndGet);
      io.netty.channel.MessageSizeEstimator.Handle size = ReplySizeEstimator.INSTANCE.newHandle();
      assertEquals(50_000, size.size(range), "file bytes count until they are sent");
      assertEquals(0, io.netty.channel.DefaultMessageSizeEstimator.DEFAULT.newHandle().size(range),
          "Netty's own estimator counts none of them");
      assertEquals(7, size.size(Unpooled.wrappedBuffer(new byte[7])));
      // Netty is still sending a range (as after a carry-over): nothing may cut in; the range
      // stays below the channel's high-water mark, as the channel has no event loop here
      connection.unsafe().outboundBuffer().addMessage(range, size.size(range), connection.voidPromise());
      ByteBuf cutIn = Unpooled.wrappedBuffer(new byte[] {1});
      assertEquals(DirectReplyWriter.Outcome.REFUSED, writer.tryWrite(cutIn));
      assertEquals(1, cutIn.refCnt());
      cutIn.release();
      range.transferTo(accepted, 0);
      assertTrue(size.size(range) < 50_000, "what was sent no longer counts");
      assertTrue(peer.read(ByteBuffer.allocate(16)) > 0);
      range.release();
      assertEquals(1, released.get());
    }
  }

  @Test
  void channelsOtherThanAcceptedSocketsHaveNoWriter() {
    assertEquals(null, DirectReplyWriter.forChannel(new io.netty.channel.embedded.EmbeddedChannel()));
  }

  /** A loopback connection whose server end is wrapped as an accepted jnfs connection. */
  private record SocketPair(
      SocketChannel peer, SocketChannel accepted, DirectWriteServerChannel.Connection connection)
      implements AutoCloseable {
    static SocketPair open() throws java.io.IOException {
      try (ServerSocketChannel listener = ServerSocketChannel.open()) {
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SocketChannel peer = SocketChannel.open(listener.getLocalAddress());
        SocketChannel accepted = listener.accept();
        accepted.configureBlocking(false);
        return new SocketPair(peer, accepted, new DirectWriteServerChannel.Connection(null, accepted));
      }
    }

    @Override
    public void close() throws java.io.IOException {
      peer.close();
      accepted.close();
    }
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] opaque(byte[] payload) {
    return xdr(e -> e.writeOpaque(payload));
  }

  private static byte[] echo(RpcReply reply) {
    assertTrue(reply.isSuccess());
    XdrDecoder d = reply.decoder();
    return d.readOpaque(1 << 20);
  }
}
