package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.testing.HeapAllocation;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.xdr.XdrException;

/**
 * Fuzzes the arguments of every NFSv3 procedure (RFC 1813 §3.3) against the in-memory backend.
 * The first byte picks the procedure, the second whether a valid handle of the export's root
 * comes first (most procedures start with one, and without it hardly anything gets past the
 * handle check); the rest are the argument bytes. The procedure may only answer or throw the
 * decoding error ({@link XdrException}, which the program answers GARBAGE_ARGS) or an
 * {@link RpcException}; it never answers SERVERFAULT, and the heap it allocates is bounded by
 * the protocol's sizes, not by lengths the arguments declare.
 */
class Nfs3ArgumentsFuzzTest {
  private static final int NFS3ERR_SERVERFAULT = 10006;
  /** Replies and backend work for one call; a READ or READDIR of the limits fits in it. */
  private static final long HEAP_BOUND = 8L << 20;

  @FuzzTest(maxDuration = "2m")
  void arguments(FuzzedDataProvider data) {
    int procedure = data.consumeInt(Nfs3Program.NULL, Nfs3Program.COMMIT);
    boolean withRoot = data.consumeBoolean();
    byte[] args = data.consumeRemainingAsBytes();

    long bound = HEAP_BOUND + 16L * args.length;
    long allocated = HeapAllocation.settled(bound, () -> call(procedure, withRoot, args));
    assertTrue(allocated <= bound, allocated + " bytes allocated");
  }

  /** One call against a new export of an empty in-memory file system. */
  private static void call(int procedure, boolean withRoot, byte[] args) {
    InMemoryFileSystem fs = new InMemoryFileSystem();
    Export export = new Export("/data", null, fs, ExportOptions.DEFAULT.with("no_root_squash"));
    Nfs3Harness h = new Nfs3Harness(export);
    h.context.maxRead = 64 * 1024;
    Nfs3Program nfs = new Nfs3Program(h.context);
    byte[] root = h.exports.toWire(export, fs.root());
    try {
      var reply = h.call(nfs, Nfs3Program.VERSION, procedure, e -> {
        if (withRoot) {
          e.writeOpaque(root);
        }
        e.writeFixedOpaque(args);
      });
      if (procedure != Nfs3Program.NULL) {
        assertNotEquals(NFS3ERR_SERVERFAULT, reply.readInt(), "SERVERFAULT");
      }
    } catch (XdrException | RpcException e) {
      // GARBAGE_ARGS or an RPC rejection
    }
  }
}
