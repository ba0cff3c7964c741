package dev.jnfs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ExportTable;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.Transport;
import dev.jnfs.rpc.testing.RecordingFileSystem;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.Stability;
import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Option sets per client: reading a line's client part, which set applies to a client
 * (exports(5)'s ranking), host-name wildcards and their lookups, and the sets' effect on a
 * call's checks.
 */
class ExportClientOptionsTest {
  private static final Credential ROOT = new Credential.Sys(0, "host", 0, 0, new int[0]);

  private static InetAddress ip(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static Optional<ExportOptions> select(List<ExportOptions> sets, String address) {
    return ExportOptions.select(sets, ip(address));
  }

  private static RpcCall call(String address) {
    InetSocketAddress client = new InetSocketAddress(address, 700);
    return new RpcCall(
        1, 100003, 3, 1, ROOT, client, client, Transport.TCP,
        new XdrDecoder(Unpooled.EMPTY_BUFFER));
  }

  /** A name cache over a fixed table, counting lookups, on a clock the test moves. */
  private static final class FakeNames {
    final AtomicInteger lookups = new AtomicInteger();
    final AtomicLong now = new AtomicLong();
    final HostNameCache cache;

    FakeNames(Map<String, String> names) {
      cache = new HostNameCache(address -> {
        lookups.incrementAndGet();
        String name = names.get(address.getHostAddress());
        if ("fail".equals(name)) {
          throw new IllegalStateException("name service down");
        }
        return Optional.ofNullable(name);
      }, now::get);
    }
  }

  @Test
  void eachClientGetsItsOwnOptions() {
    List<ExportOptions> sets = ExportOptions.parseClients("127.0.0.1(rw) 127.0.0.2(ro)");
    assertEquals(2, sets.size());
    assertFalse(select(sets, "127.0.0.1").orElseThrow().readOnly());
    assertTrue(select(sets, "127.0.0.2").orElseThrow().readOnly());
    assertTrue(select(sets, "127.0.0.3").isEmpty(), "a client no range lists is not admitted");
  }

  @Test
  void defaultsBeforeTheClientsApplyToEachAndTheirListsOnTop() {
    List<ExportOptions> sets = ExportOptions.parseClients("-rw,insecure 10.0.0.1 10.0.0.2(ro)");
    ExportOptions first = select(sets, "10.0.0.1").orElseThrow();
    ExportOptions second = select(sets, "10.0.0.2").orElseThrow();
    assertFalse(first.readOnly());
    assertFalse(first.secure());
    assertTrue(second.readOnly());
    assertFalse(second.secure());
    assertEquals(List.of(ClientRange.ANY), ExportOptions.parseClients("-rw").get(0).clients());
    assertTrue(ExportOptions.parseClients("").get(0).readOnly(), "exports(5) defaults: ro");
  }

  @Test
  void neighboursWithEqualOptionsShareASet() {
    List<ExportOptions> sets = ExportOptions.parseClients("10.0.0.1(rw) 10.0.0.2(rw) *(ro)");
    assertEquals(2, sets.size());
    assertEquals(2, sets.get(0).clients().size());
  }

  @Test
  void mistakesAreNamed() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> ExportOptions.parseClients("10.0.0.1(rw,bogus)"));
    assertTrue(e.getMessage().contains("bogus"), e.getMessage());
    e = assertThrows(
        IllegalArgumentException.class, () -> ExportOptions.parseClients("10.0.0.1 (rw)"));
    assertTrue(e.getMessage().contains("no client"), e.getMessage());
  }

  @Test
  void singleHostBeatsNetworkWhicheverIsListedFirst() {
    List<ExportOptions> sets =
        ExportOptions.parseClients("*(ro) 10.0.0.0/8(rw,no_root_squash) 10.1.2.3(ro,all_squash)");
    assertEquals(Squash.ALL, select(sets, "10.1.2.3").orElseThrow().squash());
    assertEquals(Squash.NONE, select(sets, "10.9.9.9").orElseThrow().squash());
    assertEquals(Squash.ROOT, select(sets, "11.0.0.1").orElseThrow().squash());
  }

  @Test
  void withinOneKindTheFirstListedWins() {
    List<ExportOptions> sets = ExportOptions.parseClients("10.0.0.0/8(rw) 10.1.0.0/16(ro)");
    assertFalse(select(sets, "10.1.1.1").orElseThrow().readOnly());
  }

  @Test
  void networkBeatsWildcardAndWildcardBeatsEveryone() {
    FakeNames names = new FakeNames(Map.of("10.0.0.5", "build5.example.com",
        "11.0.0.5", "laptop.example.com"));
    ExportOptions everyone = ExportOptions.DEFAULT.with("ro").withClients(List.of(ClientRange.ANY));
    ExportOptions wildcard = ExportOptions.DEFAULT.with("all_squash")
        .withClients(List.of(ClientRange.parse("*.example.com", names.cache)));
    ExportOptions network = ExportOptions.DEFAULT.with("no_root_squash")
        .withClients(List.of(ClientRange.parse("10.0.0.0/8")));
    List<ExportOptions> sets = List.of(everyone, wildcard, network);
    assertEquals(network, select(sets, "10.0.0.5").orElseThrow());
    assertEquals(0, names.lookups.get(), "no lookup when a network already matched");
    assertEquals(wildcard, select(sets, "11.0.0.5").orElseThrow());
    assertEquals(everyone, select(sets, "12.0.0.5").orElseThrow());
  }

  @Test
  void wildcardsMatchNamesCaseInsensitivelyWithStarAndQuestionMark() {
    FakeNames names = new FakeNames(Map.of(
        "10.0.0.1", "Host1.Example.COM", "10.0.0.2", "host12.example.com",
        "10.0.0.3", "a.b.example.com"));
    ClientRange star = ClientRange.parse("*.example.com", names.cache);
    ClientRange one = ClientRange.parse("host?.example.com", names.cache);
    assertTrue(star.needsNameLookup());
    assertTrue(star.matches(ip("10.0.0.1")));
    assertTrue(star.matches(ip("10.0.0.3")), "* also matches dots, as in exports(5)");
    assertTrue(one.matches(ip("10.0.0.1")));
    assertFalse(one.matches(ip("10.0.0.2")), "? is one character");
    assertFalse(star.matches(ip("10.0.0.9")), "an address without a name matches nothing");
    assertFalse(ClientRange.parse("10.0.0.0/8").needsNameLookup());
  }

  @Test
  void failingLookupMatchesNothing() {
    FakeNames names = new FakeNames(Map.of("10.0.0.1", "fail"));
    assertFalse(ClientRange.parse("*", names.cache).needsNameLookup());
    assertFalse(ClientRange.parse("*.example.com", names.cache).matches(ip("10.0.0.1")));
  }

  @Test
  void namesAreKeptForTheirTimeToLive() {
    FakeNames names = new FakeNames(Map.of("10.0.0.1", "a.example.com"));
    ClientRange range = ClientRange.parse("*.example.com", names.cache);
    assertTrue(range.matches(ip("10.0.0.1")));
    assertTrue(range.matches(ip("10.0.0.1")));
    assertFalse(range.matches(ip("10.0.0.2")));
    assertFalse(range.matches(ip("10.0.0.2")));
    assertEquals(2, names.lookups.get(), "one lookup per address, failures kept too");
    names.now.addAndGet(HostNameCache.TTL.toNanos() + 1);
    assertTrue(range.matches(ip("10.0.0.1")));
    assertEquals(3, names.lookups.get(), "looked up again once expired");
  }

  @Test
  void callsAreCheckedWithTheCallersSet() throws Exception {
    Export export = new Export("/x", null, new InMemoryFileSystem(),
        ExportOptions.parseClients("127.0.0.1(rw,no_root_squash,insecure) 127.0.0.2(ro,insecure)"));
    Caller admin = export.authorize(call("127.0.0.1"));
    assertEquals(0, admin.uid());
    assertFalse(export.isReadOnlyFor(new InetSocketAddress("127.0.0.1", 700)));
    Caller other = export.authorize(call("127.0.0.2"));
    assertEquals(ExportOptions.NOBODY, other.uid(), "root squashed for the second client");
    assertTrue(export.isReadOnlyFor(new InetSocketAddress("127.0.0.2", 700)));
    NfsException refused = assertThrows(NfsException.class, () -> export.authorize(call("127.0.0.3")));
    assertEquals(NfsStatus.ACCES, refused.status());
    assertTrue(export.isReadOnlyFor(new InetSocketAddress("127.0.0.3", 700)));
  }

  @Test
  void readOnlyBackendMakesEverySetReadOnly() {
    Export export = new Export("/x", null, new RecordingFileSystem(Set.of(), true).backend,
        ExportOptions.parseClients("127.0.0.1(rw) *(rw)"));
    assertTrue(export.optionSets().stream().allMatch(ExportOptions::readOnly));
  }

  @Test
  void anExportWithAWildcardNeverRunsOnTheNetworkThread() {
    InMemoryFileSystem fs = new InMemoryFileSystem();
    assertTrue(fs.isNonBlocking());
    Export plain = new Export("/a", null, fs, ExportOptions.parseClients("10.0.0.0/8(rw)"));
    Export named = new Export("/b", null, fs, ExportOptions.parseClients("*.example.com(rw)"));
    assertTrue(plain.isNonBlocking());
    assertFalse(named.isNonBlocking());
    assertTrue(new ExportTable(List.of(plain)).isNonBlocking());
    assertFalse(new ExportTable(List.of(plain, named)).isNonBlocking());
  }

  @Test
  void anAliasMayNotNameAnotherExport() {
    InMemoryFileSystem fs = new InMemoryFileSystem();
    Export a = new Export("/a", "/short", fs, ExportOptions.DEFAULT);
    assertThrows(IllegalArgumentException.class,
        () -> new ExportTable(List.of(a, new Export("/short", null, fs, ExportOptions.DEFAULT))));
    assertThrows(IllegalArgumentException.class,
        () -> new ExportTable(List.of(a, new Export("/b", "/short", fs, ExportOptions.DEFAULT))));
    assertThrows(IllegalArgumentException.class,
        () -> new ExportTable(List.of(a, new Export("/b", "/a", fs, ExportOptions.DEFAULT))));
  }

  @Test
  void writeSyncWordsAndTheirMeaning() {
    assertEquals(ExportOptions.WriteSync.AS_ASKED, ExportOptions.DEFAULT.writeSync());
    ExportOptions.WriteSync sync = ExportOptions.DEFAULT.with("sync").writeSync();
    ExportOptions.WriteSync async = ExportOptions.DEFAULT.with("async").writeSync();
    assertEquals(ExportOptions.WriteSync.SYNC, sync);
    assertEquals(ExportOptions.WriteSync.ASYNC, async);
    assertEquals(ExportOptions.WriteSync.SYNC, ExportOptions.DEFAULT.with("async,sync").writeSync());

    ExportOptions.WriteSync asAsked = ExportOptions.WriteSync.AS_ASKED;
    assertEquals(Stability.UNSTABLE, asAsked.toBackend(Stability.UNSTABLE));
    assertEquals(Stability.UNSTABLE, asAsked.toClient(Stability.FILE_SYNC, Stability.UNSTABLE));
    assertTrue(asAsked.commitsToBackend());

    assertEquals(Stability.FILE_SYNC, sync.toBackend(Stability.UNSTABLE));
    assertEquals(Stability.FILE_SYNC, sync.toClient(Stability.UNSTABLE, Stability.FILE_SYNC));
    assertTrue(sync.commitsToBackend());

    assertEquals(Stability.UNSTABLE, async.toBackend(Stability.FILE_SYNC));
    assertEquals(Stability.FILE_SYNC, async.toClient(Stability.FILE_SYNC, Stability.UNSTABLE));
    assertEquals(Stability.UNSTABLE, async.toClient(Stability.UNSTABLE, Stability.UNSTABLE));
    assertFalse(async.commitsToBackend());
  }
}
