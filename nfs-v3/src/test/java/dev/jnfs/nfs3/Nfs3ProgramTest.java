package dev.jnfs.nfs3;

import static dev.jnfs.nfs3.Nfs3Replies.fattr;
import static dev.jnfs.nfs3.Nfs3Replies.name;
import static dev.jnfs.nfs3.Nfs3Replies.postOp;
import static dev.jnfs.nfs3.Nfs3Replies.postOpFh;
import static dev.jnfs.nfs3.Nfs3Replies.wcc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.nfs3.Nfs3Replies.Fattr;
import dev.jnfs.nfs3.Nfs3Replies.Wcc;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.server.ClientRange;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.Capability;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every NFSv3 procedure driven directly, success and failure arms decoded per RFC 1813. */
class Nfs3ProgramTest {
  static final int OK = 0;
  static final int PERM = 1;
  static final int NOENT = 2;
  static final int ACCES = 13;
  static final int EXIST = 17;
  static final int XDEV = 18;
  static final int NOTDIR = 20;
  static final int ISDIR = 21;
  static final int INVAL = 22;
  static final int ROFS = 30;
  static final int NAMETOOLONG = 63;
  static final int NOTEMPTY = 66;
  static final int STALE = 70;
  static final int BADHANDLE = 10001;
  static final int NOT_SYNC = 10002;
  static final int NOTSUPP = 10004;
  static final int TOOSMALL = 10005;
  static final int SERVERFAULT = 10006;
  static final int BADTYPE = 10007;

  static final ExportOptions RW = ExportOptions.DEFAULT.with("no_root_squash");

  TreeFileSystem fs;
  Export export;
  Nfs3Harness harness;
  Nfs3Program nfs;
  byte[] root;

  @BeforeEach
  void setUp() {
    fs = new TreeFileSystem();
    export = new Export("/data", null, fs, RW);
    harness = new Nfs3Harness(export);
    nfs = new Nfs3Program(harness.context);
    root = harness.exports.toWire(export, fs.root());
  }

  XdrDecoder call(int procedure, Consumer<XdrEncoder> args) {
    return harness.call(nfs, 3, procedure, args);
  }

  XdrDecoder callAs(int uid, int procedure, Consumer<XdrEncoder> args) {
    return harness.call(nfs, 3, procedure, Nfs3Harness.sys(uid, uid), Nfs3Harness.PRIVILEGED_CLIENT, args);
  }

  /** LOOKUP that must succeed; returns the handle. */
  byte[] lookup(byte[] dir, String name) {
    XdrDecoder d = call(Nfs3Program.LOOKUP, e -> {
      e.writeOpaque(dir);
      name(e, name);
    });
    assertEquals(OK, d.readInt(), "lookup " + name);
    return d.readOpaque(64);
  }

  byte[] create(byte[] dir, String name) {
    XdrDecoder d = call(Nfs3Program.CREATE, e -> {
      e.writeOpaque(dir);
      name(e, name);
      e.writeInt(1);
      Nfs3Replies.modeSattr(e, 0644);
    });
    assertEquals(OK, d.readInt(), "create " + name);
    byte[] fh = postOpFh(d);
    assertNotNull(fh);
    postOp(d);
    wcc(d);
    assertEquals(0, d.remaining());
    return fh;
  }

  byte[] mkdir(byte[] dir, String name) {
    XdrDecoder d = call(Nfs3Program.MKDIR, e -> {
      e.writeOpaque(dir);
      name(e, name);
      Nfs3Replies.modeSattr(e, 0755);
    });
    assertEquals(OK, d.readInt(), "mkdir " + name);
    return postOpFh(d);
  }

  void write(byte[] fh, long offset, byte[] data) {
    XdrDecoder d = call(Nfs3Program.WRITE, e -> {
      e.writeOpaque(fh).writeHyper(offset).writeInt(data.length).writeInt(2).writeOpaque(data);
    });
    assertEquals(OK, d.readInt());
  }

  Fattr getattr(byte[] fh) {
    XdrDecoder d = call(Nfs3Program.GETATTR, e -> e.writeOpaque(fh));
    assertEquals(OK, d.readInt());
    Fattr a = fattr(d);
    assertEquals(0, d.remaining());
    return a;
  }

  int status(int procedure, Consumer<XdrEncoder> args) {
    return call(procedure, args).readInt();
  }

  // ---------------------------------------------------------------- NULL, GETATTR, handles

  @Test
  void nullAnswersNothing() {
    assertEquals(0, call(Nfs3Program.NULL, e -> {}).remaining());
  }

  @Test
  void getattrEncodesFattr3() {
    byte[] fh = create(root, "f");
    write(fh, 0, "hello".getBytes(StandardCharsets.US_ASCII));
    Fattr a = getattr(fh);
    assertEquals(Nfs3Xdr.NF3REG, a.type());
    assertEquals(0644, a.mode(), "mode carries no type bits");
    assertEquals(5, a.size());
    assertEquals(TreeFileSystem.FSID ^ ((long) export.id() << 32), a.fsid());
    assertEquals(1, a.nlink());
    assertNotEquals(0, a.mtime().getNano(), "nanoseconds are encoded");
    Fattr r = getattr(root);
    assertEquals(Nfs3Xdr.NF3DIR, r.type());
    assertEquals(a.fsid(), r.fsid());
    assertNotEquals(a.fileid(), r.fileid());
  }

  @Test
  void malformedHandlesAnswerBadhandle() {
    assertEquals(BADHANDLE, status(Nfs3Program.GETATTR, e -> e.writeOpaque(new byte[0])));
    assertEquals(BADHANDLE, status(Nfs3Program.GETATTR, e -> e.writeOpaque(new byte[] {9, 9, 9, 9, 9, 9})));
    byte[] notMinted = root.clone();
    notMinted[notMinted.length - 1] = 0x7f;
    assertEquals(BADHANDLE, status(Nfs3Program.GETATTR, e -> e.writeOpaque(notMinted)));
  }

  @Test
  void handleOfUnknownExportIsStale() {
    byte[] other = root.clone();
    other[1] ^= 0x55;
    assertEquals(STALE, status(Nfs3Program.GETATTR, e -> e.writeOpaque(other)));
  }

  /** NFSv4 delegations of one file, held until {@code returned} is set; records what was recalled. */
  private static final class HeldDelegation implements dev.jnfs.protocol.DelegationRecalls {
    final Set<dev.jnfs.lock.FileKey> recalled = new HashSet<>();
    final dev.jnfs.lock.FileKey held;
    volatile boolean returned;

    HeldDelegation(dev.jnfs.lock.FileKey held) {
      this.held = held;
    }

    @Override
    public boolean recallBeforeChange(dev.jnfs.lock.FileKey file) {
      recalled.add(file);
      return returned || !file.equals(held);
    }
  }

