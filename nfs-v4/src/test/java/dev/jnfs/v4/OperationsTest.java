package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.spi.Access;
import dev.jnfs.spi.OpenContext;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.ChangeReply;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirList;
import dev.jnfs.v4.testing.DirectClient;
import dev.jnfs.v4.testing.Nfs4Client;
import dev.jnfs.v4.testing.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OperationsTest {
  private final Fixture fx = fixture(List.of(
      new Export("/data", null, new InMemoryFileSystem(), Fixture.RW),
      new Export("/other", null, new InMemoryFileSystem(), Fixture.RW)));
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

  private Reply ok(Compound c) {
    Reply r = client.call(c);
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    return r;
  }

  private int status(Compound c) {
    return client.call(c).status();
  }

  /** Creates a regular file through the backend (OPEN belongs to the state operations). */
  private void file(String name, byte[] content) throws Exception {
    Export e = fx.server.exports().byPath("/data").orElseThrow();
    var fs = e.fileSystem();
    var caller = dev.jnfs.spi.Caller.of(0, 0);
    var f = fs.create(caller, fs.root(), name, dev.jnfs.spi.CreateMode.GUARDED,
        dev.jnfs.spi.SetAttributes.mode(0644), 0);
    fs.write(caller, f.handle(), 0, java.nio.ByteBuffer.wrap(content), dev.jnfs.spi.Stability.FILE_SYNC);
  }

  // ---- LOOKUP names

  @Test
  void lookupChecksNames() throws Exception {
    file("f", new byte[0]);
    ok(data().mkdir("dir", Attrs.set()));
    assertEquals(Nfs4Status.BADNAME, status(data().lookup("..")));
    assertEquals(Nfs4Status.BADNAME, status(data().lookup(".")));
    assertEquals(Nfs4Status.INVAL, status(data().lookup("")));
    assertEquals(Nfs4Status.INVAL, status(data().lookup(new byte[] {(byte) 0xC3, 0x28})));
    assertEquals(Nfs4Status.NAMETOOLONG, status(data().lookup("x".repeat(300))));
    assertEquals(Nfs4Status.NAMETOOLONG, status(data().lookup("x".repeat(20_000))));
    assertEquals(Nfs4Status.BADNAME, status(data().lookup("dir/f")));
    assertEquals(Nfs4Status.BADCHAR, status(data().lookup(new byte[] {'a', 0, 'b'})));
    assertEquals(Nfs4Status.NOENT, status(data().lookup("missing")));
    assertEquals(Nfs4Status.NOTDIR, status(data().lookup("f").lookup("x")));
    assertEquals(Nfs4Status.NOTDIR, status(data().lookup("f").lookupp()));
    assertEquals(Nfs4Status.BADNAME, status(Compound.v40().putrootfh().lookup("..")));
    ok(data().lookup("dir").lookupp().lookup("f"));
  }

  @Test
  void lookupInSymlinkAnswersSymlink() {
    ok(data().symlink("l", "target"));
    assertEquals(Nfs4Status.SYMLINK, status(data().lookup("l").lookup("x")));
  }

  // ---- CREATE

  @Test
  void createMakesDirectoriesWithChangeInfoAndBecomesCurrent() {
    Reply r = ok(data().mkdir("d", Attrs.set().mode(0700)).getattr(Fattr4.TYPE, Fattr4.MODE));
    ChangeReply cinfo = r.result(2).value();
    assertNotEquals(cinfo.before(), cinfo.after());
    assertEquals(Bitmap4.of(Fattr4.MODE), cinfo.attrset());
    Attrs attrs = r.last().value();
    assertEquals(2, attrs.number(Fattr4.TYPE));
    assertEquals(0700, attrs.number(Fattr4.MODE));
    assertEquals(Nfs4Status.EXIST, status(data().mkdir("d", Attrs.set())));
  }

  @Test
  void createSymlinkAndSpecialFiles() {
    Reply r = ok(data().symlink("l", "some/where").getattr(Fattr4.TYPE).readlink());
    assertEquals(5, ((Attrs) r.result(3).value()).number(Fattr4.TYPE));
    assertEquals("some/where", r.last().value());
    assertEquals(Nfs4Status.INVAL, status(data().symlink("empty", "")));
    Reply fifo = ok(data().mknod(OpCreate.NF4FIFO, "p", 0, 0).getattr(Fattr4.TYPE));
    assertEquals(7, ((Attrs) fifo.last().value()).number(Fattr4.TYPE));
    Reply chr = ok(data().mknod(OpCreate.NF4CHR, "c", 4, 5).getattr(Fattr4.TYPE, Fattr4.RAWDEV));
    assertArrayEquals(new long[] {4, 5}, (long[]) ((Attrs) chr.last().value()).get(Fattr4.RAWDEV));
  }

  @Test
  void createOfRegularFilesAndUnknownTypesIsBadType() {
    assertEquals(Nfs4Status.BADTYPE, status(data().mknod(OpCreate.NF4REG, "r", 0, 0)));
    assertEquals(Nfs4Status.BADTYPE, status(data().mknod(8, "ad", 0, 0)));
    assertEquals(Nfs4Status.BADTYPE, status(data().mknod(77, "x", 0, 0)));
  }

  @Test
  void createChecksNamesAndAttributes() {
    assertEquals(Nfs4Status.BADNAME, status(data().mkdir("..", Attrs.set())));
    assertEquals(Nfs4Status.INVAL, status(data().mkdir("", Attrs.set())));
    assertEquals(Nfs4Status.NAMETOOLONG, status(data().mkdir("n".repeat(256), Attrs.set())));
    assertEquals(Nfs4Status.ATTRNOTSUPP,
        status(data().mkdir("a", Attrs.set().raw(Fattr4.ACL, e -> e.writeInt(0)))));
    assertEquals(Nfs4Status.INVAL,
        status(data().mkdir("a", Attrs.set().raw(Fattr4.FILEID, e -> e.writeHyper(1)))));
    assertEquals(Nfs4Status.NOFILEHANDLE, status(Compound.v40().mkdir("a", Attrs.set())));
    assertEquals(Nfs4Status.BADXDR,
        status(data().op(Nfs4Opcode.CREATE, e -> e.writeInt(OpCreate.NF4LNK).writeInt(1000), in -> null)));
  }

  @Test
  void createInAFileAnswersNotdir() throws Exception {
    file("f", new byte[0]);
    assertEquals(Nfs4Status.NOTDIR, status(data().lookup("f").mkdir("x", Attrs.set())));
  }

  @Test
  void unprivilegedCallerIsDenied() {
    ok(data().mkdir("locked", Attrs.set().mode(0755)));
    Reply r = fx.user(1000).call(data().lookup("locked").mkdir("mine", Attrs.set()));
    assertEquals(Nfs4Status.ACCESS, r.status());
    int[] access = fx.user(1000).call(data().lookup("locked").access(Access.ALL)).last().value();
    assertEquals(Access.READ | Access.LOOKUP, access[1] & (Access.READ | Access.LOOKUP));
    assertEquals(0, access[1] & (Access.MODIFY | Access.EXTEND | Access.DELETE));
  }

  // ---- ACCESS

  @Test
  void accessRejectsUndefinedBits() {
    assertEquals(Nfs4Status.INVAL, status(data().access(0x40)));
    int[] r = ok(data().access(Access.READ | Access.MODIFY)).last().value();
    assertEquals(Access.READ | Access.MODIFY, r[0]);
    assertEquals(Access.READ | Access.MODIFY, r[1]);
    assertEquals(Nfs4Status.NOFILEHANDLE, status(Compound.v40().access(1)));
  }

  // ---- READ, WRITE, COMMIT

  @Test
  void writeThenReadBack() throws Exception {
    file("f", new byte[0]);
    byte[] payload = "hello, nfs v4".getBytes(StandardCharsets.UTF_8);
    Reply w = ok(data().lookup("f").write(Stateid.ANONYMOUS, 0, 2, payload));
    var wr = (dev.jnfs.v4.testing.Compound.WriteReply) w.last().value();
    assertEquals(payload.length, wr.count());
    assertEquals(2, wr.committed());
    assertEquals(fx.server.writeVerifier(), wr.verifier());
    Reply r = ok(data().lookup("f").read(Stateid.ANONYMOUS, 0, 1000));
    var rr = (dev.jnfs.v4.testing.Compound.ReadReply) r.last().value();
    assertArrayEquals(payload, rr.data());
    assertTrue(rr.eof());
    var partial = (dev.jnfs.v4.testing.Compound.ReadReply) ok(data().lookup("f").read(Stateid.ANONYMOUS, 6, 3)).last().value();
    assertEquals(" nf", new String(partial.data(), StandardCharsets.UTF_8));
    assertFalse(partial.eof());
    var past = (dev.jnfs.v4.testing.Compound.ReadReply) ok(data().lookup("f").read(Stateid.ANONYMOUS, 1000, 10)).last().value();
    assertEquals(0, past.data().length);
    assertTrue(past.eof());
    assertEquals(fx.server.writeVerifier(), (long) ok(data().lookup("f").commit(0, 0)).last().value());
  }

  @Test
  void readAndWriteRefuseNonFiles() {
    ok(data().symlink("l", "x"));
    assertEquals(Nfs4Status.ISDIR, status(data().read(Stateid.ANONYMOUS, 0, 10)));
    assertEquals(Nfs4Status.ISDIR, status(data().write(Stateid.ANONYMOUS, 0, 0, new byte[1])));
    assertEquals(Nfs4Status.ISDIR, status(data().commit(0, 0)));
    assertEquals(Nfs4Status.INVAL, status(data().lookup("l").read(Stateid.ANONYMOUS, 0, 10)));
    assertEquals(Nfs4Status.SYMLINK,
        fx.root().call(fx.v41().putrootfh().lookup("data").lookup("l").read(Stateid.ANONYMOUS, 0, 10)).status());
    assertEquals(Nfs4Status.NOFILEHANDLE, status(Compound.v40().read(Stateid.ANONYMOUS, 0, 10)));
  }

  @Test
  void writeRejectsMalformedArguments() throws Exception {
    file("f", new byte[0]);
    assertEquals(Nfs4Status.BADXDR, status(data().lookup("f").write(Stateid.ANONYMOUS, 0, 7, new byte[1])));
    assertEquals(Nfs4Status.BADXDR, status(data().lookup("f").op(Nfs4Opcode.WRITE, e -> {
      Stateid.ANONYMOUS.encode(e);
      e.writeHyper(0).writeInt(0).writeInt(100).writeInt(0);
    }, in -> null)));
    assertEquals(Nfs4Status.FBIG, status(data().lookup("f").write(Stateid.ANONYMOUS, -10, 0, new byte[20])));
    assertEquals(Nfs4Status.INVAL, status(data().lookup("f").commit(-1, 100)));
    ok(data().lookup("f").getfh());
  }

  @Test
  void readCountIsCutToTheServerMaximum() throws Exception {
    file("big", new byte[(1 << 20) + 100]);
    var rr = (dev.jnfs.v4.testing.Compound.ReadReply) ok(data().lookup("big").read(Stateid.ANONYMOUS, 0, Integer.MAX_VALUE)).last().value();
    assertEquals(1 << 20, rr.data().length);
    assertFalse(rr.eof());
  }

  @Test
  void ioConsultsTheStateService() throws Exception {
    file("f", new byte[10]);
    List<String> seen = new ArrayList<>();
    Nfs4StateService strict = new Nfs4StateService() {
      @Override
      public OpenContext checkIo(CompoundContext ctx, Stateid stateid, Nfs4Handle.Exported file, Io io,
          long offset, long length) throws Nfs4Exception {
        seen.add(io + "@" + offset);
        if (!stateid.isAnonymousOrBypass()) {
          throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "unknown");
        }
        return null;
      }

      @Override
      public int leaseTimeSeconds() {
        return 30;
      }
    };
    OperationRegistry registry = new OperationRegistry();
    StatelessOperations.registerAll(registry);
    registry.register(Nfs4Opcode.SEQUENCE, 1, (ctx, args, result) -> {});
    DirectClient c = DirectClient.root(new Nfs4Program(fx.server, registry, strict, IdMapper.NUMERIC));
    Stateid bogus = Stateid.of(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    assertEquals(Nfs4Status.BAD_STATEID, c.call(data().lookup("f").read(bogus, 0, 5)).status());
    assertEquals(Nfs4Status.BAD_STATEID, c.call(data().lookup("f").write(bogus, 3, 0, new byte[2])).status());
    assertEquals(Nfs4Status.BAD_STATEID, c.call(data().lookup("f").setattr(bogus, Attrs.set().size(2))).status());
    assertEquals(Nfs4Status.OK, c.call(data().lookup("f").setattr(bogus, Attrs.set().mode(0600))).status());
    assertEquals(Nfs4Status.OK, c.call(data().lookup("f").read(Stateid.BYPASS, 0, 5)).status());
    assertEquals(List.of("READ@0", "WRITE@3", "SET_SIZE@2", "READ@0"), seen);
    // 4.1: the current stateid is used when asked for but none is set
    Reply cur = c.call(Compound.v41().op(Nfs4Opcode.SEQUENCE, a -> {}, in -> null).putrootfh()
        .lookup("data").lookup("f").read(Stateid.CURRENT, 0, 5));
    assertEquals(Nfs4Status.BAD_STATEID, cur.status());
    Attrs lease = c.call(data().getattr(Fattr4.LEASE_TIME)).last().value();
    assertEquals(30, lease.number(Fattr4.LEASE_TIME));
  }

  // ---- SETATTR

  @Test
  void setattrAnswersAttrssetAlsoOnErrors() throws Exception {
    file("f", new byte[100]);
    Reply r = ok(data().lookup("f").setattr(Stateid.ANONYMOUS, Attrs.set().size(10).mode(0600))
        .getattr(Fattr4.SIZE, Fattr4.MODE));
    assertEquals(Bitmap4.of(Fattr4.SIZE, Fattr4.MODE), r.result(3).value());
    Attrs attrs = r.last().value();
    assertEquals(10, attrs.number(Fattr4.SIZE));
    assertEquals(0600, attrs.number(Fattr4.MODE));
    // the error arm carries an (empty) attrsset: a following op in the reply must still decode
    Reply denied = fx.user(1000).call(data().lookup("f").setattr(Stateid.ANONYMOUS, Attrs.set().mode(0777)));
    assertEquals(Nfs4Status.PERM, denied.status());
    Reply noFh = client.call(Compound.v40().setattr(Stateid.ANONYMOUS, Attrs.set().mode(0777)));
    assertEquals(Nfs4Status.NOFILEHANDLE, noFh.status());
  }

  @Test
  void setattrOnDirectorySizeFails() {
    int s = status(data().setattr(Stateid.ANONYMOUS, Attrs.set().size(0)));
    assertTrue(s == Nfs4Status.ISDIR || s == Nfs4Status.INVAL, "status " + s);
  }

  // ---- REMOVE, RENAME, LINK

  @Test
  void removeFilesAndDirectories() throws Exception {
    file("f", new byte[0]);
    ok(data().mkdir("d", Attrs.set()));
    ok(data().lookup("d").mkdir("inner", Attrs.set()));
    ChangeReply c = ok(data().remove("f")).last().value();
    assertNotEquals(c.before(), c.after());
    assertEquals(Nfs4Status.NOTEMPTY, status(data().remove("d")));
    ok(data().lookup("d").remove("inner"));
    ok(data().remove("d"));
    assertEquals(Nfs4Status.NOENT, status(data().remove("d")));
    assertEquals(Nfs4Status.BADNAME, status(data().remove("..")));
    assertEquals(Nfs4Status.INVAL, status(data().remove("")));
    assertEquals(Nfs4Status.NOFILEHANDLE, status(Compound.v40().remove("x")));
  }

  @Test
  void renameReportsBothDirectories() throws Exception {
    file("f", new byte[0]);
    ok(data().mkdir("d", Attrs.set()));
    Reply r = ok(data().savefh().lookup("d").rename("f", "g"));
    ChangeReply[] both = r.last().value();
    assertNotEquals(both[0].before(), both[0].after());
    assertNotEquals(both[1].before(), both[1].after());
    ok(data().lookup("d").lookup("g"));
    assertEquals(Nfs4Status.NOENT, status(data().savefh().rename("f", "h")));
    assertEquals(Nfs4Status.NOFILEHANDLE, status(data().rename("f", "h")));
    assertEquals(Nfs4Status.BADNAME, status(data().savefh().rename("..", "h")));
    assertEquals(Nfs4Status.XDEV,
        status(data().savefh().putrootfh().lookup("other").rename("d", "d")));
    assertEquals(Nfs4Status.XDEV, status(data().savefh().putrootfh().rename("d", "d")));
    assertEquals(Nfs4Status.ROFS, status(Compound.v40().putrootfh().savefh().rename("data", "x")));
  }

  @Test
  void linkAddsANameToTheSavedObject() throws Exception {
    file("f", new byte[0]);
    Reply r = ok(data().lookup("f").savefh().putrootfh().lookup("data").link("g").lookup("g")
        .getattr(Fattr4.NUMLINKS));
    assertEquals(2, ((Attrs) r.last().value()).number(Fattr4.NUMLINKS));
    assertEquals(Nfs4Status.EXIST,
        status(data().lookup("f").savefh().putrootfh().lookup("data").link("g")));
    assertEquals(Nfs4Status.NOTDIR, status(data().lookup("f").savefh().lookupp()));
    assertEquals(Nfs4Status.NOFILEHANDLE, status(data().link("x")));
    assertEquals(Nfs4Status.XDEV,
        status(data().lookup("f").savefh().putrootfh().lookup("other").link("x")));
    assertEquals(Nfs4Status.ISDIR, status(Compound.v40().putrootfh().savefh().lookup("data").link("x")));
    int dirLink = status(data().savefh().link("self"));
    assertTrue(dirLink == Nfs4Status.ISDIR || dirLink == Nfs4Status.PERM, "status " + dirLink);
  }

  // ---- READLINK

  @Test
  void readlinkOfNonSymlinkIsInval() {
    assertEquals(Nfs4Status.INVAL, status(data().readlink()));
    assertEquals(Nfs4Status.INVAL, status(Compound.v40().putrootfh().readlink()));
  }

  // ---- READDIR

  @Test
  void readdirPagesThroughEveryEntryExactlyOnce() throws Exception {
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      file("file-" + i, new byte[0]);
      expected.add("file-" + i);
    }
    Set<String> seen = new HashSet<>();
    long cookie = 0;
    long verifier = 0;
    int pages = 0;
    while (pages < 100) {
      pages++;
      DirList page = ok(data().readdir(cookie, verifier, 500, 600, Fattr4.TYPE, Fattr4.FILEID)).last().value();
      for (DirList.Entry e : page.entries()) {
        assertTrue(seen.add(e.name()), "twice: " + e.name());
        assertTrue(e.cookie() > 2);
        assertEquals(1, e.attrs().number(Fattr4.TYPE));
        cookie = e.cookie();
      }
      verifier = page.verifier();
      if (page.eof()) {
        break;
      }
      assertFalse(page.entries().isEmpty());
    }
    assertEquals(expected, seen);
    assertTrue(pages > 2, "a small maxcount needs several pages");
  }

  @Test
  void readdirNeverExceedsMaxcount() throws Exception {
    for (int i = 0; i < 20; i++) {
      file("name-" + i, new byte[0]);
    }
    for (int maxcount : new int[] {200, 333, 1000, 4096}) {
      byte[][] raw = new byte[1][];
      Compound c = data().readdir(0, 0, maxcount, maxcount, Fattr4.TYPE, Fattr4.SIZE, Fattr4.OWNER);
      raw[0] = client.callBytes(c);
      Reply r = c.decode(new dev.jnfs.xdr.XdrDecoder(io.netty.buffer.Unpooled.wrappedBuffer(raw[0])));
      assertEquals(Nfs4Status.OK, r.status());
      // the READDIR4resok is what follows the last result's opcode and status
      int compoundHeader = 4 + 4 + 4;
      int before = compoundHeader + 2 * 8 + 4 + 4 + 8 + "data".length() + 4;
      int resok = raw[0].length - before - 8;
      assertTrue(resok <= maxcount, "resok of " + resok + " bytes for maxcount " + maxcount);
    }
  }

  @Test
  void readdirErrors() throws Exception {
    file("f", new byte[0]);
    assertEquals(Nfs4Status.BAD_COOKIE, status(data().readdir(1, 0, 100, 4096, Fattr4.TYPE)));
    assertEquals(Nfs4Status.BAD_COOKIE, status(data().readdir(2, 0, 100, 4096, Fattr4.TYPE)));
    assertEquals(Nfs4Status.TOOSMALL, status(data().readdir(0, 0, 10, 10, Fattr4.TYPE)));
    assertEquals(Nfs4Status.TOOSMALL, status(data().readdir(0, 0, 40, 40, Fattr4.TYPE)));
    assertEquals(Nfs4Status.NOTDIR, status(data().lookup("f").readdir(0, 0, 100, 4096, Fattr4.TYPE)));
    assertEquals(Nfs4Status.INVAL, status(data().readdir(0, 0, 100, 4096, Fattr4.TIME_MODIFY_SET)));
    assertEquals(Nfs4Status.NOFILEHANDLE, status(Compound.v40().readdir(0, 0, 100, 4096)));
    DirList empty = ok(data().mkdir("e", Attrs.set()).readdir(0, 0, 100, 100)).last().value();
    assertTrue(empty.entries().isEmpty());
    assertTrue(empty.eof());
  }

  @Test
  void readdirCarriesRdattrErrorAndHandles() throws Exception {
    file("f", new byte[0]);
    DirList list = ok(data().readdir(0, 0, 1000, 8192, Fattr4.RDATTR_ERROR, Fattr4.FILEHANDLE)).last().value();
    DirList.Entry e = list.entries().get(0);
    assertEquals(Nfs4Status.OK, e.attrs().number(Fattr4.RDATTR_ERROR));
    byte[] fh = (byte[]) e.attrs().get(Fattr4.FILEHANDLE);
    ok(Compound.v40().putfh(fh).getattr(Fattr4.TYPE));
  }

  // ---- SECINFO

  @Test
  void secinfoListsAuthSys() throws Exception {
    file("f", new byte[0]);
    List<Integer> flavors = ok(data().secinfo("f")).last().value();
    assertEquals(List.of(1), flavors);
    assertEquals(List.of(1), ok(Compound.v40().putrootfh().secinfo("data")).last().<List<Integer>>value());
    assertEquals(Nfs4Status.NOENT, status(data().secinfo("nope")));
    assertEquals(Nfs4Status.BADNAME, status(data().secinfo("..")));
    assertEquals(Nfs4Status.NOFILEHANDLE, status(Compound.v40().secinfo("x")));
    // 4.0 keeps the current filehandle
    ok(data().secinfo("f").getfh());
  }

  @Test
  void secinfoConsumesTheCurrentFilehandleIn41() throws Exception {
    file("f", new byte[0]);
    Reply r = client.call(fx.v41().putrootfh().lookup("data").secinfo("f").getfh());
    assertEquals(Nfs4Status.NOFILEHANDLE, r.status());
    Reply noName = client.call(fx.v41().putrootfh().lookup("data").secinfoNoName(0).getfh());
    assertEquals(Nfs4Status.NOFILEHANDLE, noName.status());
    assertEquals(List.of(1), noName.result(3).<List<Integer>>value());
    assertEquals(Nfs4Status.OK, client.call(fx.v41().putrootfh().lookup("data").secinfoNoName(1)).status());
    assertEquals(Nfs4Status.NOENT, client.call(fx.v41().putrootfh().secinfoNoName(1)).status());
    assertEquals(Nfs4Status.BADXDR, client.call(fx.v41().putrootfh().secinfoNoName(5)).status());
    assertEquals(Nfs4Status.OP_ILLEGAL, client.call(data().secinfoNoName(0)).status());
  }
}
