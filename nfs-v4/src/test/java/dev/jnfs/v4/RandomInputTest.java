package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirectClient;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds COMPOUNDs of valid opcodes with random argument bytes (fixed seed, bounded count) to
 * the program with the real state operations: every call must end in a well-formed COMPOUND4res
 * or an RPC-level rejection, never in another exception, and the server must keep answering.
 */
class RandomInputTest {
  @Test
  void randomArgumentsNeverBreakTheServer() {
    InMemoryFileSystem fs = new InMemoryFileSystem();
    TestServerContext server = new TestServerContext(List.of(new Export("/", null, fs, Fixture.RW)));
    DirectClient client = DirectClient.root(Nfs4Protocol.program(server, IdMapper.NUMERIC));
    Random random = new Random(20261121L);
    int answered = 0;
    for (int i = 0; i < 3000; i++) {
      int minor = random.nextInt(4);
      int ops = 1 + random.nextInt(6);
      byte[] junk = new byte[random.nextInt(200)];
      random.nextBytes(junk);
      try {
        client.callRaw(e -> {
          e.writeInt(0).writeInt(minor).writeInt(ops);
          for (int k = 0; k < ops; k++) {
            e.writeInt(k == 0 && random.nextBoolean() ? Nfs4Opcode.PUTROOTFH : 3 + random.nextInt(Nfs4Opcode.LAST_V42 - 2));
            int n = random.nextInt(Math.max(1, junk.length / ops + 1));
            for (int b = 0; b < n / 4; b++) {
              e.writeInt(random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(64));
            }
          }
        }, out -> checkWellFormed(out, minor));
        answered++;
      } catch (XdrException | RpcException e) {
        // an RPC-level rejection of a header that cannot be decoded
      }
    }
    assertTrue(answered > 2500, answered + " answered");
    assertEquals(Nfs4Status.OK, client.call(Compound.v40().putrootfh().getfh()).status());
  }

  private static void checkWellFormed(ByteBuf out, int minor) {
    XdrDecoder d = new XdrDecoder(out.duplicate());
    int status = d.readInt();
    d.readOpaque(1024);
    int results = d.readInt();
    assertTrue(status != Nfs4Status.SERVERFAULT, "random input caused a server fault");
    if (minor > Nfs4Program.HIGHEST_MINOR_VERSION) {
      assertEquals(Nfs4Status.MINOR_VERS_MISMATCH, status);
      assertEquals(0, results);
    }
    assertTrue(results >= 0 && results <= 6);
  }
}
