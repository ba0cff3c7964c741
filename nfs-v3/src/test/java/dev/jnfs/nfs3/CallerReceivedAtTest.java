package dev.jnfs.nfs3;

import static dev.jnfs.nfs3.Nfs3OverRpcTest.ROOT;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.args;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.mount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsFileSystem;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backend learns when an NFSv3 call that only reads was received ({@link
 * Caller#receivedAt()}), so that it may answer from what it knew since; a call that changes an
 * object, whose attributes after the change the backend is asked for, carries no such time.
 */
class CallerReceivedAtTest {
  /** One backend call: the method and the caller it was made for. */
  private record Seen(String method, Caller caller) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private RunningServer server;

  @BeforeEach
  void start() {
    NfsFileSystem target = TestBackends.create();
    NfsFileSystem recording = (NfsFileSystem) Proxy.newProxyInstance(
        NfsFileSystem.class.getClassLoader(), new Class<?>[] {NfsFileSystem.class},
        (proxy, method, arguments) -> {
          if (arguments != null && arguments.length > 0 && arguments[0] instanceof Caller c) {
            seen.add(new Seen(method.getName(), c));
          }
          try {
            return method.invoke(target, arguments);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    server = RunningServer.start(false,
        new Export("/x", null, recording, ExportOptions.DEFAULT.with("insecure,no_root_squash")));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aReadingCallCarriesTheTimeItWasReceived() throws Exception {
    try (RpcTestClient c = RpcTestClient.connect(server.nfsAddress())) {
      byte[] root = mount(c, "/x");
      seen.clear();
      long before = System.nanoTime();
      assertEquals(0, c.call(Nfs3OverRpcTest.NFS, 3, Nfs3Program.GETATTR, ROOT, args(e -> e.writeOpaque(root)))
          .decoder().readInt());
      long after = System.nanoTime();
      assertEquals(0, c.call(Nfs3OverRpcTest.NFS, 3, Nfs3Program.ACCESS, ROOT,
          args(e -> e.writeOpaque(root).writeInt(0x1f))).decoder().readInt());

      Seen getattr = seen.get(0);
      assertEquals("getattr", getattr.method());
      long received = getattr.caller().receivedAt().orElseThrow();
      assertTrue(received - before > 0 && after - received > 0, "received while the call was in flight");
      Seen access = seen.stream().filter(s -> s.method().equals("access")).findFirst().orElseThrow();
      assertTrue(access.caller().receivedAt().orElseThrow() - received > 0, "each call its own time");
    }
  }

  @Test
  void aChangingCallCarriesNoTimeForItsOwnAttributesAfterTheChange() throws Exception {
    try (RpcTestClient c = RpcTestClient.connect(server.nfsAddress())) {
      byte[] root = mount(c, "/x");
      seen.clear();
      // SETATTR with nothing to set and no guard: the backend is asked for the object's
      // attributes before and after
      assertEquals(0, c.call(Nfs3OverRpcTest.NFS, 3, Nfs3Program.SETATTR, ROOT,
          args(e -> e.writeOpaque(root).writeInt(0).writeInt(0).writeInt(0).writeInt(0).writeInt(0)
              .writeInt(0).writeInt(0).writeInt(0))).decoder().readInt());

      assertTrue(seen.stream().anyMatch(s -> s.method().equals("setattr")), seen.toString());
      for (Seen s : seen) {
        assertFalse(s.caller().receivedAt().isPresent(), s.method() + " of SETATTR");
        assertTrue(s.caller().connectionId().isPresent(), "the caller is the call's");
      }
    }
  }
}
