package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.testing.HeapAllocation;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirectClient;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.List;

/**
 * Fuzzes COMPOUND4args (RFC 7530 §16.2, RFC 8881 §18) with every operation, against the program
 * with the real state engine and the in-memory backend. In the first mode the input is the
 * whole COMPOUND4args; in the second it is the operations that follow a valid SEQUENCE of an
 * open NFSv4.2 session, so that the fuzzer reaches the operations that need one. Each operation
 * decodes its own arguments as it runs, so this exercises every argument decoder. The program
 * may only answer with a well-formed COMPOUND4res that is not SERVERFAULT, or reject the call
 * (GARBAGE_ARGS: the header could not be decoded); the heap one call allocates is bounded by
 * the protocol's sizes.
 */
class CompoundFuzzTest {
  private static final long HEAP_BOUND = 16L << 20;
  private static final int SERVERFAULT = 10006;
  private static final int OP_SEQUENCE = 53;

  private static Nfs4Program program;
  private static DirectClient client;
  private static byte[] session;
  private static int sequence;
  private static int sessions;

  @FuzzTest(maxDuration = "2m")
  void compound(FuzzedDataProvider data) {
    if (program == null) {
      TestServerContext server = new TestServerContext(
          List.of(new Export("/", null, new InMemoryFileSystem(), Fixture.RW)));
      program = Nfs4Protocol.program(
          server, IdMapper.NUMERIC, StateConfig.defaults().withGracePeriod(Duration.ZERO));
      client = DirectClient.root(program);
    }
    boolean inSession = data.consumeBoolean();
    int ops = inSession ? data.consumeInt(0, CompoundProcessor.MAX_OPERATIONS) : 0;
    byte[] args = data.consumeRemainingAsBytes();
    if (inSession && session == null) {
      openSession();
    }
    long bound = HEAP_BOUND + 16L * args.length;
    long allocated = HeapAllocation.settled(bound, () -> call(inSession, ops, args));
    assertTrue(allocated <= bound, allocated + " bytes allocated");
  }

  private static void call(boolean inSession, int ops, byte[] args) {
    if (inSession && session == null) {
      openSession();
    }
    int seq = ++sequence;
    try {
      client.callRaw(e -> {
        if (inSession) {
          e.writeOpaque(new byte[0]).writeInt(2).writeInt(1 + ops);
          e.writeInt(OP_SEQUENCE).writeFixedOpaque(session).writeInt(seq).writeInt(0).writeInt(0);
          e.writeBoolean(false);
        }
        e.writeFixedOpaque(args);
      }, out -> check(out, inSession));
    } catch (XdrException | RpcException e) {
      assertTrue(!inSession || e instanceof RpcException, "a valid header is decoded");
    }
  }

  /** Opens a 4.2 session whose slot 0 the in-session calls use; again when the fuzzer ended it. */
  private static void openSession() {
    long[] id = client.call(Compound.minor(2).exchangeId("fuzz-" + ++sessions, 1)).last().value();
    session = client.call(Compound.minor(2).createSession(id[0], (int) id[1], 64)).last().value();
    sequence = 1;
    client.call(Compound.minor(2).sequence(session, 1, 0, false).reclaimComplete(false));
  }

  private static void check(ByteBuf out, boolean inSession) {
    XdrDecoder d = new XdrDecoder(out.duplicate());
    int status = d.readInt();
    assertNotEquals(SERVERFAULT, status, "SERVERFAULT");
    d.readOpaque(CompoundProcessor.MAX_TAG_LENGTH);
    int results = d.readInt();
    assertTrue(results >= 0 && results <= CompoundProcessor.MAX_OPERATIONS + 1, results + " results");
    if (inSession && (results == 0 || d.readInt() != OP_SEQUENCE || d.readInt() != Nfs4Status.OK)) {
      session = null; // the fuzzer destroyed the session or its client: open another next time
    }
  }
}