  @Test
  void changesOfADelegatedFileAnswerJukeboxUntilTheDelegationIsReturned() throws Exception {
    byte[] fh = create(root, "deleg");
    create(root, "other");
    HeldDelegation d = new HeldDelegation(
        new dev.jnfs.lock.FileKey(export.id(), harness.exports.fromWire(fh).handle()));
    harness.context.delegationRecalls = d;
    int jukebox = 10008;
    Consumer<XdrEncoder> write = e -> e.writeOpaque(fh).writeHyper(0).writeInt(1).writeInt(0)
        .writeOpaque(new byte[1]);
    assertEquals(jukebox, status(Nfs3Program.WRITE, write));
    assertEquals(jukebox, status(Nfs3Program.SETATTR, e -> {
      e.writeOpaque(fh);
      e.writeInt(1).writeInt(0600).writeInt(0).writeInt(0).writeInt(0).writeInt(0).writeInt(0);
      e.writeInt(0);
    }));
    assertEquals(jukebox, status(Nfs3Program.REMOVE, e -> {
      e.writeOpaque(root);
      name(e, "deleg");
    }));
    assertEquals(jukebox, status(Nfs3Program.RENAME, e -> {
      e.writeOpaque(root);
      name(e, "other");
      e.writeOpaque(root);
      name(e, "deleg");
    }), "a rename over the delegated file");
    assertTrue(d.recalled.contains(d.held));
    d.returned = true;
    assertEquals(OK, status(Nfs3Program.WRITE, write));
    assertEquals(OK, status(Nfs3Program.REMOVE, e -> {
      e.writeOpaque(root);
      name(e, "deleg");
    }));
  }

  @Test
  void handleOfRemovedFileIsStale() {
    byte[] fh = create(root, "gone");
    assertEquals(OK, status(Nfs3Program.REMOVE, e -> {
      e.writeOpaque(root);
      name(e, "gone");
    }));
    assertEquals(STALE, status(Nfs3Program.GETATTR, e -> e.writeOpaque(fh)));
    XdrDecoder d = call(Nfs3Program.WRITE, e -> e.writeOpaque(fh).writeHyper(0).writeInt(1).writeInt(0)
        .writeOpaque(new byte[1]));
    assertEquals(STALE, d.readInt());
    Wcc w = wcc(d);
    assertNull(w.before());
    assertNull(w.after());
    assertEquals(0, d.remaining());
  }

  @Test
  void oversizedHandleIsGarbage() {
    assertThrows(XdrException.class, () -> call(Nfs3Program.GETATTR, e -> e.writeOpaque(new byte[65])));
  }

  @Test
  void truncatedArgumentsAreGarbage() {
    assertThrows(XdrException.class, () -> call(Nfs3Program.WRITE, e -> e.writeOpaque(root).writeInt(0)));
    assertThrows(XdrException.class, () -> call(Nfs3Program.LOOKUP, e -> e.writeOpaque(root).writeInt(1000)));
  }

  @Test
  void unknownProcedureIsUnavailable() {
    RpcException e = assertThrows(RpcException.class, () -> call(22, x -> {}));
    assertEquals(RpcException.PROC_UNAVAIL, e.status());
  }

  // ---------------------------------------------------------------- SETATTR

  @Test
  void setattrChangesModeAndReportsWcc() {
    byte[] fh = create(root, "f");
    Fattr before = getattr(fh);
    XdrDecoder d = call(Nfs3Program.SETATTR, e -> {
      e.writeOpaque(fh);
      Nfs3Replies.modeSattr(e, 0600 | 0100000); // type bits from a careless client are dropped
      e.writeBoolean(false);
    });
    assertEquals(OK, d.readInt());
    Wcc w = wcc(d);
    assertEquals(before.ctime(), w.before().ctime());
    assertEquals(before.size(), w.before().size());
    assertEquals(0600, w.after().mode());
    assertEquals(0, d.remaining());
  }

  @Test
  void guardedSetattrAnswersNotSyncOnCtimeMismatch() {
    byte[] fh = create(root, "f");
    Fattr a = getattr(fh);
    XdrDecoder d = call(Nfs3Program.SETATTR, e -> {
      e.writeOpaque(fh);
      Nfs3Replies.sizeSattr(e, 10);
      e.writeBoolean(true).writeInt((int) a.ctime().getEpochSecond()).writeInt(a.ctime().getNano() + 1);
    });
    assertEquals(NOT_SYNC, d.readInt());
    Wcc w = wcc(d);
    assertEquals(0, w.after().size(), "nothing changed");
    assertEquals(0, getattr(fh).size());

    d = call(Nfs3Program.SETATTR, e -> {
      e.writeOpaque(fh);
      Nfs3Replies.sizeSattr(e, 10);
      e.writeBoolean(true).writeInt((int) a.ctime().getEpochSecond()).writeInt(a.ctime().getNano());
    });
    assertEquals(OK, d.readInt());
    assertEquals(10, wcc(d).after().size());
  }

  @Test
  void setattrOfOthersFileIsRefused() {
    byte[] fh = create(root, "f");
    XdrDecoder d = callAs(1000, Nfs3Program.SETATTR, e -> {
      e.writeOpaque(fh);
      Nfs3Replies.modeSattr(e, 0777);
      e.writeBoolean(false);
    });
    assertEquals(PERM, d.readInt());
    Wcc w = wcc(d);
    assertNotNull(w.before());
    assertEquals(0644, w.after().mode());
  }

  @Test
  void setattrSizeOfDirectoryIsIsdir() {
    assertEquals(ISDIR, status(Nfs3Program.SETATTR, e -> {
      e.writeOpaque(root);
      Nfs3Replies.sizeSattr(e, 0);
      e.writeBoolean(false);
    }));
  }

  // ---------------------------------------------------------------- LOOKUP

  @Test
  void lookupAnswersHandleAndBothAttributes() {
    byte[] fh = create(root, "f");
    XdrDecoder d = call(Nfs3Program.LOOKUP, e -> {
      e.writeOpaque(root);
      name(e, "f");
    });
    assertEquals(OK, d.readInt());
    assertArrayEquals(fh, d.readOpaque(64));
    assertEquals(Nfs3Xdr.NF3REG, postOp(d).type());
    assertEquals(Nfs3Xdr.NF3DIR, postOp(d).type());
    assertEquals(0, d.remaining());
  }

  @Test
  void lookupFailuresCarryDirectoryAttributes() {
    XdrDecoder d = call(Nfs3Program.LOOKUP, e -> {
      e.writeOpaque(root);
      name(e, "missing");
    });
    assertEquals(NOENT, d.readInt());
    assertEquals(Nfs3Xdr.NF3DIR, postOp(d).type());
    assertEquals(0, d.remaining());
    byte[] fh = create(root, "f");
    assertEquals(NOTDIR, status(Nfs3Program.LOOKUP, e -> {
      e.writeOpaque(fh);
      name(e, "x");
    }));
  }

