package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.rpc.testing.RecordingProxy;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.v4.Bitmap4;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.TcpClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records the calls real clients send — the libnfs tools over NFSv3 and NFSv4, and this
 * project's NFSv4 test client — through a {@link RecordingProxy}, and writes them as seed
 * inputs of the fuzz targets (each in the layout its {@code FuzzedDataProvider} reads: the
 * bytes the target takes last come first). Runs only when asked, with the project's root
 * directory: {@code -Djnfs.fuzz.seeds=$PWD -Dtest=SeedCorpusCapture}.
 */
@EnabledIfSystemProperty(named = "jnfs.fuzz.seeds", matches = ".+")
class SeedCorpusCapture {
  private static final int NFS = 100003;
  private static final int MOUNT = 100005;
  private static final int PORTMAP = 100000;
  private static final int OP_SEQUENCE = 53;
  /** Seeds kept per target and procedure: the corpus stays a few KiB. */
  private static final int PER_KIND = 2;

  private final Path root = Path.of(System.getProperty("jnfs.fuzz.seeds", "."));

  @Test
  void capture(@TempDir Path tmp) throws Exception {
    InMemoryFileSystem fs = new InMemoryFileSystem();
    NfsServer server = NfsServer.builder().bind("127.0.0.1").port(0).udp(false)
        .maxConnectionRatePerAddress(0)
        .export("/data", fs, ExportOptions.DEFAULT.with("insecure,no_root_squash,rw"))
        .protocol(c -> {
          List<dev.jnfs.rpc.RpcProgram> all = new ArrayList<>(new Nfs3Protocol().programs(c));
          all.addAll(new Nfs4Protocol().programs(c));
          return all;
        })
        .build();
    server.start();
    List<byte[]> records;
    try (RecordingProxy proxy =
        new RecordingProxy(new InetSocketAddress("127.0.0.1", server.port()))) {
      Path file = tmp.resolve("hello.txt");
      Files.writeString(file, "hello, fuzzer\n");
      for (String version : List.of("3", "4")) {
        String base = "nfs://127.0.0.1/data/";
        String query = "?version=" + version + "&nfsport=" + proxy.port() + "&mountport=" + proxy.port();
        LibnfsToolsTest.run("nfs-cp", file.toString(), base + "v" + version + ".txt" + query);
        LibnfsToolsTest.run("nfs-ls", "-l", base + query);
        LibnfsToolsTest.run("nfs-cat", base + "v" + version + ".txt" + query);
      }
      try (TcpClient client = new TcpClient(proxy.port(), 0, 0)) {
        client.call(Compound.v40().putrootfh().lookup("data").getattr(1, 3, 4, 20, 33, 35, 36, 37)
            .readdir(0, 0, 4096, 8192, 1, 20).lookup("v3.txt").access(0x3f).getfh());
        client.call(Compound.v40().putrootfh().lookup("data").lookupp().getfh());
      }
      Thread.sleep(500);
      records = proxy.records();
    } finally {
      server.stop();
    }
    assertFalse(records.isEmpty(), "no calls recorded");
    write(records);
  }

  private void write(List<byte[]> records) throws IOException {
    List<String> written = new ArrayList<>();
    byte[] stream = frames(records.subList(0, Math.min(3, records.size())));
    // limit 128 KiB, a collecting budget, the stream in one read
    seed("nfs-core", "dev/jnfs/rpc/RecordMarkingDecoderFuzzTest", "records", "captured",
        concat(stream, new byte[] {0, 1, 3}), written);
    for (byte[] r : records) {
      Call call = Call.parse(r);
      if (call == null) {
        continue;
      }
      String kind = call.program + "." + call.version + "." + call.procedure;
      seed("nfs-core", "dev/jnfs/rpc/RpcCallHeaderFuzzTest", "callHeader", "call-" + kind,
          concat(r, new byte[] {0}), written);
      if (call.credentialFlavor == 1) {
        seed("nfs-core", "dev/jnfs/rpc/RpcCallHeaderFuzzTest", "callHeader", "authsys",
            concat(call.credentialBody, new byte[] {1}), written);
      }
      byte[] args = Arrays.copyOfRange(r, call.argumentsAt, r.length);
      if (call.program == NFS && call.version == 3) {
        // the root handle the target puts first stands in for the captured first handle
        byte[] rest = call.procedure == 0 ? args : afterOpaque(args);
        seed("nfs-v3", "dev/jnfs/nfs3/Nfs3ArgumentsFuzzTest", "arguments", "nfs3-" + kind,
            concat(rest, new byte[] {(byte) (call.procedure == 0 ? 0 : 1), (byte) call.procedure}),
            written);
      } else if (call.program == MOUNT) {
        seed("nfs-v3", "dev/jnfs/nfs3/MountArgumentsFuzzTest", "arguments", "mount-" + kind,
            concat(args, new byte[] {(byte) call.procedure, (byte) (call.version - 1), 0}), written);
      } else if (call.program == PORTMAP) {
        seed("nfs-core", "dev/jnfs/portmap/PortmapArgumentsFuzzTest", "arguments", "pmap-" + kind,
            concat(args, new byte[] {0, 1, (byte) call.procedure, (byte) (call.version - 2)}),
            written);
      } else if (call.program == NFS && call.version == 4 && call.procedure == 1) {
        compoundSeeds(args, kind, written);
      }
    }
    attributeSeeds(written);
    System.out.println("seeds written: " + written);
  }

