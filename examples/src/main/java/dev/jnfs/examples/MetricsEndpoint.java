package dev.jnfs.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exposes a server's metrics: Prometheus text at {@code http://ADDRESS:PORT/metrics} (GET or
 * HEAD; other paths answer 404, other methods 405), and optionally the same meters as JMX
 * MBeans in the platform MBean server (domain {@code metrics}). Hand {@link #registry()} to
 * {@code NfsServer.Builder.meterRegistry}; close the endpoint after the server.
 *
 * <pre>{@code
 * try (MetricsEndpoint metrics = MetricsEndpoint.start(null, 9100, true);
 *     NfsServer server = NfsServer.builder().meterRegistry(metrics.registry())...build()) {
 *   server.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Scrapes are answered one at a time on a thread of the endpoint's own. An endpoint may
 * also publish over JMX only, without HTTP. Thread-safe.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
  /** The Prometheus text exposition format, version 0.0.4. */
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String PATH = "/metrics";

  private final CompositeMeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private final JmxMeterRegistry jmx;
  private final HttpServer http;
  private final ExecutorService scrapes;

  private MetricsEndpoint(
      CompositeMeterRegistry registry,
      PrometheusMeterRegistry prometheus,
      JmxMeterRegistry jmx,
      HttpServer http,
      ExecutorService scrapes) {
    this.registry = registry;
    this.prometheus = prometheus;
    this.jmx = jmx;
    this.http = http;
    this.scrapes = scrapes;
  }

  /**
   * Starts serving {@code /metrics} and, if asked, registers the JMX registry.
   *
   * @param address the address to listen on; null for every address
   * @param port the HTTP port; 0 for an ephemeral one ({@link #port()} tells which); -1 for no
   *     HTTP endpoint (JMX only)
   * @param withJmx whether to publish the meters as JMX MBeans
   * @return the running endpoint
   * @throws IOException if the port cannot be bound
   * @throws IllegalArgumentException if the port is out of range, or there is neither HTTP nor
   *     JMX
   */
  public static MetricsEndpoint start(InetAddress address, int port, boolean withJmx)
      throws IOException {
    if (port < -1 || port > 0xFFFF || (port == -1 && !withJmx)) {
      throw new IllegalArgumentException(
          port == -1 ? "neither HTTP nor JMX asked for" : "port out of range: " + port);
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CompositeMeterRegistry registry = new CompositeMeterRegistry().add(prometheus);
    HttpServer http = null;
    ExecutorService scrapes = null;
    if (port >= 0) {
      try {
        http =
            HttpServer.create(
                address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port),
                0);
      } catch (IOException e) {
        prometheus.close();
        throw e;
      }
      scrapes =
          Executors.newSingleThreadExecutor(
              Thread.ofPlatform().name("jnfs-metrics").daemon().factory());
      http.setExecutor(scrapes);
      http.createContext(PATH, exchange -> answer(exchange, prometheus));
      http.start();
      log.info(
          "metrics at http://{}:{}{}",
          address == null ? "*" : address.getHostAddress(),
          http.getAddress().getPort(),
          PATH);
    }
    JmxMeterRegistry jmx = null;
    if (withJmx) {
      jmx = new JmxMeterRegistry(JmxConfig.DEFAULT, Clock.SYSTEM);
      registry.add(jmx);
      log.info("metrics over JMX, domain {}", JmxConfig.DEFAULT.domain());
    }
    return new MetricsEndpoint(registry, prometheus, jmx, http, scrapes);
  }

  private static void answer(HttpExchange exchange, PrometheusMeterRegistry prometheus)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = prometheus.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /**
   * @return the registry to hand to {@code NfsServer.Builder.meterRegistry}: what is recorded
   *     there is scraped at {@code /metrics} and, if asked, published over JMX
   */
  public MeterRegistry registry() {
    return registry;
  }

  /** @return the HTTP port {@code /metrics} is served on, or -1 when there is no HTTP endpoint */
  public int port() {
    return http == null ? -1 : http.getAddress().getPort();
  }

  /** @return whether the meters are published over JMX too */
  public boolean hasJmx() {
    return jmx != null;
  }

  /** Stops serving {@code /metrics}, unregisters the JMX MBeans and closes the registries. */
  @Override
  public void close() {
    if (http != null) {
      http.stop(0);
      scrapes.shutdownNow();
    }
    registry.close();
    prometheus.close();
    if (jmx != null) {
      jmx.close();
    }
  }
}