  @Test
  void unusableNamesAreRefused() {
    assertEquals(NAMETOOLONG, status(Nfs3Program.LOOKUP, e -> {
      e.writeOpaque(root);
      name(e, "n".repeat(256));
    }));
    assertEquals(ACCES, status(Nfs3Program.LOOKUP, e -> {
      e.writeOpaque(root);
      name(e, "a/b");
    }));
    assertEquals(ACCES, status(Nfs3Program.LOOKUP, e -> {
      e.writeOpaque(root);
      name(e, "");
    }));
    assertEquals(ACCES, status(Nfs3Program.CREATE, e -> {
      e.writeOpaque(root);
      e.writeOpaque(new byte[] {'a', 0, 'b'});
      e.writeInt(0);
      Nfs3Replies.noSattr(e);
    }));
    assertEquals(ACCES, status(Nfs3Program.MKDIR, e -> {
      e.writeOpaque(root);
      e.writeOpaque(new byte[] {(byte) 0xC3, 0x28});
      Nfs3Replies.noSattr(e);
    }));
  }

  @Test
  void dotDotOfRootIsRoot() {
    assertArrayEquals(root, lookup(root, ".."));
    byte[] sub = mkdir(root, "sub");
    assertArrayEquals(root, lookup(sub, ".."));
  }

  // ---------------------------------------------------------------- ACCESS

  @Test
  void accessAnswersGrantedSubset() {
    byte[] fh = create(root, "f"); // 0644 owned by root
    XdrDecoder d = callAs(1000, Nfs3Program.ACCESS, e -> e.writeOpaque(fh).writeInt(0x3F | 0x100));
    assertEquals(OK, d.readInt());
    assertNotNull(postOp(d));
    assertEquals(0x01, d.readInt(), "other may only read; undefined bits are ignored");
    d = call(Nfs3Program.ACCESS, e -> e.writeOpaque(fh).writeInt(0x0F));
    assertEquals(OK, d.readInt());
    postOp(d);
    assertEquals(0x0D, d.readInt());
  }

  @Test
  void accessOnReadOnlyExportNeverGrantsModification() {
    Export ro = new Export("/ro", null, fs, RW.with("ro"));
    Nfs3Harness h = new Nfs3Harness(ro);
    Nfs3Program p = new Nfs3Program(h.context);
    byte[] r = h.exports.toWire(ro, fs.root());
    XdrDecoder d = h.call(p, 3, Nfs3Program.ACCESS, e -> e.writeOpaque(r).writeInt(0x3F));
    assertEquals(OK, d.readInt());
    postOp(d);
    assertEquals(0x03, d.readInt());
  }

  // ---------------------------------------------------------------- READLINK, SYMLINK

  @Test
  void symlinkAndReadlink() {
    XdrDecoder d = call(Nfs3Program.SYMLINK, e -> {
      e.writeOpaque(root);
      name(e, "l");
      Nfs3Replies.noSattr(e);
      e.writeString("../some/where");
    });
    assertEquals(OK, d.readInt());
    byte[] link = postOpFh(d);
    assertEquals(Nfs3Xdr.NF3LNK, postOp(d).type());
    Wcc w = wcc(d);
    assertNotNull(w.before());
    assertNotNull(w.after());
    assertEquals(0, d.remaining());
    d = call(Nfs3Program.READLINK, e -> e.writeOpaque(link));
    assertEquals(OK, d.readInt());
    assertEquals(Nfs3Xdr.NF3LNK, postOp(d).type());
    assertEquals("../some/where", d.readString(100));
    assertEquals(0, d.remaining());
  }

  @Test
  void readlinkOfFileIsInval() {
    byte[] fh = create(root, "f");
    XdrDecoder d = call(Nfs3Program.READLINK, e -> e.writeOpaque(fh));
    assertEquals(INVAL, d.readInt());
    assertEquals(Nfs3Xdr.NF3REG, postOp(d).type());
  }

  @Test
  void symlinkWithoutCapabilityIsNotsupp() {
    TreeFileSystem plain = new TreeFileSystem(Set.of());
    Export e2 = new Export("/plain", null, plain, RW);
    Nfs3Harness h = new Nfs3Harness(e2);
    Nfs3Program p = new Nfs3Program(h.context);
    byte[] r = h.exports.toWire(e2, plain.root());
    XdrDecoder d = h.call(p, 3, Nfs3Program.SYMLINK, e -> {
      e.writeOpaque(r);
      name(e, "l");
      Nfs3Replies.noSattr(e);
      e.writeString("t");
    });
    assertEquals(NOTSUPP, d.readInt());
    assertNotNull(wcc(d).after());
    d = h.call(p, 3, Nfs3Program.LINK, e -> {
      e.writeOpaque(r);
      e.writeOpaque(r);
      name(e, "l");
    });
    assertEquals(NOTSUPP, d.readInt());
    d = h.call(p, 3, Nfs3Program.MKNOD, e -> {
      e.writeOpaque(r);
      name(e, "p");
      e.writeInt(Nfs3Xdr.NF3FIFO);
      Nfs3Replies.noSattr(e);
    });
    assertEquals(NOTSUPP, d.readInt());
  }

  // ---------------------------------------------------------------- READ, WRITE, COMMIT

  @Test
  void readAnswersDataAttributesAndEof() {
    byte[] fh = create(root, "f");
    byte[] data = "0123456789abcdef!".getBytes(StandardCharsets.US_ASCII);
    write(fh, 0, data);
    XdrDecoder d = call(Nfs3Program.READ, e -> e.writeOpaque(fh).writeHyper(3).writeInt(5));
    assertEquals(OK, d.readInt());
    assertEquals(17, postOp(d).size());
    assertEquals(5, d.readInt());
    assertFalse(d.readBoolean());
    assertArrayEquals("34567".getBytes(StandardCharsets.US_ASCII), d.readOpaque(5));
    assertEquals(0, d.remaining());

    d = call(Nfs3Program.READ, e -> e.writeOpaque(fh).writeHyper(10).writeInt(100));
    assertEquals(OK, d.readInt());
    postOp(d);
    assertEquals(7, d.readInt());
    assertTrue(d.readBoolean());
    assertEquals("abcdef!", new String(d.readOpaque(7), StandardCharsets.US_ASCII));
    assertEquals(0, d.remaining(), "odd length padded");

    d = call(Nfs3Program.READ, e -> e.writeOpaque(fh).writeHyper(100).writeInt(10));
    assertEquals(OK, d.readInt());
    postOp(d);
    assertEquals(0, d.readInt());
    assertTrue(d.readBoolean());
    assertEquals(0, d.readOpaque(0).length);
  }

  @Test
  void readIsCutToServerMaximum() {
    harness.context.maxRead = 8;
    byte[] fh = create(root, "f");
    write(fh, 0, new byte[20]);
    XdrDecoder d = call(Nfs3Program.READ, e -> e.writeOpaque(fh).writeHyper(0).writeInt(20));
    assertEquals(OK, d.readInt());
    postOp(d);
    assertEquals(8, d.readInt());
    assertFalse(d.readBoolean());
  }

  @Test
  void readErrors() {
    XdrDecoder d = call(Nfs3Program.READ, e -> e.writeOpaque(root).writeHyper(0).writeInt(10));
    assertEquals(ISDIR, d.readInt());
    assertEquals(Nfs3Xdr.NF3DIR, postOp(d).type());
    assertEquals(0, d.remaining());
    byte[] fh = create(root, "secret");
    call(Nfs3Program.SETATTR, e -> {
      e.writeOpaque(fh);
      Nfs3Replies.modeSattr(e, 0600);
      e.writeBoolean(false);
    });
    assertEquals(ACCES, callAs(1000, Nfs3Program.READ, e -> e.writeOpaque(fh).writeHyper(0).writeInt(1)).readInt());
  }

