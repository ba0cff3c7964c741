package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.mount.MountProgram;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.testing.HeapAllocation;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.xdr.XdrException;

/**
 * Fuzzes the arguments of every MOUNT procedure (RFC 1813 appendix I, versions 1 to 3): the
 * input picks the version and procedure of up to three calls (MNT then UMNT, say), the rest are
 * their argument bytes. Only the decoding error or an {@link RpcException} may escape, and the
 * heap a call allocates is bounded by the protocol's sizes (a dirpath is at most MNTPATHLEN).
 */
class MountArgumentsFuzzTest {
  private static final long HEAP_BOUND = 1L << 20;

  @FuzzTest(maxDuration = "2m")
  void arguments(FuzzedDataProvider data) {
    InMemoryFileSystem fs = new InMemoryFileSystem();
    Nfs3Harness h = new Nfs3Harness(new Export("/data", null, fs, ExportOptions.DEFAULT));
    MountProgram mount = new MountProgram(h.context);
    int calls = data.consumeInt(1, 3);
    for (int i = 0; i < calls; i++) {
      int version = data.consumeInt(1, 3);
      int procedure = data.consumeInt(0, 6);
      byte[] args = i == calls - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(1100);
      long allocated = HeapAllocation.during(() -> {
        try {
          h.call(mount, version, procedure, e -> e.writeFixedOpaque(args));
        } catch (XdrException | RpcException e) {
          // GARBAGE_ARGS or an RPC rejection
        }
      });
      assertTrue(allocated < HEAP_BOUND + 16L * args.length, allocated + " bytes allocated");
    }
  }
}
