package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.rpc.testing.WellBehavedClient;
import dev.jnfs.server.NfsServer;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.TcpClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * NFSv4 clients that ask for too much, through a real loopback connection: COMPOUNDs that
 * declare or carry more operations than the server takes (RFC 7530 §15.2.4: RESOURCE; RFC 8881
 * §15.1.3: TOO_MANY_OPS), and READDIR loops with stale or invented cookies (BAD_COOKIE, RFC 7530
 * §16.24.5). Each is answered at once without work in proportion to what was declared, and a
 * well-behaved client on another connection keeps being answered throughout.
 */
class HostileCompoundsTest {
  private static final int ROUNDS = 2000;
  private static final int DIRECTORIES = 300;
  private static NfsServer server;

  @BeforeAll
  static void start() {
    server = NfsServer.builder().bind("127.0.0.1").port(0).udp(false)
        .export("/", new InMemoryFileSystem(), Fixture.RW)
        .protocol(ctx -> new Nfs4Protocol(StateConfig.defaults().withGracePeriod(Duration.ZERO))
            .programs(ctx))
        .build();
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  private static WellBehavedClient wellBehaved(String name) throws Exception {
    return new WellBehavedClient(
        name, new InetSocketAddress("127.0.0.1", server.port()), 100003, 4, 5_000);
  }

  @Test
  @Timeout(60)
  void compoundsWithTooManyOperationsAreRefusedCheaply() throws Exception {
    try (WellBehavedClient good = wellBehaved("huge COMPOUNDs");
        TcpClient client = new TcpClient(server.port(), 0, 0)) {
      long start = System.nanoTime();
      for (int i = 0; i < ROUNDS; i++) {
        // declares a billion operations and sends one
        Reply declared = client.call(Compound.v40().declareCount(1_000_000_000).putrootfh());
        assertEquals(Nfs4Status.RESOURCE, declared.status());
        assertEquals(1, declared.results().size());
        Reply minor1 = client.call(Compound.v41().declareCount(1_000_000_000).putrootfh());
        assertEquals(Nfs4Status.TOO_MANY_OPS, minor1.status());
        if (i % 100 == 0) {
          good.sample();
        }
      }
      Compound most = Compound.v40().putrootfh();
      Compound tooMany = Compound.v40().putrootfh();
      for (int i = 1; i < CompoundProcessor.MAX_OPERATIONS; i++) {
        most.getattr(Fattr4.TYPE);
        tooMany.getattr(Fattr4.TYPE);
      }
      tooMany.getattr(Fattr4.TYPE);
      assertEquals(Nfs4Status.OK, client.call(most).status());
      Reply refused = client.call(tooMany);
      assertEquals(Nfs4Status.RESOURCE, refused.status());
      assertEquals(1, refused.results().size());
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("huge COMPOUNDs: %d refused in %d ms%n", 2 * ROUNDS + 1, millis);
    }
  }

  @Test
  @Timeout(60)
  void readdirWithStaleCookiesDoesNoUnboundedWork() throws Exception {
    try (WellBehavedClient good = wellBehaved("READDIR with stale cookies");
        TcpClient client = new TcpClient(server.port(), 0, 0)) {
      assertEquals(Nfs4Status.OK, client.call(Compound.v40().putrootfh().mkdir("dir", Attrs.set()))
          .status());
      for (int made = 0; made < DIRECTORIES; made += 40) {
        Compound c = Compound.v40();
        for (int i = made; i < made + 40; i++) {
          c.putrootfh().lookup("dir").mkdir("d" + i, Attrs.set());
        }
        assertEquals(Nfs4Status.OK, client.call(c).status());
      }
      Random random = new Random(20261205L);
      Set<Integer> allowed = Set.of(Nfs4Status.OK, Nfs4Status.BAD_COOKIE, Nfs4Status.NOT_SAME);
      int badCookies = 0;
      long start = System.nanoTime();
      for (int i = 0; i < ROUNDS; i++) {
        long cookie = switch (i % 4) {
          case 0 -> random.nextLong();
          case 1 -> 1 + random.nextInt(2); // reserved
          case 2 -> random.nextInt(2 * DIRECTORIES + 10);
          default -> Long.MAX_VALUE - random.nextInt(1000);
        };
        Reply r = client.call(Compound.v40().putrootfh().lookup("dir")
            .readdir(cookie, random.nextLong(), 4096, 4096, Fattr4.TYPE, Fattr4.FILEID));
        int status = r.last().status();
        assertTrue(allowed.contains(status), "READDIR answered " + status);
        if (status == Nfs4Status.BAD_COOKIE) {
          badCookies++;
        }
        if (i % 100 == 0) {
          good.sample();
        }
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(badCookies > ROUNDS / 4, badCookies + " BAD_COOKIE answers");
      System.out.printf("READDIR with stale cookies: %d calls in %d ms, %d BAD_COOKIE%n",
          ROUNDS, millis, badCookies);
    }
  }
}
