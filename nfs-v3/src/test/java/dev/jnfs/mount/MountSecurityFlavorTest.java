package dev.jnfs.mount;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnfs.lock.LocalLockManager;
import dev.jnfs.lock.LockManager;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ExportTable;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.GssService;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.Transport;
import dev.jnfs.server.ClientRange;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MNT's list of auth flavors follows the export's {@code sec=} option (RFC 1813 I.5.2.1). */
class MountSecurityFlavorTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 700);
  private static final InetSocketAddress HIGH_PORT = new InetSocketAddress("127.0.0.1", 40000);
  private static final Credential SYS = new Credential.Sys(0, "h", 0, 0, new int[0]);

  private final Export kerberos =
      new Export("/krb", null, MountProgramTest.rootOnly(new byte[] {9}),
          ExportOptions.DEFAULT.with("sec=krb5p:krb5:sys"));
  private final Export krb5iOnly =
      new Export("/krb5i", null, MountProgramTest.rootOnly(new byte[] {8}),
          ExportOptions.DEFAULT.with("sec=krb5i"));
  private final Export plain =
      new Export("/plain", null, MountProgramTest.rootOnly(new byte[] {7}), ExportOptions.DEFAULT);
  private final Export local =
      new Export("/local", null, MountProgramTest.rootOnly(new byte[] {6}),
          ExportOptions.DEFAULT.with("sec=krb5")
              .withClients(List.of(ClientRange.parse("10.0.0.0/8"))));
  private final ExportTable table = new ExportTable(List.of(kerberos, krb5iOnly, plain, local));
  private final MountProgram mount = new MountProgram(new ServerContext() {
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
  });

  private XdrDecoder mnt(int version, String path, Credential credential, InetSocketAddress from) {
    ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer();
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer();
    try {
      new XdrEncoder(in).writeString(path);
      RpcCall call = new RpcCall(1, MountProgram.PROGRAM, version, MountProgram.MNT, credential,
          from, CLIENT, Transport.TCP, new XdrDecoder(in));
      mount.handle(call, new XdrEncoder(out));
      return new XdrDecoder(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(out)));
    } finally {
      in.release();
      out.release();
    }
  }

  private static int[] flavorsOf(XdrDecoder reply) {
    assertEquals(0, reply.readInt());
    reply.readOpaque(MountProgram.FHSIZE3);
    int n = reply.readInt();
    int[] flavors = new int[n];
    for (int i = 0; i < n; i++) {
      flavors[i] = reply.readInt();
    }
    assertEquals(0, reply.remaining());
    return flavors;
  }

  @Test
  void mntListsTheExportsFlavorsInPreferenceOrder() {
    assertArrayEquals(new int[] {390005, 390003, 1}, flavorsOf(mnt(3, "/krb", SYS, CLIENT)));
    assertArrayEquals(new int[] {390004}, flavorsOf(mnt(3, "/krb5i", SYS, CLIENT)));
    assertArrayEquals(new int[] {Credential.AUTH_SYS}, flavorsOf(mnt(3, "/plain", SYS, CLIENT)));
  }

  @Test
  void mntIsAnsweredWhateverFlavorTheCallUses() {
    // mount.nfs asks MOUNT with AUTH_SYS for a sec=krb5i mount, and may use Kerberos for a
    // sec=sys one: MNT is where it learns the flavors, so MOUNT does not check its own
    Credential gss = new Credential.Gss("alice@EXAMPLE.COM", GssService.NONE, 1000, 1000, new int[0]);
    assertArrayEquals(new int[] {390004}, flavorsOf(mnt(3, "/krb5i", Credential.None.INSTANCE, CLIENT)));
    assertArrayEquals(new int[] {1}, flavorsOf(mnt(3, "/plain", gss, CLIENT)));
  }

  @Test
  void version1MntOfAKerberosExportAnswersTheHandleWithoutFlavors() {
    XdrDecoder d = mnt(1, "/krb5i", SYS, CLIENT);
    assertEquals(0, d.readInt());
    byte[] handle = d.readFixedOpaque(MountProgram.FHSIZE_V1);
    byte[] wire = table.toWire(krb5iOnly, FileHandle.of(new byte[] {8}));
    assertArrayEquals(wire, java.util.Arrays.copyOf(handle, wire.length));
    assertEquals(0, d.remaining());
  }

  @Test
  void theOtherRulesStillApplyToKerberosExports() {
    XdrDecoder refused = mnt(3, "/local", SYS, CLIENT);
    assertEquals(NfsStatus.ACCES.nfs3Code(), refused.readInt());
    RpcException e = assertThrows(RpcException.class, () -> mnt(3, "/krb", SYS, HIGH_PORT));
    assertEquals(RpcException.AUTH_TOOWEAK, e.status());
  }
}
