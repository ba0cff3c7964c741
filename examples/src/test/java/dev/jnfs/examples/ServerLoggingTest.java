package dev.jnfs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logging set up from the flags: the rolling file keeps its size and count, levels apply. */
class ServerLoggingTest {
  private static final long MIB = 1024 * 1024;

  @TempDir Path temp;

  /** Puts back the tests' own logging (logback-test.xml). */
  static void restoreTestLogging() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  void theLogFileRollsOverAtItsSizeAndKeepsItsCount() throws Exception {
    Path log = temp.resolve("server.log");
    ServerLogging.configure(ServerCommandLineTest.parse("--log-file", log.toString(),
        "--log-max-size-mb", "1", "--log-max-files", "3"));
    try {
      Logger logger = LoggerFactory.getLogger("dev.jnfs.test");
      String filler = "x".repeat(200);
      for (int i = 0; i < 25_000; i++) { // about 6 MiB: rolled over five times
        logger.info("line {} {}", i, filler);
      }
    } finally {
      restoreTestLogging();
    }
    List<String> files;
    try (Stream<Path> listing = Files.list(temp)) {
      files = listing.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(List.of("server.log", "server.log.1", "server.log.2"), files);
    for (String name : files) {
      long size = Files.size(temp.resolve(name));
      assertTrue(size <= MIB + 1024, name + " is " + size + " bytes");
    }
    assertTrue(Files.size(temp.resolve("server.log.1")) >= MIB, "rolled over at the limit");
    String newest = Files.readString(log);
    assertTrue(newest.contains("line 24999 "), "the current file has the last line");
    assertTrue(newest.contains(" INFO  [") && newest.contains("dev.jnfs.test - line"), newest
        .substring(0, 200));
  }

  @Test
  void levelsApplyGloballyAndPerLogger() throws Exception {
    Path log = temp.resolve("levels.log");
    ServerLogging.configure(ServerCommandLineTest.parse("--log-file", log.toString(),
        "--log-level", "warn,dev.jnfs.chatty=debug"));
    try {
      LoggerFactory.getLogger("dev.jnfs.quiet").info("quiet info");
      LoggerFactory.getLogger("dev.jnfs.quiet").warn("quiet warning");
      LoggerFactory.getLogger("dev.jnfs.chatty.child").debug("chatty debug");
      LoggerFactory.getLogger("dev.jnfs.chatty").trace("chatty trace");
    } finally {
      restoreTestLogging();
    }
    String text = readQuietly(log);
    assertFalse(text.contains("quiet info"), text);
    assertTrue(text.contains("quiet warning"), text);
    assertTrue(text.contains("chatty debug"), text);
    assertFalse(text.contains("chatty trace"), text);
  }

  private static String readQuietly(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }
}
