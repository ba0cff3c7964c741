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
  private static final long HEAP_BOUND = 2L << 20;

  @FuzzTest(maxDuration = "2m")
  void arguments(FuzzedDataProvider data) {
    int calls = data.consumeInt(1, 3);
    int[] versions = new int[calls];
    int[] procedures = new int[calls];
    byte[][] args = new byte[calls][];
    for (int i = 0; i < calls; i++) {
      versions[i] = data.consumeInt(1, 3);
      procedures[i] = data.consumeInt(0, 6);
      args[i] = i == calls - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(1100);
    }
    long bound = HEAP_BOUND + 16L * java.util.Arrays.stream(args).mapToLong(a -> a.length).sum();
    long allocated = HeapAllocation.settled(bound, () -> {
      Nfs3Harness h = new Nfs3Harness(
          new Export("/data", null, new InMemoryFileSystem(), ExportOptions.DEFAULT));
      MountProgram mount = new MountProgram(h.context);
      for (int i = 0; i < calls; i++) {
        byte[] a = args[i];
        try {
          h.call(mount, versions[i], procedures[i], e -> e.writeFixedOpaque(a));
        } catch (XdrException | RpcException e) {
          // GARBAGE_ARGS or an RPC rejection
        }
      }
    });
    assertTrue(allocated <= bound, allocated + " bytes allocated");
  }
}
