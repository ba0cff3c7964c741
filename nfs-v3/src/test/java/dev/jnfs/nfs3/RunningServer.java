package dev.jnfs.nfs3;

import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.server.NfsServer;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real {@link NfsServer} for end-to-end tests, on its own loopback address (127.x.y.z) so
 * that clients which insist on the portmapper's well-known port 111 can be pointed at it
 * without colliding with anything else on the machine. NFS and MOUNT listen on ephemeral
 * ports; the protocol comes from the class path (META-INF/services).
 */
final class RunningServer implements AutoCloseable {
  private static final int ATTEMPTS = 8;

  final NfsServer server;
  final String host;
  private final AtomicReference<ServerContext> context;

  private RunningServer(NfsServer server, String host, AtomicReference<ServerContext> context) {
    this.server = server;
    this.host = host;
    this.context = context;
  }

  /** @return the server as its NFSv3 program sees it (exports, write verifier, limits) */
  ServerContext context() {
    return context.get();
  }

  /**
   * @param withPortmapper whether to also serve the portmapper on port 111 of the address
   * @param exports what to export
   */
  static RunningServer start(boolean withPortmapper, Export... exports) {
    return start(withPortmapper, false, exports);
  }

  /** Starts a server that also answers over UDP. */
  static RunningServer startWithUdp(Export... exports) {
    return start(false, true, exports);
  }

  private static RunningServer start(boolean withPortmapper, boolean udp, Export... exports) {
    UncheckedIOException last = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      String host = "127." + r.nextInt(1, 255) + "." + r.nextInt(0, 256) + "." + r.nextInt(2, 255);
      AtomicReference<ServerContext> context = new AtomicReference<>();
      NfsServer.Builder b = NfsServer.builder().bind(host).port(0).mountPort(0).udp(udp)
          .protocol(c -> {
            context.set(c);
            return new Nfs3Protocol().programs(c);
          });
      if (withPortmapper) {
        b.portmapPort(111);
      }
      for (Export e : exports) {
        b.export(e);
      }
      NfsServer server = b.build();
      try {
        server.start();
        return new RunningServer(server, host, context);
      } catch (UncheckedIOException e) {
        last = e; // the address and port were taken: try another address
      }
    }
    throw last;
  }

  InetSocketAddress nfsAddress() {
    return new InetSocketAddress(host, server.port());
  }

  InetSocketAddress mountAddress() {
    return new InetSocketAddress(host, server.mountPort());
  }

  /** @return a libnfs URL for a path under an export */
  String url(String path) {
    return "nfs://" + host + path + "?version=3&nfsport=" + server.port() + "&mountport="
        + server.mountPort();
  }

  @Override
  public void close() {
    server.stop();
  }
}
