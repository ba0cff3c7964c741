package dev.jnfs.rpc;

import static dev.jnfs.rpc.testing.RpcMessageBuilder.xdr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.rpc.testing.RpcUdpTestClient;
import dev.jnfs.server.NfsServer;
import dev.jnfs.xdr.XdrDecoder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replies whose results end with bytes sent straight from a file: the bytes, their padding
 * and the record mark on the wire, the release of the range, and the transports that must
 * copy instead.
 */
@ExtendWith(FailOnLeaks.class)
class FileBytesReplyTest {
  private static final int FILE_SIZE = 20 << 20;

  @TempDir Path dir;
  private byte[] content;
  private FileChannel file;
  private final TestProgram program = new TestProgram();

  @BeforeEach
  void writeFile() throws Exception {
    content = new byte[FILE_SIZE];
    new Random(5).nextBytes(content);
    Path p = dir.resolve("data");
    Files.write(p, content);
    file = FileChannel.open(p, StandardOpenOption.READ);
    program.file = file;
  }

  @AfterEach
  void closeFile() throws Exception {
    file.close();
  }

  @Test
  void rangesOfEveryLengthArriveWithTheirPaddingOverTcp() throws Exception {
    try (NfsServer server = TestServers.start(program);
        RpcTestClient c = RpcTestClient.connect(TestServers.address(server))) {
      int calls = 0;
      for (int count : new int[] {0, 1, 2, 3, 4, 5, 4093, 65_536, 65_537, 1 << 20, (1 << 20) + 3}) {
        long position = 1000 + count;
        RpcReply reply = c.call(TestProgram.PROGRAM, 1, TestProgram.FILE_RANGE, range(position, count, false));
        assertEquals(1, zeroCopyFlag(reply), "sent from the file over TCP");
        assertArrayEquals(slice(position, count), opaque(reply, count));
        calls++;
      }
      assertReleases(calls);
      // the connection still frames records correctly afterwards
      byte[] small = {9, 8, 7};
      assertArrayEquals(small, c.call(TestProgram.PROGRAM, 1, TestProgram.ECHO, xdr(e -> e.writeOpaque(small)))
          .decoder().readOpaque(16));
    }
  }

  @Test
  void aProcedureFailingAfterHandingOverFileBytesGetsSystemErrAndTheRangeIsReleased() throws Exception {
    try (NfsServer server = TestServers.start(program);
        RpcTestClient c = RpcTestClient.connect(TestServers.address(server))) {
      RpcReply reply = c.call(TestProgram.PROGRAM, 1, TestProgram.FILE_RANGE, range(0, 4096, true));
      assertEquals(RpcReply.SYSTEM_ERR, reply.acceptStat());
      assertReleases(1);
    }
  }

  @Test
  void udpRepliesCopyTheBytes() throws Exception {
    try (NfsServer server = TestServers.start(program);
        RpcUdpTestClient c = new RpcUdpTestClient(TestServers.address(server))) {
      RpcReply reply =
          c.call(TestProgram.PROGRAM, 1, TestProgram.FILE_RANGE, Credential.None.INSTANCE, range(77, 5000, false));
      assertEquals(0, zeroCopyFlag(reply), "UDP cannot send from the file");
      assertArrayEquals(slice(77, 5000), opaque(reply, 5000));
      assertEquals(0, program.fileReleases.get());
    }
  }

  @Test
  void aSlowReaderGetsWholeRangesAndTheConnectionGoesOn() throws Exception {
    try (NfsServer server = TestServers.start(program);
        RpcTestClient c = RpcTestClient.connectSlowReader(TestServers.address(server), 4096)) {
      for (int round = 0; round < 3; round++) {
        int count = (12 << 20) + round; // beyond what the socket buffers hold
        long position = round * 1001L;
        int xid = c.send(TestProgram.PROGRAM, 1, TestProgram.FILE_RANGE, Credential.None.INSTANCE,
            range(position, count, false));
        Thread.sleep(200); // not reading: the socket fills in the middle of the file bytes
        RpcReply reply = c.receive();
        assertEquals(xid, reply.xid());
        assertEquals(1, zeroCopyFlag(reply));
        assertTrue(Arrays.equals(slice(position, count), opaque(reply, count)), "range " + round);
        byte[] small = {1, 2, 3, 4, 5};
        assertArrayEquals(small, c.call(TestProgram.PROGRAM, 1, TestProgram.ECHO, xdr(e -> e.writeOpaque(small)))
            .decoder().readOpaque(16));
      }
      assertReleases(3);
    }
  }

