package dev.jnfs.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.NfsProtocol;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.GssService;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.Transport;
import dev.jnfs.spi.Caller;
import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code sec=} export option: which flavors an export allows, and how callers map. */
class ExportSecurityFlavorTest {
  private static final int NFS = 100003;
  private static final Credential SYS = new Credential.Sys(0, "host", 1000, 100, new int[] {5});
  private static final Credential KRB5 = gss("alice@EXAMPLE.COM", GssService.NONE, 1000);
  private static final Credential KRB5I = gss("alice@EXAMPLE.COM", GssService.INTEGRITY, 1000);
  private static final Credential KRB5P = gss("alice@EXAMPLE.COM", GssService.PRIVACY, 1000);

  private static Credential.Gss gss(String principal, GssService service, int uid) {
    return new Credential.Gss(principal, service, uid, uid == 0 ? 0 : 100, new int[] {0, 7});
  }

  private static RpcCall call(int program, Credential credential) {
    InetSocketAddress client = new InetSocketAddress("127.0.0.1", 700);
    return new RpcCall(
        1, program, 3, 1, credential, client, client, Transport.TCP,
        new XdrDecoder(Unpooled.EMPTY_BUFFER));
  }

  private static Export export(String options) {
    return new Export("/x", null, new InMemoryFileSystem(), ExportOptions.DEFAULT.with(options));
  }

  private static void assertTooWeak(Export export, Credential credential) {
    RpcException e =
        assertThrows(RpcException.class, () -> export.authorize(call(NFS, credential)));
    assertTrue(e.isAuthError());
    assertEquals(RpcException.AUTH_TOOWEAK, e.status());
  }

  @Test
  void flavorsNameTheirWireNumbers() {
    assertEquals(1, SecurityFlavor.SYS.mountFlavor());
    assertEquals(390003, SecurityFlavor.KRB5.mountFlavor());
    assertEquals(390004, SecurityFlavor.KRB5I.mountFlavor());
    assertEquals(390005, SecurityFlavor.KRB5P.mountFlavor());
    assertEquals(GssService.PRIVACY, SecurityFlavor.KRB5P.gssService());
    assertFalse(SecurityFlavor.SYS.isGss());
    assertEquals("krb5i", SecurityFlavor.KRB5I.optionName());
    assertEquals(SecurityFlavor.KRB5I, SecurityFlavor.ofOptionName("krb5i"));
    assertThrows(IllegalArgumentException.class, () -> SecurityFlavor.ofOptionName("none"));
  }

  @Test
  void aCallsFlavorComesFromItsCredential() {
    assertEquals(SecurityFlavor.SYS, SecurityFlavor.of(Credential.None.INSTANCE));
    assertEquals(SecurityFlavor.SYS, SecurityFlavor.of(SYS));
    assertEquals(SecurityFlavor.KRB5, SecurityFlavor.of(KRB5));
    assertEquals(SecurityFlavor.KRB5I, SecurityFlavor.of(KRB5I));
    assertEquals(SecurityFlavor.KRB5P, SecurityFlavor.of(KRB5P));
  }

  @Test
  void optionsNeedAtLeastOneFlavorAndNoneTwice() {
    assertEquals(ExportOptions.DEFAULT_SEC, ExportOptions.DEFAULT.sec());
    assertEquals(
        List.of(SecurityFlavor.KRB5P, SecurityFlavor.SYS),
        ExportOptions.DEFAULT.withSec(SecurityFlavor.KRB5P, SecurityFlavor.SYS).sec());
    assertThrows(IllegalArgumentException.class, () -> ExportOptions.DEFAULT.withSec());
    assertThrows(
        IllegalArgumentException.class,
        () -> ExportOptions.DEFAULT.withSec(SecurityFlavor.SYS, SecurityFlavor.SYS));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ExportOptions.DEFAULT.with("sec=spkm3"));
    assertTrue(e.getMessage().contains("spkm3"), e.getMessage());
  }

  @Test
  void aSysExportRefusesEveryKerberosFlavor() throws Exception {
    Export export = export("sec=sys");
    assertTooWeak(export, KRB5);
    assertTooWeak(export, KRB5I);
    assertTooWeak(export, KRB5P);
    assertEquals(1000, export.authorize(call(NFS, SYS)).uid());
    // AUTH_NONE counts as sys, as in the Linux server, and is anonymous
    assertEquals(ExportOptions.NOBODY, export.authorize(call(NFS, Credential.None.INSTANCE)).uid());
  }

  @Test
  void aKrb5pExportRefusesSysNoneKrb5AndKrb5i() throws Exception {
    Export export = export("sec=krb5p");
    assertTooWeak(export, SYS);
    assertTooWeak(export, Credential.None.INSTANCE);
    assertTooWeak(export, KRB5);
    assertTooWeak(export, KRB5I);
    Caller alice = export.authorize(call(NFS, KRB5P));
    assertEquals(1000, alice.uid());
    assertEquals(Optional.of("alice@EXAMPLE.COM"), alice.principal());
  }

  @Test
  void eachListedFlavorIsAllowed() throws Exception {
    Export export = export("sec=krb5i:sys");
    export.authorize(call(NFS, KRB5I));
    export.authorize(call(NFS, SYS));
    assertTooWeak(export, KRB5);
    assertTooWeak(export, KRB5P);
    assertTrue(export.optionSets().get(0).allows(SecurityFlavor.of(KRB5I)));
    assertFalse(export.optionSets().get(0).allows(SecurityFlavor.of(KRB5P)));
  }

  @Test
  void mountIsExemptFromTheFlavorCheck() throws Exception {
    Export export = export("sec=krb5p");
    Caller c = export.authorize(call(NfsProtocol.MOUNT_PROGRAM, SYS));
    assertEquals(1000, c.uid());
  }

  @Test
  void aKerberosRootPrincipalIsRootSquashed() throws Exception {
    Export export = export("sec=krb5");
    Caller root = export.authorize(call(NFS, gss("root/admin@EXAMPLE.COM", GssService.NONE, 0)));
    assertEquals(ExportOptions.NOBODY, root.uid());
    assertEquals(ExportOptions.NOBODY, root.gid());
    assertArrayEquals(new int[] {ExportOptions.NOBODY, 7}, root.groups());
    assertEquals(Optional.empty(), root.principal(), "a squashed caller is not the principal");

    Caller alice = export.authorize(call(NFS, KRB5));
    assertEquals(1000, alice.uid());
    assertEquals(100, alice.gid());
    assertArrayEquals(new int[] {ExportOptions.NOBODY, 7}, alice.groups());
    assertEquals(Optional.of("alice@EXAMPLE.COM"), alice.principal());
  }

  @Test
  void noRootSquashKeepsAKerberosRoot() throws Exception {
    Export export = export("sec=krb5,no_root_squash");
    Caller root = export.authorize(call(NFS, gss("root/admin@EXAMPLE.COM", GssService.NONE, 0)));
    assertEquals(0, root.uid());
    assertArrayEquals(new int[] {0, 7}, root.groups());
    assertEquals(Optional.of("root/admin@EXAMPLE.COM"), root.principal());
  }

  @Test
  void allSquashMakesEveryKerberosCallerAnonymous() throws Exception {
    Export export = export("sec=krb5,all_squash,anonuid=42,anongid=43");
    Caller alice = export.authorize(call(NFS, KRB5));
    assertEquals(42, alice.uid());
    assertEquals(43, alice.gid());
    assertEquals(0, alice.groups().length);
    assertEquals(Optional.empty(), alice.principal());
  }
}
