package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.server.NfsServer;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Compound.ReadReply;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.TcpClient;
import dev.jnfs.v4.testing.V42Compound;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * READs over TCP from a local directory, whose large ones go from the file to the socket when
 * they end the COMPOUND: the bytes, the eof flag and the framing that follows must be right
 * either way.
 */
class ZeroCopyReadWireTest {
  private static final int SIZE = (3 << 20) + 5;

  @TempDir Path dir;
  private byte[] content;
  private NfsServer server;
  private TcpClient client;

  @BeforeEach
  void start() throws Exception {
    content = new byte[SIZE];
    new Random(17).nextBytes(content);
    Files.write(dir.resolve("big"), content);
    server = NfsServer.builder().bind("127.0.0.1").port(0)
        .protocol(new Nfs4Protocol(StateConfig.defaults().withGracePeriod(Duration.ZERO)))
        .export("/data", LocalFileSystem.of(dir), Fixture.RW).build();
    server.start();
    client = new TcpClient(server.port(), 0, 0);
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop();
  }

  @Test
  void largeReadsEndingTheCompoundCarryTheFileBytes() {
    for (long offset : new long[] {0, 1, 1 << 20, SIZE - (100 << 10), SIZE - 70_000}) {
      int count = 1 << 20;
      ReadReply read = read(big().read(Stateid.ANONYMOUS, offset, count));
      int expected = (int) Math.min(count, SIZE - offset);
      assertArrayEquals(slice(offset, expected), read.data(), "offset " + offset);
      assertEquals(offset + expected == SIZE, read.eof(), "eof at offset " + offset);
    }
  }

  @Test
  void aLargeReadPlusEndingTheCompoundCarriesTheFileBytesAsOneDataSegment() throws Exception {
    try (Fixture fx = Fixture.wire(List.of(
        new Export("/data", null, LocalFileSystem.of(dir), Fixture.RW)))) {
      for (long offset : new long[] {0, 3, SIZE - 70_000}) {
        Reply r = fx.root().call(V42Compound.readPlus(
            fx.v42().putrootfh().lookup("data").lookup("big"), Stateid.ANONYMOUS, offset, 512 << 10));
        assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
        V42Compound.ReadPlusReply rp = r.last().value();
        int expected = (int) Math.min(512 << 10, SIZE - offset);
        assertEquals(1, rp.segments().size());
        assertEquals(offset, rp.segments().get(0).offset());
        assertArrayEquals(slice(offset, expected), rp.segments().get(0).data(), "offset " + offset);
        assertEquals(offset + expected == SIZE, rp.eof(), "eof at offset " + offset);
      }
      Reply after = fx.root().call(fx.v42().putrootfh().lookup("data").getfh());
      assertEquals(Nfs4Status.OK, after.status(), "the connection stays in step");
    }
  }

  @Test
  void aReadFollowedByAnotherOperationIsCopiedAndTheCompoundGoesOn() {
    Reply r = client.call(big().read(Stateid.ANONYMOUS, 5, 200_000).getfh());
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    assertEquals(5, r.results().size(), "putrootfh, two lookups, read and getfh");
    ReadReply read = r.result(3).value();
    assertArrayEquals(slice(5, 200_000), read.data());
  }

  @Test
  void theConnectionStaysInStepAfterManyReads() {
    for (int i = 0; i < 20; i++) {
      long offset = i * 150_001L;
      ReadReply read = read(big().read(Stateid.ANONYMOUS, offset, 100_003));
      assertArrayEquals(slice(offset, 100_003), read.data(), "read " + i);
    }
    Reply r = client.call(Compound.v40().putrootfh().lookup("data").getfh());
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
  }

  private Compound big() {
    return Compound.v40().putrootfh().lookup("data").lookup("big");
  }

  private ReadReply read(Compound c) {
    Reply r = client.call(c);
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    return r.last().value();
  }

  private byte[] slice(long offset, int count) {
    return Arrays.copyOfRange(content, (int) offset, (int) offset + count);
  }
}
