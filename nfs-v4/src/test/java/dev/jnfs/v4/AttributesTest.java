package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Nfs4Client;
import dev.jnfs.v4.testing.Reply;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttributesTest {
  private final Fixture fx = fixture(List.of(new Export("/data", null, new InMemoryFileSystem(), Fixture.RW)));
  private final Nfs4Client client = fx.root();

  /**
   * @param exports the exports
   * @return the server the tests run against (here called in-process)
   */
  Fixture fixture(List<Export> exports) {
    return new Fixture(exports);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private Compound data() {
    return Compound.v40().putrootfh().lookup("data");
  }

  @Test
  void supportedAttrsIsExactPerMinorVersion() {
    Attrs v40 = client.call(data().getattr(Fattr4.SUPPORTED_ATTRS)).last().value();
    assertEquals(Fattr4.SUPPORTED_V40, v40.get(Fattr4.SUPPORTED_ATTRS));
    Attrs v41 = client.call(fx.v41().putrootfh().lookup("data").getattr(Fattr4.SUPPORTED_ATTRS,
        Fattr4.SUPPATTR_EXCLCREAT)).last().value();
    assertEquals(Fattr4.SUPPORTED_V41, v41.get(Fattr4.SUPPORTED_ATTRS));
    assertEquals(Fattr4.EXCLCREAT, v41.get(Fattr4.SUPPATTR_EXCLCREAT));
    assertFalse(Fattr4.SUPPORTED_V40.contains(Fattr4.SUPPATTR_EXCLCREAT));
    assertFalse(Fattr4.SUPPORTED_V40.contains(Fattr4.ACL));
  }

  @Test
  void everySupportedAttributeIsReturnedAndDecodes() {
    int[] all = new int[96];
    int n = 0;
    for (int a = 0; a < 96; a++) {
      if (Fattr4.SUPPORTED_V41.contains(a) && !Fattr4.WRITE_ONLY.contains(a)) {
        all[n++] = a;
      }
    }
    int[] wanted = java.util.Arrays.copyOf(all, n);
    Reply r = client.call(fx.v41().putrootfh().lookup("data").getattr(wanted));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    Attrs attrs = r.last().value();
    for (int a : wanted) {
      assertTrue(attrs.values().containsKey(a), "attribute " + a);
    }
    assertEquals(2, attrs.number(Fattr4.TYPE));
    assertEquals(0, attrs.number(Fattr4.FH_EXPIRE_TYPE));
    assertEquals(90, attrs.number(Fattr4.LEASE_TIME));
    assertEquals(Nfs4Status.OK, attrs.number(Fattr4.RDATTR_ERROR));
    assertEquals(1 << 20, attrs.number(Fattr4.MAXREAD));
    assertEquals(true, attrs.get(Fattr4.UNIQUE_HANDLES));
    assertEquals(true, attrs.get(Fattr4.LINK_SUPPORT));
    assertEquals(true, attrs.get(Fattr4.SYMLINK_SUPPORT));
    assertEquals(false, attrs.get(Fattr4.NAMED_ATTR));
  }

  @Test
  void unsupportedAttributesAreOmitted() {
    Attrs attrs = client.call(data().getattr(Fattr4.ACL, 14, 25, 32, 50, Fattr4.TYPE)).last().value();
    assertEquals(Bitmap4.of(Fattr4.TYPE), attrs.bitmap());
    assertNull(attrs.get(Fattr4.ACL));
  }

  @Test
  void writeOnlyAttributesCannotBeRead() {
    assertEquals(Nfs4Status.INVAL, client.call(data().getattr(Fattr4.TIME_MODIFY_SET)).status());
    assertEquals(Nfs4Status.INVAL, client.call(data().getattr(Fattr4.TIME_ACCESS_SET, Fattr4.TYPE)).status());
  }

  @Test
  void hugeBitmapIsBadXdrAndLongBitmapIsAccepted() {
    Reply huge = client.call(data().op(Nfs4Opcode.GETATTR, a -> a.writeInt(1_000_000), in -> null));
    assertEquals(Nfs4Status.BADXDR, huge.status());
    Reply lie = client.call(data().op(Nfs4Opcode.GETATTR, a -> {
      a.writeInt(65);
      for (int i = 0; i < 65; i++) {
        a.writeInt(-1);
      }
    }, in -> null));
    assertEquals(Nfs4Status.BADXDR, lie.status());
    Reply longOne = client.call(data().op(Nfs4Opcode.GETATTR, a -> {
      a.writeInt(10);
      a.writeInt(1 << Fattr4.TYPE);
      for (int i = 1; i < 10; i++) {
        a.writeInt(-1 & ~(1 << 16) & ~(1 << 22));
      }
    }, in -> null));
    // the write-only bits are set in word 1 (48 and 54 are bits 16 and 22 of word 1), cleared above
    assertEquals(Nfs4Status.OK, longOne.status(), Fixture.describe(longOne));
    assertEquals(Nfs4Status.OK, client.call(data().getfh()).status());
  }

  @Test
  void ownerIsNumeric() {
    client.call(data().mkdir("d", Attrs.set().owner("1234").group("99@example.com")));
    Attrs attrs = client.call(data().lookup("d").getattr(Fattr4.OWNER, Fattr4.OWNER_GROUP)).last().value();
    assertEquals("1234", attrs.get(Fattr4.OWNER));
    assertEquals("99", attrs.get(Fattr4.OWNER_GROUP));
  }

  @Test
  void unknownOwnerIsBadOwner() {
    Reply r = client.call(data().mkdir("e", Attrs.set().owner("alice@example.com")));
    assertEquals(Nfs4Status.BADOWNER, r.status());
    Reply r2 = client.call(data().setattr(Stateid.ANONYMOUS, Attrs.set().group("99999999999")));
    assertEquals(Nfs4Status.BADOWNER, r2.status());
  }

  @Test
  void settingUnsupportedOrReadOnlyAttributes() {
    Reply acl = client.call(data().setattr(Stateid.ANONYMOUS,
        Attrs.set().raw(Fattr4.ACL, e -> e.writeInt(0))));
    assertEquals(Nfs4Status.ATTRNOTSUPP, acl.status());
    Reply type = client.call(data().setattr(Stateid.ANONYMOUS,
        Attrs.set().raw(Fattr4.TYPE, e -> e.writeInt(1))));
    assertEquals(Nfs4Status.INVAL, type.status());
    Reply unknown = client.call(data().setattr(Stateid.ANONYMOUS, Attrs.set().bits(Bitmap4.of(90))));
    assertEquals(Nfs4Status.ATTRNOTSUPP, unknown.status());
    Reply badMode = client.call(data().setattr(Stateid.ANONYMOUS, Attrs.set().mode(0170000)));
    assertEquals(Nfs4Status.INVAL, badMode.status());
    Reply nanos = client.call(data().setattr(Stateid.ANONYMOUS,
        Attrs.set().raw(Fattr4.TIME_MODIFY_SET, e -> e.writeInt(1).writeHyper(5).writeInt(1_000_000_000))));
    assertEquals(Nfs4Status.INVAL, nanos.status());
    Reply truncated = client.call(data().setattr(Stateid.ANONYMOUS,
        Attrs.set().raw(Fattr4.MODE, e -> {})));
    assertEquals(Nfs4Status.BADXDR, truncated.status());
    Reply trailing = client.call(data().setattr(Stateid.ANONYMOUS,
        Attrs.set().raw(Fattr4.MODE, e -> e.writeInt(0755).writeInt(0))));
    assertEquals(Nfs4Status.BADXDR, trailing.status());
  }

  @Test
  void timesAreEncodedAsSecondsAndNanoseconds() {
    Instant t = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);
    Reply r = client.call(data().setattr(Stateid.ANONYMOUS, Attrs.set().mtime(t))
        .getattr(Fattr4.TIME_MODIFY, Fattr4.TIME_DELTA));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    Attrs attrs = r.last().value();
    assertEquals(t, attrs.get(Fattr4.TIME_MODIFY));
    assertEquals(Instant.ofEpochSecond(0, 1), attrs.get(Fattr4.TIME_DELTA));
  }

  @Test
  void changeAttributeMovesWhenTheDirectoryChanges() {
    long before = ((Attrs) client.call(data().getattr(Fattr4.CHANGE)).last().value()).number(Fattr4.CHANGE);
    client.call(data().mkdir("sub", Attrs.set()));
    long after = ((Attrs) client.call(data().getattr(Fattr4.CHANGE)).last().value()).number(Fattr4.CHANGE);
    assertTrue(after != before);
  }

  @Test
  void verifyAndNverifyCompareEncodedValues() {
    client.call(data().setattr(Stateid.ANONYMOUS, Attrs.set().mode(0750)));
    assertEquals(Nfs4Status.OK, client.call(data().verify(Attrs.set().mode(0750))).status());
    assertEquals(Nfs4Status.NOT_SAME, client.call(data().verify(Attrs.set().mode(0755))).status());
    assertEquals(Nfs4Status.SAME, client.call(data().nverify(Attrs.set().mode(0750))).status());
    assertEquals(Nfs4Status.OK, client.call(data().nverify(Attrs.set().mode(0700)).getfh()).status());
    assertEquals(Nfs4Status.ATTRNOTSUPP,
        client.call(data().verify(Attrs.set().raw(Fattr4.ACL, e -> e.writeInt(0)))).status());
    assertEquals(Nfs4Status.INVAL,
        client.call(data().verify(Attrs.set().raw(Fattr4.RDATTR_ERROR, e -> e.writeInt(0)))).status());
    assertEquals(Nfs4Status.INVAL, client.call(data().verify(Attrs.set().atimeNow())).status());
    assertEquals(Nfs4Status.NOFILEHANDLE, client.call(Compound.v40().verify(Attrs.set().mode(0))).status());
  }
}
