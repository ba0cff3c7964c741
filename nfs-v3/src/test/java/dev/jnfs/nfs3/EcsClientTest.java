package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emc.ecs.nfsclient.nfs.NfsCreateMode;
import com.emc.ecs.nfsclient.nfs.NfsDirectoryEntry;
import com.emc.ecs.nfsclient.nfs.NfsDirectoryPlusEntry;
import com.emc.ecs.nfsclient.nfs.NfsFsInfo;
import com.emc.ecs.nfsclient.nfs.NfsGetAttributes;
import com.emc.ecs.nfsclient.nfs.NfsPosixAttributes;
import com.emc.ecs.nfsclient.nfs.NfsReaddirResponse;
import com.emc.ecs.nfsclient.nfs.NfsReaddirplusResponse;
import com.emc.ecs.nfsclient.nfs.NfsSetAttributes;
import com.emc.ecs.nfsclient.nfs.NfsStatus;
import com.emc.ecs.nfsclient.nfs.NfsTime;
import com.emc.ecs.nfsclient.nfs.NfsType;
import com.emc.ecs.nfsclient.nfs.NfsWccData;
import com.emc.ecs.nfsclient.nfs.nfs3.Nfs3;
import com.emc.ecs.nfsclient.nfs.nfs3.Nfs3CreateResponse;
import com.emc.ecs.nfsclient.nfs.nfs3.Nfs3ReadResponse;
import com.emc.ecs.nfsclient.nfs.nfs3.Nfs3WriteResponse;
import com.emc.ecs.nfsclient.rpc.CredentialUnix;
import dev.jnfs.protocol.Export;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.SetAttributes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NFSv3 through a third-party Java client (com.emc.ecs:nfs-client), which finds MOUNT and NFS
 * through the server's portmapper, against a real server: every procedure, and its error
 * paths.
 */
class EcsClientTest {
  static final int OK = NfsStatus.NFS3_OK.getValue();
  static final AtomicInteger NAMES = new AtomicInteger();

  static NfsFileSystem backend;
  static RunningServer server;
  static Nfs3 nfs;
  static Nfs3 user;
  static Nfs3 readOnly;
  static byte[] root;

