package dev.jnfs.v4;

import static dev.jnfs.v4.testing.V42Compound.allocate;
import static dev.jnfs.v4.testing.V42Compound.cloneRange;
import static dev.jnfs.v4.testing.V42Compound.copy;
import static dev.jnfs.v4.testing.V42Compound.deallocate;
import static dev.jnfs.v4.testing.V42Compound.getxattr;
import static dev.jnfs.v4.testing.V42Compound.ioAdvise;
import static dev.jnfs.v4.testing.V42Compound.listxattrs;
import static dev.jnfs.v4.testing.V42Compound.readPlus;
import static dev.jnfs.v4.testing.V42Compound.removexattr;
import static dev.jnfs.v4.testing.V42Compound.seek;
import static dev.jnfs.v4.testing.V42Compound.setxattr;
import static dev.jnfs.v4.testing.V42Compound.withStateid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.testing.RecordingFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.ChangeReply;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.V42Compound.CopyReply;
import dev.jnfs.v4.testing.V42Compound.ListReply;
import dev.jnfs.v4.testing.V42Compound.ReadPlusReply;
import dev.jnfs.v4.testing.V42Compound.SeekReply;
import dev.jnfs.v4.testing.V42Compound.Segment;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NFSv4.2 (RFC 7862) and extended attributes (RFC 8276) through a real server and the real state
 * engine: each operation's main path on the in-memory backend, and its errors — bad stateids,
 * directories, bad ranges, a backend without the capability (NOTSUPP without the backend being
 * called), a read-only export (ROFS), and 4.2 opcodes in a 4.1 COMPOUND (OP_ILLEGAL).
 */
class Nfs42WireTest {
  static final int CHUNK = 64 * 1024;
  static final int DATA = 0;
  static final int HOLE = 1;
  static final Caller ROOT = Caller.of(0, 0);
  static final Stateid ANY = Stateid.ANONYMOUS;

  final InMemoryFileSystem memory = new InMemoryFileSystem();
  final InMemoryFileSystem readOnlyMemory = new InMemoryFileSystem();
  final RecordingFileSystem plain = new RecordingFileSystem(Set.of(), false);
  Fixture fixture;
  FileHandle sparse;
  Stateid unknown;

