package dev.jnfs.nfs3;

import static dev.jnfs.nfs3.Nfs3OverRpcTest.ROOT;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.args;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.mount;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.xdr.XdrDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handles of a local-directory export outlive the server process: a client that holds a file's
 * and a directory's handle keeps reading and listing with them after the server is stopped and
 * a new one is started on the same directory, and the file's handle turns STALE once the file
 * is deleted on disk.
 */
class LocalDiskRestartTest {
  private static final int NFS = Nfs3Program.PROGRAM;
  private static final ExportOptions RW = ExportOptions.DEFAULT.with("insecure,no_root_squash");

  @Test
  void handlesReadAndListAfterARestartAndGoStaleWhenDeletedOnDisk(@TempDir Path exported)
      throws Exception {
    Files.createDirectory(exported.resolve("d"));
    Files.writeString(exported.resolve("d/f"), "kept across restarts\n");
    Files.writeString(exported.resolve("d/g"), "a neighbour\n");

    byte[] dir;
    byte[] file;
    try (LocalFileSystem fs = LocalFileSystem.of(exported);
        RunningServer first = RunningServer.start(false, new Export("/disk", null, fs, RW));
        RpcTestClient c = RpcTestClient.connect(first.nfsAddress())) {
      byte[] root = mount(c, "/disk");
      dir = lookup(c, root, "d");
      file = lookup(c, dir, "f");
    }

    try (LocalFileSystem fs = LocalFileSystem.of(exported);
        RunningServer second = RunningServer.start(false, new Export("/disk", null, fs, RW));
        RpcTestClient c = RpcTestClient.connect(second.nfsAddress())) {
      assertArrayEquals("kept across restarts\n".getBytes(StandardCharsets.UTF_8), read(c, file));
      assertEquals(List.of("f", "g"), list(c, dir).stream().sorted().toList());

      Files.delete(exported.resolve("d/f"));
      RpcReply r = c.call(NFS, 3, Nfs3Program.GETATTR, ROOT, args(e -> e.writeOpaque(file)));
      assertEquals(Nfs3ProgramTest.STALE, r.decoder().readInt());
      assertEquals(List.of("g"), list(c, dir));
    }
  }

  private static byte[] lookup(RpcTestClient c, byte[] directory, String name) throws IOException {
    RpcReply r = c.call(NFS, 3, Nfs3Program.LOOKUP, ROOT, args(e -> {
      e.writeOpaque(directory);
      Nfs3Replies.name(e, name);
    }));
    XdrDecoder d = r.decoder();
    assertEquals(0, d.readInt(), "LOOKUP " + name);
    return d.readOpaque(64);
  }

  private static byte[] read(RpcTestClient c, byte[] file) throws IOException {
    RpcReply r = c.call(NFS, 3, Nfs3Program.READ, ROOT,
        args(e -> e.writeOpaque(file).writeHyper(0).writeInt(4096)));
    XdrDecoder d = r.decoder();
    assertEquals(0, d.readInt(), "READ");
    Nfs3Replies.postOp(d);
    int count = d.readInt();
    assertTrue(d.readBoolean(), "eof");
    byte[] data = d.readOpaque(count);
    assertEquals(count, data.length);
    return data;
  }

  /** @return the names in one READDIR of the directory, without "." and ".." */
  private static List<String> list(RpcTestClient c, byte[] directory) throws IOException {
    RpcReply r = c.call(NFS, 3, Nfs3Program.READDIR, ROOT,
        args(e -> e.writeOpaque(directory).writeHyper(0).writeFixedOpaque(new byte[8]).writeInt(8192)));
    XdrDecoder d = r.decoder();
    assertEquals(0, d.readInt(), "READDIR");
    Nfs3Replies.postOp(d);
    d.readFixedOpaque(8);
    List<String> names = new ArrayList<>();
    while (d.readBoolean()) {
      d.readHyper();
      String name = new String(d.readOpaque(255), StandardCharsets.UTF_8);
      d.readHyper();
      if (!name.equals(".") && !name.equals("..")) {
        names.add(name);
      }
    }
    assertTrue(d.readBoolean(), "eof");
    return names;
  }
}