  @BeforeAll
  static void start() throws Exception {
    backend = TestBackends.create();
    ExportOptions rw = ExportOptions.DEFAULT.with("insecure,no_root_squash");
    server = RunningServer.start(true,
        new Export("/export", null, backend, rw),
        new Export("/ro", null, backend, rw.with("ro")));
    nfs = new Nfs3(server.host, "/export", new CredentialUnix(0, 0, null), 1);
    user = new Nfs3(server.host, "/export", new CredentialUnix(1000, 1000, null), 1);
    readOnly = new Nfs3(server.host, "/ro", new CredentialUnix(0, 0, null), 1);
    root = nfs.getRootFileHandle();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static String unique(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet();
  }

  static NfsSetAttributes mode(long mode) {
    NfsSetAttributes a = new NfsSetAttributes();
    a.setMode(mode);
    return a;
  }

  static byte[] mkdir(byte[] parent, String name) throws Exception {
    var r = nfs.sendMkdir(nfs.makeMkdirRequest(parent, name, mode(0755)));
    assertEquals(OK, r.getState(), "mkdir " + name);
    return r.getFileHandle();
  }

  static byte[] create(byte[] parent, String name) throws Exception {
    Nfs3CreateResponse r = nfs.sendCreate(
        nfs.makeCreateRequest(NfsCreateMode.GUARDED, parent, name, mode(0644), null));
    assertEquals(OK, r.getState(), "create " + name);
    return r.getFileHandle();
  }

  static Nfs3WriteResponse write(byte[] fh, long offset, byte[] data, int stable) throws Exception {
    return nfs.sendWrite(nfs.makeWriteRequest(fh, offset, new ArrayList<>(List.of(ByteBuffer.wrap(data))), stable));
  }

  static NfsGetAttributes getattr(byte[] fh) throws Exception {
    var r = nfs.getAttr(nfs.makeGetAttrRequest(fh));
    assertEquals(OK, r.getState());
    return r.getAttributes();
  }

  static int lookupStatus(Nfs3 client, byte[] dir, String name) throws Exception {
    return client.getLookup(client.makeLookupRequest(dir, name)).getState();
  }

  @Test
  void nullCall() throws Exception {
    assertNotNull(nfs.nullCall());
  }

  @Test
  void getattrOfRoot() throws Exception {
    NfsGetAttributes a = getattr(root);
    assertEquals(NfsType.NFS_DIR, a.getType());
    assertEquals(a.getMode() & 07777, a.getMode(), "mode carries no type bits");
  }

  @Test
  void garbageHandleIsBadhandle() throws Exception {
    byte[] garbage = "not a handle of ours".getBytes(StandardCharsets.US_ASCII);
    assertEquals(NfsStatus.NFS3ERR_BADHANDLE.getValue(), nfs.getAttr(nfs.makeGetAttrRequest(garbage)).getState());
  }

  @Test
  void handleOfDeletedFileIsStale() throws Exception {
    String name = unique("stale");
    byte[] fh = create(root, name);
    assertEquals(OK, nfs.sendRemove(nfs.makeRemoveRequest(root, name)).getState());
    assertEquals(NfsStatus.NFS3ERR_STALE.getValue(), nfs.getAttr(nfs.makeGetAttrRequest(fh)).getState());
    assertEquals(NfsStatus.NFS3ERR_STALE.getValue(),
        nfs.getRead(nfs.makeReadRequest(fh, 0, 10), new byte[10], 0).getState());
  }

  @Test
  void lookupFindsAndMisses() throws Exception {
    String name = unique("look");
    byte[] fh = create(root, name);
    var r = nfs.getLookup(nfs.makeLookupRequest(root, name));
    assertEquals(OK, r.getState());
    assertArrayEquals(fh, r.getFileHandle());
    assertEquals(NfsType.NFS_REG, r.getAttributes().getType());
    assertEquals(NfsType.NFS_DIR, r.getDirectoryAttributes().getType());
    assertEquals(NfsStatus.NFS3ERR_NOENT.getValue(), lookupStatus(nfs, root, unique("missing")));
    assertEquals(NfsStatus.NFS3ERR_NOTDIR.getValue(), lookupStatus(nfs, fh, "x"));
    assertEquals(NfsStatus.NFS3ERR_NAMETOOLONG.getValue(), lookupStatus(nfs, root, "n".repeat(300)));
    assertEquals(NfsStatus.NFS3ERR_ACCES.getValue(), lookupStatus(nfs, root, "a/b"));
  }

  @Test
  void setattrAndGuard() throws Exception {
    byte[] fh = create(root, unique("attr"));
    NfsGetAttributes before = getattr(fh);
    var r = nfs.setAttr(nfs.makeSetAttrRequest(fh, mode(0600), null));
    assertEquals(OK, r.getState());
    NfsWccData wcc = r.getObjectWccData();
    assertEquals(before.getCtime().getTimeInMillis(), wcc.getPreOpAttributes().getCTime().getTimeInMillis());
    assertEquals(0600, wcc.getAttributes().getMode());

    // this client can only send millisecond guards; a guard that matches is covered by unit tests
    r = nfs.setAttr(nfs.makeSetAttrRequest(fh, mode(0640), new NfsTime(12_345L, false)));
    assertEquals(NfsStatus.NFS3ERR_NOT_SYNC.getValue(), r.getState());
    assertNotNull(r.getObjectWccData().getAttributes());
    assertEquals(0600, getattr(fh).getMode());
  }

  @Test
  void accessAndPermissionDenied() throws Exception {
    String name = unique("private");
    byte[] fh = create(root, name);
    write(fh, 0, new byte[] {1, 2, 3}, 2);
    assertEquals(OK, nfs.setAttr(nfs.makeSetAttrRequest(fh, mode(0600), null)).getState());
    var granted = user.getAccess(user.makeAccessRequest(fh, 0x3F));
    assertEquals(OK, granted.getState());
    assertEquals(0, granted.getAccess());
    assertEquals(0x0D, nfs.getAccess(nfs.makeAccessRequest(fh, 0x3F)).getAccess(),
        "root on a 0600 file: read, modify, extend; no execute; delete applies to directories");
    assertEquals(NfsStatus.NFS3ERR_ACCES.getValue(),
        user.getRead(user.makeReadRequest(fh, 0, 3), new byte[3], 0).getState());
  }

  @Test
  void writeReadCommit() throws Exception {
    byte[] fh = create(root, unique("data"));
    byte[] data = new byte[200_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + 7);
    }
    Nfs3WriteResponse w = write(fh, 0, data, 0);
    assertEquals(OK, w.getState());
    assertEquals(data.length, w.getCount());
    assertEquals(server.context().writeVerifier(), w.getVerf());
    assertEquals(0, w.getFileWccData().getPreOpAttributes().getSize());
    assertEquals(data.length, w.getFileWccData().getAttributes().getSize());
    var c = nfs.sendCommit(nfs.makeCommitRequest(fh, 0, 0));
    assertEquals(OK, c.getState());
    assertEquals(w.getVerf(), c.getVerf());

    byte[] back = new byte[data.length];
    int at = 0;
    boolean eof = false;
    while (!eof) {
      Nfs3ReadResponse r = nfs.getRead(nfs.makeReadRequest(fh, at, 65_536), back, at);
      assertEquals(OK, r.getState());
      at += r.getBytesRead();
      eof = r.isEof();
    }
    assertEquals(data.length, at);
    assertArrayEquals(data, back);
    assertEquals(NfsStatus.NFS3ERR_ISDIR.getValue(), write(root, 0, new byte[1], 2).getState());
  }