  @BeforeEach
  void start() throws Exception {
    sparse = file(memory, "sparse");
    memory.write(ROOT, sparse, 0, ByteBuffer.wrap(bytes(1, 10)), Stability.FILE_SYNC);
    memory.write(ROOT, sparse, 2L * CHUNK, ByteBuffer.wrap(bytes(2, 100)), Stability.FILE_SYNC);
    memory.setattr(ROOT, sparse, SetAttributes.size(4L * CHUNK), null);
    file(memory, "empty");
    memory.mkdir(ROOT, memory.root(), "dir", SetAttributes.mode(0777));
    FileHandle p = file(plain.delegate, "f");
    plain.delegate.write(ROOT, p, 0, ByteBuffer.wrap(bytes(3, 5000)), Stability.FILE_SYNC);
    file(plain.delegate, "g");
    file(readOnlyMemory, "f");
    fixture = Fixture.wire(List.of(
        new Export("/mem", null, memory, Fixture.RW),
        new Export("/plain", null, plain.backend, Fixture.RW),
        new Export("/ro", null, readOnlyMemory,
            ExportOptions.DEFAULT.with("ro,insecure,no_root_squash"))));
    unknown = fixture.unknownStateid();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private static FileHandle file(NfsFileSystem fs, String name) throws Exception {
    return fs.create(ROOT, fs.root(), name, CreateMode.GUARDED, SetAttributes.mode(0666), 0).handle();
  }

  private static byte[] bytes(int seed, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed * 31 + i * 7 + 1);
    }
    return b;
  }

  private Compound at(String export, String name) {
    return fixture.v42().putrootfh().lookup(export).lookup(name);
  }

  private Reply call(Compound c) {
    return fixture.root().call(c);
  }

  private static int status(Reply r) {
    return r.status();
  }

  // ---- minor version 2

  @Test
  void minorVersionTwoIsServedAndItsOpcodesAreIllegalInOneAndZero() {
    Reply v42 = call(fixture.v42().putrootfh().getattr(Fattr4.SUPPORTED_ATTRS));
    assertEquals(Nfs4Status.OK, v42.status(), Fixture.describe(v42));
    Reply v41 = call(seek(fixture.v41().putrootfh().lookup("mem").lookup("sparse"), ANY, 0, DATA));
    assertEquals(Nfs4Status.OP_ILLEGAL, v41.status());
    assertEquals(Nfs4Opcode.ILLEGAL, v41.last().opcode());
    Reply v40 = call(getxattr(Compound.v40().putrootfh(), "x"));
    assertEquals(Nfs4Status.OP_ILLEGAL, v40.status());
    assertEquals(Nfs4Status.MINOR_VERS_MISMATCH, call(Compound.minor(3).putrootfh()).status());
    Reply noSequence = call(Compound.minor(2).putrootfh());
    assertEquals(Nfs4Status.OP_NOT_IN_SESSION, noSequence.status(), "4.2 keeps 4.1's sessions");
  }

  // ---- attributes

  @Test
  void minorVersionTwoAttributes() throws Exception {
    Reply r = call(at("mem", "sparse").getattr(Fattr4.SUPPORTED_ATTRS, Fattr4.SPACE_USED,
        Fattr4.CLONE_BLKSIZE, Fattr4.SPACE_FREED, Fattr4.CHANGE_ATTR_TYPE, Fattr4.XATTR_SUPPORT));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    Attrs a = r.last().value();
    assertEquals(Fattr4.SUPPORTED_V42, a.get(Fattr4.SUPPORTED_ATTRS));
    assertEquals(0L, a.number(Fattr4.CLONE_BLKSIZE));
    assertEquals(a.number(Fattr4.SPACE_USED), a.number(Fattr4.SPACE_FREED));
    assertEquals(4L, a.number(Fattr4.CHANGE_ATTR_TYPE), "NFS4_CHANGE_TYPE_IS_UNDEFINED");
    assertEquals(true, a.get(Fattr4.XATTR_SUPPORT));
    Attrs p = call(at("plain", "f").getattr(Fattr4.XATTR_SUPPORT)).last().value();
    assertEquals(false, p.get(Fattr4.XATTR_SUPPORT));
    Attrs v41 = call(fixture.v41().putrootfh().lookup("mem").getattr(Fattr4.SUPPORTED_ATTRS,
        Fattr4.XATTR_SUPPORT)).last().value();
    assertEquals(Fattr4.SUPPORTED_V41, v41.get(Fattr4.SUPPORTED_ATTRS));
    assertEquals(null, v41.get(Fattr4.XATTR_SUPPORT), "not an attribute of 4.1");
  }

  @Test
  void modeUmaskAppliesAtCreateOnly() throws Exception {
    Attrs.Builder umask = Attrs.set().raw(Fattr4.MODE_UMASK, e -> e.writeInt(0777).writeInt(027));
    Reply made = call(fixture.v42().putrootfh().lookup("mem").mkdir("masked", umask));
    assertEquals(Nfs4Status.OK, made.status(), Fixture.describe(made));
    assertEquals(0750, memory.lookup(ROOT, memory.root(), "masked").attributes().mode());
    assertEquals(Nfs4Status.INVAL, status(call(at("mem", "empty").setattr(ANY, umask))));
    assertEquals(Nfs4Status.INVAL, status(call(fixture.v42().putrootfh().lookup("mem")
        .mkdir("both", Attrs.set().mode(0700).raw(Fattr4.MODE_UMASK, e -> e.writeInt(0777).writeInt(0))))));
    assertEquals(Nfs4Status.ATTRNOTSUPP,
        status(call(fixture.v41().putrootfh().lookup("mem").mkdir("old", umask))));
    assertEquals(Nfs4Status.INVAL,
        status(call(at("mem", "empty").getattr(Fattr4.MODE_UMASK))), "write-only");
  }

  // ---- SEEK

  @Test
  void seekFindsDataAndHoles() {
    assertEquals(new SeekReply(false, 0), seekValue("sparse", 0, DATA));
    assertEquals(new SeekReply(false, CHUNK), seekValue("sparse", 0, HOLE));
    assertEquals(new SeekReply(false, 2L * CHUNK), seekValue("sparse", CHUNK, DATA));
    assertEquals(new SeekReply(false, 3L * CHUNK), seekValue("sparse", 2L * CHUNK, HOLE));
    assertEquals(new SeekReply(true, 4L * CHUNK), seekValue("sparse", 3L * CHUNK, DATA),
        "no data before the end: NFS4_OK with sr_eof");
  }

  private SeekReply seekValue(String name, long offset, int what) {
    Reply r = call(seek(at("mem", name), ANY, offset, what));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    return r.last().value();
  }

  @Test
  void seekErrors() {
    assertEquals(Nfs4Status.NXIO, status(call(seek(at("mem", "sparse"), ANY, 4L * CHUNK, DATA))));
    assertEquals(Nfs4Status.NXIO, status(call(seek(at("mem", "empty"), ANY, 0, HOLE))));
    assertEquals(Nfs4Status.ISDIR, status(call(seek(at("mem", "dir"), ANY, 0, DATA))));
    assertEquals(Nfs4Status.BAD_STATEID, status(call(seek(at("mem", "sparse"), unknown, 0, DATA))));
    assertEquals(Nfs4Status.BADXDR, status(call(seek(at("mem", "sparse"), ANY, 0, 7))));
  }

  @Test
  void seekWithoutTheCapabilityAnswersFromTheAttributes() {
    Reply hole = call(seek(at("plain", "f"), ANY, 10, HOLE));
    assertEquals(new SeekReply(true, 5000), hole.last().value(), Fixture.describe(hole));
    Reply data = call(seek(at("plain", "f"), ANY, 10, DATA));
    assertEquals(new SeekReply(false, 10), data.last().value());
    assertFalse(plain.called.contains("seek"));
  }

  // ---- READ_PLUS

  @Test
  void readPlusAnswersHolesAsHoleSegments() {
    Reply r = call(readPlus(at("mem", "sparse"), ANY, 0, 4 * CHUNK));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    ReadPlusReply rp = r.last().value();
    assertTrue(rp.eof());
    List<Segment> s = rp.segments();
    assertEquals(4, s.size(), s.toString());
    assertFalse(s.get(0).hole());
    assertEquals(0, s.get(0).offset());
    byte[] first = new byte[(int) s.get(0).length()];
    System.arraycopy(bytes(1, 10), 0, first, 0, 10);
    assertArrayEquals(first, s.get(0).data());
    assertEquals(new Segment(true, CHUNK, CHUNK, null), s.get(1));
    assertFalse(s.get(2).hole());
    assertEquals(2L * CHUNK, s.get(2).offset());
    assertEquals(CHUNK, s.get(2).length());
    assertEquals(new Segment(true, 3L * CHUNK, CHUNK, null), s.get(3));
  }

  @Test
  void readPlusOfDataOnlyIsOneSegmentAndWithoutSeekToo() {
    Reply r = call(readPlus(at("mem", "sparse"), ANY, 2L * CHUNK + 1, 50));
    ReadPlusReply rp = r.last().value();
    assertFalse(rp.eof());
    assertEquals(1, rp.segments().size());
    assertArrayEquals(java.util.Arrays.copyOfRange(bytes(2, 100), 1, 51), rp.segments().get(0).data());
    Reply p = call(readPlus(at("plain", "f"), ANY, 0, 100_000));
    ReadPlusReply pp = p.last().value();
    assertTrue(pp.eof());
    assertEquals(1, pp.segments().size());
    assertArrayEquals(bytes(3, 5000), pp.segments().get(0).data());
    ReadPlusReply past = call(readPlus(at("mem", "sparse"), ANY, 5L * CHUNK, 10)).last().value();
    assertTrue(past.eof());
    assertEquals(0, past.segments().size());
  }

  @Test
  void readPlusErrorsAreReadErrors() {
    assertEquals(Nfs4Status.ISDIR, status(call(readPlus(at("mem", "dir"), ANY, 0, 10))));
    assertEquals(Nfs4Status.BAD_STATEID, status(call(readPlus(at("mem", "sparse"), unknown, 0, 10))));
  }

  // ---- ALLOCATE, DEALLOCATE

  @Test
  void allocateAndDeallocateChangeTheSpaceUsed() throws Exception {
    FileHandle empty = memory.lookup(ROOT, memory.root(), "empty").handle();
    Reply a = call(allocate(at("mem", "empty"), ANY, 0, 2L * CHUNK));
    assertEquals(Nfs4Status.OK, a.status(), Fixture.describe(a));
    assertEquals(2L * CHUNK, memory.getattr(ROOT, empty).size());
    assertEquals(2L * CHUNK, memory.getattr(ROOT, empty).used());
    Reply d = call(deallocate(at("mem", "empty"), ANY, CHUNK, CHUNK));
    assertEquals(Nfs4Status.OK, d.status(), Fixture.describe(d));
    assertEquals(2L * CHUNK, memory.getattr(ROOT, empty).size());
    assertEquals(CHUNK, memory.getattr(ROOT, empty).used());
  }

  @Test
  void allocateAndDeallocateErrors() {
    for (int op = 0; op < 2; op++) {
      boolean alloc = op == 0;
      assertEquals(Nfs4Status.BAD_STATEID, status(call(alloc
          ? allocate(at("mem", "empty"), unknown, 0, 10) : deallocate(at("mem", "empty"), unknown, 0, 10))));
      assertEquals(Nfs4Status.WRONG_TYPE, status(call(alloc
          ? allocate(at("mem", "dir"), ANY, 0, 10) : deallocate(at("mem", "dir"), ANY, 0, 10))));
      assertEquals(Nfs4Status.INVAL, status(call(alloc
          ? allocate(at("mem", "empty"), ANY, 0, 0) : deallocate(at("mem", "empty"), ANY, 0, 0))));
      assertEquals(Nfs4Status.FBIG, status(call(alloc
          ? allocate(at("mem", "empty"), ANY, Long.MAX_VALUE, 10)
          : deallocate(at("mem", "empty"), ANY, Long.MAX_VALUE, 10))));
      assertEquals(Nfs4Status.NOTSUPP, status(call(alloc
          ? allocate(at("plain", "f"), ANY, 0, 10) : deallocate(at("plain", "f"), ANY, 0, 10))));
      assertEquals(Nfs4Status.ROFS, status(call(alloc
          ? allocate(at("ro", "f"), ANY, 0, 10) : deallocate(at("ro", "f"), ANY, 0, 10))));
    }
    assertFalse(plain.called.contains("allocate"));
    assertFalse(plain.called.contains("deallocate"));
  }

  // ---- COPY, CLONE, the offload operations

  private Compound fromTo(String export, String source, String destination) {
    return at(export, source).savefh().putrootfh().lookup(export).lookup(destination);
  }

  @Test
  void copyIsSynchronousAndKeepsHoles() throws Exception {
    Reply r = call(copy(fromTo("mem", "sparse", "empty"), ANY, ANY, 0, 0, 0, 0));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    CopyReply c = r.last().value();
    assertEquals(new CopyReply(0, 4L * CHUNK, 0, true, true), c);
    FileHandle empty = memory.lookup(ROOT, memory.root(), "empty").handle();
    assertEquals(4L * CHUNK, memory.getattr(ROOT, empty).size());
    assertEquals(2L * CHUNK, memory.getattr(ROOT, empty).used(), "holes stay holes");
    byte[] back = new byte[100];
    memory.read(ROOT, empty, 2L * CHUNK, ByteBuffer.wrap(back));
    assertArrayEquals(bytes(2, 100), back);
  }

  @Test
  void copyErrors() {
    assertEquals(Nfs4Status.NOTSUPP, status(call(copy(fromTo("mem", "sparse", "empty"), ANY, ANY, 0, 0, 0, 1))),
        "an inter-server copy");
    assertEquals(Nfs4Status.INVAL, status(call(copy(fromTo("mem", "sparse", "sparse"), ANY, ANY, 0, CHUNK, 10, 0))),
        "one file");
    assertEquals(Nfs4Status.INVAL, status(call(copy(fromTo("mem", "sparse", "empty"), ANY, ANY, 4L * CHUNK, 0, 1, 0))),
        "a source range past the end");
    assertEquals(Nfs4Status.WRONG_TYPE, status(call(copy(fromTo("mem", "dir", "empty"), ANY, ANY, 0, 0, 0, 0))));
    assertEquals(Nfs4Status.WRONG_TYPE, status(call(copy(fromTo("mem", "sparse", "dir"), ANY, ANY, 0, 0, 0, 0))));
    assertEquals(Nfs4Status.BAD_STATEID, status(call(copy(fromTo("mem", "sparse", "empty"), unknown, ANY, 0, 0, 0, 0))));
    assertEquals(Nfs4Status.BAD_STATEID, status(call(copy(fromTo("mem", "sparse", "empty"), ANY, unknown, 0, 0, 0, 0))));
    assertEquals(Nfs4Status.NOTSUPP, status(call(copy(fromTo("plain", "f", "g"), ANY, ANY, 0, 0, 0, 0))));
    assertEquals(Nfs4Status.ROFS, status(call(copy(fromTo("ro", "f", "f"), ANY, ANY, 0, 0, 0, 0))));
    assertEquals(Nfs4Status.NOFILEHANDLE, status(call(copy(at("mem", "empty"), ANY, ANY, 0, 0, 0, 0))),
        "no saved filehandle");
    assertFalse(plain.called.contains("copy"));
  }

  @Test
  void cloneSharesAndChecksAlignment() throws Exception {
    Reply r = call(cloneRange(fromTo("mem", "sparse", "empty"), ANY, ANY, 2L * CHUNK, 0, CHUNK));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    FileHandle empty = memory.lookup(ROOT, memory.root(), "empty").handle();
    byte[] back = new byte[100];
    memory.read(ROOT, empty, 0, ByteBuffer.wrap(back));
    assertArrayEquals(bytes(2, 100), back);
    assertEquals(Nfs4Status.INVAL, status(call(cloneRange(fromTo("mem", "sparse", "empty"), ANY, ANY, 1, 0, CHUNK))));
    assertEquals(Nfs4Status.INVAL, status(call(cloneRange(fromTo("mem", "sparse", "sparse"), ANY, ANY, 0, 0, CHUNK))),
        "overlapping ranges of one file");
    assertEquals(Nfs4Status.NOTSUPP, status(call(cloneRange(fromTo("plain", "f", "g"), ANY, ANY, 0, 0, 0))));
    assertEquals(Nfs4Status.ROFS, status(call(cloneRange(fromTo("ro", "f", "f"), ANY, ANY, 0, 0, 0))));
    assertEquals(Nfs4Status.BAD_STATEID, status(call(cloneRange(fromTo("mem", "sparse", "empty"), unknown, ANY, 0, 0, 0))));
    assertFalse(plain.called.contains("clone"));
  }

  @Test
  void offloadOperationsKnowNoUnknownCopyAndTheOptionalOnesAreNotSupported() {
    assertEquals(Nfs4Status.BAD_STATEID,
        status(call(withStateid(at("mem", "empty"), Nfs4Opcode.OFFLOAD_STATUS, unknown))));
    assertEquals(Nfs4Status.BAD_STATEID,
        status(call(withStateid(at("mem", "empty"), Nfs4Opcode.OFFLOAD_CANCEL, unknown))));
    for (int opcode : new int[] {Nfs4Opcode.COPY_NOTIFY, Nfs4Opcode.WRITE_SAME,
        Nfs4Opcode.LAYOUTERROR, Nfs4Opcode.LAYOUTSTATS}) {
      Reply r = call(at("mem", "empty").op(opcode, a -> {}, in -> null));
      assertEquals(Nfs4Status.NOTSUPP, r.status(), Nfs4Opcode.name(opcode));
      assertEquals(opcode, r.last().opcode());
    }
  }

  @Test
  void ioAdviseHonoursNoHint() {
    Reply r = call(ioAdvise(at("mem", "sparse"), ANY, 4));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    assertEquals(0, (int) r.last().value());
    assertEquals(Nfs4Status.ISDIR, status(call(ioAdvise(at("mem", "dir"), ANY, 4))));
    assertEquals(Nfs4Status.BAD_STATEID, status(call(ioAdvise(at("mem", "sparse"), unknown, 4))));
  }

  // ---- extended attributes

  @Test
  void extendedAttributesCreateReplaceListAndRemove() {
    Reply created = call(setxattr(at("mem", "empty"), 1, "colour", new byte[] {1, 2, 3}));
    assertEquals(Nfs4Status.OK, created.status(), Fixture.describe(created));
    ChangeReply change = created.last().value();
    assertTrue(change.after() > change.before());
    assertEquals(Nfs4Status.EXIST, status(call(setxattr(at("mem", "empty"), 1, "colour", new byte[0]))));
    assertEquals(Nfs4Status.NOXATTR, status(call(setxattr(at("mem", "empty"), 2, "shape", new byte[0]))));
    assertEquals(Nfs4Status.OK, status(call(setxattr(at("mem", "empty"), 2, "colour", new byte[] {9}))));
    assertEquals(Nfs4Status.OK, status(call(setxattr(at("mem", "empty"), 0, "size", new byte[] {4}))));
    assertArrayEquals(new byte[] {9}, call(getxattr(at("mem", "empty"), "colour")).last().value());
    assertEquals(Nfs4Status.NOXATTR, status(call(getxattr(at("mem", "empty"), "shape"))));

    ListReply all = call(listxattrs(at("mem", "empty"), 0, 4096)).last().value();
    assertEquals(new ListReply(2, List.of("colour", "size"), true), all);
    // 8 + 4 + 4 for the result, 4 + 8 for "colour": room for one name only
    ListReply first = call(listxattrs(at("mem", "empty"), 0, 16 + 12)).last().value();
    assertEquals(new ListReply(1, List.of("colour"), false), first);
    ListReply rest = call(listxattrs(at("mem", "empty"), first.cookie(), 16 + 12)).last().value();
    assertEquals(new ListReply(2, List.of("size"), true), rest);
    assertEquals(Nfs4Status.TOOSMALL, status(call(listxattrs(at("mem", "empty"), 0, 20))));
    assertEquals(Nfs4Status.BAD_COOKIE, status(call(listxattrs(at("mem", "empty"), 3, 4096))));

    Reply removed = call(removexattr(at("mem", "empty"), "colour"));
    assertEquals(Nfs4Status.OK, removed.status(), Fixture.describe(removed));
    assertEquals(Nfs4Status.NOXATTR, status(call(removexattr(at("mem", "empty"), "colour"))));
    assertEquals(new ListReply(1, List.of("size"), true),
        call(listxattrs(at("mem", "empty"), 0, 4096)).last().value());
  }

  @Test
  void aValueLargerThanTheSessionsRepliesIsRepTooBig() {
    assertEquals(Nfs4Status.OK,
        status(call(setxattr(at("mem", "empty"), 0, "large", new byte[20_000]))));
    Reply ex = call(Compound.minor(2).exchangeId("small-replies", 7));
    long[] id = ex.last().value();
    Reply cs = call(Compound.minor(2).op(Nfs4Opcode.CREATE_SESSION, a -> {
      a.writeHyper(id[0]).writeInt((int) id[1]).writeInt(0);
      // fore channel: 8 KiB replies at most; back channel as usual
      a.writeInt(0).writeInt(1 << 20).writeInt(8192).writeInt(8192).writeInt(16).writeInt(4).writeInt(0);
      a.writeInt(0).writeInt(1 << 20).writeInt(1 << 20).writeInt(8192).writeInt(8).writeInt(1).writeInt(0);
      a.writeInt(0x40000000).writeInt(1).writeInt(0);
    }, in -> in.readFixedOpaque(16)));
    assertEquals(Nfs4Status.OK, cs.status(), Fixture.describe(cs));
    byte[] session = cs.last().value();
    Reply r = call(getxattr(Compound.minor(2).sequence(session, 1, 0, false).putrootfh()
        .lookup("mem").lookup("empty"), "large"));
    assertEquals(Nfs4Status.REP_TOO_BIG, r.status(), "RFC 8276 §8.4.1.3");
  }

  @Test
  void accessAnswersTheExtendedAttributeRights() {
    int xa = 0x40 | 0x80 | 0x100;
    int[] mem = call(at("mem", "empty").access(xa | 0x01)).last().value();
    assertArrayEquals(new int[] {xa | 0x01, xa | 0x01}, mem);
    int[] ro = call(at("ro", "f").access(xa)).last().value();
    assertArrayEquals(new int[] {xa, 0x40 | 0x100}, ro, "no XAWRITE on a read-only export");
    int[] none = call(at("plain", "f").access(xa | 0x01)).last().value();
    assertArrayEquals(new int[] {0x01, 0x01}, none, "not evaluated without the capability");
    assertEquals(Nfs4Status.INVAL,
        status(call(fixture.v41().putrootfh().lookup("mem").access(0x40))), "undefined in 4.1");
  }

  @Test
  void extendedAttributeLimitsAndRefusals() {
    assertEquals(Nfs4Status.XATTR2BIG,
        status(call(setxattr(at("mem", "empty"), 0, "big", new byte[64 * 1024 + 1]))));
    assertEquals(Nfs4Status.NAMETOOLONG,
        status(call(setxattr(at("mem", "empty"), 0, "n".repeat(251), new byte[0]))));
    assertEquals(Nfs4Status.OK,
        status(call(setxattr(at("mem", "empty"), 0, "n".repeat(250), new byte[64 * 1024]))));
    assertEquals(Nfs4Status.INVAL, status(call(getxattr(at("mem", "empty"), ""))));
    assertEquals(Nfs4Status.NOTSUPP, status(call(getxattr(at("plain", "f"), "a"))));
    assertEquals(Nfs4Status.NOTSUPP, status(call(setxattr(at("plain", "f"), 0, "a", new byte[0]))));
    assertEquals(Nfs4Status.NOTSUPP, status(call(listxattrs(at("plain", "f"), 0, 4096))));
    assertEquals(Nfs4Status.NOTSUPP, status(call(removexattr(at("plain", "f"), "a"))));
    assertEquals(Nfs4Status.ROFS, status(call(setxattr(at("ro", "f"), 0, "a", new byte[0]))));
    assertEquals(Nfs4Status.ROFS, status(call(removexattr(at("ro", "f"), "a"))));
    assertEquals(Nfs4Status.NOXATTR, status(call(getxattr(at("ro", "f"), "a"))), "reading a read-only export");
    assertFalse(plain.called.contains("getxattr"));
    assertFalse(plain.called.contains("setxattr"));
  }
}
