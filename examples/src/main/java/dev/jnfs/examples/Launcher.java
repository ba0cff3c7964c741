package dev.jnfs.examples;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How to start this server again from a service manager: the distribution's launcher
 * ({@code bin/jnfs-server}, or {@code bin\jnfs-server.cmd} on Windows) when running from the
 * distribution's {@code lib/}, else {@code java -jar jnfs-server.jar}, else (classes on a class
 * path, as in a build) {@code java -cp CLASSPATH} and the main class. Paths are absolute.
 */
final class Launcher {
  private Launcher() {}

  /**
   * @param windows whether the command is for Windows
   * @return the program and its arguments that start the server
   */
  static List<String> command(boolean windows) {
    Path java = Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
    Path location = codeLocation();
    if (location != null && Files.isRegularFile(location)) {
      Path lib = location.getParent();
      Path bin = lib == null || lib.getParent() == null ? null : lib.getParent().resolve("bin");
      Path script = bin == null ? null : bin.resolve(windows ? "jnfs-server.cmd" : "jnfs-server");
      if (lib != null && lib.getFileName().toString().equals("lib") && Files.exists(script)) {
        return List.of(script.toString());
      }
      if (location.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar")) {
        return List.of(java.toString(), "-jar", location.toString());
      }
    }
    List<String> command = new ArrayList<>(List.of(java.toString()));
    command.addAll(List.of("--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        StandaloneServer.class.getName()));
    return command;
  }

  private static Path codeLocation() {
    try {
      var source = StandaloneServer.class.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath();
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return null;
    }
  }
}
