package dev.jnfs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.NfsProtocol;
import dev.jnfs.rpc.TransportSecurity;
import dev.jnfs.rpc.TransportSecurity.Level;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code xprtsec=} export option (exports(5), RFC 9289). */
class ExportOptionsXprtsecTest {
  private static final TransportSecurity MTLS = TransportSecurity.mutual("CN=c");

  @Test
  void byDefaultEveryTransportIsAllowed() {
    ExportOptions o = ExportOptions.DEFAULT;
    assertEquals(Set.of(Level.NONE, Level.TLS, Level.MTLS), o.xprtsec());
    assertTrue(o.allows(TransportSecurity.NONE));
    assertTrue(o.allows(TransportSecurity.TLS));
    assertTrue(o.allows(MTLS));
  }

  @Test
  void tlsRequiresTlsAndAcceptsMutualTls() {
    ExportOptions o = ExportOptions.DEFAULT.with("xprtsec=tls");
    assertEquals(Set.of(Level.TLS), o.xprtsec());
    assertFalse(o.allows(TransportSecurity.NONE));
    assertTrue(o.allows(TransportSecurity.TLS));
    assertTrue(o.allows(MTLS));
  }

  @Test
  void mtlsRequiresAClientCertificate() {
    ExportOptions o = ExportOptions.DEFAULT.with("xprtsec=mtls");
    assertFalse(o.allows(TransportSecurity.NONE));
    assertFalse(o.allows(TransportSecurity.TLS));
    assertTrue(o.allows(MTLS));
  }

  @Test
  void noneAllowsOnlyPlainText() {
    ExportOptions o = ExportOptions.DEFAULT.with("xprtsec=none");
    assertTrue(o.allows(TransportSecurity.NONE));
    assertFalse(o.allows(TransportSecurity.TLS));
    assertFalse(o.allows(MTLS));
  }

  @Test
  void listsCombineAndOtherWordsKeepTheSetting() {
    ExportOptions o = ExportOptions.DEFAULT.with("xprtsec=tls:mtls,ro,insecure,anonuid=7");
    assertEquals(Set.of(Level.TLS, Level.MTLS), o.xprtsec());
    assertTrue(o.readOnly());
    assertEquals(Set.of(Level.TLS, Level.MTLS), o.withClients(java.util.List.of()).xprtsec());
  }

  @Test
  void exportsFilesCarryXprtsec() {
    ExportsFile f =
        ExportsFile.parse("/data 10.0.0.0/8(rw,xprtsec=mtls)\n/pub *(ro,xprtsec=tls:mtls)\n");
    assertEquals(Set.of(Level.MTLS), f.entries().get(0).options().get(0).xprtsec());
    assertEquals(Set.of(Level.TLS, Level.MTLS), f.entries().get(1).options().get(0).xprtsec());
  }

  @Test
  void clientsOfOnePathKeepTheirOwnXprtsec() throws Exception {
    List<ExportOptions> sets =
        ExportsFile.parse("/data 10.0.0.0/8(xprtsec=mtls) *(xprtsec=tls)\n").entries().get(0).options();
    assertEquals(
        Set.of(Level.MTLS),
        ExportOptions.select(sets, InetAddress.getByName("10.1.1.1")).orElseThrow().xprtsec());
    assertEquals(
        Set.of(Level.TLS),
        ExportOptions.select(sets, InetAddress.getByName("11.1.1.1")).orElseThrow().xprtsec());
  }

  @Test
  void malformedValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ExportOptions.DEFAULT.with("xprtsec="));
    assertThrows(
        IllegalArgumentException.class, () -> ExportOptions.DEFAULT.with("xprtsec=tls:"));
    assertThrows(
        IllegalArgumentException.class, () -> ExportOptions.DEFAULT.with("xprtsec=krb5"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ExportOptions(false, java.util.List.of(), Squash.ROOT, 1, 1, true, Set.of()));
  }

  private static dev.jnfs.rpc.RpcCall call(int program, TransportSecurity security) {
    java.net.InetSocketAddress client = new java.net.InetSocketAddress("127.0.0.1", 40000);
    return new dev.jnfs.rpc.RpcCall(
        1, program, 3, 1, dev.jnfs.rpc.Credential.None.INSTANCE, client, client,
        dev.jnfs.rpc.Transport.TCP,
        new dev.jnfs.xdr.XdrDecoder(io.netty.buffer.Unpooled.EMPTY_BUFFER), security);
  }

  @Test
  void authorizeRefusesTooWeakTransportsExceptForMount() throws Exception {
    Export export =
        new Export(
            "/x", null, new dev.jnfs.memory.InMemoryFileSystem(),
            ExportOptions.DEFAULT.with("insecure,xprtsec=tls"));
    dev.jnfs.rpc.RpcException e =
        assertThrows(
            dev.jnfs.rpc.RpcException.class,
            () -> export.authorize(call(100003, TransportSecurity.NONE)));
    assertEquals(dev.jnfs.rpc.RpcException.AUTH_TOOWEAK, e.status());
    assertTrue(e.isAuthError());
    export.authorize(call(100003, TransportSecurity.TLS));
    export.authorize(call(100003, MTLS));
    // MOUNT in plain text hands out the handle; the NFS calls using it are checked
    export.authorize(call(NfsProtocol.MOUNT_PROGRAM, TransportSecurity.NONE));
  }

  @Test
  void aPeerSubjectGoesWithMutualTlsOnly() {
    assertThrows(
        IllegalArgumentException.class, () -> new TransportSecurity(Level.TLS, "CN=x"));
    assertThrows(IllegalArgumentException.class, () -> new TransportSecurity(Level.MTLS, null));
  }
}