  @Test
  void writeAnswersWccCountStabilityAndVerifier() {
    byte[] fh = create(root, "f");
    XdrDecoder d = call(Nfs3Program.WRITE, e -> e.writeOpaque(fh).writeHyper(4).writeInt(3).writeInt(0)
        .writeOpaque(new byte[] {1, 2, 3}));
    assertEquals(OK, d.readInt());
    Wcc w = wcc(d);
    assertEquals(0, w.before().size());
    assertEquals(7, w.after().size());
    assertEquals(3, d.readInt());
    assertEquals(2, d.readInt(), "the backend reached FILE_SYNC");
    assertEquals(harness.context.verifier, d.readHyper());
    assertEquals(0, d.remaining());
  }

  @Test
  void writeCountMismatchIsInval() {
    byte[] fh = create(root, "f");
    XdrDecoder d = call(Nfs3Program.WRITE, e -> e.writeOpaque(fh).writeHyper(0).writeInt(5).writeInt(0)
        .writeOpaque(new byte[] {1, 2, 3}));
    assertEquals(INVAL, d.readInt());
    Wcc w = wcc(d);
    assertEquals(0, w.after().size());
    assertEquals(0, d.remaining());
  }

  @Test
  void writeBeyondServerMaximumIsShort() {
    harness.context.maxWrite = 4;
    byte[] fh = create(root, "f");
    XdrDecoder d = call(Nfs3Program.WRITE, e -> e.writeOpaque(fh).writeHyper(0).writeInt(6).writeInt(2)
        .writeOpaque(new byte[] {1, 2, 3, 4, 5, 6}));
    assertEquals(OK, d.readInt());
    wcc(d);
    assertEquals(4, d.readInt());
    assertEquals(4, getattr(fh).size());
  }

  @Test
  void writeToDirectoryIsIsdir() {
    assertEquals(ISDIR, status(Nfs3Program.WRITE, e -> e.writeOpaque(root).writeHyper(0).writeInt(1)
        .writeInt(0).writeOpaque(new byte[1])));
  }

  @Test
  void badStableHowIsGarbage() {
    byte[] fh = create(root, "f");
    assertThrows(XdrException.class, () -> call(Nfs3Program.WRITE, e -> e.writeOpaque(fh).writeHyper(0)
        .writeInt(1).writeInt(3).writeOpaque(new byte[1])));
  }

  @Test
  void commitAnswersVerifier() {
    byte[] fh = create(root, "f");
    XdrDecoder d = call(Nfs3Program.COMMIT, e -> e.writeOpaque(fh).writeHyper(0).writeInt(0));
    assertEquals(OK, d.readInt());
    Wcc w = wcc(d);
    assertNotNull(w.before());
    assertNotNull(w.after());
    assertEquals(harness.context.verifier, d.readHyper());
    assertEquals(0, d.remaining());
  }

  // ---------------------------------------------------------------- CREATE, MKDIR, MKNOD

  @Test
  void createModes() {
    byte[] fh = create(root, "f");
    write(fh, 0, new byte[10]);
    // GUARDED over an existing name
    XdrDecoder d = call(Nfs3Program.CREATE, e -> {
      e.writeOpaque(root);
      name(e, "f");
      e.writeInt(1);
      Nfs3Replies.noSattr(e);
    });
    assertEquals(EXIST, d.readInt());
    Wcc w = wcc(d);
    assertNotNull(w.before());
    assertNotNull(w.after());
    assertEquals(0, d.remaining());
    // UNCHECKED with size 0 truncates the existing file
    d = call(Nfs3Program.CREATE, e -> {
      e.writeOpaque(root);
      name(e, "f");
      e.writeInt(0);
      Nfs3Replies.sizeSattr(e, 0);
    });
    assertEquals(OK, d.readInt());
    assertArrayEquals(fh, postOpFh(d));
    assertEquals(0, postOp(d).size());
  }

  @Test
  void exclusiveCreateRetryWithSameVerifierSucceeds() {
    Consumer<XdrEncoder> args = e -> {
      e.writeOpaque(root);
      name(e, "x");
      e.writeInt(2).writeHyper(0xCAFEL);
    };
    XdrDecoder d = call(Nfs3Program.CREATE, args);
    assertEquals(OK, d.readInt());
    byte[] first = postOpFh(d);
    d = call(Nfs3Program.CREATE, args);
    assertEquals(OK, d.readInt());
    assertArrayEquals(first, postOpFh(d));
    assertEquals(EXIST, status(Nfs3Program.CREATE, e -> {
      e.writeOpaque(root);
      name(e, "x");
      e.writeInt(2).writeHyper(0xBEEFL);
    }));
  }

  @Test
  void badCreateModeIsGarbage() {
    assertThrows(XdrException.class, () -> call(Nfs3Program.CREATE, e -> {
      e.writeOpaque(root);
      name(e, "x");
      e.writeInt(3);
    }));
  }

  @Test
  void createInFileIsNotdir() {
    byte[] fh = create(root, "f");
    assertEquals(NOTDIR, status(Nfs3Program.CREATE, e -> {
      e.writeOpaque(fh);
      name(e, "x");
      e.writeInt(0);
      Nfs3Replies.noSattr(e);
    }));
  }

  @Test
  void mkdirExistingIsExist() {
    mkdir(root, "d");
    XdrDecoder d = call(Nfs3Program.MKDIR, e -> {
      e.writeOpaque(root);
      name(e, "d");
      Nfs3Replies.noSattr(e);
    });
    assertEquals(EXIST, d.readInt());
    assertNotNull(wcc(d).after());
    assertEquals(0, d.remaining());
  }

  @Test
  void mkdirResultAndDirectoryWcc() {
    Fattr before = getattr(root);
    XdrDecoder d = call(Nfs3Program.MKDIR, e -> {
      e.writeOpaque(root);
      name(e, "d");
      Nfs3Replies.modeSattr(e, 0700);
    });
    assertEquals(OK, d.readInt());
    assertNotNull(postOpFh(d));
    Fattr a = postOp(d);
    assertEquals(Nfs3Xdr.NF3DIR, a.type());
    assertEquals(0700, a.mode());
    Wcc w = wcc(d);
    assertEquals(before.mtime(), w.before().mtime());
    assertNotEquals(before.mtime(), w.after().mtime());
    assertEquals(before.nlink() + 1, w.after().nlink());
    assertEquals(0, d.remaining());
  }

