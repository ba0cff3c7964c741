package dev.jnfs.v4;

import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.Credential;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirectClient;
import dev.jnfs.v4.testing.Nfs4Client;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.TcpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Servers for operation tests, in two modes. Direct: in-memory exports behind an NFSv4 program
 * called in-process, with the permissive state service and, for 4.1 COMPOUNDs, a stand-in
 * SEQUENCE (clients may pose as any address). Wire: a real {@link NfsServer} on a loopback
 * ephemeral port with the real state engine, reached over TCP; 4.1 and 4.2 COMPOUNDs run in
 * a real session of their minor version.
 */
final class Fixture implements AutoCloseable {
  static final ExportOptions RW = ExportOptions.DEFAULT.with("rw,insecure,no_root_squash");

  final ServerContext server;
  final Nfs4Program program;
  private final NfsServer nfsServer;
  private final Map<Integer, Nfs4Client> clients = new HashMap<>();
  private final Map<Integer, byte[]> sessions = new HashMap<>();
  private final Map<Integer, Integer> sequences = new HashMap<>();

  /** Direct mode. */
  Fixture(List<Export> exports) {
    this.server = new TestServerContext(exports);
    OperationRegistry registry = new OperationRegistry();
    StatelessOperations.registerAll(registry);
    registry.register(Nfs4Opcode.SEQUENCE, 1, (ctx, args, result) -> {});
    this.program = new Nfs4Program(server, registry, Nfs4StateService.PERMISSIVE, IdMapper.NUMERIC);
    this.nfsServer = null;
  }

  private Fixture(NfsServer nfsServer, ServerContext context) {
    this.server = context;
    this.program = null;
    this.nfsServer = nfsServer;
  }

  /**
   * @param exports the exports
   * @return a running server in wire mode
   */
  static Fixture wire(List<Export> exports) {
    return wire(exports, b -> {});
  }

  /**
   * @param exports the exports
   * @param configure settings of the server beyond the fixture's
   * @return a running server in wire mode
   */
  static Fixture wire(List<Export> exports, java.util.function.Consumer<NfsServer.Builder> configure) {
    NfsServer.Builder b = NfsServer.builder().bind("127.0.0.1").port(0).udp(false);
    exports.forEach(b::export);
    configure.accept(b);
    // the real state engine without a grace period, which would refuse I/O at first
    AtomicReference<ServerContext> context = new AtomicReference<>();
    Nfs4Protocol protocol = new Nfs4Protocol(StateConfig.defaults().withGracePeriod(Duration.ZERO));
    b.protocol(ctx -> {
      context.set(ctx);
      return protocol.programs(ctx);
    });
    NfsServer s = b.build();
    s.start();
    return new Fixture(s, context.get());
  }

  /** @return root over loopback (one client, reused) */
  Nfs4Client root() {
    return user(0);
  }

  /**
   * @param uid the user
   * @return an AUTH_SYS client over loopback with that uid and gid (one per uid, reused)
   */
  Nfs4Client user(int uid) {
    return clients.computeIfAbsent(uid, u -> {
      if (nfsServer == null) {
        return new DirectClient(program, new InetSocketAddress("127.0.0.1", 800 + (u == 0 ? 0 : 1)),
            new Credential.Sys(0, "test", u, u, new int[0]));
      }
      try {
        return new TcpClient(nfsServer.port(), u, u);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * @return a 4.1 COMPOUND for {@link #root()}: with the stand-in SEQUENCE in direct mode, in
   *     a real session (opened on first use, slot 0) in wire mode
   */
  Compound v41() {
    if (nfsServer == null) {
      return Compound.v41().op(Nfs4Opcode.SEQUENCE, a -> {}, in -> null);
    }
    return inSession(1);
  }

  /** @return a 4.2 COMPOUND for {@link #root()} in a real 4.2 session (wire mode only) */
  Compound v42() {
    return inSession(2);
  }

  /**
   * @return a stateid of the 4.2 session's client and this server instance that names no state
   *     (the session id begins with the boot verifier and the client index, as a stateid's
   *     {@code other} does): BAD_STATEID, not STALE_STATEID
   */
  Stateid unknownStateid() {
    byte[] other = Arrays.copyOf(session(2), Stateid.OTHER_LENGTH);
    Arrays.fill(other, 8, Stateid.OTHER_LENGTH, (byte) 0x7F);
    return Stateid.of(1, other);
  }

  /** A COMPOUND of the minor version starting with SEQUENCE in its session, opened on first use. */
  private Compound inSession(int minor) {
    byte[] session = session(minor);
    int sequence = sequences.merge(minor, 1, Integer::sum);
    return Compound.minor(minor).sequence(session, sequence, 0, false);
  }

  /** The session of the minor version, opened on first use. */
  private byte[] session(int minor) {
    byte[] session = sessions.get(minor);
    if (session == null) {
      Reply ex = root().call(Compound.minor(minor)
          .exchangeId("fixture-" + minor + "-" + System.identityHashCode(this), 1));
      long[] id = ex.last().value();
      session = root().call(Compound.minor(minor).createSession(id[0], (int) id[1], 64)).last().value();
      sessions.put(minor, session);
      sequences.put(minor, 1);
      root().call(Compound.minor(minor).sequence(session, 1, 0, false).reclaimComplete(false));
    }
    return session;
  }

  @Override
  public void close() {
    clients.values().forEach(Nfs4Client::close);
    if (nfsServer != null) {
      nfsServer.stop();
    }
  }

  /**
   * @param r a reply
   * @return the reply's status, for assertions with a readable message
   */
  static String describe(Reply r) {
    StringBuilder sb = new StringBuilder("status " + r.status() + ":");
    r.results().forEach(x -> sb.append(' ').append(Nfs4Opcode.name(x.opcode())).append('=').append(x.status()));
    return sb.toString();
  }
}
