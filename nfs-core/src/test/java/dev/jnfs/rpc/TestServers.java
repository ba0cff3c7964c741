package dev.jnfs.rpc;

import dev.jnfs.server.NfsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/** Starts servers on loopback, ephemeral ports, serving one test program. */
final class TestServers {
  private TestServers() {}

  static NfsServer.Builder builder(RpcProgram... programs) {
    return NfsServer.builder()
        .bind(InetAddress.getLoopbackAddress())
        .port(0)
        .protocol(context -> List.of(programs));
  }

  static NfsServer start(RpcProgram... programs) {
    NfsServer server = builder(programs).build();
    server.start();
    return server;
  }

  static InetSocketAddress address(NfsServer server) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
  }
}
