package dev.jnfs.nfs3;

import static dev.jnfs.nfs3.Nfs3OverRpcTest.ROOT;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.args;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.mount;
import static dev.jnfs.nfs3.Nfs3Replies.name;
import static dev.jnfs.nfs3.Nfs3Replies.noSattr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MKNOD on a local-directory export makes real FIFOs, sockets and devices on the disk: devices
 * only for a caller that is root after squashing (anyone else gets PERM, as mknod(2) answers
 * without CAP_MKNOD); READ, WRITE and COMMIT of a device or FIFO answer INVAL without the
 * server opening the node; its attributes, name and links change like any other object's.
 */
class LocalDiskSpecialFilesTest {
  private static final int NFS = Nfs3Program.PROGRAM;
  private static final int OK = 0;
  private static final int PERM = 1;
  private static final int INVAL = 22;
  private static final Credential USER = new Credential.Sys(1, "test", 1000, 1000, new int[0]);
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  @TempDir
  Path open;
  @TempDir
  Path squashed;
  LocalFileSystem openFs;
  LocalFileSystem squashedFs;
  RunningServer server;
  RpcTestClient client;

  @BeforeEach
  void start() throws Exception {
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(squashed, PosixFilePermissions.fromString("rwxrwxrwx"));
    openFs = LocalFileSystem.of(open);
    squashedFs = LocalFileSystem.of(squashed);
    server = RunningServer.start(false,
        new Export("/open", null, openFs, ExportOptions.DEFAULT.with("rw,insecure,no_root_squash")),
        new Export("/squashed", null, squashedFs, ExportOptions.DEFAULT.with("rw,insecure,root_squash")));
    client = RpcTestClient.connect(server.nfsAddress());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
    openFs.close();
    squashedFs.close();
  }

  @Test
  void rootMakesEveryKindOfNodeOnTheDisk() throws Exception {
    assumeRoot();
    byte[] root = mount(client, "/open");
    Nfs3Replies.Fattr fifo = attributes(mknod(ROOT, root, "fifo", Nfs3Xdr.NF3FIFO, 0, 0, OK));
    Nfs3Replies.Fattr socket = attributes(mknod(ROOT, root, "socket", Nfs3Xdr.NF3SOCK, 0, 0, OK));
    Nfs3Replies.Fattr chr = attributes(mknod(ROOT, root, "zero", Nfs3Xdr.NF3CHR, 1, 5, OK));
    Nfs3Replies.Fattr blk = attributes(mknod(ROOT, root, "blk", Nfs3Xdr.NF3BLK, 259, 70_000, OK));
    assertEquals(Nfs3Xdr.NF3FIFO, fifo.type());
    assertEquals(Nfs3Xdr.NF3SOCK, socket.type());
    assertEquals(Nfs3Xdr.NF3CHR, chr.type());
    assertEquals(Nfs3Xdr.NF3BLK, blk.type());
    assertEquals(0640, chr.mode() & 07777);
    assertEquals(1, chr.major());
    assertEquals(5, chr.minor());
    assertEquals(259, blk.major());
    assertEquals(70_000, blk.minor());

    assertEquals(0010000, diskMode(open.resolve("fifo")) & 0170000);
    assertEquals(0140000, diskMode(open.resolve("socket")) & 0170000);
    assertEquals(0020000, diskMode(open.resolve("zero")) & 0170000);
    assertEquals(0060000, diskMode(open.resolve("blk")) & 0170000);
    // glibc's makedev(1, 5) and makedev(259, 70000)
    assertEquals(0x105L, ((Number) Files.getAttribute(open.resolve("zero"), "unix:rdev", NOFOLLOW)).longValue());
    assertEquals(0x11110370L,
        ((Number) Files.getAttribute(open.resolve("blk"), "unix:rdev", NOFOLLOW)).longValue());

    byte[] handle = lookup(root, "blk");
    XdrDecoder getattr = call(ROOT, Nfs3Program.GETATTR, e -> e.writeOpaque(handle));
    assertEquals(OK, getattr.readInt());
    Nfs3Replies.Fattr again = Nfs3Replies.fattr(getattr);
    assertEquals(Nfs3Xdr.NF3BLK, again.type());
    assertEquals(259, again.major());
    assertEquals(70_000, again.minor());
  }

  @Test
  void devicesNeedRootAfterSquashingWhileFifosAndSocketsNeedOnlyWriteAccess() throws Exception {
    assumeRoot();
    byte[] open = mount(client, "/open");
    mknod(USER, open, "chr", Nfs3Xdr.NF3CHR, 1, 3, PERM);
    mknod(USER, open, "blk", Nfs3Xdr.NF3BLK, 7, 0, PERM);
    assertFalse(Files.exists(this.open.resolve("chr"), NOFOLLOW));
    assertEquals(1000, attributes(mknod(USER, open, "fifo", Nfs3Xdr.NF3FIFO, 0, 0, OK)).uid());
    assertEquals(1000, attributes(mknod(USER, open, "socket", Nfs3Xdr.NF3SOCK, 0, 0, OK)).uid());

    byte[] squashedRoot = mount(client, "/squashed");
    mknod(ROOT, squashedRoot, "chr", Nfs3Xdr.NF3CHR, 1, 3, PERM);
    assertFalse(Files.exists(squashed.resolve("chr"), NOFOLLOW));
    mknod(ROOT, squashedRoot, "fifo", Nfs3Xdr.NF3FIFO, 0, 0, OK);
  }

