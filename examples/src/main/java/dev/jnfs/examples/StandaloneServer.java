package dev.jnfs.examples;

import io.netty.util.ResourceLeakDetector;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The standalone jnfs server: {@code java -jar jnfs-server.jar [options] [DIR...]}, or a
 * subcommand ({@code serve}, {@code check-config}, {@code install-service}, {@code
 * completion}); see {@link ServerCommandLine}. It serves local directories, the directories
 * of an exports(5) file, the exports of a TOML configuration file, or an in-memory file
 * system, over NFSv3 and NFSv4, prints the ports and mount commands, and runs until it is
 * terminated (SIGTERM or Ctrl-C), when it closes the server cleanly. Run with {@code --help}
 * for the options.
 *
 * <p>Exit status: 0 after a clean shutdown, {@code --help} or a valid {@code check-config}, 1
 * when the server cannot start (a port in use), 2 for a wrong command line or configuration.
 */
public final class StandaloneServer {
  private static final int EXIT_USAGE = 2;
  static final String LEAK_DETECTION_LEVEL = "io.netty.leakDetection.level";

  private StandaloneServer() {}

  /** Thrown for a mistake in what the user asked for; its message is shown as is. */
  static final class ConfigurationException extends Exception {
    private static final long serialVersionUID = 1L;

    ConfigurationException(String message) {
      super(message);
    }
  }

  /**
   * Runs the server (or the subcommand asked for) until the JVM is asked to stop.
   *
   * @param args the command line, see {@code --help}
   */
  public static void main(String[] args) {
    sampleNoBuffersForLeaksUnlessAsked();
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Turns off Netty's sampling of buffers for leaks unless the JVM was given a level ({@code
   * -Dio.netty.leakDetection.level}). Netty's default tracks one buffer in 128 and records a
   * stack trace for each one it tracks, about 4 % of the server's CPU per GETATTR with many
   * clients; the project's tests run with every buffer tracked ({@code paranoid}) instead.
   */
  static void sampleNoBuffersForLeaksUnlessAsked() {
    if (System.getProperty(LEAK_DETECTION_LEVEL) == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }

  /**
   * Runs what the command line asks for.
   *
   * @return the exit status
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter errors = new PrintWriter(err, true, err.charset());
    CommandLine commandLine;
    try {
      commandLine = ServerCommandLine.commandLine(args);
    } catch (CommandLine.ParameterException | ConfigurationException e) {
      return usageError(errors, e.getMessage(), args);
    }
    commandLine.setOut(new PrintWriter(out, true, out.charset()));
    commandLine.setErr(errors);
    commandLine.setParameterExceptionHandler((e, a) -> usageError(errors, e.getMessage(), a));
    commandLine.setExecutionExceptionHandler((e, c, r) -> {
      if (e instanceof ConfigurationException) {
        return usageError(errors, e.getMessage(), args);
      }
      throw e;
    });
    return commandLine.execute(args);
  }

  /** Reports a wrong command line or configuration: exit 2, or 1 when checking it. */
  private static int usageError(PrintWriter err, String message, String[] args) {
    err.println("jnfs-server: " + message);
    boolean checking = "check-config".equals(ServerCommandLine.subcommandOf(args));
    if (!checking) {
      err.println("Run with --help for the options.");
    }
    err.flush();
    return checking ? CheckConfigCommand.EXIT_INVALID : EXIT_USAGE;
  }
}
