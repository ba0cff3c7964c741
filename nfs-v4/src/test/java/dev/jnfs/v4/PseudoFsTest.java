package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.Credential;
import dev.jnfs.server.ClientRange;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.Access;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirList;
import dev.jnfs.v4.testing.DirectClient;
import dev.jnfs.v4.testing.Nfs4Client;
import dev.jnfs.v4.testing.Reply;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class PseudoFsTest {
  private final InMemoryFileSystem a = InMemoryFileSystem.builder().fsid(11).build();
  private final InMemoryFileSystem srv = InMemoryFileSystem.builder().fsid(12).build();
  private final InMemoryFileSystem hidden = InMemoryFileSystem.builder().fsid(13).build();
  private final Export exportA = new Export("/data/a", null, a, Fixture.RW);
  private final Export exportSrv = new Export("/srv", null, srv, Fixture.RW.with("ro"));
  private final Export exportHidden = new Export("/data/private", null, hidden,
      Fixture.RW.withClients(List.of(ClientRange.parse("10.0.0.0/8"))));
  private final Fixture fx = new Fixture(List.of(exportA, exportSrv, exportHidden));
  private final Nfs4Client client = fx.root();

  private static final int[] IDENTITY = {Fattr4.TYPE, Fattr4.FSID, Fattr4.FILEID, Fattr4.MOUNTED_ON_FILEID};

  @Test
  void rootIsAReadOnlyPseudoDirectoryWithItsOwnFsid() {
    Reply r = client.call(Compound.v40().putrootfh().getfh().getattr(Fattr4.TYPE, Fattr4.FSID, Fattr4.MODE));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    byte[] fh = r.result(1).value();
    assertEquals((byte) 0x80, fh[0]);
    Attrs attrs = r.result(2).value();
    assertEquals(2, attrs.number(Fattr4.TYPE));
    assertArrayEquals(new long[] {0, 0}, (long[]) attrs.get(Fattr4.FSID));
    assertEquals(0555, attrs.number(Fattr4.MODE));
  }

  @Test
  void lookupWalksPseudoDirectoriesIntoTheExport() {
    Reply r = client.call(Compound.v40().putrootfh().lookup("data").getattr(IDENTITY)
        .lookup("a").getfh().getattr(IDENTITY));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    Attrs data = r.result(2).value();
    assertArrayEquals(new long[] {0, 0}, (long[]) data.get(Fattr4.FSID));
    byte[] fh = r.result(4).value();
    assertEquals(1, fh[0]);
    Attrs root = r.result(5).value();
    assertArrayEquals(new long[] {Integer.toUnsignedLong(exportA.id()), 11}, (long[]) root.get(Fattr4.FSID));
    assertEquals(2, root.number(Fattr4.TYPE));
    // the export root is mounted on a pseudo directory, whose fileid it reports as mounted_on
    assertNotEquals(root.number(Fattr4.FILEID), root.number(Fattr4.MOUNTED_ON_FILEID));
  }

  @Test
  void lookuppFromTheExportRootReturnsToThePseudoDirectory() {
    Reply r = client.call(Compound.v40().putrootfh().lookup("data").getattr(Fattr4.FILEID)
        .lookup("a").getattr(Fattr4.MOUNTED_ON_FILEID).lookupp().getattr(Fattr4.FILEID, Fattr4.FSID)
        .lookupp().getfh().lookupp());
    assertEquals(Nfs4Status.NOENT, r.status(), Fixture.describe(r));
    long dataFileid = ((Attrs) r.result(2).value()).number(Fattr4.FILEID);
    // the export root reports the same mounted_on_fileid as the listing of /data does for "a"
    Reply list = client.call(Compound.v40().putrootfh().lookup("data")
        .readdir(0, 0, 1000, 8192, Fattr4.MOUNTED_ON_FILEID, Fattr4.FILEID));
    DirList.Entry entry = ((DirList) list.last().value()).entries().get(0);
    long mountedOn = ((Attrs) r.result(4).value()).number(Fattr4.MOUNTED_ON_FILEID);
    assertEquals(entry.attrs().number(Fattr4.MOUNTED_ON_FILEID), mountedOn);
    assertNotEquals(dataFileid, mountedOn);
    Attrs back = r.result(6).value();
    assertEquals(dataFileid, back.number(Fattr4.FILEID));
    byte[] root = r.result(8).value();
    assertEquals((byte) 0x80, root[0]);
    assertEquals(10, r.results().size());
  }

  @Test
  void readdirOfThePseudoRootListsExportsAndMountedOnFileids() {
    Reply r = client.call(Compound.v40().putrootfh()
        .readdir(0, 0, 1000, 8192, Fattr4.TYPE, Fattr4.FSID, Fattr4.MOUNTED_ON_FILEID));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    DirList list = r.last().value();
    assertEquals(List.of("data", "srv"), list.names());
    assertEquals(true, list.eof());
    long[] srvFsid = (long[]) list.entries().get(1).attrs().get(Fattr4.FSID);
    assertEquals(12, srvFsid[1]);
    for (DirList.Entry e : list.entries()) {
      assertFalse(e.cookie() >= 0 && e.cookie() <= 2, "cookies 0-2 are reserved");
    }
  }

  @Test
  void exportsTheClientMayNotUseAreHidden() {
    Reply r = client.call(Compound.v40().putrootfh().lookup("data").readdir(0, 0, 1000, 8192, Fattr4.TYPE));
    assertEquals(List.of("a"), ((DirList) r.last().value()).names());
    assertEquals(Nfs4Status.NOENT,
        client.call(Compound.v40().putrootfh().lookup("data").lookup("private")).status());
    DirectClient inside = new DirectClient(fx.program, new InetSocketAddress("10.1.2.3", 700),
        new Credential.Sys(0, "t", 0, 0, new int[0]));
    assertEquals(Nfs4Status.OK,
        inside.call(Compound.v40().putrootfh().lookup("data").lookup("private")).status());
  }

  @Test
  void handleOfAnExportTheClientMayNotUseIsRefused() {
    DirectClient inside = new DirectClient(fx.program, new InetSocketAddress("10.1.2.3", 700),
        new Credential.Sys(0, "t", 0, 0, new int[0]));
    byte[] fh = inside.call(Compound.v40().putrootfh().lookup("data").lookup("private").getfh()).last().value();
    assertEquals(Nfs4Status.ACCESS, client.call(Compound.v40().putfh(fh).getattr(Fattr4.TYPE)).status());
  }

  @Test
  void secureExportFromAnUnprivilegedPortAnswersWrongsec() {
    Fixture secure = new Fixture(List.of(new Export("/s", null, new InMemoryFileSystem(), ExportOptions.DEFAULT)));
    DirectClient high = new DirectClient(secure.program, new InetSocketAddress("127.0.0.1", 40000),
        new Credential.Sys(0, "t", 1000, 1000, new int[0]));
    assertEquals(Nfs4Status.WRONGSEC, high.call(Compound.v40().putrootfh().lookup("s")).status());
    DirList list = high.call(Compound.v40().putrootfh().readdir(0, 0, 1000, 4096, Fattr4.TYPE, Fattr4.FSID))
        .last().value();
    assertEquals(List.of("s"), list.names());
    assertArrayEquals(new long[] {0, 0}, (long[]) list.entries().get(0).attrs().get(Fattr4.FSID));
    // a filehandle of the export is accepted only to ask SECINFO about it
    byte[] fh = secure.root().call(Compound.v40().putrootfh().lookup("s").getfh()).last().value();
    assertEquals(Nfs4Status.WRONGSEC, high.call(Compound.v40().putfh(fh).getattr(Fattr4.TYPE)).status());
    assertEquals(Nfs4Status.WRONGSEC, high.call(Compound.v40().putfh(fh)).status());
    secure.root().call(Compound.v40().putfh(fh).mkdir("inside", Attrs.set()));
    Reply named = high.call(Compound.v40().putfh(fh).secinfo("inside"));
    assertEquals(Nfs4Status.OK, named.status(), Fixture.describe(named));
    assertEquals(List.of(1), named.last().<List<Integer>>value());
    Reply noName = high.call(secure.v41().putfh(fh).secinfoNoName(0));
    assertEquals(Nfs4Status.OK, noName.status(), Fixture.describe(noName));
    // SECINFO answers the flavors without applying the export's rules
    assertEquals(List.of(1),
        high.call(Compound.v40().putrootfh().secinfo("s")).last().<List<Integer>>value());
    assertEquals(Nfs4Status.OK, secure.root().call(Compound.v40().putrootfh().lookup("s")).status());
  }

  @Test
  void pseudoDirectoriesAreReadOnly() {
    assertEquals(Nfs4Status.ROFS,
        client.call(Compound.v40().putrootfh().mkdir("x", Attrs.set())).status());
    assertEquals(Nfs4Status.ROFS, client.call(Compound.v40().putrootfh().remove("data")).status());
    assertEquals(Nfs4Status.ROFS,
        client.call(Compound.v40().putrootfh().setattr(Stateid.ANONYMOUS, Attrs.set().mode(0777))).status());
    assertEquals(Nfs4Status.ISDIR,
        client.call(Compound.v40().putrootfh().read(Stateid.ANONYMOUS, 0, 10)).status());
    int[] access = client.call(Compound.v40().putrootfh().access(Access.ALL)).last().value();
    assertEquals(Access.READ | Access.LOOKUP, access[1], "EXECUTE means nothing for a directory");
  }

  @Test
  void readOnlyExportAnswersRofsAndGrantsNoWriteAccess() {
    Reply r = client.call(Compound.v40().putrootfh().lookup("srv").access(Access.ALL).mkdir("x", Attrs.set()));
    assertEquals(Nfs4Status.ROFS, r.status());
    int[] access = r.result(2).value();
    assertEquals(0, access[1] & (Access.MODIFY | Access.EXTEND | Access.DELETE));
    assertEquals(Access.ALL & ~Access.EXECUTE, access[0], "a directory's meaningful bits");
  }

  @Test
  void exportAtTheRootMakesTheRootTheExport() {
    InMemoryFileSystem fs = InMemoryFileSystem.builder().fsid(3).build();
    Export slash = new Export("/", null, fs, Fixture.RW);
    Fixture f = new Fixture(List.of(slash));
    Reply r = f.root().call(Compound.v40().putrootfh().getfh().getattr(Fattr4.FSID, Fattr4.FILEID, Fattr4.MOUNTED_ON_FILEID).lookupp());
    byte[] fh = r.result(1).value();
    assertEquals(1, fh[0]);
    Attrs attrs = r.result(2).value();
    assertEquals(3, ((long[]) attrs.get(Fattr4.FSID))[1]);
    assertEquals(attrs.number(Fattr4.FILEID), attrs.number(Fattr4.MOUNTED_ON_FILEID));
    assertEquals(Nfs4Status.NOENT, r.status());
  }

  @Test
  void exportsBelowAnotherExportAreReachedFromItsRoot() {
    InMemoryFileSystem outer = InMemoryFileSystem.builder().fsid(21).build();
    InMemoryFileSystem inner = InMemoryFileSystem.builder().fsid(22).build();
    InMemoryFileSystem deep = InMemoryFileSystem.builder().fsid(23).build();
    Fixture f = new Fixture(List.of(new Export("/", null, outer, Fixture.RW),
        new Export("/srv", null, inner, Fixture.RW), new Export("/srv/deep", null, deep, Fixture.RW)));
    Reply r = f.root().call(Compound.v40().putrootfh().getattr(Fattr4.FSID)
        .lookup("srv").getattr(Fattr4.FSID).lookup("deep").getattr(Fattr4.FSID)
        .lookupp().getattr(Fattr4.FSID).lookupp().getattr(Fattr4.FSID));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    long[] expected = {21, 22, 23, 22, 21};
    for (int i = 0; i < expected.length; i++) {
      Attrs attrs = r.result(1 + 2 * i).value();
      assertEquals(expected[i], ((long[]) attrs.get(Fattr4.FSID))[1], "step " + i);
    }
  }

  @Test
  void listingOfAnExportRootShowsExportsMountedBelowIt() throws Exception {
    InMemoryFileSystem outer = InMemoryFileSystem.builder().fsid(31).build();
    Fixture f = new Fixture(List.of(new Export("/", null, outer, Fixture.RW),
        new Export("/srv", null, InMemoryFileSystem.builder().fsid(32).build(), Fixture.RW),
        new Export("/mnt", null, InMemoryFileSystem.builder().fsid(33).build(), Fixture.RW),
        new Export("/zz/deep", null, InMemoryFileSystem.builder().fsid(34).build(), Fixture.RW)));
    var root = dev.jnfs.spi.Caller.of(0, 0);
    // the outer file system holds "mnt" itself (a real mount point) and two plain files
    outer.mkdir(root, outer.root(), "mnt", dev.jnfs.spi.SetAttributes.mode(0755));
    long mntDirFileid = outer.lookup(root, outer.root(), "mnt").attributes().fileid();
    outer.create(root, outer.root(), "a", dev.jnfs.spi.CreateMode.GUARDED, dev.jnfs.spi.SetAttributes.mode(0644), 0);
    outer.create(root, outer.root(), "b", dev.jnfs.spi.CreateMode.GUARDED, dev.jnfs.spi.SetAttributes.mode(0644), 0);
    Reply r = f.root().call(Compound.v40().putrootfh()
        .readdir(0, 0, 1000, 8192, Fattr4.TYPE, Fattr4.FSID, Fattr4.MOUNTED_ON_FILEID));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    DirList list = r.last().value();
    assertEquals(List.of("a", "b", "mnt", "srv", "zz"), list.names().stream().sorted().toList());
    for (DirList.Entry e : list.entries()) {
      long minor = ((long[]) e.attrs().get(Fattr4.FSID))[1];
      switch (e.name()) {
        case "a", "b" -> assertEquals(31, minor);
        case "mnt" -> {
          assertEquals(33, minor);
          assertEquals(mntDirFileid, e.attrs().number(Fattr4.MOUNTED_ON_FILEID));
        }
        case "srv" -> assertEquals(32, minor);
        default -> assertEquals(0, minor);
      }
    }
    // page by page, with the smallest room: every name once
    java.util.List<String> seen = new java.util.ArrayList<>();
    long cookie = 0;
    for (int i = 0; i < 20; i++) {
      DirList page = f.root().call(Compound.v40().putrootfh().readdir(cookie, 0, 60, 60, Fattr4.TYPE)).last().value();
      for (DirList.Entry e : page.entries()) {
        seen.add(e.name());
        cookie = e.cookie();
      }
      if (page.eof()) {
        break;
      }
    }
    assertEquals(List.of("a", "b", "mnt", "srv", "zz"), seen.stream().sorted().toList());
    assertEquals(5, seen.size());
  }

  @Test
  void malformedAndUnknownHandlesAreRefused() {
    assertEquals(Nfs4Status.BADHANDLE, client.call(Compound.v40().putfh(new byte[] {7, 1, 2})).status());
    assertEquals(Nfs4Status.BADHANDLE, client.call(Compound.v40().putfh(new byte[] {(byte) 0x80, 1})).status());
    assertEquals(Nfs4Status.STALE,
        client.call(Compound.v40().putfh(new byte[] {(byte) 0x80, 1, 2, 3, 4})).status());
    assertEquals(Nfs4Status.STALE,
        client.call(Compound.v40().putfh(new byte[] {1, 9, 9, 9, 9, 5})).status());
    assertEquals(Nfs4Status.OK, client.call(Compound.v40().putrootfh().getfh()).status());
  }

  @Test
  void handlesFromGetfhWorkWithPutfh() {
    Reply r = client.call(Compound.v40().putrootfh().lookup("data").getfh().lookup("a").getfh());
    byte[] data = r.result(2).value();
    byte[] a = r.result(4).value();
    Reply again = client.call(Compound.v40().putfh(data).lookup("a").getfh().putfh(a).getattr(Fattr4.TYPE));
    assertEquals(Nfs4Status.OK, again.status(), Fixture.describe(again));
    assertArrayEquals(a, (byte[]) again.result(2).value());
  }

  @Test
  void putpubfhIsTheRoot() {
    Reply r = client.call(Compound.v40().putpubfh().getfh().putrootfh().getfh());
    assertArrayEquals((byte[]) r.result(1).value(), (byte[]) r.result(3).value());
  }
}