  @Test
  void mknodMakesFifosAndDevicesButNotFiles() {
    XdrDecoder d = call(Nfs3Program.MKNOD, e -> {
      e.writeOpaque(root);
      name(e, "fifo");
      e.writeInt(Nfs3Xdr.NF3FIFO);
      Nfs3Replies.modeSattr(e, 0600);
    });
    assertEquals(OK, d.readInt());
    postOpFh(d);
    assertEquals(Nfs3Xdr.NF3FIFO, postOp(d).type());
    wcc(d);
    assertEquals(0, d.remaining());
    d = call(Nfs3Program.MKNOD, e -> {
      e.writeOpaque(root);
      name(e, "chr");
      e.writeInt(Nfs3Xdr.NF3CHR);
      Nfs3Replies.noSattr(e);
      e.writeInt(5).writeInt(7);
    });
    assertEquals(OK, d.readInt());
    postOpFh(d);
    Fattr a = postOp(d);
    assertEquals(Nfs3Xdr.NF3CHR, a.type());
    assertEquals(5, a.major());
    assertEquals(7, a.minor());
    d = call(Nfs3Program.MKNOD, e -> {
      e.writeOpaque(root);
      name(e, "reg");
      e.writeInt(Nfs3Xdr.NF3REG);
    });
    assertEquals(BADTYPE, d.readInt());
    assertNotNull(wcc(d).after());
    assertEquals(0, d.remaining());
  }

  // ---------------------------------------------------------------- REMOVE, RMDIR, RENAME, LINK

  @Test
  void removeAndRmdirErrors() {
    byte[] dir = mkdir(root, "d");
    create(dir, "f");
    create(root, "file");
    XdrDecoder d = call(Nfs3Program.REMOVE, e -> {
      e.writeOpaque(root);
      name(e, "nothing");
    });
    assertEquals(NOENT, d.readInt());
    assertNotNull(wcc(d).before());
    assertEquals(ISDIR, status(Nfs3Program.REMOVE, e -> {
      e.writeOpaque(root);
      name(e, "d");
    }));
    assertEquals(NOTEMPTY, status(Nfs3Program.RMDIR, e -> {
      e.writeOpaque(root);
      name(e, "d");
    }));
    assertEquals(NOTDIR, status(Nfs3Program.RMDIR, e -> {
      e.writeOpaque(root);
      name(e, "file");
    }));
    assertEquals(INVAL, status(Nfs3Program.RMDIR, e -> {
      e.writeOpaque(dir);
      name(e, ".");
    }));
    assertEquals(OK, status(Nfs3Program.REMOVE, e -> {
      e.writeOpaque(dir);
      name(e, "f");
    }));
    d = call(Nfs3Program.RMDIR, e -> {
      e.writeOpaque(root);
      name(e, "d");
    });
    assertEquals(OK, d.readInt());
    Wcc w = wcc(d);
    assertEquals(w.before().size(), 4096);
    assertEquals(0, d.remaining());
    assertEquals(NOENT, status(Nfs3Program.LOOKUP, e -> {
      e.writeOpaque(root);
      name(e, "d");
    }));
  }

  @Test
  void renameReportsBothDirectories() {
    byte[] a = mkdir(root, "a");
    byte[] b = mkdir(root, "b");
    byte[] f = create(a, "f");
    XdrDecoder d = call(Nfs3Program.RENAME, e -> {
      e.writeOpaque(a);
      name(e, "f");
      e.writeOpaque(b);
      name(e, "g");
    });
    assertEquals(OK, d.readInt());
    Wcc from = wcc(d);
    Wcc to = wcc(d);
    assertNotEquals(from.before().mtime(), from.after().mtime());
    assertNotEquals(to.before().mtime(), to.after().mtime());
    assertEquals(0, d.remaining());
    assertArrayEquals(f, lookup(b, "g"));
    d = call(Nfs3Program.RENAME, e -> {
      e.writeOpaque(a);
      name(e, "f");
      e.writeOpaque(b);
      name(e, "h");
    });
    assertEquals(NOENT, d.readInt());
    assertNotNull(wcc(d).after());
    assertNotNull(wcc(d).after());
    assertEquals(0, d.remaining());
  }

  @Test
  void renameDirectoryOverNonEmptyDirectoryIsNotempty() {
    mkdir(root, "a");
    byte[] b = mkdir(root, "b");
    create(b, "f");
    assertEquals(NOTEMPTY, status(Nfs3Program.RENAME, e -> {
      e.writeOpaque(root);
      name(e, "a");
      e.writeOpaque(root);
      name(e, "b");
    }));
  }

  @Test
  void renameAcrossExportsIsXdev() {
    TreeFileSystem other = new TreeFileSystem();
    Export e2 = new Export("/other", null, other, RW);
    Nfs3Harness h = new Nfs3Harness(export, e2);
    Nfs3Program p = new Nfs3Program(h.context);
    byte[] r2 = h.exports.toWire(e2, other.root());
    create(root, "f");
    XdrDecoder d = h.call(p, 3, Nfs3Program.RENAME, e -> {
      e.writeOpaque(root);
      name(e, "f");
      e.writeOpaque(r2);
      name(e, "f");
    });
    assertEquals(XDEV, d.readInt());
  }

  @Test
  void linkAddsName() {
    byte[] f = create(root, "f");
    byte[] dir = mkdir(root, "d");
    XdrDecoder d = call(Nfs3Program.LINK, e -> {
      e.writeOpaque(f);
      e.writeOpaque(dir);
      name(e, "hard");
    });
    assertEquals(OK, d.readInt());
    assertEquals(2, postOp(d).nlink());
    Wcc w = wcc(d);
    assertNotNull(w.before());
    assertNotNull(w.after());
    assertEquals(0, d.remaining());
    assertArrayEquals(f, lookup(dir, "hard"));
    d = call(Nfs3Program.LINK, e -> {
      e.writeOpaque(f);
      e.writeOpaque(dir);
      name(e, "hard");
    });
    assertEquals(EXIST, d.readInt());
    assertEquals(2, postOp(d).nlink());
    assertNotNull(wcc(d).after());
    assertEquals(0, d.remaining());
    assertEquals(ISDIR, status(Nfs3Program.LINK, e -> {
      e.writeOpaque(dir);
      e.writeOpaque(root);
      name(e, "dirlink");
    }));
  }

  // ---------------------------------------------------------------- READDIR, READDIRPLUS

  record Listed(List<String> names, List<Long> cookies, long verifier, boolean eof, int bytes) {}

  Listed readdir(byte[] dir, long cookie, long verifier, int count) {
    XdrDecoder d = call(Nfs3Program.READDIR, e -> e.writeOpaque(dir).writeHyper(cookie).writeHyper(verifier)
        .writeInt(count));
    int bytes = d.remaining();
    assertEquals(OK, d.readInt());
    assertNotNull(postOp(d));
    long verf = d.readHyper();
    List<String> names = new ArrayList<>();
    List<Long> cookies = new ArrayList<>();
    while (d.readBoolean()) {
      d.readHyper();
      names.add(d.readString(255));
      cookies.add(d.readHyper());
    }
    boolean eof = d.readBoolean();
    assertEquals(0, d.remaining());
    return new Listed(names, cookies, verf, eof, bytes);
  }