  @Test
  void createModes() throws Exception {
    String name = unique("create");
    create(root, name);
    var r = nfs.sendCreate(nfs.makeCreateRequest(NfsCreateMode.GUARDED, root, name, mode(0644), null));
    assertEquals(NfsStatus.NFS3ERR_EXIST.getValue(), r.getState());
    assertNotNull(r.getDirectoryWccData().getAttributes());
    r = nfs.sendCreate(nfs.makeCreateRequest(NfsCreateMode.UNCHECKED, root, name, mode(0644), null));
    assertEquals(OK, r.getState());
  }

  @Test
  void exclusiveCreateRetrySucceeds() throws Exception {
    String name = unique("excl");
    byte[] verifier = {1, 2, 3, 4, 5, 6, 7, 8};
    var first = nfs.sendCreate(nfs.makeCreateRequest(NfsCreateMode.EXCLUSIVE, root, name, null, verifier));
    assertEquals(OK, first.getState());
    var retry = nfs.sendCreate(nfs.makeCreateRequest(NfsCreateMode.EXCLUSIVE, root, name, null, verifier));
    assertEquals(OK, retry.getState());
    assertArrayEquals(first.getFileHandle(), retry.getFileHandle());
    var other = nfs.sendCreate(nfs.makeCreateRequest(NfsCreateMode.EXCLUSIVE, root, name, null,
        new byte[] {8, 7, 6, 5, 4, 3, 2, 1}));
    assertEquals(NfsStatus.NFS3ERR_EXIST.getValue(), other.getState());
    // the client sets the attributes after an exclusive create
    assertEquals(OK, nfs.setAttr(nfs.makeSetAttrRequest(first.getFileHandle(), mode(0640), null)).getState());
    assertEquals(0640, getattr(first.getFileHandle()).getMode());
  }

  @Test
  void mkdirRmdirErrors() throws Exception {
    String name = unique("dir");
    byte[] dir = mkdir(root, name);
    assertEquals(NfsStatus.NFS3ERR_EXIST.getValue(),
        nfs.sendMkdir(nfs.makeMkdirRequest(root, name, mode(0755))).getState());
    create(dir, "inside");
    var rm = nfs.sendRmdir(nfs.makeRmdirRequest(root, name));
    assertEquals(NfsStatus.NFS3ERR_NOTEMPTY.getValue(), rm.getState());
    assertNotNull(rm.getDirectoryWccData().getAttributes());
    String file = unique("file");
    create(root, file);
    assertEquals(NfsStatus.NFS3ERR_NOTDIR.getValue(), nfs.sendRmdir(nfs.makeRmdirRequest(root, file)).getState());
    assertEquals(NfsStatus.NFS3ERR_ISDIR.getValue(), nfs.sendRemove(nfs.makeRemoveRequest(root, name)).getState());
    assertEquals(NfsStatus.NFS3ERR_NOENT.getValue(),
        nfs.sendRemove(nfs.makeRemoveRequest(root, unique("none"))).getState());
    assertEquals(OK, nfs.sendRemove(nfs.makeRemoveRequest(dir, "inside")).getState());
    rm = nfs.sendRmdir(nfs.makeRmdirRequest(root, name));
    assertEquals(OK, rm.getState());
    assertNotNull(rm.getDirectoryWccData().getPreOpAttributes());
    assertEquals(NfsStatus.NFS3ERR_NOENT.getValue(), lookupStatus(nfs, root, name));
  }