  @Test
  void aLoneCallAfterAPartlySentRangeWaitsForItsEnd() throws Exception {
    try (NfsServer server = TestServers.start(program);
        RpcTestClient c = RpcTestClient.connectSlowReader(TestServers.address(server), 4096)) {
      int count = 12 << 20; // a multiple of four: no padding follows the file bytes
      int first = c.send(TestProgram.PROGRAM, 1, TestProgram.FILE_RANGE, Credential.None.INSTANCE,
          range(0, count, false));
      Thread.sleep(300); // the socket is full in the middle of the range
      byte[] small = {4, 3, 2, 1};
      int second = c.send(TestProgram.PROGRAM, 1, TestProgram.ECHO, Credential.None.INSTANCE,
          xdr(e -> e.writeOpaque(small)));
      Thread.sleep(200); // its reply is ready while the range is still being sent
      RpcReply reply = c.receive();
      assertEquals(first, reply.xid());
      assertTrue(Arrays.equals(slice(0, count), opaque(reply, count)), "the range arrives unbroken");
      RpcReply echo = c.receive();
      assertEquals(second, echo.xid());
      assertArrayEquals(small, echo.decoder().readOpaque(16));
      assertReleases(1);
    }
  }

  @Test
  void pipelinedFileAndBufferRepliesNeverMix() throws Exception {
    Random random = new Random(3);
    try (NfsServer server = TestServers.start(program);
        RpcTestClient c = RpcTestClient.connectSlowReader(TestServers.address(server), 32 * 1024)) {
      Map<Integer, byte[]> expected = new HashMap<>();
      java.util.Set<Integer> fromFile = new java.util.HashSet<>();
      for (int i = 0; i < 60; i++) {
        if (i % 2 == 0) {
          int count = random.nextInt(3 << 20);
          long position = random.nextInt(FILE_SIZE - count);
          int xid = c.send(TestProgram.PROGRAM, 1, TestProgram.FILE_RANGE, Credential.None.INSTANCE,
              range(position, count, false));
          expected.put(xid, slice(position, count));
          fromFile.add(xid);
        } else {
          byte[] payload = new byte[random.nextInt(10_000)];
          random.nextBytes(payload);
          expected.put(c.send(TestProgram.PROGRAM, 1, TestProgram.ECHO, Credential.None.INSTANCE,
              xdr(e -> e.writeOpaque(payload))), payload);
        }
      }
      for (int i = 0; i < 60; i++) {
        RpcReply reply = c.receive();
        byte[] want = expected.remove(reply.xid());
        assertNotNull(want, "reply to an unknown or repeated xid");
        byte[] got =
            fromFile.contains(reply.xid()) ? opaque(reply, want.length) : reply.decoder().readOpaque(1 << 20);
        assertTrue(Arrays.equals(want, got), "reply " + i);
      }
      assertReleases(30);
    }
  }

  private void assertReleases(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (program.fileReleases.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(n, program.fileReleases.get(), "each range released once");
  }

  private byte[] slice(long position, int count) {
    return Arrays.copyOfRange(content, (int) position, (int) position + count);
  }

  private static byte[] range(long position, int count, boolean fail) {
    return xdr(e -> e.writeHyper(position).writeInt(count).writeBoolean(fail));
  }

  private static int zeroCopyFlag(RpcReply reply) {
    assertTrue(reply.isSuccess(), "accept_stat " + reply.acceptStat());
    return reply.decoder().readInt();
  }

  private static byte[] opaque(RpcReply reply, int count) {
    XdrDecoder d = reply.decoder();
    d.readInt();
    byte[] bytes = d.readOpaque(count);
    assertEquals(0, d.remaining(), "padding ends the record");
    return bytes;
  }
}
