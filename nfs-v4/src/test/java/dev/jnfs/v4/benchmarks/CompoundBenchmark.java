package dev.jnfs.v4.benchmarks;

import dev.jnfs.lock.LocalLockManager;
import dev.jnfs.lock.LockManager;
import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ExportTable;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.Transport;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.v4.Fattr4;
import dev.jnfs.v4.IdMapper;
import dev.jnfs.v4.Nfs4Program;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One COMPOUND through {@link Nfs4Program#handle}, from argument bytes to encoded results, on
 * an in-memory export: PUTFH+GETATTR with the attributes a Linux client asks after every
 * change (as nfsbench's getattr), PUTFH+LOOKUP+GETFH+GETATTR, and a READDIR of 100 entries
 * with type, fileid and mounted_on_fileid.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CompoundBenchmark {
  private static final int[] GETATTR_SET = {Fattr4.TYPE, Fattr4.CHANGE, Fattr4.SIZE, Fattr4.FSID,
      Fattr4.FILEID, Fattr4.MODE, Fattr4.NUMLINKS, Fattr4.OWNER, Fattr4.OWNER_GROUP, Fattr4.RAWDEV,
      Fattr4.SPACE_USED, Fattr4.TIME_ACCESS, Fattr4.TIME_METADATA, Fattr4.TIME_MODIFY,
      Fattr4.MOUNTED_ON_FILEID};

  private Nfs4Program program;
  private ByteBuf getattr;
  private ByteBuf lookup;
  private ByteBuf readdir;
  private final InetSocketAddress client = new InetSocketAddress("127.0.0.1", 700);
  private final Credential credential = new Credential.Sys(0, "bench", 0, 0, new int[0]);

  /** Builds the export, a directory of 100 files, and the three calls. */
  @Setup
  public void setUp() throws Exception {
    InMemoryFileSystem fs = new InMemoryFileSystem();
    Caller root = Caller.of(0, 0);
    var dir = fs.mkdir(root, fs.root(), "dir", SetAttributes.mode(0755));
    for (int i = 0; i < 100; i++) {
      fs.create(root, dir.handle(), "file-" + i, CreateMode.GUARDED, SetAttributes.mode(0644), 0);
    }
    Export export = new Export("/data", null, fs, ExportOptions.DEFAULT.with("insecure,no_root_squash"));
    ExportTable table = new ExportTable(List.of(export));
    ServerContext server = new ServerContext() {
      @Override
      public ExportTable exports() {
        return table;
      }

      @Override
      public long writeVerifier() {
        return 1;
      }

      @Override
      public void writeVerifierLost() {
        throw new UnsupportedOperationException("nothing is written here");
      }

      @Override
      public int maxReadSize() {
        return 1 << 20;
      }

      @Override
      public int maxWriteSize() {
        return 1 << 20;
      }

      private final LockManager lockManager = new LocalLockManager();

      @Override
      public LockManager lockManager() {
        return lockManager;
      }
    };
    program = Nfs4Protocol.program(server, IdMapper.NUMERIC);
    byte[] rootFh = table.toWire(export, fs.root());
    byte[] dirFh = table.toWire(export, dir.handle());
    byte[] fileFh = table.toWire(export, fs.lookup(root, dir.handle(), "file-7").handle());
    getattr = encode(Compound.v40().putfh(fileFh).getattr(GETATTR_SET));
    lookup = encode(Compound.v40().putfh(dirFh).lookup("file-42").getfh().getattr(GETATTR_SET));
    readdir = encode(Compound.v40().putfh(dirFh).readdir(0, 0, 16384, 131072,
        Fattr4.RDATTR_ERROR, Fattr4.TYPE, Fattr4.FILEID, Fattr4.MOUNTED_ON_FILEID));
    if (rootFh.length == 0) {
      throw new IllegalStateException();
    }
  }

  private static ByteBuf encode(Compound c) {
    ByteBuf buf = Unpooled.directBuffer();
    c.encode(new XdrEncoder(buf));
    return buf;
  }

  /** Releases the calls. */
  @TearDown
  public void tearDown() {
    getattr.release();
    lookup.release();
    readdir.release();
  }

  private int call(ByteBuf args) {
    ByteBuf in = args.duplicate();
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(512);
    try {
      RpcCall rpc = new RpcCall(1, Nfs4Program.PROGRAM, 4, Nfs4Program.PROC_COMPOUND, credential,
          client, client, Transport.TCP, new XdrDecoder(in));
      program.handle(rpc, new XdrEncoder(out));
      return out.readableBytes();
    } finally {
      out.release();
    }
  }

  /** @return the reply size */
  @Benchmark
  public int putfhGetattr() {
    return call(getattr);
  }

  /** @return the reply size */
  @Benchmark
  public int putfhLookupGetfhGetattr() {
    return call(lookup);
  }

  /** @return the reply size */
  @Benchmark
  public int readdir100() {
    return call(readdir);
  }
}
