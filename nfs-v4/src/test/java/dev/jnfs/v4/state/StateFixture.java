package dev.jnfs.v4.state;

import dev.jnfs.lock.LocalLockManager;
import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.Credential;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.v4.Nfs4Program;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.StateTestPrograms;
import dev.jnfs.v4.TestServerContext;
import dev.jnfs.v4.testing.DirectClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * An NFSv4 program over an in-memory file system exported at "/", with the state engine on a
 * test clock: COMPOUNDs go through the real encoder, processor and operations, without
 * sockets.
 */
final class StateFixture {
  final MutableClock clock = new MutableClock();
  final InMemoryFileSystem fs = new InMemoryFileSystem();
  final LocalLockManager locks = new LocalLockManager();
  final StateService state;
  /** The id of the export at "/". */
  final int exportId;
  final Nfs4Program program;

  StateFixture(Duration lease, Duration grace) {
    this(StateConfig.defaults().withLeaseTime(lease).withGracePeriod(grace));
  }

  StateFixture(StateConfig config) {
    Export export = new Export("/", null, fs, ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"));
    exportId = export.id();
    ServerContext context = new TestServerContext(List.of(export));
    state = (StateService) StateModule.create(context, config, clock, locks);
    program = StateTestPrograms.program(context, state);
  }

  StateFixture() {
    this(Duration.ofSeconds(30), Duration.ZERO);
  }


  /** Makes a directory in the export's root directly in the backend. */
  void mkdir(String name) {
    try {
      fs.mkdir(Caller.of(0, 0), fs.root(), name, SetAttributes.mode(0755));
    } catch (NfsException e) {
      throw new AssertionError(e);
    }
  }

  /** Makes a symbolic link in the export's root directly in the backend. */
  void symlink(String name, String target) {
    try {
      fs.symlink(Caller.of(0, 0), fs.root(), name, target, SetAttributes.mode(0777));
    } catch (NfsException e) {
      throw new AssertionError(e);
    }
  }

  /** Makes an empty regular file in the export's root directly in the backend. */
  void file(String name) {
    try {
      fs.create(Caller.of(0, 0), fs.root(), name, CreateMode.GUARDED, SetAttributes.mode(0644), 0);
    } catch (NfsException e) {
      throw new AssertionError(e);
    }
  }

  StateEngine engine() {
    return state.engine();
  }

  /** @return a raw caller posing as a client at {@code 127.0.0.<host>} */
  Wire.Raw client(int host) {
    return Wire.direct(new DirectClient(program, new InetSocketAddress("127.0.0." + host, 700),
        new Credential.Sys(0, "client" + host, 0, 0, new int[0])));
  }
}
