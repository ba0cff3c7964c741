package dev.jnfs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.server.NfsServer;
import dev.jnfs.server.Squash;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneServerTest {
  @TempDir Path temp;

  private static List<ExportSpec> exportsOf(String... args) throws Exception {
    ServerCommandLine c = ServerCommandLine.parse(args);
    return ExportPlan.of(c.options, c.config);
  }

  /** Starts the server the arguments describe, as {@code serve} does, without waiting. */
  static RunningServer running(String... args) throws Exception {
    ServerCommandLine c = ServerCommandLine.parse(args);
    RunningServer running = new RunningServer(ServerAssembly.of(c.options, new AccessLog(), null),
        () -> ExportPlan.of(ServerCommandLine.parse(args).options, ServerCommandLine.parse(args).config));
    running.start(ExportPlan.of(c.options, c.config));
    return running;
  }

  private static String configurationError(String... args) {
    return assertThrows(StandaloneServer.ConfigurationException.class, () -> exportsOf(args))
        .getMessage();
  }

  @Test
  void leakSamplingIsTurnedOffOnlyWhenTheJvmWasGivenNoLevel() {
    ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
    String asked = System.getProperty(StandaloneServer.LEAK_DETECTION_LEVEL);
    try {
      System.setProperty(StandaloneServer.LEAK_DETECTION_LEVEL, "simple");
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
      StandaloneServer.sampleNoBuffersForLeaksUnlessAsked();
      assertEquals(ResourceLeakDetector.Level.SIMPLE, ResourceLeakDetector.getLevel(), "the level asked for");

      System.clearProperty(StandaloneServer.LEAK_DETECTION_LEVEL);
      StandaloneServer.sampleNoBuffersForLeaksUnlessAsked();
      assertEquals(ResourceLeakDetector.Level.DISABLED, ResourceLeakDetector.getLevel());
    } finally {
      if (asked == null) {
        System.clearProperty(StandaloneServer.LEAK_DETECTION_LEVEL);
      } else {
        System.setProperty(StandaloneServer.LEAK_DETECTION_LEVEL, asked);
      }
      ResourceLeakDetector.setLevel(before);
    }
  }

  @Test
  void withoutDirectoriesAnInMemoryFileSystemIsExportedAsRoot() throws Exception {
    List<ExportSpec> exports = exportsOf();
    assertEquals(1, exports.size());
    assertEquals("/", exports.get(0).path());
    assertEquals(ExportSpec.Backend.MEMORY, exports.get(0).backend());
    assertFalse(exports.get(0).optionSets().get(0).readOnly());
    assertEquals(Squash.ROOT, exports.get(0).optionSets().get(0).squash());
  }

  @Test
  void demoIsExportedBesideTheInMemoryRoot() throws Exception {
    List<ExportSpec> exports = exportsOf("--demo");
    assertEquals(List.of("/", "/demo"), exports.stream().map(ExportSpec::path).toList());
    assertEquals(ExportSpec.Backend.DEMO, exports.get(1).backend());
  }

  @Test
  void directoriesAreExportedUnderTheirNamesWithTheGivenOptions() throws Exception {
    Path a = Files.createDirectory(temp.resolve("alpha"));
    Path b = Files.createDirectories(temp.resolve("x/beta"));
    List<ExportSpec> exports =
        exportsOf("--options", "ro,all_squash", "--clients", "10.0.0.0/8", a.toString(), b.toString());
    assertEquals(List.of("/alpha", "/beta"), exports.stream().map(ExportSpec::path).toList());
    for (ExportSpec e : exports) {
      assertEquals(ExportSpec.Backend.LOCAL, e.backend());
      assertTrue(e.optionSets().get(0).readOnly());
      assertEquals(Squash.ALL, e.optionSets().get(0).squash());
      assertTrue(e.optionSets().get(0).clients().get(0).matches(InetAddress.getByName("10.1.1.1")));
      assertFalse(e.optionSets().get(0).clients().get(0).matches(InetAddress.getByName("11.1.1.1")));
    }
  }

  @Test
  void wrongDirectoriesAreExplained() throws IOException {
    Files.createDirectories(temp.resolve("one/same"));
    Files.createDirectories(temp.resolve("two/same"));
    String twice = configurationError(
        temp.resolve("one/same").toString(), temp.resolve("two/same").toString());
    assertTrue(twice.contains("two exports named /same"), twice);

    String missing = configurationError(temp.resolve("missing").toString());
    assertTrue(missing.contains("is not a directory"), missing);

    Path file = Files.writeString(temp.resolve("file"), "x");
    assertTrue(configurationError(file.toString()).contains("is not a directory"));
  }

  @Test
  void exportsFileDirectoriesKeepTheirPathsAndOptions() throws Exception {
    Path data = Files.createDirectory(temp.resolve("data"));
    Path exportsFile = Files.writeString(temp.resolve("exports"),
        "# test\n" + data + " 127.0.0.1(rw,insecure,no_root_squash)\n");
    List<ExportSpec> exports = exportsOf("--exports", exportsFile.toString());
    assertEquals(1, exports.size());
    ExportSpec e = exports.get(0);
    assertEquals(data.toString(), e.path());
    assertEquals(ExportSpec.Backend.LOCAL, e.backend());
    assertFalse(e.optionSets().get(0).readOnly());
    assertFalse(e.optionSets().get(0).secure());
    assertEquals(Squash.NONE, e.optionSets().get(0).squash());
  }

  @Test
  void exportsFileErrorsNameFileAndLine() throws IOException {
    Path data = Files.createDirectory(temp.resolve("data"));
    Path bad = Files.writeString(temp.resolve("bad"), data + " *(rw)\n" + data + " *(bogus)\n");
    String message = configurationError("--exports", bad.toString());
    assertTrue(message.contains(bad.toString()) && message.contains("line 2"), message);
    assertTrue(message.contains("bogus"), message);

    Path missingDir = Files.writeString(temp.resolve("missing"), "\n" + temp.resolve("nope") + " *\n");
    String notDir = configurationError("--exports", missingDir.toString());
    assertTrue(notDir.contains("line 2") && notDir.contains("is not a directory"), notDir);

    Path empty = Files.writeString(temp.resolve("empty"), "# nothing yet\n");
    String none = configurationError("--exports", empty.toString());
    assertTrue(none.contains("lists no export"), none);

    String unreadable = configurationError("--exports", temp.resolve("absent").toString());
    assertTrue(unreadable.contains("cannot read exports file"), unreadable);
  }

  @Test
  void exitStatusTellsWhatWentWrong() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

    assertEquals(0, StandaloneServer.run(new String[] {"--help"}, o, e));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--portmap-port"));

    assertEquals(2, StandaloneServer.run(new String[] {"--port", "x"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("not a port number"));

    Path bad = Files.writeString(temp.resolve("exports"), "relative *\n");
    err.reset();
    assertEquals(2, StandaloneServer.run(new String[] {"--exports", bad.toString()}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 1"));

    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      err.reset();
      String[] args = {"--bind", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort())};
      assertEquals(1, StandaloneServer.run(args, o, e));
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot start"));
    }
  }

  // ---- through the server, with the libnfs command-line client when it is installed -------

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  static String libnfs(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + output);
    return output;
  }

  @Test
  void closingTheServerClosesTheLocalDirectoryBackendsItMade() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("owned"));
    RunningServer server = running("--bind", "127.0.0.1", "--port", "0", dir.toString());
    // a LocalFileSystem locks its state directory (by default .jnfs in the root) until closed
    Path lock = dir.resolve(".jnfs").resolve("lock");
    assertTrue(lockedInThisProcess(lock), "the export's backend is open while the server runs");
    server.close();
    assertFalse(lockedInThisProcess(lock), "close() closed the backend");
  }

  /** Whether this JVM holds a lock on the file: a second one is then refused at once. */
  private static boolean lockedInThisProcess(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        lock.release();
      }
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    }
  }

  @Test
  void libnfsClientListsReadsAndWritesThroughTheServer() throws Exception {
    assumeTrue(onPath("nfs-ls") && onPath("nfs-cat") && onPath("nfs-cp"), "libnfs-utils not installed");
    Path shared = Files.createDirectory(temp.resolve("shared"));
    try (RunningServer running = running(
        "--bind", "127.0.0.1", "--port", "0", "--mount-port", "0",
        "--options", "rw,insecure,no_root_squash", "--demo", shared.toString())) {
      NfsServer server = running.server();
      String ports = "?nfsport=" + server.port() + "&mountport=" + server.mountPort() + "&version=3";
      String base = "nfs://127.0.0.1";

      String listing = libnfs("nfs-ls", base + "/demo" + ports);
      assertTrue(listing.contains("hello.txt") && listing.contains("numbers"), listing);
      assertEquals("Hello from jnfs!\n", libnfs("nfs-cat", base + "/demo/hello.txt" + ports));

      Path local = Files.writeString(temp.resolve("greeting.txt"), "written over NFS\n");
      libnfs("nfs-cp", local.toString(), base + "/shared/greeting.txt" + ports);
      assertEquals("written over NFS\n", Files.readString(shared.resolve("greeting.txt")));
      assertEquals("written over NFS\n", libnfs("nfs-cat", base + "/shared/greeting.txt" + ports));
      assertTrue(libnfs("nfs-ls", base + "/shared" + ports).contains("greeting.txt"));
    }
  }

  @Test
  void connectionRateOptionRefusesTheConnectionBeyondTheLimit() throws Exception {
    try (RunningServer running = running(
        "--bind", "127.0.0.1", "--port", "0", "--options", "rw,insecure",
        "--max-connection-rate", "2")) {
      NfsServer server = running.server();
      assertTrue(answersNull(server.port()), "first connection");
      assertTrue(answersNull(server.port()), "second connection");
      assertFalse(answersNull(server.port()), "the third connection within a minute is refused");
    }
  }

  /** Sends an NFSv3 NULL call on a new connection; whether a reply came back. */
  private static boolean answersNull(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      ByteBuffer call = ByteBuffer.allocate(44)
          .putInt(0x80000000 | 40)
          .putInt(7).putInt(0).putInt(2) // xid, CALL, RPC version 2
          .putInt(100003).putInt(3).putInt(0) // NFSv3 NULL
          .putInt(0).putInt(0).putInt(0).putInt(0); // AUTH_NONE credential and verifier
      socket.getOutputStream().write(call.array());
      return socket.getInputStream().read() >= 0;
    } catch (SocketException e) {
      return false; // reset by the server
    }
  }
}
