package dev.jnfs.mount;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.lock.LocalLockManager;
import dev.jnfs.lock.LockManager;
import dev.jnfs.nfs3.TreeFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ExportTable;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.Transport;
import dev.jnfs.server.ClientRange;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MOUNT v1 and v3 driven directly. */
class MountProgramTest {
  static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 700);
  static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.2", 700);

  ExportTable table;
  ServerContext context;
  MountProgram mount;
  Export open;
  Export restricted;
  Export secure;

  /**
   * A backend that only has a root and the SPI's defaults (an export asks {@code isReadOnly}
   * when it is made); MOUNT never calls anything else.
   */
  static NfsFileSystem rootOnly(byte[] handle) {
    return (NfsFileSystem) Proxy.newProxyInstance(MountProgramTest.class.getClassLoader(),
        new Class<?>[] {NfsFileSystem.class}, (p, m, a) -> {
          if (m.getName().equals("root")) {
            return FileHandle.of(handle);
          }
          if (m.isDefault()) {
            return InvocationHandler.invokeDefault(p, m, a);
          }
          throw new UnsupportedOperationException(m.getName());
        });
  }

  @BeforeEach
  void setUp() {
    ExportOptions insecure = ExportOptions.DEFAULT.with("insecure");
    open = new Export("/open", "/alias", rootOnly(new byte[] {1, 2, 3}), insecure);
    restricted = new Export("/restricted", null, rootOnly(new byte[] {4}),
        insecure.withClients(List.of(ClientRange.parse("127.0.0.1/32"), ClientRange.parse("10.0.0.0/8"))));
    secure = new Export("/secure", null, rootOnly(new byte[40]), ExportOptions.DEFAULT);
    table = new ExportTable(List.of(open, restricted, secure));
    context = new ServerContext() {
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
    mount = new MountProgram(context);
  }

  XdrDecoder call(int version, int procedure, InetSocketAddress from, Consumer<XdrEncoder> args) {
    ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer();
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer();
    try {
      args.accept(new XdrEncoder(in));
      RpcCall call = new RpcCall(1, MountProgram.PROGRAM, version, procedure,
          new Credential.Sys(0, "h", 0, 0, new int[0]), from, CLIENT, Transport.TCP, new XdrDecoder(in));
      mount.handle(call, new XdrEncoder(out));
      return new XdrDecoder(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(out)));
    } finally {
      in.release();
      out.release();
    }
  }

  @Test
  void mntAnswersRootHandleAndAuthSys() {
    XdrDecoder d = call(3, MountProgram.MNT, CLIENT, e -> e.writeString("/open"));
    assertEquals(0, d.readInt());
    assertArrayEquals(table.toWire(open, FileHandle.of(new byte[] {1, 2, 3})), d.readOpaque(64));
    assertEquals(1, d.readInt());
    assertEquals(Credential.AUTH_SYS, d.readInt());
    assertEquals(0, d.remaining());
  }

  @Test
  void mntByAliasAndNormalisedPath() {
    assertEquals(0, call(3, MountProgram.MNT, CLIENT, e -> e.writeString("/alias")).readInt());
    assertEquals(0, call(3, MountProgram.MNT, CLIENT, e -> e.writeString("//open/")).readInt());
  }

  @Test
  void mntBelowAnExportWalksDirectories() throws Exception {
    TreeFileSystem tree = new TreeFileSystem();
    Caller admin = Caller.of(0, 0);
    FileHandle a = tree.mkdir(admin, tree.root(), "a", SetAttributes.NONE).handle();
    FileHandle b = tree.mkdir(admin, a, "b", SetAttributes.NONE).handle();
    tree.create(admin, a, "file", CreateMode.GUARDED, SetAttributes.NONE, 0);
    tree.symlink(admin, a, "link", "b", SetAttributes.NONE);
    Export treeExport = new Export("/tree", null, tree, ExportOptions.DEFAULT.with("insecure"));
    table = new ExportTable(List.of(open, treeExport));
    XdrDecoder d = call(3, MountProgram.MNT, CLIENT, e -> e.writeString("/tree/a//b/"));
    assertEquals(0, d.readInt());
    assertArrayEquals(table.toWire(treeExport, b), d.readOpaque(64));
    assertEquals(2, call(3, MountProgram.MNT, CLIENT, e -> e.writeString("/tree/a/missing")).readInt());
    assertEquals(20, call(3, MountProgram.MNT, CLIENT, e -> e.writeString("/tree/a/file")).readInt());
    assertEquals(20, call(3, MountProgram.MNT, CLIENT, e -> e.writeString("/tree/a/link")).readInt(),
        "symbolic links are not followed");
    assertEquals(2, call(3, MountProgram.MNT, CLIENT, e -> e.writeString("/tree/a/..")).readInt());
    assertEquals(2, call(3, MountProgram.MNT, CLIENT, e -> e.writeString("/treeish/a")).readInt());
    assertEquals(2, call(3, MountProgram.MNT, CLIENT, e -> e.writeString("tree/a")).readInt());
  }

  @Test
  void mntOfUnknownPathIsNoent() {
    XdrDecoder d = call(3, MountProgram.MNT, CLIENT, e -> e.writeString("/nowhere"));
    assertEquals(2, d.readInt());
    assertEquals(0, d.remaining());
  }

  @Test
  void mntRefusedClientIsAcces() {
    XdrDecoder d = call(3, MountProgram.MNT, OTHER, e -> e.writeString("/restricted"));
    assertEquals(13, d.readInt());
    assertEquals(0, d.remaining());
    assertEquals(0, call(3, MountProgram.MNT, CLIENT, e -> e.writeString("/restricted")).readInt());
  }

  @Test
  void mntOfSecureExportFromHighPortIsTooWeak() {
    RpcException e = assertThrows(RpcException.class, () -> call(3, MountProgram.MNT,
        new InetSocketAddress("127.0.0.1", 40000), x -> x.writeString("/secure")));
    assertEquals(RpcException.AUTH_TOOWEAK, e.status());
  }

  @Test
  void mntPathOverMaximumIsGarbage() {
    assertThrows(XdrException.class,
        () -> call(3, MountProgram.MNT, CLIENT, e -> e.writeString("/" + "x".repeat(1024))));
  }

  @Test
  void version1MntPadsHandleTo32BytesOrRefuses() {
    XdrDecoder d = call(1, MountProgram.MNT, CLIENT, e -> e.writeString("/open"));
    assertEquals(0, d.readInt());
    byte[] fh = d.readFixedOpaque(32);
    byte[] wire = table.toWire(open, FileHandle.of(new byte[] {1, 2, 3}));
    for (int i = 0; i < 32; i++) {
      assertEquals(i < wire.length ? wire[i] : 0, fh[i]);
    }
    assertEquals(0, d.remaining());
    d = call(1, MountProgram.MNT, CLIENT, e -> e.writeString("/secure")); // 45-byte handle
    assertEquals(10006, d.readInt());
    assertEquals(0, d.remaining());
  }

  record Mount(String host, String path) {}

  List<Mount> dump(int version) {
    XdrDecoder d = call(version, MountProgram.DUMP, CLIENT, e -> {});
    List<Mount> list = new ArrayList<>();
    while (d.readBoolean()) {
      list.add(new Mount(d.readString(255), d.readString(1024)));
    }
    assertEquals(0, d.remaining());
    return list;
  }

  @Test
  void dumpListsMountsUntilUnmounted() {
    assertTrue(dump(3).isEmpty());
    call(3, MountProgram.MNT, CLIENT, e -> e.writeString("/open"));
    call(3, MountProgram.MNT, CLIENT, e -> e.writeString("/restricted"));
    call(3, MountProgram.MNT, new InetSocketAddress("127.0.0.3", 800), e -> e.writeString("/open"));
    call(3, MountProgram.MNT, OTHER, e -> e.writeString("/restricted")); // refused: not listed
    assertEquals(3, dump(3).size());
    assertTrue(dump(1).contains(new Mount("127.0.0.3", "/open")));
    assertEquals(0, call(3, MountProgram.UMNT, CLIENT, e -> e.writeString("/open")).remaining());
    assertEquals(2, dump(3).size());
    assertFalse(dump(3).contains(new Mount("127.0.0.1", "/open")));
    call(3, MountProgram.UMNTALL, CLIENT, e -> {});
    assertEquals(List.of(new Mount("127.0.0.3", "/open")), dump(3));
  }

  @Test
  void exportListsPathsWithClientRanges() {
    for (int version : new int[] {1, 3}) {
      XdrDecoder d = call(version, MountProgram.EXPORT, CLIENT, e -> {});
      List<String> lines = new ArrayList<>();
      while (d.readBoolean()) {
        StringBuilder line = new StringBuilder(d.readString(1024));
        while (d.readBoolean()) {
          line.append(' ').append(d.readString(255));
        }
        lines.add(line.toString());
      }
      assertEquals(0, d.remaining());
      assertEquals(List.of("/open *", "/restricted 127.0.0.1/32 10.0.0.0/8", "/secure *"), lines);
    }
  }

  @Test
  void nullAndUnknownProcedures() {
    assertEquals(0, call(3, MountProgram.NULL, CLIENT, e -> {}).remaining());
    RpcException e = assertThrows(RpcException.class, () -> call(3, 6, CLIENT, x -> {}));
    assertEquals(RpcException.PROC_UNAVAIL, e.status());
  }
}
