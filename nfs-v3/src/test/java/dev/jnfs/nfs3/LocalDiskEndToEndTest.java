package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.server.ExportOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NFSv3 over a real directory (the nfs-localfs backend) through libnfs: what a client writes
 * lands in the directory, and what is in the directory reaches the client.
 */
class LocalDiskEndToEndTest {

  @Test
  void copyListAndCatThroughLocalDirectory(@TempDir Path dir, @TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(LibnfsToolsTest.onPath("nfs-cp") || "true".equals(System.getenv("CI")),
        "libnfs-utils not installed");
    Path exported = Files.createDirectory(dir.resolve("exported"));
    Files.writeString(exported.resolve("existing.txt"), "was here before\n");
    Files.createDirectory(exported.resolve("sub"));
    ExportOptions rw = ExportOptions.DEFAULT.with("insecure,no_root_squash");
    try (RunningServer server = RunningServer.start(false,
        new Export("/disk", null, LocalFileSystem.of(exported), rw))) {
      byte[] data = new byte[2 * 1024 * 1024 + 3];
      new Random(7).nextBytes(data);
      Path local = tmp.resolve("blob");
      Files.write(local, data);
      LibnfsToolsTest.Result up = LibnfsToolsTest.run("nfs-cp", local.toString(), server.url("/disk/sub/blob"));
      assertEquals(0, up.exit(), up.output());
      assertArrayEquals(data, Files.readAllBytes(exported.resolve("sub/blob")));

      LibnfsToolsTest.Result cat = LibnfsToolsTest.run("nfs-cat", server.url("/disk/existing.txt"));
      assertEquals(0, cat.exit(), cat.output());
      assertEquals("was here before\n", cat.output());

      LibnfsToolsTest.Result ls = LibnfsToolsTest.run("nfs-ls", server.url("/disk"));
      assertEquals(0, ls.exit(), ls.output());
      assertTrue(ls.output().contains(" existing.txt"), ls.output());
      assertTrue(ls.output().contains(" sub"), ls.output());
      assertFalse(ls.output().contains(".jnfs"), "the backend's state directory stays hidden: " + ls.output());
    }
  }

  @Test
  void largeFilesReadFromTheDirectoryArriveIntact(@TempDir Path dir, @TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(LibnfsToolsTest.onPath("nfs-cp") || "true".equals(System.getenv("CI")),
        "libnfs-utils not installed");
    Path exported = Files.createDirectory(dir.resolve("exported"));
    // large reads go from the file to the socket (zero-copy); odd sizes need XDR padding
    byte[] data = new byte[5 * 1024 * 1024 + 7];
    new Random(9).nextBytes(data);
    Files.write(exported.resolve("big"), data);
    ExportOptions rw = ExportOptions.DEFAULT.with("insecure,no_root_squash");
    try (RunningServer server = RunningServer.start(false,
        new Export("/disk", null, LocalFileSystem.of(exported), rw))) {
      for (int i = 0; i < 3; i++) {
        Path local = tmp.resolve("copy" + i);
        LibnfsToolsTest.Result down = LibnfsToolsTest.run("nfs-cp", server.url("/disk/big"), local.toString());
        assertEquals(0, down.exit(), down.output());
        assertArrayEquals(data, Files.readAllBytes(local));
      }
    }
  }
}