  /** The bitmaps and settable fattr4s this project's NFSv4 test client sends. */
  private void attributeSeeds(List<String> written) throws IOException {
    int[][] bitmaps = {{1, 3, 4, 20, 33, 35, 36, 37}, {0, 1, 2, 75, 81}, {}};
    for (int i = 0; i < bitmaps.length; i++) {
      byte[] bytes = dev.jnfs.rpc.testing.RpcMessageBuilder.xdr(
          Bitmap4.of(bitmaps[i])::encode);
      seed("nfs-v4", "dev/jnfs/v4/Fattr4FuzzTest", "bitmap", "bitmap" + i, bytes, written);
    }
    List<Attrs.Builder> settable = List.of(
        Attrs.set().mode(0644).size(10),
        Attrs.set().owner("1000").group("100").atimeNow(),
        Attrs.set().mtime(java.time.Instant.ofEpochSecond(1_700_000_000L, 5)));
    for (int i = 0; i < settable.size(); i++) {
      byte[] bytes = dev.jnfs.rpc.testing.RpcMessageBuilder.xdr(settable.get(i)::encode);
      seed("nfs-v4", "dev/jnfs/v4/Fattr4FuzzTest", "settable", "fattr" + i,
          concat(bytes, new byte[] {2}), written);
    }
  }

  /** A 4.0 COMPOUND as it came; the operations after SEQUENCE of a 4.1 or 4.2 one. */
  private void compoundSeeds(byte[] args, String kind, List<String> written) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(args);
    int tag = b.getInt();
    b.position(b.position() + (tag + 3 & ~3));
    int minor = b.getInt();
    int ops = b.getInt();
    int first = b.remaining() >= 4 ? b.getInt(b.position()) : -1;
    if (minor == 0) {
      seed("nfs-v4", "dev/jnfs/v4/CompoundFuzzTest", "compound", "v40-" + first,
          concat(args, new byte[] {0}), written);
    } else if (first == OP_SEQUENCE && ops > 1 && b.remaining() >= 36) {
      byte[] rest = Arrays.copyOfRange(args, b.position() + 36, args.length);
      int second = rest.length >= 4 ? ByteBuffer.wrap(rest).getInt() : -1;
      seed("nfs-v4", "dev/jnfs/v4/CompoundFuzzTest", "compound", "session-" + second,
          concat(rest, new byte[] {(byte) (ops - 1), 1}), written);
    }
  }

  private void seed(String module, String target, String method, String name, byte[] bytes,
      List<String> written) throws IOException {
    Path dir = root.resolve(module).resolve("src/test/resources").resolve(target + "Inputs")
        .resolve(method);
    Files.createDirectories(dir);
    Predicate<Path> sameKind = p -> p.getFileName().toString().startsWith(name + "-");
    try (var existing = Files.list(dir)) {
      if (existing.filter(sameKind).count() >= PER_KIND) {
        return;
      }
    }
    Files.write(dir.resolve(name + "-" + HexFormat.of().toHexDigits(Arrays.hashCode(bytes))), bytes);
    written.add(target.substring(target.lastIndexOf('/') + 1) + "/" + name);
  }

  private static byte[] frames(List<byte[]> records) {
    ByteBuffer b = ByteBuffer.allocate(records.stream().mapToInt(r -> r.length + 4).sum());
    for (byte[] r : records) {
      b.putInt(0x8000_0000 | r.length).put(r);
    }
    return b.array();
  }

  private static byte[] afterOpaque(byte[] args) {
    if (args.length < 4) {
      return args;
    }
    int length = ByteBuffer.wrap(args).getInt();
    int end = 4 + (length + 3 & ~3);
    return end <= args.length ? Arrays.copyOfRange(args, end, args.length) : args;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** The header of a recorded call. */
  private record Call(int program, int version, int procedure, int credentialFlavor,
      byte[] credentialBody, int argumentsAt) {
    static Call parse(byte[] r) {
      ByteBuffer b = ByteBuffer.wrap(r);
      if (r.length < 40 || b.getInt(4) != 0) {
        return null;
      }
      int flavor = b.getInt(24);
      int credLength = b.getInt(28);
      byte[] body = Arrays.copyOfRange(r, 32, 32 + credLength);
      int verf = 32 + (credLength + 3 & ~3);
      int verfLength = b.getInt(verf + 4);
      int args = verf + 8 + (verfLength + 3 & ~3);
      return new Call(b.getInt(12), b.getInt(16), b.getInt(20), flavor, body, args);
    }
  }
}
