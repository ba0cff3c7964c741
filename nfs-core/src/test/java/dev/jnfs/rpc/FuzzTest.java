package dev.jnfs.rpc;

import static dev.jnfs.rpc.testing.RpcMessageBuilder.xdr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.LeakWatch;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.rpc.testing.RpcUdpTestClient;
import dev.jnfs.server.NfsServer;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Throws random and mutated records at the server. Each one must be answered, ignored or end
 * its connection; a well-behaved client keeps being served throughout; nothing leaks.
 */
class FuzzTest {
  private static final int RECORDS = 10_000;
  private static final int DATAGRAMS = 1_000;
  private static final int MAX_RECORD = 64 * 1024;
  private static final long SEED = Long.getLong("jnfs.fuzz.seed", 20261121L);
  private static final int PROBE = 0x7777_0000;

  /** A program with procedures that decode various shapes and never block. */
  private static final class FuzzProgram implements RpcProgram {
    @Override
    public int program() {
      return TestProgram.PROGRAM;
    }

    @Override
    public int lowVersion() {
      return 1;
    }

    @Override
    public int highVersion() {
      return 2;
    }

    @Override
    public boolean isNonIdempotent(int version, int procedure) {
      return procedure == 2;
    }

    @Override
    public void handle(RpcCall call, XdrEncoder out) {
      XdrDecoder in = call.arguments();
      switch (call.procedure()) {
        case 0 -> {}
        case 1 -> out.writeOpaque(in.readOpaque(MAX_RECORD));
        case 2 -> out.writeInt(in.readInt());
        case 3 -> throw new IllegalStateException("fuzz failure");
        case 4 -> {
          out.writeString(in.readString(255));
          int n = in.readArrayLength(1000, 8);
          for (int i = 0; i < n; i++) {
            out.writeHyper(in.readHyper());
          }
        }
        default -> throw RpcException.procedureUnavailable(call.procedure());
      }
    }
  }

  private static byte[][] seeds() {
    Credential sys = new Credential.Sys(7, "fuzz.example", 1000, 100, new int[] {1, 2, 3});
    return new byte[][] {
      RpcMessageBuilder.call(1, TestProgram.PROGRAM, 1, 0, Credential.None.INSTANCE, new byte[0]),
      RpcMessageBuilder.call(
          2, TestProgram.PROGRAM, 1, 1, sys, xdr(e -> e.writeOpaque(new byte[37]))),
      RpcMessageBuilder.call(3, TestProgram.PROGRAM, 2, 2, sys, xdr(e -> e.writeInt(5))),
      RpcMessageBuilder.call(
          4, TestProgram.PROGRAM, 2, 4, sys,
          xdr(e -> e.writeString("name").writeInt(2).writeHyper(1).writeHyper(2))),
      RpcMessageBuilder.call(
          5, 100000, 2, 3, Credential.None.INSTANCE,
          xdr(e -> e.writeInt(100003).writeInt(3).writeInt(6).writeInt(0))),
      RpcMessageBuilder.call(
          6, 100000, 4, 3, Credential.None.INSTANCE,
          xdr(e -> e.writeInt(100003).writeInt(3).writeString("tcp").writeString("")
              .writeString(""))),
      RpcMessageBuilder.call(7, 100000, 2, 4, sys, new byte[0]),
    };
  }

  private static final int[] INTERESTING = {
    0, 1, 2, 3, -1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFF0, 400, 401, 255, 256, 16, 17, 65536,
    TestProgram.PROGRAM, 100000, 6
  };