  @Test
  void ioOnADeviceOrFifoAnswersInvalWithoutOpeningIt() throws Exception {
    assumeRoot();
    byte[] root = mount(client, "/open");
    // a node of /dev/zero: were it opened, READ would answer zeros
    byte[] zero = handle(mknod(ROOT, root, "zero", Nfs3Xdr.NF3CHR, 1, 5, OK));
    // were a FIFO opened for reading, the call would wait for a writer
    byte[] fifo = handle(mknod(ROOT, root, "fifo", Nfs3Xdr.NF3FIFO, 0, 0, OK));
    for (byte[] node : new byte[][] {zero, fifo}) {
      assertEquals(INVAL, call(ROOT, Nfs3Program.READ, e -> e.writeOpaque(node).writeHyper(0).writeInt(16)).readInt());
      assertEquals(INVAL, call(ROOT, Nfs3Program.WRITE, e -> e.writeOpaque(node).writeHyper(0).writeInt(1)
          .writeInt(2).writeOpaque(new byte[] {1})).readInt());
      assertEquals(INVAL, call(ROOT, Nfs3Program.COMMIT, e -> e.writeOpaque(node).writeHyper(0).writeInt(0)).readInt());
    }
  }

  @Test
  void attributesNamesAndLinksOfADeviceChangeLikeAnyObjects() throws Exception {
    assumeRoot();
    byte[] root = mount(client, "/open");
    byte[] zero = handle(mknod(ROOT, root, "zero", Nfs3Xdr.NF3CHR, 1, 5, OK));
    Instant when = Instant.parse("2020-01-02T03:04:05.123456789Z");
    XdrDecoder setattr = call(ROOT, Nfs3Program.SETATTR, e -> {
      e.writeOpaque(zero);
      e.writeBoolean(true).writeInt(0600);
      e.writeBoolean(false).writeBoolean(false).writeBoolean(false);
      e.writeInt(2).writeInt((int) when.getEpochSecond()).writeInt(when.getNano());
      e.writeInt(2).writeInt((int) when.getEpochSecond()).writeInt(when.getNano());
      e.writeBoolean(false);
    });
    assertEquals(OK, setattr.readInt());
    Nfs3Replies.Fattr after = Nfs3Replies.wcc(setattr).after();
    assertEquals(0600, after.mode() & 07777);
    assertEquals(when, after.mtime());
    assertEquals(Nfs3Xdr.NF3CHR, after.type());
    assertEquals(when.toEpochMilli(),
        Files.getLastModifiedTime(open.resolve("zero"), NOFOLLOW).toMillis());

    assertEquals(OK, call(ROOT, Nfs3Program.RENAME, e -> {
      e.writeOpaque(root);
      name(e, "zero");
      e.writeOpaque(root);
      name(e, "null-ish");
    }).readInt());
    assertEquals(OK, call(ROOT, Nfs3Program.LINK, e -> {
      e.writeOpaque(zero);
      e.writeOpaque(root);
      name(e, "second");
    }).readInt());
    XdrDecoder getattr = call(ROOT, Nfs3Program.GETATTR, e -> e.writeOpaque(zero));
    assertEquals(OK, getattr.readInt());
    Nfs3Replies.Fattr linked = Nfs3Replies.fattr(getattr);
    assertEquals(2, linked.nlink());
    assertEquals(5, linked.minor());
    assertArrayEquals(zero, lookup(root, "second"));
    for (String name : new String[] {"null-ish", "second"}) {
      assertEquals(OK, call(ROOT, Nfs3Program.REMOVE, e -> {
        e.writeOpaque(root);
        name(e, name);
      }).readInt());
      assertFalse(Files.exists(open.resolve(name), NOFOLLOW));
    }
  }

  private void assumeRoot() throws Exception {
    assumeTrue(((Number) Files.getAttribute(open, "unix:uid")).intValue() == 0,
        "device nodes can only be made by a server running as root");
  }

  private static int diskMode(Path path) throws Exception {
    return (Integer) Files.getAttribute(path, "unix:mode", NOFOLLOW);
  }

  /** MKNOD with mode 0640; returns the decoder after the status. */
  private XdrDecoder mknod(Credential who, byte[] dir, String name, int type, int major, int minor,
      int expected) throws Exception {
    XdrDecoder d = call(who, Nfs3Program.MKNOD, e -> {
      e.writeOpaque(dir);
      name(e, name);
      e.writeInt(type);
      Nfs3Replies.modeSattr(e, 0640);
      if (type == Nfs3Xdr.NF3CHR || type == Nfs3Xdr.NF3BLK) {
        e.writeInt(major).writeInt(minor);
      }
    });
    assertEquals(expected, d.readInt(), "MKNOD " + name);
    return d;
  }

  private static byte[] handle(XdrDecoder afterStatus) {
    byte[] handle = Nfs3Replies.postOpFh(afterStatus);
    assertTrue(handle != null);
    return handle;
  }

  private static Nfs3Replies.Fattr attributes(XdrDecoder afterStatus) {
    handle(afterStatus);
    return Nfs3Replies.postOp(afterStatus);
  }

  private byte[] lookup(byte[] dir, String name) throws Exception {
    XdrDecoder d = call(ROOT, Nfs3Program.LOOKUP, e -> {
      e.writeOpaque(dir);
      name(e, name);
    });
    assertEquals(OK, d.readInt(), "LOOKUP " + name);
    return d.readOpaque(64);
  }

  private XdrDecoder call(Credential who, int procedure, Consumer<XdrEncoder> arguments) throws Exception {
    RpcReply r = client.call(NFS, 3, procedure, who, args(arguments));
    assertTrue(r.isSuccess());
    return r.decoder();
  }
}
