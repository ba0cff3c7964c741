package dev.jnfs.server;

import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.NfsProtocol;
import dev.jnfs.protocol.ExportTable;
import dev.jnfs.protocol.DelegationRecalls;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.lock.FileKey;
import dev.jnfs.lock.LocalLockManager;
import dev.jnfs.lock.LockManager;
import dev.jnfs.portmap.PortMapping;
import dev.jnfs.portmap.PortmapProgram;
import dev.jnfs.portmap.PortmapRegistry;
import dev.jnfs.portmap.SystemPortmapperRegistration;
import dev.jnfs.rpc.ConnectionRegistry;
import dev.jnfs.rpc.ProgramTable;
import dev.jnfs.rpc.RpcDispatcher;
import dev.jnfs.rpc.RpcEndpoint;
import dev.jnfs.rpc.RpcConnection;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.rpc.RpcSecGss;
import dev.jnfs.rpc.ServerMetrics;
import dev.jnfs.rpc.Transport;
import dev.jnfs.rpc.WarmWorkers;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsFileSystem;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An NFS server: the exports, the protocol programs found on the class path (or given
 * explicitly), and the ports they are served on. NFS, MOUNT and PORTMAP share one TCP and
 * UDP port; MOUNT may also listen on a port of its own, and a standalone portmapper on
 * another (e.g. 111).
 *
 * <pre>{@code
 * try (NfsServer server = NfsServer.builder()
 *     .port(2049)
 *     .export("/data", fileSystem)
 *     .build()) {
 *   server.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Each {@link #start()} asks the protocols for fresh programs; {@link #stop()} closes those
 * that implement {@link AutoCloseable} after the ports and threads are released, so a program
 * may own timers or threads. A server can be started again after {@link #stop()}; each start
 * binds anew and changes the write verifier. Several servers may run in one JVM on different
 * ports. Thread-safe.
 *
 * <p>Exports can be {@linkplain #addExport(Export) added}, {@linkplain #removeExport(String)
 * removed} and {@linkplain #replaceExports(List) replaced} at any time, running or not, without
 * dropping a connection: a call sees either the old exports or the new ones. A removed export's
 * handles answer STALE (NFSv3, NFSv4, NLM) and MOUNT no longer finds it; an export added again
 * under the same path gets its handles back.
 *
 * <p>Backends stay the caller's unless the builder is told the server {@linkplain
 * Builder#ownBackend owns} one: {@link #close()} then closes it, once the server has stopped.
 *
 * <p>{@link #stop()} finishes in bounded time even when a call never returns: it lets the calls
 * already read finish within the {@linkplain Builder#shutdownGracePeriod grace period}, then
 * closes the connections and abandons (with a warning) whatever does not end. Idle TCP
 * connections are closed after {@linkplain Builder#idleTimeout the idle timeout}, and a
 * connection whose record does not arrive whole within {@linkplain Builder#recordTimeout the
 * record timeout} is closed.
 *
 * <p>Connections: {@linkplain Builder#connectionListener listeners} decide which TCP
 * connections are served and hear when they open and close; {@link #connections()} lists the
 * open ones, {@link #disconnect(long)} closes one, and {@link #stopAccepting()} stops taking new
 * ones while the open ones are still served. Each client address may open at most {@linkplain
 * Builder#maxConnectionRatePerAddress a number of connections a minute}.
 *
 * <p>UDP on the default wildcard bind is served by one socket per local address, followed as
 * addresses come and go, so that a reply leaves from the address its request was sent to
 * (clients ignore replies from any other).
 *
 * <p>When the host runs a portmapper (rpcbind), the server registers its programs with it at
 * start and removes them at stop ({@linkplain Builder#rpcbindRegistration see there}).
 */
public final class NfsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NfsServer.class);


  private static final int MIB = 1 << 20;
  private static final int RECORD_OVERHEAD = 64 * 1024;
  private static final int MAX_DATAGRAM = 65536;
  /**
   * The largest record or datagram the standalone portmapper takes: its calls are a few dozen
   * bytes (RFC 1833), so a client announcing more is closed before anything is buffered.
   */
  private static final int MAX_PORTMAP_MESSAGE = 8 * 1024;
  private static final int STANDARD_PORTMAPPER_PORT = 111;
  /**
   * A client sending one call at a time answers a reply with its next call within about 35 µs
   * on the wire (median; 50 µs at the 90th percentile), and the worker sees that call only once
   * the network thread has woken and read it. With 50 µs, small-file and GETATTR clients at
   * depth 1 were measurably slower than with 120 µs: many waits ended just before the call.
   */
  private static final Duration DEFAULT_NEXT_CALL_WAIT = Duration.ofNanos(120_000);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** How long stopping waits for a channel to close. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);
  /** How long stopping waits for the threads to end once their channels are closed. */
  private static final Duration THREADS_WAIT = Duration.ofSeconds(3);
  /** How long stopping waits for one program's {@code close()}. */
  private static final Duration CLOSE_PROGRAM_WAIT = Duration.ofSeconds(5);

  private final Builder config;
  /** Replaced, never changed, when exports are added or removed; writers hold {@link #exportsLock}. */
  private volatile ExportTable exports;
  private final Object exportsLock = new Object();
  private final OwnedBackends ownedBackends;
  private final ConnectionRegistry connections;
  private final ServerMetrics metrics;

  private State state;
  /** The endpoints of the running server, read without the server's lock by the gauges. */
  private volatile List<RpcEndpoint> serving = List.of();
  private boolean closed;
  private RpcEndpoint implicitTls;
  private volatile long writeVerifier;
  private volatile String identity;
  private final ServerContext context = new Context();

  /** What a running server holds; released by {@link #stop()}. */
  private record State(
      EventLoopGroup acceptors,
      EventLoopGroup workers,
      ExecutorService ownExecutor,
      List<RpcEndpoint> endpoints,
      RpcEndpoint main,
      RpcEndpoint mount,
      RpcEndpoint portmap,
      PortmapRegistry registry,
      List<RpcProgram> programs,
      SystemPortmapperRegistration systemRegistration) {}

  private NfsServer(Builder config) {
    this.config = config;
    this.exports = new ExportTable(config.exports);
    this.ownedBackends = new OwnedBackends(config.ownedBackends, config.exports);
    this.metrics = config.metrics;
    this.connections =
        new ConnectionRegistry(
            config.maxConnectionRatePerAddress, new ConnectionEvents(config.listeners), metrics);
    metrics.gauge("jnfs.connections.open", "open TCP connections", connections::openCount);
    metrics.gauge(
        "jnfs.calls.in.flight", "calls decoded and not yet answered", this::callsInFlight);
  }

  private int callsInFlight() {
    int n = 0;
    for (RpcEndpoint e : serving) {
      n += e.callsInFlight();
    }
    return n;
  }

  /** @return a builder with the defaults: wildcard address, port 2049, UDP on */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds every port and starts serving. Does nothing if already running.
   *
   * @throws UncheckedIOException if a port cannot be bound; whatever was bound is released
   * @throws IllegalStateException if the server was {@linkplain #close() closed}
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("server closed");
    }
    if (state != null) {
      return;
    }
    writeVerifier = System.nanoTime() ^ RANDOM.nextLong();
    try {
      identity = ServerIdentity.resolve(config.serverIdentity, config.stateDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the server identity in " + config.stateDirectory, e);
    }
    // one RPCSEC_GSS state for every port: a context made on one connection serves all
    RpcSecGss gss = config.kerberos == null ? null : config.kerberos.login();
    List<RpcProgram> programs = programs();
    EventLoopGroup acceptors =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("jnfs-accept"), NioIoHandler.newFactory());
    EventLoopGroup workers =
        new MultiThreadIoEventLoopGroup(
            config.ioThreads, new DefaultThreadFactory("jnfs-io"), NioIoHandler.newFactory());
    ExecutorService ownExecutor =
        config.executor == null
            ? Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("jnfs-call").factory())
            : null;
    Executor executor = config.executor != null ? config.executor : ownExecutor;
    WarmWorkers warm = WarmWorkers.sharingProcessors(config.nextCallWait);
    List<RpcEndpoint> endpoints = new ArrayList<>();
    PortmapRegistry registry = new PortmapRegistry();
    RpcEndpoint.Limits limits =
        new RpcEndpoint.Limits(
            config.effectiveMaxRecordSize(),
            config.maxInFlightPerConnection,
            config.maxConnections,
            MAX_DATAGRAM,
            config.idleTimeout,
            config.recordTimeout);
    RpcEndpoint implicit = null;
    SystemPortmapperRegistration systemRegistration = null;
    try {
      List<RpcProgram> served = new ArrayList<>(programs);
      served.add(new PortmapProgram(registry));
      RpcEndpoint main =
          bind(endpoints, config.port, served, limits, acceptors, workers, executor, warm, gss);
      RpcEndpoint mount = null;
      List<RpcProgram> mountPrograms =
          programs.stream().filter(p -> p.program() == NfsProtocol.MOUNT_PROGRAM).toList();
      if (config.mountPort >= 0) {
        mount =
            bind(
                endpoints, config.mountPort, mountPrograms, limits, acceptors, workers, executor,
                warm, gss);
      }
      RpcEndpoint portmap = null;
      if (config.portmapPort >= 0) {
        portmap =
            bind(
                endpoints,
                config.portmapPort,
                List.of(new PortmapProgram(registry)),
                new RpcEndpoint.Limits(
                    MAX_PORTMAP_MESSAGE,
                    config.maxInFlightPerConnection,
                    config.maxConnections,
                    MAX_PORTMAP_MESSAGE,
                    config.idleTimeout),
                acceptors,
                workers,
                executor,
                warm,
                null);
      }
      if (config.implicitTlsPort >= 0) {
        // TLS from the first byte: not registered with the portmapper, which maps each
        // program and transport to one port
        RpcDispatcher dispatcher =
            new RpcDispatcher(
                new ProgramTable(served),
                config.duplicateRequestCacheSize,
                config.tls::sslContext,
                true,
                gss,
                metrics);
        implicit =
            RpcEndpoint.bind(
                config.address, config.implicitTlsPort, false, limits, acceptors, workers,
                dispatcher, executor, warm, connections);
        endpoints.add(implicit);
      }
      register(
          registry,
          programs,
          main.port(),
          mount == null ? -1 : mount.port(),
          portmap == null ? -1 : portmap.port());
      systemRegistration = registerWithSystemPortmapper(registry, portmap);
      state =
          new State(
              acceptors, workers, ownExecutor, endpoints, main, mount, portmap, registry,
              programs, systemRegistration);
      implicitTls = implicit;
      serving = List.copyOf(endpoints);
    } catch (IOException e) {
      unregister(systemRegistration);
      release(endpoints, acceptors, workers, ownExecutor);
      closePrograms(programs);
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      unregister(systemRegistration);
      release(endpoints, acceptors, workers, ownExecutor);
      closePrograms(programs);
      throw e;
    }
    log.info(
        "NFS server on {} port {}{}{}{}, programs {}",
        config.address == null ? "*" : config.address.getHostAddress(),
        state.main.port(),
        config.udp ? " (TCP, UDP)" : " (TCP)",
        state.mount == null ? "" : ", MOUNT on port " + state.mount.port(),
        state.portmap == null ? "" : ", portmapper on port " + state.portmap.port(),
        programs.stream()
            .map(p -> p.program() + " v" + p.lowVersion() + "-" + p.highVersion())
            .toList());
    if (config.kerberos != null) {
      log.info("RPCSEC_GSS offered with {}", config.kerberos);
    }
    if (config.tls != null) {
      log.info(
          "RPC-with-TLS offered with {}{}",
          config.tls,
          implicitTls == null ? "" : ", TLS from the first byte on port " + implicitTls.port());
    }
  }

  private RpcEndpoint bind(
      List<RpcEndpoint> endpoints,
      int port,
      List<RpcProgram> programs,
      RpcEndpoint.Limits limits,
      EventLoopGroup acceptors,
      EventLoopGroup workers,
      Executor executor,
      WarmWorkers warm,
      RpcSecGss gss)
      throws IOException {
    TlsConfig tls = config.tls;
    RpcDispatcher dispatcher =
        new RpcDispatcher(
            new ProgramTable(programs),
            config.duplicateRequestCacheSize,
            tls == null ? null : tls::sslContext,
            false,
            gss,
            metrics);
    RpcEndpoint e =
        RpcEndpoint.bind(
            config.address, port, config.udp, limits, acceptors, workers, dispatcher, executor,
            warm, connections);
    endpoints.add(e);
    return e;
  }

  /**
   * Registers every version of every program over TCP (and UDP) at the NFS port; MOUNT and
   * PORTMAP at their own ports when they have one, as (program, version, protocol) maps to
   * exactly one port.
   */
  private void register(
      PortmapRegistry registry,
      List<RpcProgram> programs,
      int port,
      int mountPort,
      int portmapPort) {
    List<RpcProgram> all = new ArrayList<>(programs);
    all.add(new PortmapProgram(registry));
    for (RpcProgram p : all) {
      int at = port;
      if (p.program() == NfsProtocol.MOUNT_PROGRAM && mountPort > 0) {
        at = mountPort;
      } else if (p.program() == PortmapProgram.PROGRAM && portmapPort > 0) {
        at = portmapPort;
      }
      for (int v = p.lowVersion(); v <= p.highVersion(); v++) {
        registry.set(new PortMapping(p.program(), v, Transport.TCP.protocolNumber(), at));
        if (config.udp) {
          registry.set(new PortMapping(p.program(), v, Transport.UDP.protocolNumber(), at));
        }
      }
    }
  }

  /**
   * Registers the server's programs (not its own portmapper) with the host's portmapper when
   * {@linkplain Builder#rpcbindAddress one was named}, or when registration is on and the
   * server neither has its NFS port chosen by the system (a test's or an embedding's server,
   * whose clients are handed the port) nor runs the portmapper on port 111 itself.
   *
   * @return the registration to undo at stop, null if none was made
   */
  private SystemPortmapperRegistration registerWithSystemPortmapper(
      PortmapRegistry registry, RpcEndpoint ownPortmapper) {
    if (!config.rpcbindRegistration) {
      return null;
    }
    List<SocketAddress> at;
    if (config.rpcbindAddress != null) {
      at = List.of(config.rpcbindAddress);
    } else {
      boolean ownOnStandardPort =
          ownPortmapper != null && ownPortmapper.port() == STANDARD_PORTMAPPER_PORT;
      if (config.port == 0 || ownOnStandardPort) {
        return null;
      }
      at = SystemPortmapperRegistration.hostAddresses();
    }
    List<PortMapping> mappings =
        registry.dump().stream().filter(m -> m.program() != PortmapProgram.PROGRAM).toList();
    return SystemPortmapperRegistration.register(at, mappings, config.address);
  }

  private static void unregister(SystemPortmapperRegistration registration) {
    if (registration != null) {
      registration.unregister();
    }
  }

  private List<RpcProgram> programs() {
    List<NfsProtocol> protocols = config.protocols;
    if (protocols.isEmpty()) {
      protocols = new ArrayList<>();
      for (NfsProtocol p : ServiceLoader.load(NfsProtocol.class)) {
        protocols.add(p);
      }
    }
    List<RpcProgram> programs = new ArrayList<>();
    for (NfsProtocol p : protocols) {
      programs.addAll(p.programs(context));
    }
    return programs;
  }

  /**
   * Stops serving, in bounded time even when calls never return:
   *
   * <ol>
   *   <li>stops accepting: closes the listeners, and every connection and the UDP socket stop
   *       reading; the connections will be reported {@linkplain DisconnectCause#SERVER_STOP
   *       closed for the server's stop};
   *   <li>gives the calls already read the {@linkplain Builder#shutdownGracePeriod grace
   *       period} to finish, so their replies are sent;
   *   <li>closes every connection, stops the network threads and interrupts the calls still
   *       running on the server's own executor; a thread that does not end within a few
   *       seconds is abandoned and logged at warn;
   *   <li>closes the programs that implement {@link AutoCloseable}, each given a few seconds.
   * </ol>
   *
   * Does nothing if not running.
   */
  public synchronized void stop() {
    State s = state;
    if (s == null) {
      return;
    }
    state = null;
    implicitTls = null;
    serving = List.of();
    // first, so that no client is sent here any more
    unregister(s.systemRegistration);
    long deadline = System.nanoTime() + config.shutdownGracePeriod.toNanos();
    for (RpcEndpoint e : s.endpoints) {
      e.stopAccepting(CLOSE_WAIT);
    }
    connections.stopping();
    int running = 0;
    try {
      for (RpcEndpoint e : s.endpoints) {
        running += e.awaitCalls(deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (running > 0) {
      log.warn(
          "port {}: {} calls still running after the {} ms grace period; abandoning them",
          s.main.port(), running, config.shutdownGracePeriod.toMillis());
    }
    release(s.endpoints, s.acceptors, s.workers, s.ownExecutor);
    closePrograms(s.programs);
    log.info("NFS server on port {} stopped", s.main.port());
  }

  /**
   * Closes the programs that hold resources of their own (timers, threads), each on a thread
   * of its own that is abandoned if it takes longer than {@link #CLOSE_PROGRAM_WAIT}.
   */
  private static void closePrograms(List<RpcProgram> programs) {
    for (RpcProgram p : programs) {
      if (p instanceof AutoCloseable closeable) {
        Thread closer =
            Thread.ofVirtual()
                .name("jnfs-close-" + p.program())
                .start(
                    () -> {
                      try {
                        closeable.close();
                      } catch (Exception e) {
                        log.warn("closing program {} failed", p.program(), e);
                      }
                    });
        boolean closed = false;
        try {
          closed = closer.join(CLOSE_PROGRAM_WAIT);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (!closed) {
          log.warn(
              "program {} did not close within {} ms; abandoned",
              p.program(), CLOSE_PROGRAM_WAIT.toMillis());
        }
      }
    }
  }

  /**
   * Closes every channel and stops the threads, waiting a bounded time for each step: a
   * network thread stuck in a call never terminates, and is then abandoned.
   */
  private static void release(
      List<RpcEndpoint> endpoints,
      EventLoopGroup acceptors,
      EventLoopGroup workers,
      ExecutorService ownExecutor) {
    for (RpcEndpoint e : endpoints) {
      e.close(CLOSE_WAIT);
    }
    acceptors.shutdownGracefully(0, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    workers.shutdownGracefully(0, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    long deadline = System.nanoTime() + THREADS_WAIT.toNanos();
    awaitTermination(acceptors, deadline, "connection acceptor");
    awaitTermination(workers, deadline, "network");
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
      try {
        if (!ownExecutor.awaitTermination(
            Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          log.warn(
              "calls still running after being interrupted; their threads are abandoned");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void awaitTermination(EventLoopGroup group, long deadline, String what) {
    boolean done =
        group
            .terminationFuture()
            .awaitUninterruptibly(
                Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    if (!done) {
      log.warn(
          "{} threads did not end within {} ms (a call running on one never returns);"
              + " abandoned",
          what, THREADS_WAIT.toMillis());
    }
  }

  /**
   * Stops accepting connections: closes the TCP listeners of every port (IPWorks' StopListening).
   * The connections already open are served as before, and so is UDP, which has no
   * connections. A client connecting from now on is refused; one whose connection the
   * operating system had queued but the server not yet taken is reset without a reply.
   * Listening resumes only when the server is {@linkplain #stop() stopped} and {@linkplain
   * #start() started} again. Does nothing if not running or already not accepting.
   */
  public synchronized void stopAccepting() {
    if (state == null) {
      return;
    }
    for (RpcEndpoint e : state.endpoints) {
      e.closeListener(CLOSE_WAIT);
    }
  }

  /**
   * @return a snapshot of the open TCP connections of every port, in no particular order;
   *     empty when the server is not running
   */
  public List<ConnectionInfo> connections() {
    List<ConnectionInfo> list = new ArrayList<>();
    for (RpcConnection c : connections.live()) {
      list.add(ConnectionEvents.snapshot(c));
    }
    return List.copyOf(list);
  }

  /**
   * Closes a connection; its listeners hear {@link DisconnectCause#KICKED}. Calls running for
   * it finish, but their replies are not sent. The client may connect again.
   *
   * @param connectionId the id of a connection, as in {@link ConnectionInfo#id()}
   * @return whether such a connection was open and not already closing
   */
  public boolean disconnect(long connectionId) {
    return connections.disconnect(connectionId);
  }

  /**
   * {@linkplain #stop() Stops} the server for good, then closes the backends it {@linkplain
   * Builder#ownBackend owns} that are {@link AutoCloseable}: after the ports are closed and the
   * calls in flight have finished (or were abandoned at the end of the grace period). A backend
   * whose close fails is logged at warn and the others are still closed. A closed server
   * cannot be started again; closing it again does nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    ownedBackends.closeAll();
  }

  /** @return whether the server is running */
  public synchronized boolean isRunning() {
    return state != null;
  }

  /**
   * @return the port NFS (and MOUNT, PORTMAP) is served on
   * @throws IllegalStateException if not running
   */
  public synchronized int port() {
    return running().main.port();
  }

  /**
   * @return MOUNT's own port, or -1 if it has none
   * @throws IllegalStateException if not running
   */
  public synchronized int mountPort() {
    RpcEndpoint e = running().mount;
    return e == null ? -1 : e.port();
  }

  /**
   * @return the standalone portmapper's port, or -1 if there is none
   * @throws IllegalStateException if not running
   */
  public synchronized int portmapPort() {
    RpcEndpoint e = running().portmap;
    return e == null ? -1 : e.port();
  }

  /**
   * @return the implicit-TLS port (TLS from the first byte), or -1 if there is none
   * @throws IllegalStateException if not running
   */
  public synchronized int implicitTlsPort() {
    running();
    return implicitTls == null ? -1 : implicitTls.port();
  }

  /**
   * @return the registrations the portmapper answers from
   * @throws IllegalStateException if not running
   */
  public synchronized List<PortMapping> registrations() {
    return running().registry.dump();
  }

  private State running() {
    if (state == null) {
      throw new IllegalStateException("server not running");
    }
    return state;
  }

  /**
   * Adds an export; calls see it from now on, on a running server as on a stopped one.
   *
   * @param export the export
   * @throws IllegalArgumentException if its path, alias or id collides with an export's
   */
  public void addExport(Export export) {
    Objects.requireNonNull(export, "export");
    synchronized (exportsLock) {
      List<Export> all = new ArrayList<>(exports.all());
      all.add(export);
      exports = new ExportTable(all);
    }
    log.info("export {} added", export.path());
  }

  /**
   * Adds an export with options per group of clients ({@link ExportOptions#parseClients}).
   *
   * @param path the export path
   * @param fileSystem the backend; the server does not own it (it is not closed by {@link
   *     #close()})
   * @param optionSets the access rules, one set per group of clients
   * @throws IllegalArgumentException if the path collides with an export's, or no option set
   *     is given
   */
  public void addExport(String path, NfsFileSystem fileSystem, List<ExportOptions> optionSets) {
    addExport(new Export(path, null, fileSystem, optionSets));
  }

  /**
   * Removes an export. Its backend is left open (a backend the server {@linkplain
   * Builder#ownBackend owns} is still closed by {@link #close()}). Calls already running
   * finish; later calls with its handles answer STALE, and MOUNT answers NOENT for its path.
   *
   * @param path the export's path or alias
   * @return whether there was such an export
   */
  public boolean removeExport(String path) {
    synchronized (exportsLock) {
      List<Export> all = new ArrayList<>(exports.all());
      if (!all.removeIf(e -> e.answersTo(path))) {
        return false;
      }
      exports = new ExportTable(all);
    }
    log.info("export {} removed", path);
    return true;
  }

  /**
   * Replaces every export at once, e.g. after an exports file was read again: exports whose
   * path stays keep their handles and take their new options; the others behave as {@link
   * #removeExport removed}.
   *
   * @param newExports the exports to serve from now on
   * @throws IllegalArgumentException if two of them collide; the exports are then unchanged
   */
  public void replaceExports(List<Export> newExports) {
    ExportTable table = new ExportTable(newExports);
    synchronized (exportsLock) {
      exports = table;
    }
    log.info("exports replaced: {}", table.all());
  }

  /**
   * Tells the server that the embedding application is about to change a file behind the
   * clients' backs: NFSv4 clients holding a delegation of it are asked to return it (CB_RECALL,
   * RFC 8881 §10.4), so that they do not go on trusting what they cached. Never blocks.
   *
   * @param fileSystem the backend of one or more exports
   * @param file the file's handle in that backend
   * @return true when no delegation is held on the file (in any export of that backend): the
   *     change may proceed; false while a recall runs — call again later. Every recall ends
   *     within one lease: the delegation is returned, or revoked
   */
  public boolean recallDelegations(NfsFileSystem fileSystem, FileHandle file) {
    DelegationRecalls recalls = context.delegationRecalls();
    boolean clear = true;
    for (Export e : exports.all()) {
      if (e.fileSystem() == fileSystem) {
        clear &= recalls.recallBeforeChange(new FileKey(e.id(), file));
      }
    }
    return clear;
  }

  /** @return what the protocol programs see of this server */
  ServerContext context() {
    return context;
  }

  /** The server as its protocol programs see it: exports, write verifier, limits and locks. */
  private final class Context implements ServerContext {
    private volatile DelegationRecalls delegationRecalls = DelegationRecalls.NONE;

    @Override
    public DelegationRecalls delegationRecalls() {
      return delegationRecalls;
    }

    @Override
    public int maxDelegations() {
      return config.delegations == Delegations.OFF ? 0 : config.maxDelegations;
    }

    @Override
    public boolean writeDelegations() {
      return config.delegations == Delegations.READ_WRITE;
    }

    @Override
    public void registerDelegationRecalls(DelegationRecalls recalls) {
      delegationRecalls = recalls;
    }

    @Override
    public ExportTable exports() {
      return exports;
    }

    @Override
    public long writeVerifier() {
      return writeVerifier;
    }

    @Override
    public synchronized void writeVerifierLost() {
      // atomic, so that two losses at once make two changes: a WRITE that read the value
      // after the first one still sees the second
      writeVerifier++;
      log.warn("unstable writes may have been lost: write verifier changed");
    }

    @Override
    public int maxReadSize() {
      return config.maxReadSize;
    }

    @Override
    public int maxWriteSize() {
      return config.maxWriteSize;
    }

    /**
     * @return the one given to {@link Builder#lockManager}, else a {@link LocalLockManager} of
     *     this server's own
     */
    @Override
    public LockManager lockManager() {
      return config.lockManager;
    }

    @Override
    public java.util.Optional<java.nio.file.Path> stateDirectory() {
      return java.util.Optional.ofNullable(config.stateDirectory);
    }

    @Override
    public Duration lockGracePeriod() {
      return config.lockGracePeriod;
    }

    @Override
    public java.util.Optional<String> serverIdentity() {
      return java.util.Optional.ofNullable(identity);
    }

    @Override
    public ServerMetrics metrics() {
      return metrics;
    }

    @Override
    public java.util.Optional<OwnerNames> ownerNames() {
      return config.idmapNames
          ? java.util.Optional.of(
              new OwnerNames(config.idmapDomain, config.idmapPasswd, config.idmapGroup))
          : java.util.Optional.empty();
    }
  }

  /** Which NFSv4 delegations the server grants ({@link Builder#delegations}). */
  public enum Delegations {
    /** None. */
    OFF,
    /** Read delegations only. */
    READ,
    /**
     * Read and write delegations: an NFSv4.1 or 4.2 client that opens a file for writing while
     * no other client has it open also gets a write delegation, under which it may cache writes
     * and answer other clients' attribute queries (CB_GETATTR). NFSv4.0 clients get read
     * delegations only: a 4.0 request does not say which client sends it.
     */
    READ_WRITE
  }

  /** Configures an {@link NfsServer}. Not thread-safe. */
  public static final class Builder {
    private InetAddress address;
    private int port = 2049;
    private int mountPort = -1;
    private int portmapPort = -1;
    private final List<Export> exports = new ArrayList<>();
    private final List<NfsProtocol> protocols = new ArrayList<>();
    private final List<NfsFileSystem> ownedBackends = new ArrayList<>();
    private final List<ConnectionListener> listeners = new ArrayList<>();
    private int maxConnectionRatePerAddress = 60;
    private Executor executor;
    private int maxConnections = 1024;
    private int maxRecordSize = -1;
    private int maxInFlightPerConnection = 128;
    private int maxReadSize = MIB;
    private int maxWriteSize = MIB;
    private int duplicateRequestCacheSize = 4096;
    private int ioThreads = 0;
    private boolean udp = true;
    private TlsConfig tls;
    private KerberosConfig kerberos;
    private int implicitTlsPort = -1;
    private Duration idleTimeout = Duration.ofMinutes(15);
    private Duration shutdownGracePeriod = Duration.ofSeconds(3);
    private Duration nextCallWait = DEFAULT_NEXT_CALL_WAIT;
    private LockManager lockManager;
    private java.nio.file.Path stateDirectory;
    private Duration lockGracePeriod = Duration.ofSeconds(90);
    private String serverIdentity;
    private ServerMetrics metrics = ServerMetrics.NONE;
    private boolean rpcbindRegistration = true;
    private SocketAddress rpcbindAddress;
    private boolean idmapNames;
    private String idmapDomain;
    private java.nio.file.Path idmapPasswd = java.nio.file.Path.of("/etc/passwd");
    private java.nio.file.Path idmapGroup = java.nio.file.Path.of("/etc/group");
    private Duration recordTimeout = Duration.ofSeconds(60);
    private Delegations delegations = Delegations.READ_WRITE;
    private int maxDelegations = 10_000;

    private Builder() {}

    /**
     * Also serves every program on a TCP port where connections are TLS from the first byte,
     * without the AUTH_TLS probe (for clients or tunnels that start TLS themselves). Needs
     * {@link #tls(TlsConfig)}. The port is not registered with the portmapper.
     *
     * @param port the port, 0 for an ephemeral one
     * @return this builder
     */
    public Builder implicitTlsPort(int port) {
      this.implicitTlsPort = checkPort(port);
      return this;
    }

    /**
     * Offers RPCSEC_GSS (RFC 2203) with Kerberos v5 on every port: the server logs in from
     * the keytab when it starts, accepts security contexts (krb5, krb5i, krb5p) and maps their
     * principals to identities with the configuration's {@link PrincipalMapper}. Exports
     * decide which flavors they require.
     *
     * @param kerberos the service principal and keytab, or null for no RPCSEC_GSS (the default)
     * @return this builder
     */
    public Builder kerberos(KerberosConfig kerberos) {
      this.kerberos = kerberos;
      return this;
    }

    /**
     * Offers RPC-with-TLS (RFC 9289) on every TCP port: a client's AUTH_TLS probe is answered
     * with STARTTLS and the connection continues in TLS 1.3. Exports choose with
     * {@code xprtsec=} whether they require it ({@link ExportOptions#xprtsec()}).
     *
     * @param tls the certificate and key, or null for no TLS (the default)
     * @return this builder
     */
    public Builder tls(TlsConfig tls) {
      this.tls = tls;
      return this;
    }

    /**
     * @param address the local address to listen on; null for every address (the default)
     * @return this builder
     */
    public Builder bind(InetAddress address) {
      this.address = address;
      return this;
    }

    /**
     * @param host a local host name or address literal to listen on
     * @return this builder
     * @throws IllegalArgumentException if the name does not resolve
     */
    public Builder bind(String host) {
      try {
        return bind(InetAddress.getByName(host));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("unknown host " + host, e);
      }
    }

    /**
     * @param port the NFS port; 0 for an ephemeral port; default 2049
     * @return this builder
     */
    public Builder port(int port) {
      this.port = checkPort(port);
      return this;
    }

    /**
     * @param port a port of its own for MOUNT (program 100005), 0 for an ephemeral one
     * @return this builder
     */
    public Builder mountPort(int port) {
      this.mountPort = checkPort(port);
      return this;
    }

    /**
     * @param port the port of a standalone portmapper (TCP and UDP), e.g. 111; 0 for an
     *     ephemeral one
     * @return this builder
     */
    public Builder portmapPort(int port) {
      this.portmapPort = checkPort(port);
      return this;
    }

    /**
     * @param export an export to serve
     * @return this builder
     */
    public Builder export(Export export) {
      exports.add(Objects.requireNonNull(export, "export"));
      return this;
    }

    /**
     * @param path the export path
     * @param fileSystem the backend
     * @return this builder
     */
    public Builder export(String path, NfsFileSystem fileSystem) {
      return export(Export.of(path, fileSystem));
    }

    /**
     * @param path the export path
     * @param fileSystem the backend
     * @param options the access rules
     * @return this builder
     */
    public Builder export(String path, NfsFileSystem fileSystem, ExportOptions options) {
      return export(new Export(path, null, fileSystem, options));
    }

    /**
     * Hands a backend's lifetime to the server: {@link NfsServer#close()} closes it, if it is
     * {@link AutoCloseable}, after the server has stopped; {@link NfsServer#stop()} leaves it
     * open, so that the server can start again. A backend exported under several paths is
     * closed once. Without this call the caller closes its backends itself, after the server.
     *
     * @param fileSystem a backend this builder exports (before or after this call)
     * @return this builder
     */
    public Builder ownBackend(NfsFileSystem fileSystem) {
      ownedBackends.add(Objects.requireNonNull(fileSystem, "fileSystem"));
      return this;
    }

    /**
     * @param executor where calls that may block run; default: a virtual thread per call.
     *     An executor given here is not shut down by the server.
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * @param max how many TCP connections per port are open at once; more are closed before
     *     anything is read from them; default 1024
     * @return this builder
     */
    public Builder maxConnections(int max) {
      this.maxConnections = positive(max, "maxConnections");
      return this;
    }

    /**
     * Limits how often one client address may connect: a TCP connection from an address that
     * already opened {@code perMinute} connections within the last minute (counted on every
     * port of the server) is closed before anything is read from it. Only served connections
     * count. The last minute's count is estimated from the current and the previous minute's
     * counts, the previous one weighted by how much of it the last 60 seconds cover; an
     * address's first minute is counted exactly.
     *
     * @param perMinute new connections per address and minute; 0 for no limit; default 60
     * @return this builder
     */
    public Builder maxConnectionRatePerAddress(int perMinute) {
      if (perMinute < 0) {
        throw new IllegalArgumentException("maxConnectionRatePerAddress must be >= 0");
      }
      this.maxConnectionRatePerAddress = perMinute;
      return this;
    }

    /**
     * Adds a listener that decides which TCP connections are served and hears when they open
     * and close. Several may be added: a connection is served when every one accepts it, and
     * every one hears its events, in the order they were added.
     *
     * @param listener a listener
     * @return this builder
     */
    public Builder connectionListener(ConnectionListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @param max the largest RPC record accepted over TCP, in bytes; by default the larger
     *     of the read and write sizes plus 64 KiB
     * @return this builder
     */
    public Builder maxRecordSize(int max) {
      this.maxRecordSize = positive(max, "maxRecordSize");
      return this;
    }

    /**
     * @param max how many calls of one connection run at once; beyond it the server stops
     *     reading from that connection (over UDP, the cap applies to the socket as a whole,
     *     and datagrams beyond it are dropped for the client to retransmit); default 128
     * @return this builder
     */
    public Builder maxInFlightPerConnection(int max) {
      this.maxInFlightPerConnection = positive(max, "maxInFlightPerConnection");
      return this;
    }

    /**
     * @param max the largest READ answered (advertised rtmax); default 1 MiB
     * @return this builder
     */
    public Builder maxReadSize(int max) {
      this.maxReadSize = positive(max, "maxReadSize");
      return this;
    }

    /**
     * @param max the largest WRITE accepted (advertised wtmax); default 1 MiB
     * @return this builder
     */
    public Builder maxWriteSize(int max) {
      this.maxWriteSize = positive(max, "maxWriteSize");
      return this;
    }

    /**
     * @param entries how many replies of non-idempotent calls to remember for
     *     retransmissions; 0 turns the duplicate request cache off; default 4096
     * @return this builder
     */
    public Builder duplicateRequestCacheSize(int entries) {
      if (entries < 0) {
        throw new IllegalArgumentException("duplicateRequestCacheSize must be >= 0");
      }
      this.duplicateRequestCacheSize = entries;
      return this;
    }

    /**
     * @param threads how many network threads; 0 (the default) lets Netty choose
     * @return this builder
     */
    public Builder ioThreads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("ioThreads must be >= 0");
      }
      this.ioThreads = threads;
      return this;
    }

    /**
     * @param timeout how long a TCP connection with no call in flight stays open when no call
     *     arrives on it; {@link Duration#ZERO} keeps idle connections open for ever; default
     *     15 minutes. Clients reconnect when they need to; NFSv4.1 clients keep their
     *     connection busy with SEQUENCE renewals, which count as calls.
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("idleTimeout must not be negative");
      }
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * A worker that answered the only call in flight on a connection stays awake this long,
     * spinning on its processor, in case the connection's next call arrives; it then runs that
     * call itself instead of a parked worker being woken for it (calls that could run on the
     * network thread go to it too). This lowers the latency of clients that send one call at
     * a time, at the cost of processor time while they think; a connection whose client
     * paused longer than the wait is waited for again only after another run of lone calls.
     * At most a quarter of the processors (at least one) wait at once; calls of connections
     * that pipeline are not affected.
     *
     * @param wait how long to wait; {@link Duration#ZERO} turns waiting off; default 120 µs
     * @return this builder
     */
    public Builder nextCallWait(Duration wait) {
      if (wait.isNegative()) {
        throw new IllegalArgumentException("nextCallWait must not be negative");
      }
      this.nextCallWait = wait;
      return this;
    }

    /**
     * @param period how long {@link NfsServer#stop()} lets the calls already read finish
     *     (and send their replies) before it closes the connections; calls still running then
     *     are abandoned; default 3 seconds
     * @return this builder
     */
    public Builder shutdownGracePeriod(Duration period) {
      if (period.isNegative()) {
        throw new IllegalArgumentException("shutdownGracePeriod must not be negative");
      }
      this.shutdownGracePeriod = period;
      return this;
    }

    /**
     * @param udp whether to serve UDP as well as TCP; default true
     * @return this builder
     */
    public Builder udp(boolean udp) {
      this.udp = udp;
      return this;
    }

    /**
     * Sets where share reservations and byte-range locks are kept (NFSv4 OPEN, LOCK, LOCKT,
     * LOCKU, RELEASE_LOCKOWNER, and the release of a client's state when its lease expires).
     * Without this call the server keeps them in a {@link LocalLockManager} of its own. The
     * calls the server makes, and what it expects of an implementation, are stated on
     * {@link LockManager}. A lock manager may be shared by several servers.
     *
     * @param lockManager the lock manager
     * @return this builder
     */
    public Builder lockManager(LockManager lockManager) {
      this.lockManager = Objects.requireNonNull(lockManager, "lockManager");
      return this;
    }

    /**
     * Sets a directory where the server keeps the little it must remember across restarts
     * (created if missing): the NLM client hosts that hold locks, so that they are told to
     * reclaim them after a restart; the NFSv4 clients that may hold state, so that after a
     * restart only they may reclaim it (RFC 8881 §8.4.3), and the grace period ends as soon as
     * they all have; and the server's generated {@linkplain #serverIdentity identity}.
     * Without it, NLM remembers nothing and opens no grace period after a restart (clients
     * then learn of the restart only when their locks are refused), and NFSv4 accepts
     * reclaims from any client during its grace period, trusting them, as Linux knfsd does
     * without its recovery directory.
     *
     * @param directory the directory, private to this server
     * @return this builder
     */
    public Builder stateDirectory(java.nio.file.Path directory) {
      this.stateDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * @param period how long, after a restart in which NLM clients held locks, NLM grants
     *     only reclaims of them; default 90 seconds (NFSv4's grace period is its protocol's)
     * @return this builder
     */
    public Builder lockGracePeriod(Duration period) {
      if (period.isNegative()) {
        throw new IllegalArgumentException("lockGracePeriod must not be negative");
      }
      this.lockGracePeriod = period;
      return this;
    }

    /**
     * Adds a protocol to serve. Once one is given, the class path is no longer searched;
     * without any, every {@link NfsProtocol} that {@link ServiceLoader} finds through the
     * thread's context class loader at {@link NfsServer#start()} is served.
     *
     * @param protocol a protocol
     * @return this builder
     */
    public Builder protocol(NfsProtocol protocol) {
      protocols.add(Objects.requireNonNull(protocol, "protocol"));
      return this;
    }

    /**
     * Names this server to NFSv4.1 clients: the identity becomes EXCHANGE_ID's server owner
     * ({@code so_major_id}) and server scope (RFC 8881 §2.10.4–2.10.5). Clients take servers
     * with the same identity for one server, whose connections they may trunk and whose state
     * they may reclaim from one another, so give the same identity only to servers that share
     * their exports and their state. Without this call the server makes a random identity at
     * its first start and keeps it in the {@linkplain #stateDirectory state directory} (file
     * {@code server-id}), so it stays the same across restarts; without a state directory
     * either, it makes a new one at every start.
     *
     * @param identity at most 1024 bytes in UTF-8, not empty
     * @return this builder
     * @throws IllegalArgumentException if the identity is empty or too long
     */
    public Builder serverIdentity(String identity) {
      this.serverIdentity = ServerIdentity.check(Objects.requireNonNull(identity, "identity"));
      return this;
    }

    /**
     * Whether to register with the host's portmapper (rpcbind) at start, and unregister at
     * stop, so that clients asking port 111 find NFS, MOUNT, NLM and NSM (every version
     * served, over TCP and, when served, UDP, at the server's actual ports). When on (the
     * default), the server registers with {@linkplain #rpcbindAddress the portmapper named},
     * else with the host's own when it answers (rpcbind's local socket {@code
     * /run/rpcbind.sock}, or loopback port 111) unless the server {@linkplain #portmapPort runs
     * its own portmapper} on port 111 or its NFS port is {@linkplain #port ephemeral}. Entries
     * the same programs already have are removed first, as knfsd does. A portmapper that
     * refuses the registration (rpcbind accepts it over its local socket, and over loopback
     * only when started with {@code -i} or {@code -L}) is logged at warn; the server serves
     * on.
     *
     * @param register false to never register; default true
     * @return this builder
     */
    public Builder rpcbindRegistration(boolean register) {
      this.rpcbindRegistration = register;
      return this;
    }

    /**
     * Exports a path with options per group of clients, as one exports(5) line gives them:
     * {@code export("/srv", fs, ExportOptions.parseClients("10.0.0.0/8(rw) *(ro)"))}.
     *
     * @param path the export path
     * @param fileSystem the backend
     * @param optionSets the access rules, one set per group of clients; a client gets the set
     *     {@link ExportOptions#select} picks
     * @return this builder
     * @throws IllegalArgumentException if no option set is given
     */
    public Builder export(String path, NfsFileSystem fileSystem, List<ExportOptions> optionSets) {
      return export(new Export(path, null, fileSystem, optionSets));
    }

    /**
     * Measures the server into a Micrometer registry: calls, latency histograms and errors per
     * procedure (and per NFSv4 operation), bytes read and written, connections open and
     * refused, calls in flight, duplicate request cache hits and the NFSv4 clients, sessions,
     * opens and locks. Meter names start with {@code jnfs.}; the full list is in the README.
     * Micrometer ({@code io.micrometer:micrometer-core}) is an optional dependency: without this
     * call the server neither needs nor loads it. Give each server its own registry: servers
     * sharing one add up their counts and their gauges are not told apart.
     *
     * @param registry where to record, e.g. a Prometheus or JMX registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.metrics = ServerMetrics.micrometer(Objects.requireNonNull(registry, "registry"));
      return this;
    }

    /**
     * Names the portmapper to {@linkplain #rpcbindRegistration register with}, whatever the
     * server's ports: a {@link java.net.UnixDomainSocketAddress} (rpcbind's local socket) or
     * an {@link java.net.InetSocketAddress} reached over TCP.
     *
     * @param address the portmapper's address; null for the host's own (the default)
     * @return this builder
     */
    public Builder rpcbindAddress(SocketAddress address) {
      this.rpcbindAddress = address;
      return this;
    }

    /**
     * Whether NFSv4 names owners and groups ({@code owner}, {@code owner_group}) as {@code
     * name@domain} (RFC 7530 §5.9), from {@linkplain #idmapFiles the host's users and groups},
     * in {@linkplain #idmapDomain the NFSv4 domain}. Ids without a name travel as decimal
     * strings, and decimal strings from clients are always accepted; a name this server does
     * not know, or of another domain, is answered BADOWNER.
     *
     * <p>Off by default: ids then travel as decimal strings both ways, which is what a Linux
     * client sends and expects for AUTH_SYS ({@code nfs4_disable_idmapping}), and is the only
     * form a client without an id mapper ({@code nfsidmap}) can read: it shows a name it
     * cannot map as {@code nobody}. Turn names on for clients that map names (Kerberos
     * clients, Linux clients whose {@code nfsidmap} has the same domain).
     *
     * @param names true for names; default false
     * @return this builder
     */
    public Builder idmapNames(boolean names) {
      this.idmapNames = names;
      return this;
    }

    /**
     * Sets the NFSv4 domain of owner and group names (nfsidmap's {@code Domain}) and turns
     * {@linkplain #idmapNames names} on.
     *
     * @param domain the domain, e.g. {@code example.org}; null for the host's DNS domain, or
     *     {@code localdomain} when it has none (the default)
     * @return this builder
     */
    public Builder idmapDomain(String domain) {
      if (domain != null && (domain.isBlank() || domain.indexOf('@') >= 0)) {
        throw new IllegalArgumentException("bad NFSv4 domain '" + domain + "'");
      }
      this.idmapDomain = domain;
      this.idmapNames = true;
      return this;
    }

    /**
     * Sets the tables {@linkplain #idmapNames owner and group names} come from, read again
     * when they change.
     *
     * @param passwd users, in {@code /etc/passwd} form (the default is {@code /etc/passwd})
     * @param group groups, in {@code /etc/group} form (the default is {@code /etc/group})
     * @return this builder
     */
    public Builder idmapFiles(java.nio.file.Path passwd, java.nio.file.Path group) {
      this.idmapPasswd = Objects.requireNonNull(passwd, "passwd");
      this.idmapGroup = Objects.requireNonNull(group, "group");
      return this;
    }

    /**
     * Limits how long one RPC record may take to arrive over TCP, counted from the read that
     * brought its first bytes; time in which the server does not read from the connection
     * (while its calls in flight are at {@linkplain #maxInFlightPerConnection the cap}) does
     * not count. A connection whose record is not complete by then is closed: a client that
     * sends a record a byte at a time, or half a record and then nothing, holds a connection
     * and the bytes it sent only this long. The {@linkplain #idleTimeout idle timeout} counts
     * only whole records, so it does not end such a connection by itself.
     *
     * @param timeout how long a record may take; {@link Duration#ZERO} for ever; default 60
     *     seconds, in which a slow link still brings a WRITE of the maximum size
     * @return this builder
     */
    public Builder recordTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("recordTimeout must not be negative");
      }
      this.recordTimeout = timeout;
      return this;
    }

    /**
     * Sets which NFSv4 delegations clients may get (RFC 8881 §10.4): a client holding one opens
     * and reads the file (with a write delegation, also writes it) without asking the server
     * until another client's access makes the server recall it. Only clients the server can call back get them: NFSv4.1 and 4.2 clients
     * whose session has a back channel, NFSv4.0 clients whose callback address answered the
     * server's probe; not Kerberos sessions, whose callbacks the server does not make.
     *
     * @param policy off, read only, or read and write (the default)
     * @return this builder
     */
    public Builder delegations(Delegations policy) {
      this.delegations = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Caps the delegations held at once (the default is 10,000); beyond it, OPEN grants none.
     *
     * @param max the most delegations held
     * @return this builder
     */
    public Builder maxDelegations(int max) {
      this.maxDelegations = positive(max, "maxDelegations");
      return this;
    }

    int effectiveMaxRecordSize() {
      return maxRecordSize > 0
          ? maxRecordSize
          : Math.max(maxReadSize, maxWriteSize) + RECORD_OVERHEAD;
    }

    /**
     * @return the server
     * @throws IllegalArgumentException if the exports collide, an {@linkplain #ownBackend
     *     owned backend} is not exported, or the record size cannot hold a WRITE of the maximum
     *     size
     */
    public NfsServer build() {
      if (effectiveMaxRecordSize() < maxWriteSize + 1024) {
        throw new IllegalArgumentException(
            "maxRecordSize " + maxRecordSize + " cannot hold a write of " + maxWriteSize);
      }
      if (implicitTlsPort >= 0 && tls == null) {
        throw new IllegalArgumentException("implicitTlsPort needs tls(...)");
      }
      Builder copy = new Builder();
      copy.address = address;
      copy.port = port;
      copy.mountPort = mountPort;
      copy.portmapPort = portmapPort;
      copy.exports.addAll(exports);
      copy.protocols.addAll(protocols);
      copy.ownedBackends.addAll(ownedBackends);
      copy.listeners.addAll(listeners);
      copy.maxConnectionRatePerAddress = maxConnectionRatePerAddress;
      copy.executor = executor;
      copy.maxConnections = maxConnections;
      copy.maxRecordSize = maxRecordSize;
      copy.maxInFlightPerConnection = maxInFlightPerConnection;
      copy.maxReadSize = maxReadSize;
      copy.maxWriteSize = maxWriteSize;
      copy.duplicateRequestCacheSize = duplicateRequestCacheSize;
      copy.ioThreads = ioThreads;
      copy.udp = udp;
      copy.tls = tls;
      copy.kerberos = kerberos;
      copy.implicitTlsPort = implicitTlsPort;
      copy.idleTimeout = idleTimeout;
      copy.shutdownGracePeriod = shutdownGracePeriod;
      copy.nextCallWait = nextCallWait;
      copy.stateDirectory = stateDirectory;
      copy.lockGracePeriod = lockGracePeriod;
      copy.serverIdentity = serverIdentity;
      copy.metrics = metrics;
      copy.rpcbindRegistration = rpcbindRegistration;
      copy.rpcbindAddress = rpcbindAddress;
      copy.idmapNames = idmapNames;
      copy.idmapDomain = idmapDomain;
      copy.idmapPasswd = idmapPasswd;
      copy.idmapGroup = idmapGroup;
      copy.recordTimeout = recordTimeout;
      copy.delegations = delegations;
      copy.maxDelegations = maxDelegations;
      copy.lockManager = lockManager != null ? lockManager : new LocalLockManager();
      return new NfsServer(copy);
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 0xFFFF) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      return port;
    }

    private static int positive(int value, String what) {
      if (value <= 0) {
        throw new IllegalArgumentException(what + " must be positive: " + value);
      }
      return value;
    }
  }
}
