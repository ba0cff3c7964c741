package dev.jnfs.examples.modular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Boots {@link ModularServer} in a JVM of its own on the module path — the jnfs modules and
 * their dependencies as modules, nothing on the class path — and checks that the protocol
 * modules were found through {@code ServiceLoader}: NFSv3, NFSv4 and MOUNT answer a NULL call.
 */
class ModulePathBootTest {
  private static final int NFS = 100003;
  private static final int MOUNT = 100005;
  private static final Pattern READY = Pattern.compile("ready port=(\\d+) module=(\\S+)");

  @Test
  void serverBootsOnTheModulePathAndFindsTheProtocolModules() throws Exception {
    Process server = new ProcessBuilder(javaExecutable(), "--module-path", modulePath(),
        "--module", "dev.jnfs.examples.modular/" + ModularServer.class.getName())
        .redirectErrorStream(true)
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      Matcher ready = awaitReady(out);
      assertEquals("dev.jnfs.core", ready.group(2), "NfsServer must load from its module");
      int port = Integer.parseInt(ready.group(1));
      assertEquals(0, nullCall(port, NFS, 3), "NFSv3 NULL");
      assertEquals(0, nullCall(port, NFS, 4), "NFSv4 NULL");
      assertEquals(0, nullCall(port, MOUNT, 3), "MOUNT v3 NULL");
      server.getOutputStream().close();
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), "server stops when its input ends");
      assertEquals(0, server.exitValue());
    } finally {
      server.destroyForcibly();
    }
  }

  private static Matcher awaitReady(BufferedReader out) throws IOException {
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      Matcher m = READY.matcher(line);
      if (m.matches()) {
        return m;
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("the server exited without its ready line:\n" + seen);
  }

  /**
   * The module path: this module's classes and every class-path entry that is a module
   * (explicit or automatic), except the test classes and the test runner's own jars.
   */
  private static String modulePath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (entry.isEmpty() || !Files.exists(path) || path.endsWith("test-classes")
          || entry.contains("surefire") || !isModule(path)) {
        continue;
      }
      entries.add(entry);
    }
    return String.join(File.pathSeparator, entries);
  }

  private static boolean isModule(Path path) {
    try {
      return !ModuleFinder.of(path).findAll().isEmpty();
    } catch (FindException e) {
      return false;
    }
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Sends an RPC NULL call over TCP; returns its accept status (0 is SUCCESS). */
  private static int nullCall(int port, int program, int version) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      ByteBuffer call = ByteBuffer.allocate(44);
      call.putInt(0x80000000 | 40); // record mark: last fragment, 40 bytes
      call.putInt(1).putInt(0).putInt(2); // xid, CALL, RPC version 2
      call.putInt(program).putInt(version).putInt(0); // procedure 0: NULL
      call.putInt(0).putInt(0).putInt(0).putInt(0); // AUTH_NONE credential and verifier
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.write(call.array());
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int length = in.readInt() & 0x7fffffff;
      byte[] reply = new byte[length];
      in.readFully(reply);
      ByteBuffer r = ByteBuffer.wrap(reply);
      assertEquals(1, r.getInt(), "xid");
      assertEquals(1, r.getInt(), "REPLY");
      assertEquals(0, r.getInt(), "MSG_ACCEPTED");
      r.getInt(); // verifier flavor
      int verifierLength = r.getInt();
      r.position(r.position() + verifierLength);
      return r.getInt();
    }
  }
}
