package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.mount.MountProgram;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.TestCertificates;
import dev.jnfs.rpc.testing.TlsRpcTestClient;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.server.TlsConfig;
import dev.jnfs.xdr.XdrDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MOUNT and NFSv3 over RPC-with-TLS (RFC 9289) to an export with {@code xprtsec=tls}. */
class Nfs3OverTlsTest {
  private static final Credential ROOT = new Credential.Sys(1, "test", 0, 0, new int[0]);
  private static final int NFS = Nfs3Program.PROGRAM;

  @TempDir static Path dir;
  private static TestCertificates certs;
  private static NfsServer server;

  @BeforeAll
  static void start() throws IOException {
    certs = TestCertificates.generate(dir, "localhost");
    ExportOptions insecure = ExportOptions.DEFAULT.with("insecure,no_root_squash");
    server =
        NfsServer.builder()
            .bind("127.0.0.1")
            .port(0)
            .udp(false)
            .tls(TlsConfig.of(certs.serverCertificate(), certs.serverKey()))
            .export(new Export("/open", null, TestBackends.create(), insecure))
            .export(
                new Export("/tls", null, TestBackends.create(), insecure.with("xprtsec=tls")))
            .build();
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static TlsRpcTestClient connect() throws IOException {
    return TlsRpcTestClient.connect(new InetSocketAddress("127.0.0.1", server.port()));
  }

  private static RpcReply mnt(TlsRpcTestClient c, String path) throws IOException {
    return c.call(
        MountProgram.PROGRAM, 3, 1, ROOT, RpcMessageBuilder.xdr(e -> e.writeString(path)));
  }

  private static RpcReply getattr(TlsRpcTestClient c, byte[] handle) throws IOException {
    return c.call(
        NFS, 3, Nfs3Program.GETATTR, ROOT, RpcMessageBuilder.xdr(e -> e.writeOpaque(handle)));
  }

  private static byte[] mountedRoot(RpcReply r) {
    assertTrue(r.isSuccess());
    XdrDecoder d = r.decoder();
    assertEquals(0, d.readInt(), "MNT3_OK");
    return d.readOpaque(64);
  }

  private static void assertTooWeak(RpcReply r) {
    assertEquals(RpcReply.MSG_DENIED, r.replyStat());
    assertEquals(RpcReply.AUTH_ERROR, r.rejectStat());
    assertEquals(RpcException.AUTH_TOOWEAK, r.authStat());
  }

  @Test
  void tlsOnlyExportIsServedOverTlsAndRefusedInPlainText() throws IOException {
    byte[] root;
    try (TlsRpcTestClient c = connect()) {
      assertTrue(RpcReply.parse(c.probe(NFS, 3)).isSuccess());
      c.startTls(certs.clientContext(false), "TLSv1.3");
      assertTrue(c.call(NFS, 3, 0, Credential.None.INSTANCE, new byte[0]).isSuccess());
      root = mountedRoot(mnt(c, "/tls"));
      RpcReply r = getattr(c, root);
      assertTrue(r.isSuccess());
      assertEquals(0, r.decoder().readInt(), "NFS3_OK");
    }
    try (TlsRpcTestClient plain = connect()) {
      // MOUNT answers in plain text (Linux clients mount over a clear MOUNT connection), but
      // the handle it gives serves nothing without TLS
      byte[] again = mountedRoot(mnt(plain, "/tls"));
      assertTooWeak(getattr(plain, again));
      assertTooWeak(getattr(plain, root));
      // the same connection still serves an export that allows plain text
      byte[] open = mountedRoot(mnt(plain, "/open"));
      assertEquals(0, getattr(plain, open).decoder().readInt());
    }
  }
}
