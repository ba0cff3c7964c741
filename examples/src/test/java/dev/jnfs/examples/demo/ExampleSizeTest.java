package dev.jnfs.examples.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example backends stay as small as promised: their whole source, Javadoc included. */
class ExampleSizeTest {
  private static long lines(String className) throws IOException {
    try (var lines = Files.lines(Path.of("src/main/java/dev/jnfs/examples/demo", className + ".java"))) {
      return lines.count();
    }
  }

  @Test
  void helloFileSystemFitsIn200Lines() throws IOException {
    long n = lines("HelloFileSystem");
    assertTrue(n <= 200, "HelloFileSystem has " + n + " lines");
  }

  @Test
  void mapFileSystemFitsIn300Lines() throws IOException {
    long n = lines("MapFileSystem");
    assertTrue(n <= 300, "MapFileSystem has " + n + " lines");
  }
}
