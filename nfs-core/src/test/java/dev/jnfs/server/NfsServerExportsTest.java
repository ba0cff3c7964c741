package dev.jnfs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ExportTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Exports added, removed and replaced through {@link NfsServer}: each change replaces the
 * table the protocols read, concurrent changes are all kept, and a refused change leaves the
 * exports as they were. (What clients see is shown on the wire by the NFSv3 and NFSv4 tests.)
 */
class NfsServerExportsTest {
  private final InMemoryFileSystem fs = new InMemoryFileSystem();

  private static Set<String> paths(NfsServer server) {
    Set<String> paths = new HashSet<>();
    for (Export e : server.context().exports().all()) {
      paths.add(e.path());
    }
    return paths;
  }

  @Test
  void addRemoveAndReplace() {
    NfsServer server = NfsServer.builder().export("/a", fs).build();
    ExportTable before = server.context().exports();
    server.addExport("/b", fs, ExportOptions.parseClients("10.0.0.0/8(rw) *(ro)"));
    assertEquals(Set.of("/a", "/b"), paths(server));
    assertEquals(2, server.context().exports().byPath("/b").orElseThrow().optionSets().size());
    assertSame(before.all().get(0), server.context().exports().all().get(0),
        "the exports that stay are the same objects");

    assertTrue(server.removeExport("/a"));
    assertFalse(server.removeExport("/a"));
    assertEquals(Set.of("/b"), paths(server));

    server.replaceExports(List.of(Export.of("/c", fs), new Export("/d", "/alias", fs,
        ExportOptions.DEFAULT)));
    assertEquals(Set.of("/c", "/d"), paths(server));
    assertTrue(server.removeExport("/alias"), "an export can be removed by its alias");
    assertEquals(Set.of("/c"), paths(server));
  }

  @Test
  void refusedChangesLeaveTheExportsAsTheyWere() {
    NfsServer server = NfsServer.builder().export("/a", fs).build();
    ExportTable before = server.context().exports();
    assertThrows(IllegalArgumentException.class, () -> server.addExport(Export.of("/a/", fs)));
    assertThrows(IllegalArgumentException.class,
        () -> server.addExport(new Export("/b", "/a", fs, ExportOptions.DEFAULT)));
    assertThrows(IllegalArgumentException.class,
        () -> server.addExport("/b", fs, List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> server.replaceExports(List.of(Export.of("/x", fs), Export.of("/x", fs))));
    assertSame(before, server.context().exports());
  }

  @Test
  void concurrentChangesAreAllKept() throws Exception {
    NfsServer server = NfsServer.builder().build();
    int threads = 8;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < perThread; i++) {
          server.addExport(Export.of("/t" + thread + "/e" + i, fs));
          if (i % 2 == 1) {
            assertTrue(server.removeExport("/t" + thread + "/e" + i));
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    Set<String> expected = new HashSet<>();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i += 2) {
        expected.add("/t" + t + "/e" + i);
      }
    }
    assertEquals(expected, paths(server));
  }
}
