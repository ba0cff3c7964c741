package dev.jnfs.nlm;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.mount.MountProgram;
import dev.jnfs.nfs3.Nfs3Program;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.NfsProtocol;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.SetAttributes;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running server with NFSv3, MOUNT, NLM and NSM on 127.0.0.1, exporting an in-memory file
 * system at "/", whose NLM reaches its clients' portmappers at a given port. Other protocols
 * (NFSv4) may be added.
 */
final class NlmServer implements AutoCloseable {
  final InMemoryFileSystem fs;
  final Export export;
  final NfsServer server;
  private final AtomicReference<ServerContext> context = new AtomicReference<>();

  NlmServer(InMemoryFileSystem fs, String options, int clientPortmapPort, Path stateDirectory, Duration grace,
      NfsProtocol... more) {
    this(fs, ExportOptions.DEFAULT.with(options), clientPortmapPort, stateDirectory, grace, more);
  }

  NlmServer(InMemoryFileSystem fs, ExportOptions options, int clientPortmapPort, Path stateDirectory,
      Duration grace, NfsProtocol... more) {
    this(0, fs, options, clientPortmapPort, stateDirectory, grace, more);
  }

  private NlmServer(int port, InMemoryFileSystem fs, ExportOptions options, int clientPortmapPort,
      Path stateDirectory, Duration grace, NfsProtocol... more) {
    this.fs = fs;
    this.export = new Export("/", null, fs, options);
    NfsServer.Builder b = NfsServer.builder().bind("127.0.0.1").port(port).export(export)
        .lockGracePeriod(grace)
        .protocol(ctx -> {
          context.set(ctx);
          List<RpcProgram> programs = new ArrayList<>(List.of(new Nfs3Program(ctx), new MountProgram(ctx)));
          programs.addAll(Nlm.programs(ctx, clientPortmapPort));
          return programs;
        });
    for (NfsProtocol p : more) {
      b.protocol(p);
    }
    if (stateDirectory != null) {
      b.stateDirectory(stateDirectory);
    }
    server = b.build();
    server.start();
  }

  /** An insecure, read-write export without a state directory. */
  static NlmServer simple(int clientPortmapPort, NfsProtocol... more) {
    return new NlmServer(new InMemoryFileSystem(), "rw,insecure,no_root_squash", clientPortmapPort, null,
        Duration.ofSeconds(90), more);
  }

  /**
   * A server whose clients' portmapper is its own, as for a client behind NAT on the server's
   * host: its callbacks come back to itself.
   */
  static NlmServer loopback() throws java.io.IOException {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    return new NlmServer(port, new InMemoryFileSystem(), ExportOptions.DEFAULT.with("rw,insecure,no_root_squash"),
        port, null, Duration.ofSeconds(90));
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", server.port());
  }

  /** @return the wire handle of a file, created if missing */
  byte[] file(String name) throws NfsException {
    FileHandle h;
    try {
      h = fs.lookup(Caller.of(0, 0), fs.root(), name).handle();
    } catch (NfsException e) {
      h = fs.create(Caller.of(0, 0), fs.root(), name, CreateMode.UNCHECKED, SetAttributes.NONE, 0).handle();
    }
    return context.get().exports().toWire(export, h);
  }

  @Override
  public void close() {
    server.stop();
  }
}