  @Test
  void symlinkReadlink() throws Exception {
    String name = unique("link");
    var s = nfs.sendSymlink(nfs.makeSymlinkRequest("target/of/link", root, name, new NfsSetAttributes()));
    assertEquals(OK, s.getState());
    var r = nfs.getReadlink(nfs.makeReadlinkRequest(s.getFileHandle()));
    assertEquals(OK, r.getState());
    assertEquals("target/of/link", r.getData());
    byte[] file = create(root, unique("plain"));
    assertEquals(NfsStatus.NFS3ERR_INVAL.getValue(), nfs.getReadlink(nfs.makeReadlinkRequest(file)).getState());
    assertEquals(NfsStatus.NFS3ERR_EXIST.getValue(),
        nfs.sendSymlink(nfs.makeSymlinkRequest("t", root, name, new NfsSetAttributes())).getState());
  }

  @Test
  void mknodFifo() throws Exception {
    var r = nfs.sendMknod(nfs.makeMknodRequest(root, unique("fifo"), NfsType.NFS_FIFO, mode(0600), null));
    assertEquals(OK, r.getState());
    assertEquals(NfsType.NFS_FIFO, getattr(r.getFileHandle()).getType());
    var c = nfs.sendMknod(nfs.makeMknodRequest(root, unique("chr"), NfsType.NFS_CHR, mode(0600), new long[] {1, 3}));
    assertEquals(OK, c.getState());
    NfsGetAttributes a = getattr(c.getFileHandle());
    assertEquals(NfsType.NFS_CHR, a.getType());
    assertArrayEquals(new long[] {1, 3}, a.getRdev());
  }

  @Test
  void renameAndLink() throws Exception {
    byte[] a = mkdir(root, unique("ra"));
    byte[] b = mkdir(root, unique("rb"));
    byte[] f = create(a, "f");
    var r = nfs.sendRename(nfs.makeRenameRequest(a, "f", b, "g"));
    assertEquals(OK, r.getState());
    assertNotNull(r.getFromDirectoryWccData().getPreOpAttributes());
    assertNotNull(r.getToDirectoryWccData().getAttributes());
    assertEquals(NfsStatus.NFS3ERR_NOENT.getValue(), nfs.sendRename(nfs.makeRenameRequest(a, "f", b, "h")).getState());
    var l = nfs.sendLink(nfs.makeLinkRequest(f, a, "hard"));
    assertEquals(OK, l.getState());
    assertEquals(2, getattr(f).getNlink());
    assertEquals(NfsStatus.NFS3ERR_EXIST.getValue(), nfs.sendLink(nfs.makeLinkRequest(f, a, "hard")).getState());
    var look = nfs.getLookup(nfs.makeLookupRequest(a, "hard"));
    assertArrayEquals(f, look.getFileHandle());
  }

  @Test
  void fsstatFsinfoPathconf() throws Exception {
    var s = nfs.getFsStat(nfs.makeFsStatRequest(root));
    assertEquals(OK, s.getState());
    assertTrue(s.getFsStat().tbytes >= s.getFsStat().fbytes);
    var i = nfs.getFsInfo(nfs.makeFsInfoRequest(root));
    assertEquals(OK, i.getState());
    NfsFsInfo info = i.getFsInfo();
    assertEquals(server.context().maxReadSize(), info.rtmax);
    assertEquals(server.context().maxWriteSize(), info.wtmax);
    assertTrue(info.rtmax >= 1 << 20);
    assertEquals(0x1B, info.properties);
    var p = nfs.getPathconf(nfs.makePathconfRequest(root));
    assertEquals(OK, p.getState());
    NfsPosixAttributes pa = p.getPosixAttributes();
    assertEquals(255, pa.getNameMaximum());
    assertTrue(pa.isNoTruncation());
  }

