package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.GssService;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirectClient;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.xdr.XdrDecoder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per-export security flavors ({@code sec=}) in NFSv4: SECINFO and SECINFO_NO_NAME answer the
 * export's list (RFC 8881 §18.29, §18.45), WRONGSEC follows RFC 8881 §2.6.3.1 (4.1) and RFC
 * 7530 §16.20.4 (4.0), and the pseudo-filesystem admits what the exports below it admit.
 * RPCSEC_GSS callers are synthesized as an established context would leave them.
 */
class SecurityFlavorTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 700);
  private static final Credential SYS = new Credential.Sys(0, "t", 0, 0, new int[0]);
  private static final Credential KRB5 = gss("alice@EXAMPLE.COM", GssService.NONE, 0);
  private static final Credential KRB5I = gss("alice@EXAMPLE.COM", GssService.INTEGRITY, 0);
  private static final Credential KRB5P = gss("alice@EXAMPLE.COM", GssService.PRIVACY, 0);
  private static final byte[] KRB5_OID = {
    0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x12, 0x01, 0x02, 0x02
  };
  private static final int RPCSEC_GSS = 6;

  /** One secinfo4 as decoded: the flavor and, for RPCSEC_GSS, the rpcsec_gss_info. */
  record SecInfo(int flavor, byte[] oid, int qop, int service) {
    static SecInfo sys() {
      return new SecInfo(Credential.AUTH_SYS, null, 0, 0);
    }

    static SecInfo krb5(GssService service) {
      return new SecInfo(RPCSEC_GSS, KRB5_OID, 0, service.wireValue());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SecInfo s
          && s.flavor == flavor
          && java.util.Arrays.equals(s.oid, oid)
          && s.qop == qop
          && s.service == service;
    }

    @Override
    public int hashCode() {
      return flavor * 31 + service;
    }

    @Override
    public String toString() {
      return flavor == RPCSEC_GSS ? "gss(service " + service + ", qop " + qop + ")" : "flavor " + flavor;
    }
  }

  private static Credential.Gss gss(String principal, GssService service, int uid) {
    return new Credential.Gss(principal, service, uid, uid, new int[0]);
  }

  private static ExportOptions options(String words) {
    return ExportOptions.DEFAULT.with("rw,insecure,no_root_squash," + words);
  }

  private final Fixture fx =
      new Fixture(
          List.of(
              new Export("/krb5p", null, new InMemoryFileSystem(), options("sec=krb5p")),
              new Export("/mixed", null, new InMemoryFileSystem(), options("sec=krb5i:sys")),
              new Export("/open", null, new InMemoryFileSystem(), options("sec=sys")),
              new Export("/deep/k", null, new InMemoryFileSystem(), options("sec=krb5"))));

  private DirectClient as(Credential credential) {
    return new DirectClient(fx.program, CLIENT, credential);
  }

  private static Compound secinfo(Compound c, String name) {
    return c.op(Nfs4Opcode.SECINFO, a -> a.writeString(name), SecurityFlavorTest::readSecinfo);
  }

  private static Compound secinfoNoName(Compound c, int style) {
    return c.op(Nfs4Opcode.SECINFO_NO_NAME, a -> a.writeInt(style), SecurityFlavorTest::readSecinfo);
  }

  /** Reads SECINFO4resok in full, checking nothing is left over in the result. */
  private static Object readSecinfo(XdrDecoder in) {
    int n = in.readArrayLength(16, 4);
    List<SecInfo> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int flavor = in.readInt();
      if (flavor == RPCSEC_GSS) {
        list.add(new SecInfo(flavor, in.readOpaque(64), in.readInt(), in.readInt()));
      } else {
        list.add(new SecInfo(flavor, null, 0, 0));
      }
    }
    return list;
  }

  private byte[] rootOf(String export) {
    return as(KRB5P)
        .call(Compound.v40().putrootfh().lookup(export.substring(1)).getfh())
        .last()
        .value();
  }

  private byte[] rootOfDeep() {
    return as(KRB5).call(Compound.v40().putrootfh().lookup("deep").lookup("k").getfh()).last().value();
  }

  // ---- SECINFO and SECINFO_NO_NAME

  @Test
  void secinfoAnswersEachExportsFlavorsWithTheKerberosOid() {
    DirectClient sys = as(SYS);
    for (int minor = 0; minor <= 1; minor++) {
      assertEquals(List.of(SecInfo.krb5(GssService.PRIVACY)),
          sys.call(secinfo(start(minor).putrootfh(), "krb5p")).last().value());
      assertEquals(List.of(SecInfo.krb5(GssService.INTEGRITY), SecInfo.sys()),
          sys.call(secinfo(start(minor).putrootfh(), "mixed")).last().value());
      assertEquals(List.of(SecInfo.sys()),
          sys.call(secinfo(start(minor).putrootfh(), "open")).last().value());
    }
  }

  private Compound start(int minor) {
    return minor == 0 ? Compound.v40() : fx.v41();
  }

  @Test
  void theKerberosEntryIsTheOidQopZeroAndTheService() {
    Reply r = as(SYS).call(secinfo(Compound.v40().putrootfh(), "krb5p"));
    List<SecInfo> list = r.last().value();
    SecInfo only = list.get(0);
    assertEquals(RPCSEC_GSS, only.flavor());
    assertArrayEquals(
        new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x12, 0x01, 0x02, 0x02},
        only.oid());
    assertEquals(0, only.qop());
    assertEquals(3, only.service());
  }

  @Test
  void secinfoOfAPseudoDirectoryAnswersTheFlavorsOfTheExportsBelowIt() {
    assertEquals(List.of(SecInfo.krb5(GssService.NONE)),
        as(SYS).call(secinfo(Compound.v40().putrootfh(), "deep")).last().value());
  }

  @Test
  void secinfoOfANameInsideAnExportAnswersThatExportsFlavors() {
    byte[] root = rootOf("/krb5p");
    as(KRB5P).call(Compound.v40().putfh(root).mkdir("d", Attrs.set()));
    // the caller's own flavor is refused by the export: SECINFO still answers (§2.6.3.1.1.5)
    Reply r = as(SYS).call(secinfo(Compound.v40().putfh(root), "d"));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    assertEquals(List.of(SecInfo.krb5(GssService.PRIVACY)), r.last().value());
  }

  @Test
  void secinfoErrors() {
    DirectClient sys = as(SYS);
    assertEquals(Nfs4Status.NOENT, sys.call(secinfo(Compound.v40().putrootfh(), "nothing")).status());
    assertEquals(Nfs4Status.NOENT,
        sys.call(secinfo(Compound.v40().putfh(rootOf("/krb5p")), "missing")).status());
    assertEquals(Nfs4Status.NOFILEHANDLE, sys.call(secinfo(Compound.v40(), "krb5p")).status());
    assertEquals(Nfs4Status.INVAL, sys.call(secinfo(Compound.v40().putrootfh(), "")).status());
  }

  @Test
  void secinfoNoNameOfARefusedFilehandleAnswersItsFlavors() {
    byte[] root = rootOf("/krb5p");
    Reply r = as(SYS).call(secinfoNoName(fx.v41().putfh(root), OpSecinfoNoName.STYLE_CURRENT_FH));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    assertEquals(List.of(SecInfo.krb5(GssService.PRIVACY)), r.last().value());
  }

  @Test
  void secinfoNoNameOfTheParentOfAnExportRootAnswersThePseudoDirectorysFlavors() {
    Reply r = as(SYS).call(secinfoNoName(fx.v41().putfh(rootOfDeep()), OpSecinfoNoName.STYLE_PARENT));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    assertEquals(List.of(SecInfo.krb5(GssService.NONE)), r.last().value());
    // the root's flavors: every export's, in path order
    r = as(SYS).call(secinfoNoName(fx.v41().putrootfh(), OpSecinfoNoName.STYLE_CURRENT_FH));
    assertEquals(
        List.of(SecInfo.krb5(GssService.NONE), SecInfo.krb5(GssService.PRIVACY),
            SecInfo.krb5(GssService.INTEGRITY), SecInfo.sys()),
        r.last().value());
  }

  @Test
  void secinfoNoNameErrors() {
    DirectClient sys = as(SYS);
    assertEquals(Nfs4Status.NOENT,
        sys.call(secinfoNoName(fx.v41().putrootfh(), OpSecinfoNoName.STYLE_PARENT)).status());
    assertEquals(Nfs4Status.NOFILEHANDLE,
        sys.call(secinfoNoName(fx.v41(), OpSecinfoNoName.STYLE_CURRENT_FH)).status());
    assertEquals(Nfs4Status.BADXDR, sys.call(secinfoNoName(fx.v41().putrootfh(), 7)).status());
  }

  @Test
  void secinfoAndSecinfoNoNameConsumeTheFilehandleIn41ButNotIn40() {
    byte[] root = rootOf("/krb5p");
    Reply r = as(SYS).call(secinfoNoName(fx.v41().putfh(root), 0).getattr(Fattr4.TYPE));
    assertEquals(Nfs4Status.NOFILEHANDLE, r.status(), Fixture.describe(r));
    r = as(KRB5P).call(secinfo(fx.v41().putrootfh(), "krb5p").getattr(Fattr4.TYPE));
    assertEquals(Nfs4Status.NOFILEHANDLE, r.status(), Fixture.describe(r));
    r = as(KRB5P).call(secinfo(Compound.v40().putrootfh(), "krb5p").getattr(Fattr4.TYPE));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
  }

  // ---- enforcement

  @Test
  void aKrb5pExportRefusesSysKrb5AndKrb5i() {
    byte[] root = rootOf("/krb5p");
    for (Credential weaker : List.of(SYS, Credential.None.INSTANCE, KRB5, KRB5I)) {
      Reply r40 = as(weaker).call(Compound.v40().putfh(root).getattr(Fattr4.TYPE));
      assertEquals(Nfs4Status.WRONGSEC, r40.status(), weaker + ": " + Fixture.describe(r40));
      assertEquals(1, r40.results().size(), "PUTFH itself answers WRONGSEC");
      Reply r41 = as(weaker).call(fx.v41().putfh(root).getattr(Fattr4.TYPE));
      assertEquals(Nfs4Status.WRONGSEC, r41.status());
      assertEquals(Nfs4Opcode.PUTFH, r41.last().opcode());
      assertEquals(Nfs4Status.WRONGSEC,
          as(weaker).call(Compound.v40().putrootfh().lookup("krb5p")).status());
    }
    assertEquals(Nfs4Status.OK, as(KRB5P).call(Compound.v40().putfh(root).getattr(Fattr4.TYPE)).status());
  }

  @Test
  void lookupAnswersWrongsecForTheExportItReaches() {
    Reply r = as(SYS).call(fx.v41().putrootfh().lookup("krb5p").getfh());
    assertEquals(Nfs4Status.WRONGSEC, r.status());
    assertEquals(Nfs4Opcode.LOOKUP, r.last().opcode());
    assertEquals(Nfs4Status.OK, as(KRB5I).call(fx.v41().putrootfh().lookup("mixed").getfh()).status());
    assertEquals(Nfs4Status.OK, as(SYS).call(fx.v41().putrootfh().lookup("mixed").getfh()).status());
    assertEquals(Nfs4Status.WRONGSEC, as(KRB5).call(fx.v41().putrootfh().lookup("open")).status());
  }

  @Test
  void putFilehandleRulesOf41() {
    byte[] refused = rootOf("/krb5p");
    DirectClient sys = as(SYS);
    // followed by nothing, or by SAVEFH and nothing (§2.6.3.1.1.6, §2.6.3.1.1.1)
    assertEquals(Nfs4Status.OK, sys.call(fx.v41().putfh(refused)).status());
    assertEquals(Nfs4Status.OK, sys.call(fx.v41().putfh(refused).savefh()).status());
    // followed by SAVEFH and something else: the put operation answers (§2.6.3.1.1.1)
    Reply r = sys.call(fx.v41().putfh(refused).savefh().getattr(Fattr4.TYPE));
    assertEquals(Nfs4Status.WRONGSEC, r.status());
    assertEquals(Nfs4Opcode.PUTFH, r.last().opcode());
    // followed by another put filehandle operation (§2.6.3.1.1.2)
    r = sys.call(fx.v41().putfh(refused).putrootfh().getattr(Fattr4.TYPE));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    // followed by LOOKUP: LOOKUP answers for the object it reaches (§2.6.3.1.1.3)
    as(KRB5P).call(Compound.v40().putfh(refused).mkdir("d", Attrs.set()));
    r = sys.call(fx.v41().putfh(refused).lookup("d"));
    assertEquals(Nfs4Status.WRONGSEC, r.status());
    assertEquals(Nfs4Opcode.LOOKUP, r.last().opcode());
    // followed by LOOKUPP: the parent of an export root is the pseudo directory (§2.6.3.1.1.4)
    r = sys.call(fx.v41().putfh(refused).lookupp().getattr(Fattr4.TYPE));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    // followed by anything else, the put operation answers (§2.6.3.1.1.7)
    r = sys.call(fx.v41().putfh(refused).getfh());
    assertEquals(Nfs4Opcode.PUTFH, r.last().opcode());
    assertEquals(Nfs4Status.WRONGSEC, r.status());
  }

  @Test
  void putFilehandleRulesOf40() {
    byte[] refused = rootOf("/krb5p");
    DirectClient sys = as(SYS);
    // RFC 7530 §16.20.4: PUTFH answers WRONGSEC, unless SECINFO follows
    assertEquals(Nfs4Status.WRONGSEC, sys.call(Compound.v40().putfh(refused)).status());
    assertEquals(Nfs4Status.WRONGSEC, sys.call(Compound.v40().putfh(refused).lookupp()).status());
    Reply r = sys.call(Compound.v40().putfh(refused).lookup("x"));
    assertEquals(Nfs4Opcode.PUTFH, r.last().opcode());
    assertEquals(Nfs4Status.WRONGSEC, r.status());
    r = sys.call(secinfo(Compound.v40().putfh(refused), "x"));
    assertEquals(Nfs4Opcode.SECINFO, r.last().opcode());
    assertEquals(Nfs4Status.NOENT, r.status());
  }

  @Test
  void restorefhChecksTheSavedFilehandleAgain() {
    byte[] refused = rootOf("/krb5p");
    DirectClient sys = as(SYS);
    Reply r = sys.call(fx.v41().putfh(refused).savefh().putrootfh().restorefh().getattr(Fattr4.TYPE));
    assertEquals(Nfs4Status.WRONGSEC, r.status());
    assertEquals(Nfs4Opcode.RESTOREFH, r.last().opcode());
    r = sys.call(fx.v41().putrootfh().savefh().putfh(refused).putrootfh().restorefh().getattr(Fattr4.TYPE));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    r = sys.call(secinfoNoName(fx.v41().putfh(refused).savefh().putrootfh().restorefh(), 0));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    assertEquals(List.of(SecInfo.krb5(GssService.PRIVACY)), r.last().value());
    assertEquals(Nfs4Status.RESTOREFH, sys.call(fx.v41().restorefh()).status());
  }

  @Test
  void anOpenByNameDefersTheCheckButAnOpenByFilehandleDoesNot() {
    byte[] refused = rootOf("/krb5p");
    DirectClient sys = as(SYS);
    // this fixture has no state operations: OPEN itself answers NOTSUPP, what matters is
    // whether PUTFH let it run
    Reply byName = sys.call(fx.v41().putfh(refused).op(Nfs4Opcode.OPEN, a -> openArgs(a, 0), in -> null));
    assertEquals(Nfs4Opcode.OPEN, byName.last().opcode(), Fixture.describe(byName));
    Reply byHandle = sys.call(fx.v41().putfh(refused).op(Nfs4Opcode.OPEN, a -> openArgs(a, 4), in -> null));
    assertEquals(Nfs4Opcode.PUTFH, byHandle.last().opcode());
    assertEquals(Nfs4Status.WRONGSEC, byHandle.status());
  }

  /** OPEN4args: OPEN4_CREATE with GUARDED4 and a fattr4 of mode, then the claim. */
  static void openArgs(dev.jnfs.xdr.XdrEncoder a, int claim) {
    a.writeInt(0).writeInt(1).writeInt(0); // seqid, share_access READ, share_deny NONE
    a.writeHyper(1).writeOpaque(new byte[] {1, 2, 3}); // open_owner4
    a.writeInt(1).writeInt(1); // OPEN4_CREATE, GUARDED4
    a.writeInt(2).writeInt(0).writeInt(2); // bitmap4 { 0, MODE }
    a.writeOpaque(new byte[] {0, 0, 1, (byte) 0xa4}); // attrlist4: mode 0644
    a.writeInt(claim);
    if (claim == 0) {
      a.writeString("f");
    }
  }

  // ---- the pseudo-filesystem

  @Test
  void thePseudoRootAdmitsEveryFlavorSomeExportAllows() {
    for (Credential c : List.of(SYS, KRB5, KRB5I, KRB5P, Credential.None.INSTANCE)) {
      Reply r = as(c).call(Compound.v40().putrootfh().getattr(Fattr4.TYPE));
      assertEquals(Nfs4Status.OK, r.status(), c + ": " + Fixture.describe(r));
    }
  }

  @Test
  void aPseudoDirectoryAdmitsOnlyTheFlavorsOfTheExportsBelowIt() {
    assertEquals(Nfs4Status.OK, as(KRB5).call(Compound.v40().putrootfh().lookup("deep").getattr(Fattr4.TYPE)).status());
    Reply r = as(SYS).call(fx.v41().putrootfh().lookup("deep"));
    assertEquals(Nfs4Status.WRONGSEC, r.status());
    assertEquals(Nfs4Opcode.LOOKUP, r.last().opcode());
  }

  @Test
  void aNamespaceOfKerberosExportsRefusesSysAtTheRoot() {
    Fixture only = new Fixture(List.of(new Export("/k", null, new InMemoryFileSystem(), options("sec=krb5p"))));
    DirectClient sys = new DirectClient(only.program, CLIENT, SYS);
    assertEquals(Nfs4Status.WRONGSEC, sys.call(Compound.v40().putrootfh().getattr(Fattr4.TYPE)).status());
    assertEquals(Nfs4Status.WRONGSEC, sys.call(only.v41().putrootfh().getattr(Fattr4.TYPE)).status());
    Reply r = sys.call(secinfoNoName(only.v41().putrootfh(), OpSecinfoNoName.STYLE_CURRENT_FH));
    assertEquals(List.of(SecInfo.krb5(GssService.PRIVACY)), r.last().value());
    DirectClient krb5p = new DirectClient(only.program, CLIENT, KRB5P);
    assertEquals(Nfs4Status.OK, krb5p.call(Compound.v40().putrootfh().lookup("k").getattr(Fattr4.TYPE)).status());
  }

  // ---- identity

  @Test
  void aKerberosRootPrincipalIsRootSquashed() throws Exception {
    InMemoryFileSystem fs = new InMemoryFileSystem();
    fs.setattr(Caller.of(0, 0), fs.root(), SetAttributes.mode(0777), null);
    Fixture squashing = new Fixture(List.of(
        new Export("/k", null, fs,
            ExportOptions.DEFAULT.with("rw,insecure,sec=krb5,anonuid=4242,anongid=4243"))));
    DirectClient root = new DirectClient(squashing.program, CLIENT, gss("root/admin@EXAMPLE.COM", GssService.NONE, 0));
    DirectClient alice = new DirectClient(squashing.program, CLIENT, gss("alice@EXAMPLE.COM", GssService.NONE, 1000));
    Attrs byRoot = root.call(Compound.v40().putrootfh().lookup("k").mkdir("r", Attrs.set()).getattr(Fattr4.OWNER)).last().value();
    assertEquals("4242", byRoot.get(Fattr4.OWNER));
    Attrs byAlice = alice.call(Compound.v40().putrootfh().lookup("k").mkdir("a", Attrs.set()).getattr(Fattr4.OWNER)).last().value();
    assertEquals("1000", byAlice.get(Fattr4.OWNER));
  }
}
