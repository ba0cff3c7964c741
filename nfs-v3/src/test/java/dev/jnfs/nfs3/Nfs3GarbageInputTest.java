package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.mount.MountProgram;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile arguments for every NFSv3 and MOUNT procedure: random bytes, and valid handles
 * followed by random bytes. Each call must end in a reply or in GARBAGE_ARGS (XdrException)
 * or an RPC rejection, never in another exception, never in a SERVERFAULT (which would mean
 * the server itself failed), and with every buffer released (leak detection is paranoid).
 */
class Nfs3GarbageInputTest {
  private static final int ROUNDS = 400;

  @Test
  void randomArgumentsNeverBreakTheServer() {
    TreeFileSystem fs = new TreeFileSystem();
    Export export = new Export("/data", null, fs, ExportOptions.DEFAULT.with("no_root_squash"));
    Nfs3Harness h = new Nfs3Harness(export);
    Nfs3Program nfs = new Nfs3Program(h.context);
    MountProgram mount = new MountProgram(h.context);
    byte[] root = h.exports.toWire(export, fs.root());
    Random random = new Random(20261121);
    int replies = 0;
    for (int procedure = 0; procedure <= Nfs3Program.COMMIT; procedure++) {
      for (int i = 0; i < ROUNDS; i++) {
        byte[] tail = new byte[random.nextInt(200)];
        random.nextBytes(tail);
        if (random.nextInt(4) == 0) {
          // small lengths and enum values are more interesting than random ones
          for (int k = 0; k + 4 <= tail.length; k += 4) {
            tail[k] = 0;
            tail[k + 1] = 0;
            tail[k + 2] = 0;
            tail[k + 3] = (byte) random.nextInt(8);
          }
        }
        boolean withHandle = random.nextBoolean();
        replies += call(h, nfs, 3, procedure, withHandle ? root : null, tail);
      }
    }
    for (int procedure = 0; procedure <= 5; procedure++) {
      for (int i = 0; i < ROUNDS; i++) {
        byte[] tail = new byte[random.nextInt(64)];
        random.nextBytes(tail);
        replies += call(h, mount, 3, procedure, null, tail);
      }
    }
    assertTrue(replies > ROUNDS, "most garbage is rejected, but some reaches the procedures");
  }

  private static int call(Nfs3Harness h, RpcProgram program, int version, int procedure, byte[] handle,
      byte[] tail) {
    try {
      XdrDecoder reply = h.call(program, version, procedure, e -> {
        if (handle != null) {
          e.writeOpaque(handle);
        }
        e.writeFixedOpaque(tail);
      });
      if (program instanceof Nfs3Program && procedure != Nfs3Program.NULL) {
        assertNotEquals(10006, reply.readInt(), "SERVERFAULT for procedure " + procedure);
      }
      return 1;
    } catch (XdrException | RpcException e) {
      return 0;
    }
  }
}
