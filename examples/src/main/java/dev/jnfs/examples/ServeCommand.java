package dev.jnfs.examples;

import dev.jnfs.examples.StandaloneServer.ConfigurationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code serve}, what the server does without a subcommand: sets up logging, opens the
 * exports, starts the server, prints its ports and mount commands, reloads the exports on
 * SIGHUP, and runs until the JVM is asked to stop (SIGTERM, Ctrl-C), when it closes the
 * server cleanly.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    usageHelpWidth = 100, description = "Serve (what jnfs-server does without a subcommand).")
final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);
  private static final int EXIT_START_FAILED = 1;
  private static final int CERTIFICATE_CHECK_SECONDS = 60;

  @ParentCommand ServerCommandLine root;

  @Override
  public Integer call() throws ConfigurationException {
    return serve(root);
  }

  /**
   * Serves what the command line and its configuration file describe until the JVM stops.
   *
   * @return the exit status: 0 after a clean shutdown, 1 if the server could not start
   * @throws ConfigurationException if the settings or exports are wrong
   */
  static int serve(ServerCommandLine command) throws ConfigurationException {
    ServerOptions options = command.options;
    PrintWriter out = command.spec.commandLine().getOut();
    PrintWriter err = command.spec.commandLine().getErr();
    ServerLogging.configure(options);
    List<ExportSpec> specs = ExportPlan.of(options, command.config);
    MetricsEndpoint metrics;
    try {
      metrics = startMetrics(options);
    } catch (IOException e) {
      err.println("jnfs-server: cannot serve metrics: " + e.getMessage());
      err.flush();
      return EXIT_START_FAILED;
    }
    ServerAssembly assembly;
    try {
      assembly = ServerAssembly.of(
          options, new AccessLog(), metrics == null ? null : metrics.registry());
    } catch (ConfigurationException e) {
      closeQuietly(metrics);
      throw e;
    }
    String[] args = command.args();
    RunningServer running = new RunningServer(assembly, () -> rereadExports(args));
    try {
      running.start(specs);
    } catch (ConfigurationException e) {
      running.close();
      closeQuietly(metrics);
      throw e;
    } catch (RuntimeException e) {
      err.println("jnfs-server: cannot start: " + e.getMessage());
      err.flush();
      running.close();
      closeQuietly(metrics);
      return EXIT_START_FAILED;
    }
    if (assembly.tls() != null) {
      watchCertificates(running);
    }
    if (ReloadSignal.install(running::reload)) {
      log.debug("SIGHUP reloads the exports");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // NfsServer.close() returns in bounded time even with calls stuck in flight, so the
    // process ends on SIGTERM; the latch is released whatever close() does
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("jnfs-server: stopping");
      out.flush();
      try {
        running.close();
        closeQuietly(metrics);
      } finally {
        stopped.countDown();
      }
    }, "jnfs-shutdown"));
    new ReadyMessage(running.server(), options, specs).print(out);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Starts the metrics endpoint {@code --metrics-port} and {@code --metrics-jmx} ask for, on the
   * server's {@code --bind} address.
   *
   * @return the endpoint, or null when neither was asked for
   * @throws IOException if the port cannot be bound
   */
  private static MetricsEndpoint startMetrics(ServerOptions options) throws IOException {
    boolean jmx = options.metricsJmx != null && options.metricsJmx.on();
    if (options.metricsPort == null && !jmx) {
      return null;
    }
    InetAddress address = options.bind == null ? null : InetAddress.getByName(options.bind);
    return MetricsEndpoint.start(
        address, options.metricsPort == null ? -1 : options.metricsPort, jmx);
  }

  private static void closeQuietly(MetricsEndpoint metrics) {
    if (metrics != null) {
      metrics.close();
    }
  }

  /** Parses the original arguments again, with the configuration file as it is now. */
  private static List<ExportSpec> rereadExports(String[] args) throws ConfigurationException {
    try {
      ServerCommandLine again = ServerCommandLine.parse(args);
      return ExportPlan.of(again.options, again.config);
    } catch (CommandLine.ParameterException e) {
      throw new ConfigurationException(e.getMessage());
    }
  }

  /**
   * Rereads the TLS certificate and key every minute when their files changed (a renewal), so
   * new connections get the new certificate without a restart.
   */
  private static void watchCertificates(RunningServer running) {
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "jnfs-tls-watch");
      t.setDaemon(true);
      return t;
    });
    watcher.scheduleWithFixedDelay(running::reloadCertificate,
        CERTIFICATE_CHECK_SECONDS, CERTIFICATE_CHECK_SECONDS, TimeUnit.SECONDS);
  }
}
