package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.mount.MountProgram;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.ConnectionInfo;
import dev.jnfs.server.ConnectionListener;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.TcpClient;
import dev.jnfs.xdr.XdrDecoder;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a server given a meter registry measures, through the wire: NFSv3 and MOUNT calls
 * from a raw RPC client, NFSv4.1 COMPOUNDs from the NFSv4 test client, and the counts, errors,
 * bytes, histograms and gauges they leave in a {@link SimpleMeterRegistry}.
 */
class MetricsWireTest {
  private static final Credential ROOT = new Credential.Sys(1, "test", 0, 0, new int[0]);
  private static final int NFS = Nfs3Program.PROGRAM;
  private static final int NFS4_OK = 0;
  private static final int NFS4ERR_NOENT = 2;

  private SimpleMeterRegistry registry;
  /** Keeps the latency histograms' buckets, which a simple registry does not. */
  private PrometheusMeterRegistry prometheus;
  private NfsServer server;
  private InMemoryFileSystem backend;

  @BeforeEach
  void start() throws Exception {
    registry = new SimpleMeterRegistry();
    prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    backend = new InMemoryFileSystem();
    FileHandle data =
        backend
            .create(Caller.of(0, 0), backend.root(), "data", CreateMode.UNCHECKED, SetAttributes.NONE, 0)
            .handle();
    backend.write(Caller.of(0, 0), data, 0, ByteBuffer.wrap(new byte[1000]), Stability.FILE_SYNC);
    server =
        NfsServer.builder()
            .bind("127.0.0.1")
            .port(0)
            .udp(false)
            .export("/m", backend, ExportOptions.DEFAULT.with("insecure,no_root_squash"))
            .protocol(new Nfs3Protocol())
            .protocol(new Nfs4Protocol())
            .meterRegistry(new CompositeMeterRegistry().add(registry).add(prometheus))
            .build();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void nfs3CallsErrorsBytesAndHistogramsAreCounted() throws Exception {
    int getattrs = 5;
    try (RpcTestClient c = RpcTestClient.connect(new InetSocketAddress("127.0.0.1", server.port()))) {
      byte[] root = mount(c);
      assertEquals(1.0, gauge("jnfs.connections.open"), "the client's connection is open");
      for (int i = 0; i < getattrs; i++) {
        assertEquals(0, c.call(NFS, 3, Nfs3Program.GETATTR, ROOT, args(e -> e.writeOpaque(root)))
            .decoder().readInt());
      }
      RpcReply garbage = c.call(NFS, 3, Nfs3Program.GETATTR, ROOT, args(e -> e.writeOpaque(new byte[65])));
      assertEquals(RpcReply.GARBAGE_ARGS, garbage.acceptStat());
      byte[] file = lookup(c, root, "data");
      XdrDecoder missing =
          c.call(NFS, 3, Nfs3Program.LOOKUP, ROOT, args(e -> e.writeOpaque(root).writeString("missing")))
              .decoder();
      assertEquals(2, missing.readInt(), "NFS3ERR_NOENT");
      assertEquals(0, c.call(NFS, 3, Nfs3Program.READ, ROOT,
          args(e -> e.writeOpaque(file).writeHyper(0).writeInt(300))).decoder().readInt());
      assertEquals(0, c.call(NFS, 3, Nfs3Program.WRITE, ROOT,
          args(e -> e.writeOpaque(file).writeHyper(100).writeInt(700).writeInt(2)
              .writeOpaque(new byte[700]))).decoder().readInt());
    }

    assertEquals(getattrs + 1, calls("nfs", "3", "getattr").count(), "every GETATTR, the garbage one too");
    assertEquals(2, calls("nfs", "3", "lookup").count());
    assertEquals(1, calls("nfs", "3", "read").count());
    assertEquals(1, calls("nfs", "3", "write").count());
    assertEquals(1, calls("mountd", "3", "mnt").count());
    assertEquals(1.0, errors("lookup", "nfs3err_noent"));
    assertEquals(1.0, errors("getattr", "garbage_args"));
    assertEquals(
        2, registry.find("jnfs.errors").tag("version", "3").counters().size(),
        "no error counted for a call that succeeded");
    assertEquals(300.0, registry.get("jnfs.read.bytes").tag("version", "3").counter().count());
    assertEquals(700.0, registry.get("jnfs.write.bytes").tag("version", "3").counter().count());

    Timer getattr = calls("nfs", "3", "getattr");
    assertTrue(getattr.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0);
    String scraped = prometheus.scrape();
    assertTrue(
        scraped.lines().filter(l -> l.startsWith("jnfs_calls_seconds_bucket{")
            && l.contains("procedure=\"getattr\"")).count() > 10,
        "a latency histogram with its buckets is kept:\n" + scraped);
    assertTrue(scraped.contains("jnfs_calls_seconds_count{procedure=\"getattr\",program=\"nfs\",version=\"3\"} 6"), scraped);

    awaitGauge("jnfs.connections.open", 0.0);
    awaitGauge("jnfs.calls.in.flight", 0.0);
  }

  @Test
  void nfs4OperationsAreCountedOneByOneAndStateIsGauged() throws Exception {
    try (TcpClient client = new TcpClient(server.port(), 0, 0)) {
      Reply exchanged = client.call(Compound.v41().exchangeId("metrics-test", 1));
      assertEquals(NFS4_OK, exchanged.status());
      long[] id = exchanged.last().value();
      Reply created = client.call(Compound.v41().createSession(id[0], (int) id[1], 8));
      assertEquals(NFS4_OK, created.status());
      byte[] session = created.last().value();
      assertEquals(NFS4_OK,
          client.call(Compound.v41().sequence(session, 1, 0, false).putrootfh().getattr(1)).status());
      assertEquals(NFS4ERR_NOENT,
          client.call(Compound.v41().sequence(session, 2, 0, false).putrootfh().lookup("missing"))
              .status());

      assertEquals(4, calls("nfs", "4", "compound").count());
      assertEquals(1.0, operations("exchange_id"));
      assertEquals(1.0, operations("create_session"));
      assertEquals(2.0, operations("sequence"));
      assertEquals(2.0, operations("putrootfh"));
      assertEquals(1.0, operations("getattr"));
      assertEquals(1.0, operations("lookup"));
      assertEquals(
          1.0,
          registry.get("jnfs.nfs4.operation.errors")
              .tags("version", "4.1", "operation", "lookup", "status", "nfs4err_noent")
              .counter().count());
      assertEquals(1, registry.find("jnfs.nfs4.operation.errors").counters().size());
      assertEquals(1.0, gauge("jnfs.nfs4.clients"));
      assertEquals(1.0, gauge("jnfs.nfs4.sessions"));
      assertEquals(0.0, gauge("jnfs.nfs4.opens"));
      assertEquals(0.0, gauge("jnfs.nfs4.locks"));
    }
  }

  @Test
  void restartedServerGaugesItsNewState() throws Exception {
    try (TcpClient client = new TcpClient(server.port(), 0, 0)) {
      assertEquals(NFS4_OK, client.call(Compound.v41().exchangeId("before-restart", 1)).status());
    }
    assertEquals(1.0, gauge("jnfs.nfs4.clients"));
    server.stop();
    server.start();
    assertEquals(0.0, gauge("jnfs.nfs4.clients"), "the new state has no client yet");
  }

  @Test
  void retransmissionAnsweredFromTheDuplicateRequestCacheIsAHitNotACall() throws Exception {
    try (RpcTestClient c = RpcTestClient.connect(new InetSocketAddress("127.0.0.1", server.port()))) {
      byte[] file = lookup(c, mount(c), "data");
      byte[] write =
          RpcMessageBuilder.call(
              RpcTestClient.nextXid(), NFS, 3, Nfs3Program.WRITE, ROOT,
              args(e -> e.writeOpaque(file).writeHyper(0).writeInt(10).writeInt(2)
                  .writeOpaque(new byte[10])));
      c.sendMessage(write);
      assertEquals(0, c.receive().decoder().readInt());
      c.sendMessage(write); // the same xid and arguments: a retransmission
      assertEquals(0, c.receive().decoder().readInt());
    }
    assertEquals(1, calls("nfs", "3", "write").count(), "the retransmission did not run again");
    assertEquals(10.0, registry.get("jnfs.write.bytes").tag("version", "3").counter().count());
    assertEquals(1.0, registry.get("jnfs.drc.hits").tag("outcome", "replayed").counter().count());
    assertEquals(0.0, registry.get("jnfs.drc.hits").tag("outcome", "in_progress").counter().count());
  }

  @Test
  void refusedConnectionsAreCountedByReason() throws Exception {
    SimpleMeterRegistry refusals = new SimpleMeterRegistry();
    try (NfsServer limited =
        NfsServer.builder()
            .bind("127.0.0.1")
            .port(0)
            .udp(false)
            .export("/m", backend)
            .protocol(new Nfs3Protocol())
            .maxConnections(1)
            .maxConnectionRatePerAddress(2)
            .meterRegistry(refusals)
            .build()) {
      limited.start();
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", limited.port());
      try (RpcTestClient first = RpcTestClient.connect(address)) {
        assertEquals(0, first.call(NFS, 3, 0, new byte[0]).acceptStat());
        try (RpcTestClient second = RpcTestClient.connect(address)) {
          assertTrue(second.awaitClose(), "over the maximum of connections");
        }
      }
      awaitGauge(refusals, "jnfs.connections.open", 0.0);
      try (RpcTestClient third = RpcTestClient.connect(address)) {
        assertEquals(0, third.call(NFS, 3, 0, new byte[0]).acceptStat());
      }
      awaitGauge(refusals, "jnfs.connections.open", 0.0);
      try (RpcTestClient fourth = RpcTestClient.connect(address)) {
        assertTrue(fourth.awaitClose(), "a third connection within the minute");
      }
    }
    assertEquals(
        1.0,
        refusals.get("jnfs.connections.refused").tag("reason", "max_connections").counter().count());
    assertEquals(1.0, refusals.get("jnfs.connections.refused").tag("reason", "rate").counter().count());
  }

  @Test
  void connectionsAListenerRefusesAreCountedAsSuch() throws Exception {
    SimpleMeterRegistry refusals = new SimpleMeterRegistry();
    try (NfsServer picky =
        NfsServer.builder()
            .bind("127.0.0.1")
            .port(0)
            .udp(false)
            .export("/m", backend)
            .protocol(new Nfs3Protocol())
            .connectionListener(
                new ConnectionListener() {
                  @Override
                  public boolean accept(ConnectionInfo connection) {
                    return false;
                  }
                })
            .meterRegistry(refusals)
            .build()) {
      picky.start();
      try (RpcTestClient refused =
          RpcTestClient.connect(new InetSocketAddress("127.0.0.1", picky.port()))) {
        assertTrue(refused.awaitClose());
      }
    }
    assertEquals(
        1.0, refusals.get("jnfs.connections.refused").tag("reason", "listener").counter().count());
    assertEquals(0.0, refusals.get("jnfs.connections.open").gauge().value());
  }

  private Timer calls(String program, String version, String procedure) {
    Timer t =
        registry.find("jnfs.calls")
            .tags("program", program, "version", version, "procedure", procedure)
            .timer();
    assertNotNull(t, "no timer for " + program + " v" + version + " " + procedure);
    return t;
  }

  private double errors(String procedure, String status) {
    return registry.get("jnfs.errors")
        .tags("program", "nfs", "version", "3", "procedure", procedure, "status", status)
        .counter().count();
  }

  private double operations(String operation) {
    return registry.get("jnfs.nfs4.operations")
        .tags("version", "4.1", "operation", operation).counter().count();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private void awaitGauge(String name, double expected) throws InterruptedException {
    awaitGauge(registry, name, expected);
  }

  /** Waits for a gauge that follows a reply (its connection's close, its call's end). */
  private static void awaitGauge(SimpleMeterRegistry in, String name, double expected)
      throws InterruptedException {
    DoubleSupplier value = () -> in.get(name).gauge().value();
    for (int i = 0; i < 200 && value.getAsDouble() != expected; i++) {
      Thread.sleep(10);
    }
    assertEquals(expected, value.getAsDouble(), name);
  }

  private static byte[] args(java.util.function.Consumer<dev.jnfs.xdr.XdrEncoder> writer) {
    return RpcMessageBuilder.xdr(writer);
  }

  private static byte[] mount(RpcTestClient c) throws Exception {
    XdrDecoder d = c.call(MountProgram.PROGRAM, 3, 1, ROOT, args(e -> e.writeString("/m"))).decoder();
    assertEquals(0, d.readInt(), "MNT");
    return d.readOpaque(64);
  }

  private static byte[] lookup(RpcTestClient c, byte[] dir, String name) throws Exception {
    XdrDecoder d =
        c.call(NFS, 3, Nfs3Program.LOOKUP, ROOT, args(e -> e.writeOpaque(dir).writeString(name))).decoder();
    assertEquals(0, d.readInt(), "LOOKUP " + name);
    return d.readOpaque(64);
  }
}