  /** Makes a message by mutating a valid call, or pure noise. */
  private static byte[] mutate(Random r, byte[][] seeds) {
    byte[] m = seeds[r.nextInt(seeds.length)].clone();
    switch (r.nextInt(6)) {
      case 0 -> {
        byte[] noise = new byte[r.nextInt(120)];
        r.nextBytes(noise);
        return noise;
      }
      case 1 -> {
        return Arrays.copyOf(m, r.nextInt(m.length + 1));
      }
      case 2 -> {
        byte[] longer = Arrays.copyOf(m, m.length + r.nextInt(64));
        for (int i = m.length; i < longer.length; i++) {
          longer[i] = (byte) r.nextInt();
        }
        return longer;
      }
      default -> {
        ByteBuffer b = ByteBuffer.wrap(m);
        int changes = 1 + r.nextInt(3);
        for (int i = 0; i < changes && m.length >= 4; i++) {
          int at = r.nextInt(m.length / 4) * 4;
          if (r.nextBoolean()) {
            b.putInt(at, INTERESTING[r.nextInt(INTERESTING.length)]);
          } else {
            m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8));
          }
        }
        return m;
      }
    }
  }

  private static byte[] probe(int n) {
    return RpcMessageBuilder.frame(
        RpcMessageBuilder.call(PROBE + n, TestProgram.PROGRAM, 1, 0, Credential.None.INSTANCE,
            new byte[0]));
  }

  /**
   * Reads replies until the probe's, or the end of the stream.
   *
   * @return true if the probe was answered, false if the server closed the connection
   */
  private static boolean awaitProbe(RpcTestClient c, int n) throws IOException {
    while (true) {
      byte[] message;
      try {
        message = c.receiveMessage();
      } catch (EOFException e) {
        return false;
      } catch (IOException e) {
        return false;
      }
      RpcReply reply = RpcReply.parse(message);
      if (reply.xid() == PROBE + n) {
        assertTrue(reply.isSuccess());
        return true;
      }
    }
  }

  private static void checkWellBehaved(RpcTestClient good, int round) throws IOException {
    byte[] payload = ("round " + round).getBytes();
    RpcReply r = good.call(TestProgram.PROGRAM, 1, 1, xdr(e -> e.writeOpaque(payload)));
    assertTrue(r.isSuccess());
    assertArrayEquals(payload, r.decoder().readOpaque(100));
  }

  @Test
  void randomAndMutatedRecords() throws Exception {
    Random random = new Random(SEED);
    byte[][] seeds = seeds();
    int closed = 0;
    int answered = 0;
    try (LeakWatch watch = new LeakWatch()) {
      watch.collect();
      watch.clear();
      NfsServer server =
          TestServers.builder(new FuzzProgram())
              .maxRecordSize(MAX_RECORD)
              .maxReadSize(16 * 1024)
              .maxWriteSize(16 * 1024)
              .build();
      server.start();
      InetSocketAddress address = TestServers.address(server);
      try (RpcTestClient good = RpcTestClient.connect(address)) {
        RpcTestClient fuzz = RpcTestClient.connect(address);
        try {
          for (int n = 0; n < RECORDS; n++) {
            if (n % 250 == 0) {
              checkWellBehaved(good, n);
              ByteBufAllocatorMetric metric =
                  ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
              long used = metric.usedDirectMemory() + metric.usedHeapMemory();
              assertTrue(used < 256L << 20, "buffer memory in use: " + used);
            }
            int kind = random.nextInt(20);
            byte[] wire;
            boolean expectClose = false;
            if (kind == 0) {
              // a fragment longer than the record limit
              int length = MAX_RECORD + 1 + random.nextInt(1 << 30);
              int mark = (random.nextBoolean() ? 0x8000_0000 : 0) | length;
              wire = ByteBuffer.allocate(4).putInt(mark).array();
              expectClose = true;
            } else if (kind == 1) {
              // a record split into random fragments
              byte[] m = mutate(random, seeds);
              wire = fragments(random, m);
            } else {
              wire = RpcMessageBuilder.frame(mutate(random, seeds));
            }
            boolean alive;
            try {
              fuzz.sendRaw(wire);
              fuzz.sendRaw(probe(n));
              alive = awaitProbe(fuzz, n);
            } catch (IOException e) {
              alive = false;
            }
            if (alive) {
              assertFalse(expectClose, "a record over the limit must close the connection");
              answered++;
            } else {
              closed++;
              fuzz.close();
              fuzz = RpcTestClient.connect(address);
            }
          }
        } finally {
          fuzz.close();
        }
        checkWellBehaved(good, RECORDS);
        fuzzUdp(random, seeds, address, good);
      } finally {
        server.close();
      }
      assertTrue(closed > 0 && answered > 0, "closed " + closed + ", answered " + answered);
      List<String> leaks = watch.collect();
      assertTrue(leaks.isEmpty(), () -> "leaks: " + leaks);
    }
  }

  private static byte[] fragments(Random r, byte[] m) {
    ByteBuffer out = ByteBuffer.allocate(m.length + 4 * (m.length + 1));
    int at = 0;
    do {
      int n = Math.min(m.length - at, r.nextInt(16));
      boolean last = at + n == m.length && r.nextInt(4) != 0;
      if (at + n == m.length && !last) {
        // an empty last fragment ends the record
        out.putInt(n).put(m, at, n).putInt(0x8000_0000);
        at += n;
        break;
      }
      out.putInt((last ? 0x8000_0000 : 0) | n).put(m, at, n);
      at += n;
      if (last) {
        break;
      }
    } while (true);
    return Arrays.copyOf(out.array(), out.position());
  }

  private static void fuzzUdp(
      Random random, byte[][] seeds, InetSocketAddress address, RpcTestClient good)
      throws IOException {
    try (RpcUdpTestClient udp = new RpcUdpTestClient(address)) {
      for (int n = 0; n < DATAGRAMS; n++) {
        udp.send(mutate(random, seeds));
        if (n % 100 == 0) {
          checkWellBehaved(good, n);
        }
      }
    }
    // the UDP side still answers (a fresh socket: the fuzzing one's buffer is full of replies)
    try (RpcUdpTestClient udp = new RpcUdpTestClient(address)) {
      RpcReply r = udp.call(TestProgram.PROGRAM, 1, 0, Credential.None.INSTANCE, new byte[0]);
      assertEquals(RpcReply.SUCCESS, r.acceptStat());
    }
  }
}
