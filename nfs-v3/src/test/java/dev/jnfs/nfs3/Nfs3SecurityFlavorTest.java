package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.GssService;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * NFSv3 calls against exports with {@code sec=}: a call whose flavor the export does not list
 * is rejected with AUTH_TOOWEAK (RFC 2623 §2.3), and Kerberos callers are squashed by their
 * mapped ids. The credentials are synthesized, as an RPCSEC_GSS context would leave them.
 */
class Nfs3SecurityFlavorTest {
  private static final int OK = 0;
  private static final Credential SYS = Nfs3Harness.sys(1000, 1000);
  private static final Credential KRB5 = gss("alice@EXAMPLE.COM", GssService.NONE, 1000);
  private static final Credential KRB5I = gss("alice@EXAMPLE.COM", GssService.INTEGRITY, 1000);
  private static final Credential KRB5P = gss("alice@EXAMPLE.COM", GssService.PRIVACY, 1000);

  private final TreeFileSystem fs = new TreeFileSystem();

  private static Credential gss(String principal, GssService service, int uid) {
    return new Credential.Gss(principal, service, uid, uid, new int[0]);
  }

  private record Served(Nfs3Harness harness, Nfs3Program nfs, byte[] root) {
    XdrDecoder call(int procedure, Credential credential, Consumer<XdrEncoder> args) {
      return harness.call(nfs, 3, procedure, credential, Nfs3Harness.PRIVILEGED_CLIENT, args);
    }

    XdrDecoder getattr(Credential credential) {
      return call(Nfs3Program.GETATTR, credential, e -> e.writeOpaque(root));
    }

    void assertTooWeak(Credential credential) {
      RpcException e = assertThrows(RpcException.class, () -> getattr(credential));
      assertTrue(e.isAuthError());
      assertEquals(RpcException.AUTH_TOOWEAK, e.status());
    }
  }

  private Served serve(String options) {
    Export export = new Export("/data", null, fs, ExportOptions.DEFAULT.with(options));
    Nfs3Harness h = new Nfs3Harness(export);
    return new Served(h, new Nfs3Program(h.context), h.exports.toWire(export, fs.root()));
  }

  @Test
  void aKrb5pExportRefusesEveryWeakerFlavor() {
    Served s = serve("sec=krb5p");
    s.assertTooWeak(SYS);
    s.assertTooWeak(Credential.None.INSTANCE);
    s.assertTooWeak(KRB5);
    s.assertTooWeak(KRB5I);
    assertEquals(OK, s.getattr(KRB5P).readInt());
  }

  @Test
  void aSysExportRefusesEachKerberosFlavor() {
    Served s = serve("sec=sys");
    s.assertTooWeak(KRB5);
    s.assertTooWeak(KRB5I);
    s.assertTooWeak(KRB5P);
    assertEquals(OK, s.getattr(SYS).readInt());
    assertEquals(OK, s.getattr(Credential.None.INSTANCE).readInt());
  }

  @Test
  void everyListedFlavorIsServed() {
    Served s = serve("sec=krb5:krb5i:sys");
    assertEquals(OK, s.getattr(KRB5).readInt());
    assertEquals(OK, s.getattr(KRB5I).readInt());
    assertEquals(OK, s.getattr(SYS).readInt());
    s.assertTooWeak(KRB5P);
  }

  @Test
  void everyProcedureWithAHandleIsChecked() {
    Served s = serve("sec=krb5i");
    RpcException e = assertThrows(RpcException.class, () -> s.call(Nfs3Program.ACCESS, SYS, a -> {
      a.writeOpaque(s.root());
      a.writeInt(1);
    }));
    assertEquals(RpcException.AUTH_TOOWEAK, e.status());
    e = assertThrows(RpcException.class, () -> mkdir(s, SYS, "d"));
    assertEquals(RpcException.AUTH_TOOWEAK, e.status());
  }

  @Test
  void aKerberosRootPrincipalIsRootSquashed() {
    Served s = serve("sec=krb5");
    assertEquals(ExportOptions.NOBODY, ownerOfNewDirectory(s, gss("root@EXAMPLE.COM", GssService.NONE, 0), "byroot"));
    assertEquals(1000, ownerOfNewDirectory(s, KRB5, "byalice"));
  }

  @Test
  void noRootSquashLetsAKerberosRootBeRoot() {
    Served s = serve("sec=krb5,no_root_squash");
    assertEquals(0, ownerOfNewDirectory(s, gss("root@EXAMPLE.COM", GssService.NONE, 0), "byroot"));
  }

  private static XdrDecoder mkdir(Served s, Credential credential, String name) {
    return s.call(Nfs3Program.MKDIR, credential, e -> {
      e.writeOpaque(s.root());
      e.writeString(name);
      for (int i = 0; i < 4; i++) {
        e.writeBoolean(false); // mode, uid, gid, size not set
      }
      e.writeInt(0).writeInt(0); // atime, mtime: DONT_CHANGE
    });
  }

  /** MKDIR and read the owner from the post-op attributes. */
  private static int ownerOfNewDirectory(Served s, Credential credential, String name) {
    XdrDecoder d = mkdir(s, credential, name);
    assertEquals(OK, d.readInt());
    assertNotNull(Nfs3Replies.postOpFh(d), "the new directory's handle");
    Nfs3Replies.Fattr attributes = Nfs3Replies.postOp(d);
    assertNotNull(attributes, "the new directory's attributes");
    return attributes.uid();
  }
}