  @Test
  void readdirListsDotsThenEntriesWithinCount() {
    for (int i = 0; i < 50; i++) {
      create(root, "file-" + i);
    }
    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    long cookie = 0;
    long verifier = 0;
    int pages = 0;
    for (int guard = 0; guard < 1000; guard++) {
      Listed page = readdir(root, cookie, verifier, 300);
      assertTrue(page.bytes() <= 300, "reply of " + page.bytes() + " bytes exceeds count");
      for (String n : page.names()) {
        assertTrue(seen.add(n), "duplicate " + n);
        order.add(n);
      }
      pages++;
      if (page.eof()) {
        break;
      }
      cookie = page.cookies().getLast();
      verifier = page.verifier();
    }
    assertEquals(52, seen.size());
    assertEquals(".", order.get(0));
    assertEquals("..", order.get(1));
    assertTrue(pages > 5);
  }

  @Test
  void readdirTooSmallForOneEntry() {
    XdrDecoder d = call(Nfs3Program.READDIR, e -> e.writeOpaque(root).writeHyper(0).writeHyper(0).writeInt(100));
    assertEquals(TOOSMALL, d.readInt());
    assertNotNull(postOp(d));
    assertEquals(0, d.remaining());
  }

  @Test
  void readdirOfFileIsNotdir() {
    byte[] f = create(root, "f");
    assertEquals(NOTDIR, status(Nfs3Program.READDIR, e -> e.writeOpaque(f).writeHyper(0).writeHyper(0)
        .writeInt(4096)));
  }

  @Test
  void readdirplusCarriesAttributesAndHandlesWithinLimits() {
    byte[] f = create(root, "f");
    mkdir(root, "d");
    XdrDecoder d = call(Nfs3Program.READDIRPLUS, e -> e.writeOpaque(root).writeHyper(0).writeHyper(0)
        .writeInt(4096).writeInt(8192));
    int bytes = d.remaining();
    assertTrue(bytes <= 8192);
    assertEquals(OK, d.readInt());
    postOp(d);
    d.readHyper();
    List<String> names = new ArrayList<>();
    while (d.readBoolean()) {
      long fileid = d.readHyper();
      String n = d.readString(255);
      names.add(n);
      d.readHyper();
      Fattr a = postOp(d);
      byte[] fh = postOpFh(d);
      assertEquals(a.fileid(), fileid);
      if (n.equals("f")) {
        assertArrayEquals(f, fh);
      }
      if (n.equals(".") || n.equals("..")) {
        assertArrayEquals(root, fh);
      }
    }
    assertTrue(d.readBoolean());
    assertEquals(List.of(".", "..", "f", "d"), names);
  }

  @Test
  void readdirplusHonoursMaxcountAndDircount() {
    for (int i = 0; i < 30; i++) {
      create(root, "entry-" + i);
    }
    for (int maxcount : new int[] {400, 700, 1500}) {
      XdrDecoder d = call(Nfs3Program.READDIRPLUS, e -> e.writeOpaque(root).writeHyper(0).writeHyper(0)
          .writeInt(100_000).writeInt(maxcount));
      assertTrue(d.remaining() <= maxcount, d.remaining() + " > " + maxcount);
    }
    // dircount of 100 admits entries whose fileid+name+cookie parts sum to at most 100 bytes
    XdrDecoder d = call(Nfs3Program.READDIRPLUS, e -> e.writeOpaque(root).writeHyper(2).writeHyper(0)
        .writeInt(100).writeInt(100_000));
    assertEquals(OK, d.readInt());
    postOp(d);
    d.readHyper();
    int entries = 0;
    while (d.readBoolean()) {
      d.readHyper();
      d.readString(255);
      d.readHyper();
      postOp(d);
      postOpFh(d);
      entries++;
    }
    assertFalse(d.readBoolean());
    assertEquals(100 / (24 + 8), entries, "each 'entry-N' takes 24 + 8 bytes of dircount");
  }

  @Test
  void readdirplusDircountZeroMeansNoLimit() {
    for (int i = 0; i < 20; i++) {
      create(root, "z-" + i);
    }
    XdrDecoder d = call(Nfs3Program.READDIRPLUS, e -> e.writeOpaque(root).writeHyper(0).writeHyper(0)
        .writeInt(0).writeInt(100_000));
    assertEquals(OK, d.readInt());
    postOp(d);
    d.readHyper();
    int entries = 0;
    while (d.readBoolean()) {
      d.readHyper();
      d.readString(255);
      d.readHyper();
      postOp(d);
      postOpFh(d);
      entries++;
    }
    assertTrue(d.readBoolean(), "everything fits in maxcount");
    assertEquals(22, entries);
  }

  // ---------------------------------------------------------------- FSSTAT, FSINFO, PATHCONF

  @Test
  void fsstatFsinfoPathconf() {
    XdrDecoder d = call(Nfs3Program.FSSTAT, e -> e.writeOpaque(root));
    assertEquals(OK, d.readInt());
    assertNotNull(postOp(d));
    assertEquals(1L << 30, d.readHyper());
    assertEquals(1L << 29, d.readHyper());
    assertEquals(1L << 28, d.readHyper());
    assertEquals(1000, d.readHyper());
    assertEquals(900, d.readHyper());
    assertEquals(800, d.readHyper());
    assertEquals(0, d.readInt());
    assertEquals(0, d.remaining());

    d = call(Nfs3Program.FSINFO, e -> e.writeOpaque(root));
    assertEquals(OK, d.readInt());
    assertNotNull(postOp(d));
    assertEquals(1 << 20, d.readInt());
    assertEquals(1 << 20, d.readInt());
    assertEquals(4096, d.readInt());
    assertEquals(1 << 20, d.readInt());
    assertEquals(1 << 20, d.readInt());
    assertEquals(4096, d.readInt());
    assertEquals(1 << 20, d.readInt());
    assertEquals(Long.MAX_VALUE, d.readHyper());
    assertEquals(0, d.readInt());
    assertEquals(1, d.readInt());
    assertEquals(0x1B, d.readInt(), "LINK | SYMLINK | HOMOGENEOUS | CANSETTIME");
    assertEquals(0, d.remaining());

    d = call(Nfs3Program.PATHCONF, e -> e.writeOpaque(root));
    assertEquals(OK, d.readInt());
    assertNotNull(postOp(d));
    assertEquals(65_535, d.readInt());
    assertEquals(255, d.readInt());
    assertTrue(d.readBoolean());
    assertTrue(d.readBoolean());
    assertFalse(d.readBoolean());
    assertTrue(d.readBoolean());
    assertEquals(0, d.remaining());
  }

  @Test
  void fsinfoWithoutLinksOmitsThoseProperties() {
    TreeFileSystem plain = new TreeFileSystem(Set.of(Capability.SYMLINKS));
    Export e2 = new Export("/plain", null, plain, RW);
    Nfs3Harness h = new Nfs3Harness(e2);
    byte[] r = h.exports.toWire(e2, plain.root());
    XdrDecoder d = h.call(new Nfs3Program(h.context), 3, Nfs3Program.FSINFO, e -> e.writeOpaque(r));
    assertEquals(OK, d.readInt());
    postOp(d);
    for (int i = 0; i < 7; i++) {
      d.readInt();
    }
    d.readHyper();
    d.readHyper();
    assertEquals(0x1A, d.readInt());
  }

