package dev.jnfs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.xdr.XdrDecoder;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The standalone server's metrics endpoint: calls made to a server measured into its registry
 * are scraped as Prometheus text over HTTP and read as JMX MBeans.
 */
class MetricsEndpointTest {
  private static final Credential ROOT = new Credential.Sys(1, "test", 0, 0, new int[0]);
  private static final int GETATTRS = 3;

  @Test
  void callsAreScrapedOverHttpAndReadOverJmx() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (MetricsEndpoint metrics = MetricsEndpoint.start(loopback, 0, true);
        NfsServer server =
            NfsServer.builder()
                .bind(loopback)
                .port(0)
                .udp(false)
                .export("/m", new InMemoryFileSystem(), ExportOptions.DEFAULT.with("insecure"))
                .meterRegistry(metrics.registry())
                .build()) {
      server.start();
      getattrs(new InetSocketAddress(loopback, server.port()));

      HttpClient http = HttpClient.newHttpClient();
      URI uri = URI.create("http://" + loopback.getHostAddress() + ":" + metrics.port() + "/metrics");
      HttpResponse<String> scrape =
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, scrape.statusCode());
      assertTrue(scrape.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
      String body = scrape.body();
      assertTrue(
          Pattern.compile(
                  "(?m)^jnfs_calls_seconds_count\\{procedure=\"getattr\",program=\"nfs\",version=\"3\"} "
                      + GETATTRS + "(\\.0)?$")
              .matcher(body).find(),
          body);
      assertTrue(body.contains("jnfs_calls_seconds_bucket{procedure=\"getattr\""), "histogram buckets");
      assertTrue(body.contains("jnfs_connections_open"), body);

      HttpResponse<String> elsewhere =
          http.send(HttpRequest.newBuilder(uri.resolve("/other")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, elsewhere.statusCode());
      HttpResponse<String> post =
          http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());

      MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
      Set<ObjectName> timers = mbeans.queryNames(new ObjectName("metrics:type=timers,*"), null);
      ObjectName getattr =
          timers.stream()
              .filter(n -> n.getKeyProperty("name").startsWith("jnfsCalls")
                  && n.getKeyProperty("name").contains("getattr"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no GETATTR timer among " + timers));
      assertEquals((long) GETATTRS, ((Number) mbeans.getAttribute(getattr, "Count")).longValue());
    }
    assertTrue(
        ManagementFactory.getPlatformMBeanServer()
            .queryNames(new ObjectName("metrics:name=jnfsCalls*,*"), null).isEmpty(),
        "closing the endpoint unregisters its MBeans");
  }

  @Test
  void withoutJmxNothingIsPublishedThere() throws Exception {
    try (MetricsEndpoint metrics = MetricsEndpoint.start(InetAddress.getLoopbackAddress(), 0, false)) {
      assertEquals(false, metrics.hasJmx());
      metrics.registry().counter("jnfs.probe").increment();
      assertTrue(
          ManagementFactory.getPlatformMBeanServer()
              .queryNames(new ObjectName("metrics:name=jnfsProbe*,*"), null).isEmpty());
    }
  }

  @Test
  void jmxAloneServesNoHttp() throws Exception {
    try (MetricsEndpoint metrics = MetricsEndpoint.start(null, -1, true)) {
      assertEquals(-1, metrics.port());
      metrics.registry().counter("jnfs.jmx.only").increment();
      assertEquals(
          1,
          ManagementFactory.getPlatformMBeanServer()
              .queryNames(new ObjectName("metrics:name=jnfsJmxOnly*,*"), null).size());
    }
  }

  @Test
  void nothingToServeOrABadPortIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> MetricsEndpoint.start(null, -1, false));
    assertThrows(IllegalArgumentException.class, () -> MetricsEndpoint.start(null, 65536, true));
  }

  private static void getattrs(InetSocketAddress server) throws Exception {
    try (RpcTestClient c = RpcTestClient.connect(server)) {
      XdrDecoder mnt = c.call(100005, 3, 1, ROOT, RpcMessageBuilder.xdr(e -> e.writeString("/m"))).decoder();
      assertEquals(0, mnt.readInt());
      byte[] root = mnt.readOpaque(64);
      for (int i = 0; i < GETATTRS; i++) {
        XdrDecoder d = c.call(100003, 3, 1, ROOT, RpcMessageBuilder.xdr(e -> e.writeOpaque(root))).decoder();
        assertEquals(0, d.readInt());
      }
    }
  }
}