  @Test
  void readOnlyExportAnswersRofs() throws Exception {
    byte[] roRoot = readOnly.getRootFileHandle();
    var r = readOnly.sendCreate(readOnly.makeCreateRequest(NfsCreateMode.UNCHECKED, roRoot, unique("ro"),
        mode(0644), null));
    assertEquals(NfsStatus.NFS3ERR_ROFS.getValue(), r.getState());
    assertEquals(NfsStatus.NFS3ERR_ROFS.getValue(),
        readOnly.sendMkdir(readOnly.makeMkdirRequest(roRoot, unique("ro"), mode(0755))).getState());
    assertEquals(OK, readOnly.getAttr(readOnly.makeGetAttrRequest(roRoot)).getState());
  }

  // ---------------------------------------------------------------- large directories

  @Test
  void tenThousandEntriesListCompletelyWhileChanging() throws Exception {
    byte[] dir = mkdir(root, unique("big"));
    Caller admin = Caller.of(0, 0);
    var backendDir = server.context().exports().fromWire(dir).handle();
    Set<String> stable = new HashSet<>();
    for (int i = 0; i < 9_000; i++) {
      String n = "stable-" + i;
      backend.create(admin, backendDir, n, CreateMode.GUARDED, SetAttributes.NONE, 0);
      stable.add(n);
    }
    for (int i = 0; i < 1_000; i++) {
      backend.create(admin, backendDir, "volatile-" + i, CreateMode.GUARDED, SetAttributes.NONE, 0);
    }

    // READDIR with a 1 KiB budget; between pages, remove a volatile entry and add a new one
    Set<String> seen = new HashSet<>();
    long cookie = 0;
    long verifier = 0;
    int pages = 0;
    int changes = 0;
    for (boolean eof = false; !eof; pages++) {
      assertTrue(pages < 20_000, "listing does not end");
      NfsReaddirResponse r = nfs.getReaddir(nfs.makeReaddirRequest(dir, cookie, verifier, 1024));
      assertEquals(OK, r.getState());
      for (NfsDirectoryEntry e : r.getEntries()) {
        assertTrue(seen.add(e.getFileName()), "listed twice: " + e.getFileName());
        cookie = e.getCookie();
      }
      verifier = r.getCookieverf();
      eof = r.isEof();
      if (changes < 1_000) {
        assertEquals(OK, nfs.sendRemove(nfs.makeRemoveRequest(dir, "volatile-" + changes)).getState());
        create(dir, "added-" + changes);
        changes++;
      }
    }
    assertTrue(seen.containsAll(stable), "missing " + (stable.size() - intersect(seen, stable)));
    assertTrue(seen.contains(".") && seen.contains(".."));
    assertTrue(pages > 100);
    int added = changes;
    changes = 0;

    // READDIRPLUS with small dircount and maxcount
    seen.clear();
    cookie = 0;
    verifier = 0;
    pages = 0;
    for (boolean eof = false; !eof; pages++) {
      assertTrue(pages < 50_000, "listing does not end");
      NfsReaddirplusResponse r = nfs.getReaddirplus(nfs.makeReaddirplusRequest(dir, cookie, verifier, 512, 2048));
      assertEquals(OK, r.getState());
      for (NfsDirectoryPlusEntry e : r.getEntries()) {
        assertTrue(seen.add(e.getFileName()), "listed twice: " + e.getFileName());
        assertNotNull(e.getFileHandle());
        assertEquals(e.getFileId(), e.getAttributes().getFileid());
        cookie = e.getCookie();
      }
      verifier = r.getCookieverf();
      eof = r.isEof();
      if (changes < added) {
        assertEquals(OK, nfs.sendRemove(nfs.makeRemoveRequest(dir, "added-" + changes)).getState());
        create(dir, "again-" + changes);
        changes++;
      }
    }
    assertTrue(seen.containsAll(stable), "missing " + (stable.size() - intersect(seen, stable)));
  }

  private static int intersect(Set<String> a, Set<String> b) {
    List<String> common = new ArrayList<>(a);
    common.retainAll(b);
    return common.size();
  }

  @Test
  void readdirTooSmall() throws Exception {
    NfsReaddirResponse r = nfs.getReaddir(nfs.makeReaddirRequest(root, 0, 0, 64));
    assertEquals(NfsStatus.NFS3ERR_TOOSMALL.getValue(), r.getState());
    assertFalse(r.isEof());
  }
}