  // ---------------------------------------------------------------- export rules

  @Test
  void readOnlyExportAnswersRofsWithoutCallingBackend() {
    byte[] f = create(root, "f");
    Export ro = new Export("/ro", null, fs, RW.with("ro"));
    Nfs3Harness h = new Nfs3Harness(ro);
    Nfs3Program p = new Nfs3Program(h.context);
    byte[] r = h.exports.toWire(ro, fs.root());
    byte[] rf = h.exports.toWire(ro, TreeFileSystem.handleOf(2));
    XdrDecoder d = h.call(p, 3, Nfs3Program.CREATE, e -> {
      e.writeOpaque(r);
      name(e, "new");
      e.writeInt(0);
      Nfs3Replies.noSattr(e);
    });
    assertEquals(ROFS, d.readInt());
    assertNotNull(wcc(d).after(), "attributes of an admitted call are reported");
    assertEquals(ROFS, h.call(p, 3, Nfs3Program.WRITE, e -> e.writeOpaque(rf).writeHyper(0).writeInt(1)
        .writeInt(0).writeOpaque(new byte[1])).readInt());
    assertEquals(ROFS, h.call(p, 3, Nfs3Program.SETATTR, e -> {
      e.writeOpaque(rf);
      Nfs3Replies.modeSattr(e, 0);
      e.writeBoolean(false);
    }).readInt());
    assertEquals(ROFS, h.call(p, 3, Nfs3Program.REMOVE, e -> {
      e.writeOpaque(r);
      name(e, "f");
    }).readInt());
    assertEquals(ROFS, h.call(p, 3, Nfs3Program.RENAME, e -> {
      e.writeOpaque(r);
      name(e, "f");
      e.writeOpaque(r);
      name(e, "g");
    }).readInt());
    assertEquals(ROFS, h.call(p, 3, Nfs3Program.MKDIR, e -> {
      e.writeOpaque(r);
      name(e, "d");
      Nfs3Replies.noSattr(e);
    }).readInt());
    assertEquals(0644, getattr(f).mode());
    assertArrayEquals(f, lookup(root, "f"));
    assertEquals(NOENT, status(Nfs3Program.LOOKUP, e -> {
      e.writeOpaque(root);
      name(e, "new");
    }));
  }

  @Test
  void clientOutsideRangeIsRefusedWithoutAttributes() {
    Export only = new Export("/only", null, fs,
        RW.withClients(List.of(ClientRange.parse("127.0.0.1/32"))));
    Nfs3Harness h = new Nfs3Harness(only);
    Nfs3Program p = new Nfs3Program(h.context);
    byte[] r = h.exports.toWire(only, fs.root());
    XdrDecoder d = h.call(p, 3, Nfs3Program.LOOKUP, Nfs3Harness.sys(0, 0),
        new InetSocketAddress("127.0.0.2", 700), e -> {
          e.writeOpaque(r);
          name(e, "x");
        });
    assertEquals(ACCES, d.readInt());
    assertNull(postOp(d), "no attributes leak to a refused client");
    assertEquals(0, d.remaining());
    d = h.call(p, 3, Nfs3Program.GETATTR, Nfs3Harness.sys(0, 0),
        new InetSocketAddress("127.0.0.1", 700), e -> e.writeOpaque(r));
    assertEquals(OK, d.readInt());
  }

  @Test
  void secureExportRejectsUnprivilegedPortAsTooWeak() {
    Export secure = new Export("/s", null, fs, ExportOptions.DEFAULT);
    Nfs3Harness h = new Nfs3Harness(secure);
    Nfs3Program p = new Nfs3Program(h.context);
    byte[] r = h.exports.toWire(secure, fs.root());
    RpcException e = assertThrows(RpcException.class, () -> h.call(p, 3, Nfs3Program.GETATTR,
        Nfs3Harness.sys(0, 0), new InetSocketAddress("127.0.0.1", 40000), x -> x.writeOpaque(r)));
    assertTrue(e.isAuthError());
    assertEquals(RpcException.AUTH_TOOWEAK, e.status());
    assertEquals(OK, h.call(p, 3, Nfs3Program.GETATTR, Nfs3Harness.sys(0, 0),
        new InetSocketAddress("127.0.0.1", 1023), x -> x.writeOpaque(r)).readInt());
  }

  @Test
  void squashingShowsInOwnership() {
    Export rootSquash = new Export("/rs", null, fs, ExportOptions.DEFAULT.with("insecure"));
    Export allSquash = new Export("/as", null, fs, ExportOptions.DEFAULT.with("insecure,all_squash,anonuid=99,anongid=98"));
    Nfs3Harness h = new Nfs3Harness(rootSquash, allSquash);
    Nfs3Program p = new Nfs3Program(h.context);
    byte[] r1 = h.exports.toWire(rootSquash, fs.root());
    byte[] r2 = h.exports.toWire(allSquash, fs.root());
    XdrDecoder d = h.call(p, 3, Nfs3Program.CREATE, Nfs3Harness.sys(0, 0), Nfs3Harness.PRIVILEGED_CLIENT, e -> {
      e.writeOpaque(r1);
      name(e, "by-root");
      e.writeInt(0);
      Nfs3Replies.noSattr(e);
    });
    assertEquals(OK, d.readInt());
    postOpFh(d);
    Fattr a = postOp(d);
    assertEquals(65534, a.uid());
    assertEquals(65534, a.gid());
    d = h.call(p, 3, Nfs3Program.CREATE, Nfs3Harness.sys(1000, 1000), Nfs3Harness.PRIVILEGED_CLIENT, e -> {
      e.writeOpaque(r2);
      name(e, "by-user");
      e.writeInt(0);
      Nfs3Replies.noSattr(e);
    });
    assertEquals(OK, d.readInt());
    postOpFh(d);
    a = postOp(d);
    assertEquals(99, a.uid());
    assertEquals(98, a.gid());
  }

  // ---------------------------------------------------------------- faults and dispatch hints

  @Test
  void unexpectedBackendExceptionIsServerfault() {
    byte[] f = create(root, "f");
    fs.fault.set(new IllegalStateException("backend bug (expected by this test)"));
    XdrDecoder d = call(Nfs3Program.SETATTR, e -> {
      e.writeOpaque(f);
      Nfs3Replies.modeSattr(e, 0600);
      e.writeBoolean(false);
    });
    assertEquals(SERVERFAULT, d.readInt());
    Wcc w = wcc(d);
    assertNull(w.before());
    assertNull(w.after());
    assertEquals(0, d.remaining());
    fs.fault.set(null);
    assertEquals(0644, getattr(f).mode());
  }

