package dev.jnfs.v4;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.rpc.Credential;
import dev.jnfs.server.Export;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirectClient;
import dev.jnfs.v4.testing.Reply;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Servers for operation tests: in-memory exports behind an NFSv4 program with every stateless
 * operation, the permissive state service and, for 4.1 COMPOUNDs, a stand-in SEQUENCE that
 * opens no real session.
 */
final class Fixture {
  static final ExportOptions RW = ExportOptions.DEFAULT.with("rw,insecure,no_root_squash");

  final TestServerContext server;
  final Nfs4Program program;

  Fixture(List<Export> exports) {
    this.server = new TestServerContext(exports);
    OperationRegistry registry = new OperationRegistry();
    StatelessOperations.registerAll(registry);
    registry.register(Nfs4Opcode.SEQUENCE, 1, (ctx, args, result) -> {});
    this.program = new Nfs4Program(server, registry, Nfs4StateService.PERMISSIVE, IdMapper.NUMERIC);
  }

  /** One read-write in-memory export at {@code /data}. */
  static Fixture single() {
    return new Fixture(List.of(new Export("/data", null, new InMemoryFileSystem(), RW)));
  }

  /** @return root over loopback */
  DirectClient root() {
    return DirectClient.root(program);
  }

  /**
   * @param uid the user
   * @return a non-root AUTH_SYS client over loopback
   */
  DirectClient user(int uid) {
    return new DirectClient(program, new InetSocketAddress("127.0.0.1", 800),
        new Credential.Sys(0, "test", uid, uid, new int[0]));
  }

  /** A 4.1 COMPOUND starting with the stand-in SEQUENCE. */
  static Compound v41() {
    return Compound.v41().op(Nfs4Opcode.SEQUENCE, a -> {}, in -> null);
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
