package dev.jnfs.nfs3;

import static dev.jnfs.nfs3.Nfs3OverRpcTest.ROOT;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.args;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.mount;
import static dev.jnfs.nfs3.Nfs3Replies.modeSattr;
import static dev.jnfs.nfs3.Nfs3Replies.name;
import static dev.jnfs.nfs3.Nfs3Replies.noSattr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.testing.RecordingFileSystem;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.Access;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Through a real server: optional operations of a backend without the capability answer
 * NOTSUPP, and every change to a read-only backend (exported {@code rw}) answers ROFS, in both
 * cases without the backend being called.
 */
class Nfs3OptionalAndReadOnlyTest {
  static final int NFS = Nfs3Program.PROGRAM;
  static final int OK = 0;
  static final int ROFS = 30;
  static final int NOTSUPP = 10004;
  static final byte[] CONTENT = "read me".getBytes(StandardCharsets.US_ASCII);

  final RecordingFileSystem plain = new RecordingFileSystem(Set.of(), false);
  final RecordingFileSystem readOnly = new RecordingFileSystem(Set.of(), true);
  RunningServer server;
  RpcTestClient client;

  @BeforeEach
  void start() throws Exception {
    for (RecordingFileSystem r : new RecordingFileSystem[] {plain, readOnly}) {
      Caller root = Caller.of(0, 0);
      FileHandle f = r.delegate.create(root, r.delegate.root(), "f", CreateMode.GUARDED,
          SetAttributes.mode(0644), 0).handle();
      r.delegate.write(root, f, 0, ByteBuffer.wrap(CONTENT), Stability.FILE_SYNC);
      r.delegate.mkdir(root, r.delegate.root(), "d", SetAttributes.mode(0755));
    }
    ExportOptions rw = ExportOptions.DEFAULT.with("rw,insecure,no_root_squash");
    server = RunningServer.start(false,
        new Export("/plain", null, plain.backend, rw), new Export("/ro", null, readOnly.backend, rw));
    client = RpcTestClient.connect(server.nfsAddress());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
  }

  XdrDecoder call(int procedure, Consumer<XdrEncoder> arguments) throws Exception {
    RpcReply r = client.call(NFS, 3, procedure, ROOT, args(arguments));
    assertTrue(r.isSuccess());
    return r.decoder();
  }

  byte[] lookup(byte[] dir, String name) throws Exception {
    XdrDecoder d = call(Nfs3Program.LOOKUP, e -> {
      e.writeOpaque(dir);
      name(e, name);
    });
    assertEquals(OK, d.readInt(), "LOOKUP " + name);
    return d.readOpaque(64);
  }

  int status(int procedure, Consumer<XdrEncoder> arguments) throws Exception {
    return call(procedure, arguments).readInt();
  }

  @Test
  void optionalOperationsWithoutTheirCapabilityAnswerNotsuppWithoutCallingTheBackend()
      throws Exception {
    byte[] root = mount(client, "/plain");
    byte[] file = lookup(root, "f");
    assertEquals(NOTSUPP, status(Nfs3Program.SYMLINK, e -> {
      e.writeOpaque(root);
      name(e, "link");
      noSattr(e);
      e.writeString("f");
    }));
    assertEquals(NOTSUPP, status(Nfs3Program.READLINK, e -> e.writeOpaque(file)));
    assertEquals(NOTSUPP, status(Nfs3Program.LINK, e -> {
      e.writeOpaque(file);
      e.writeOpaque(root);
      name(e, "hard");
    }));
    assertEquals(NOTSUPP, status(Nfs3Program.MKNOD, e -> {
      e.writeOpaque(root);
      name(e, "fifo");
      e.writeInt(Nfs3Xdr.NF3FIFO);
      noSattr(e);
    }));
    Set<String> optional = Set.of("symlink", "readlink", "link", "mknod");
    assertTrue(intersection(plain.called, optional).isEmpty(), "called: " + plain.called);
    assertTrue(plain.called.contains("lookup"), "the backend does serve the export");
  }

  @Test
  void aReadOnlyBackendReadsAndAnswersRofsToEveryChangeWithoutBeingCalled() throws Exception {
    byte[] root = mount(client, "/ro");
    byte[] file = lookup(root, "f");
    XdrDecoder read = call(Nfs3Program.READ, e -> e.writeOpaque(file).writeHyper(0).writeInt(100));
    assertEquals(OK, read.readInt());
    Nfs3Replies.postOp(read);
    assertEquals(CONTENT.length, read.readInt());
    assertTrue(read.readBoolean());
    assertArrayEquals(CONTENT, read.readOpaque(100));
    for (byte[] object : new byte[][] {root, file}) {
      XdrDecoder access = call(Nfs3Program.ACCESS, e -> e.writeOpaque(object).writeInt(Access.ALL));
      assertEquals(OK, access.readInt());
      Nfs3Replies.postOp(access);
      int granted = access.readInt();
      assertEquals(Access.READ, granted & Access.READ);
      assertEquals(0, granted & (Access.MODIFY | Access.EXTEND | Access.DELETE));
    }

    assertEquals(ROFS, status(Nfs3Program.SETATTR, e -> {
      e.writeOpaque(file);
      modeSattr(e, 0600);
      e.writeBoolean(false);
    }));
    assertEquals(ROFS, status(Nfs3Program.WRITE, e -> e.writeOpaque(file).writeHyper(0).writeInt(1)
        .writeInt(2).writeOpaque(new byte[] {1})));
    assertEquals(ROFS, status(Nfs3Program.CREATE, e -> {
      e.writeOpaque(root);
      name(e, "new");
      e.writeInt(0); // UNCHECKED
      noSattr(e);
    }));
    assertEquals(ROFS, status(Nfs3Program.MKDIR, e -> {
      e.writeOpaque(root);
      name(e, "new");
      noSattr(e);
    }));
    assertEquals(ROFS, status(Nfs3Program.SYMLINK, e -> {
      e.writeOpaque(root);
      name(e, "new");
      noSattr(e);
      e.writeString("f");
    }));
    assertEquals(ROFS, status(Nfs3Program.MKNOD, e -> {
      e.writeOpaque(root);
      name(e, "new");
      e.writeInt(Nfs3Xdr.NF3FIFO);
      noSattr(e);
    }));
    assertEquals(ROFS, status(Nfs3Program.LINK, e -> {
      e.writeOpaque(file);
      e.writeOpaque(root);
      name(e, "new");
    }));
    assertEquals(ROFS, status(Nfs3Program.REMOVE, e -> {
      e.writeOpaque(root);
      name(e, "f");
    }));
    assertEquals(ROFS, status(Nfs3Program.RMDIR, e -> {
      e.writeOpaque(root);
      name(e, "d");
    }));
    assertEquals(ROFS, status(Nfs3Program.RENAME, e -> {
      e.writeOpaque(root);
      name(e, "f");
      e.writeOpaque(root);
      name(e, "g");
    }));
    assertTrue(intersection(readOnly.called, RecordingFileSystem.MODIFYING).isEmpty(),
        "called: " + readOnly.called);
    assertTrue(readOnly.called.contains("read"));
    lookup(root, "f");
    lookup(root, "d");
  }

  private static Set<String> intersection(Set<String> a, Set<String> b) {
    Set<String> both = new HashSet<>(a);
    both.retainAll(b);
    return both;
  }
}