  @Test
  void dispatchHints() {
    for (int proc : new int[] {Nfs3Program.SETATTR, Nfs3Program.WRITE, Nfs3Program.CREATE,
        Nfs3Program.MKDIR, Nfs3Program.SYMLINK, Nfs3Program.MKNOD, Nfs3Program.REMOVE,
        Nfs3Program.RMDIR, Nfs3Program.RENAME, Nfs3Program.LINK}) {
      assertTrue(nfs.isNonIdempotent(3, proc), "procedure " + proc);
    }
    for (int proc : new int[] {Nfs3Program.NULL, Nfs3Program.GETATTR, Nfs3Program.LOOKUP,
        Nfs3Program.READ, Nfs3Program.READDIR, Nfs3Program.COMMIT}) {
      assertFalse(nfs.isNonIdempotent(3, proc), "procedure " + proc);
    }
    assertTrue(nfs.isNonBlocking(3, Nfs3Program.NULL));
    assertFalse(nfs.isNonBlocking(3, Nfs3Program.GETATTR), "the test backend may block");
    assertFalse(nfs.isNonBlocking(3, Nfs3Program.READ));

    Export memory = new Export("/memory", null, new InMemoryFileSystem(), RW);
    Nfs3Program inline = new Nfs3Program(new Nfs3Harness(memory).context);
    assertTrue(inline.isNonBlocking(3, Nfs3Program.GETATTR), "an in-memory backend never blocks");
    assertTrue(inline.isNonBlocking(3, Nfs3Program.LOOKUP));
    assertTrue(inline.isNonBlocking(3, Nfs3Program.ACCESS));
    assertTrue(inline.isNonBlocking(3, Nfs3Program.READ), "a READ copies at most rtmax bytes");
    assertFalse(inline.isNonBlocking(3, Nfs3Program.WRITE), "only the cheapest calls skip the hop");
    assertFalse(inline.isNonBlocking(3, Nfs3Program.READDIRPLUS));
    Nfs3Program mixed = new Nfs3Program(new Nfs3Harness(memory, export).context);
    assertFalse(mixed.isNonBlocking(3, Nfs3Program.GETATTR), "one blocking backend decides");
  }

  @Test
  void attributeReadsOfObjectsTheBackendHoldsInMemoryMayRunOnTheNetworkThread() throws Exception {
    byte[] f = create(root, "f");
    byte[] g = create(root, "g");
    fs.attributesInMemory.add(harness.exports.fromWire(f).handle());

    for (int proc : new int[] {Nfs3Program.GETATTR, Nfs3Program.LOOKUP, Nfs3Program.ACCESS}) {
      assertTrue(nfs.isNonBlocking(3, proc, handleArguments(f)), "procedure " + proc);
      assertFalse(nfs.isNonBlocking(3, proc, handleArguments(g)), "procedure " + proc);
    }
    assertFalse(nfs.isNonBlocking(3, Nfs3Program.READ, handleArguments(f)), "its data is not said to be");
    assertFalse(nfs.isNonBlocking(3, Nfs3Program.SETATTR, handleArguments(f)));
    assertFalse(nfs.isNonBlocking(3, Nfs3Program.READDIRPLUS, handleArguments(f)));
    assertTrue(nfs.isNonBlocking(3, Nfs3Program.NULL, Unpooled.EMPTY_BUFFER));

    ByteBuf arguments = handleArguments(f);
    int readerIndex = arguments.readerIndex();
    nfs.isNonBlocking(3, Nfs3Program.GETATTR, arguments);
    assertEquals(readerIndex, arguments.readerIndex(), "the handle is peeked, not consumed");
  }

  @Test
  void malformedAndForeignHandlesAreNotRunOnTheNetworkThread() {
    fs.attributesInMemory.add(fs.root());
    assertTrue(nfs.isNonBlocking(3, Nfs3Program.GETATTR, handleArguments(root)));

    assertFalse(nfs.isNonBlocking(3, Nfs3Program.GETATTR, Unpooled.EMPTY_BUFFER), "no handle");
    assertFalse(nfs.isNonBlocking(3, Nfs3Program.GETATTR, Unpooled.wrappedBuffer(new byte[] {0, 0})));
    ByteBuf truncated = handleArguments(root);
    truncated.writerIndex(4 + root.length - 1); // the handle cut short
    assertFalse(nfs.isNonBlocking(3, Nfs3Program.GETATTR, truncated));
    ByteBuf oversized = Unpooled.buffer().writeInt(65).writeZero(68);
    assertFalse(nfs.isNonBlocking(3, Nfs3Program.GETATTR, oversized));
    byte[] otherExport = root.clone();
    otherExport[4] ^= 1;
    assertFalse(nfs.isNonBlocking(3, Nfs3Program.GETATTR, handleArguments(otherExport)));
  }

  @Test
  void aClientRangeThatNeedsANameLookupKeepsAttributeReadsOnWorkers() {
    fs.attributesInMemory.add(fs.root());
    Export named = new Export("/named", null, fs,
        RW.withClients(List.of(ClientRange.parse("*.example.com"))));
    Nfs3Harness namedHarness = new Nfs3Harness(named);
    Nfs3Program program = new Nfs3Program(namedHarness.context);
    byte[] namedRoot = namedHarness.exports.toWire(named, fs.root());

    assertFalse(program.isNonBlocking(3, Nfs3Program.GETATTR, handleArguments(namedRoot)),
        "admitting the client may wait for DNS");
  }

  @Test
  void aReadOfARangeTheBackendHoldsInMemoryMayRunOnTheNetworkThread() throws Exception {
    byte[] f = create(root, "f");
    fs.dataInMemory.add(harness.exports.fromWire(f).handle());
    fs.dataInMemoryUpTo = 8192;

    assertTrue(nfs.isNonBlocking(3, Nfs3Program.READ, readArguments(f, 0, 4096)));
    assertTrue(nfs.isNonBlocking(3, Nfs3Program.READ, readArguments(f, 4096, 4096)));
    assertFalse(nfs.isNonBlocking(3, Nfs3Program.READ, readArguments(f, 4096, 4097)), "the offset and count are asked");
    assertFalse(nfs.isNonBlocking(3, Nfs3Program.READ, readArguments(f, -1, 1)), "an offset beyond 2^63");
    assertFalse(nfs.isNonBlocking(3, Nfs3Program.GETATTR, readArguments(f, 0, 1)), "attributes are asked apart");
    ByteBuf cut = readArguments(f, 0, 4096);
    cut.writerIndex(cut.writerIndex() - 1);
    assertFalse(nfs.isNonBlocking(3, Nfs3Program.READ, cut), "the count cut short");

    fs.dataInMemoryUpTo = Long.MAX_VALUE;
    ByteBuf huge = readArguments(f, 0, 0xffffffffL);
    assertTrue(nfs.isNonBlocking(3, Nfs3Program.READ, huge), "a count above the maximum is cut to it");
  }

  private static ByteBuf readArguments(byte[] handle, long offset, long count) {
    ByteBuf b = Unpooled.buffer();
    new XdrEncoder(b).writeOpaque(handle).writeHyper(offset).writeUnsignedInt(count);
    return b;
  }

  private static ByteBuf handleArguments(byte[] handle) {
    ByteBuf b = Unpooled.buffer();
    new XdrEncoder(b).writeOpaque(handle);
    b.writeLong(0).writeInt(4096); // what follows in a READ
    return b;
  }
}
