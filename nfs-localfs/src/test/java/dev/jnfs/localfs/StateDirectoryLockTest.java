package dev.jnfs.localfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Another process serving the same directory is refused: two writers would share ids. */
class StateDirectoryLockTest {

  /** Run in a child process: serves the directory given as argument until stdin closes. */
  public static void main(String[] args) throws Exception {
    try (LocalFileSystem fs = LocalFileSystem.of(Path.of(args[0]))) {
      System.out.println("ready " + fs.root());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our input
      }
    }
  }

  @Test
  void aSecondProcessCannotUseTheSameStateDirectory() throws Exception {
    Path root = Files.createTempDirectory("jnfs-lock");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        StateDirectoryLockTest.class.getName(), root.toString())).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("ready"));
      assertTrue(line != null, "the child process started serving");
      IOException refused = assertThrows(IOException.class, () -> LocalFileSystem.of(root));
      assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
      child.getOutputStream().close();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child process ended");
      assertEquals(0, child.exitValue());
      // once it is gone, the directory can be served again
      LocalFileSystem.of(root).close();
    } finally {
      child.destroyForcibly();
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
