package dev.jnfs.localfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit of directories: a caller returns only after an {@code fsync} of its directory
 * that began after it called, callers that arrive while one is forcing share the next, and a
 * failed force fails exactly the callers who waited for it.
 */
class DirectoryForcesTest {
  private static final Path DIR = Path.of("/export/dir");

  /** Every force begun, in order. */
  private final List<Path> begun = new CopyOnWriteArrayList<>();
  /** Holds the first force until released, so that others arrive while it runs. */
  private final CountDownLatch firstMayEnd = new CountDownLatch(1);
  /** What the force with this index (from 0) throws; null for none. */
  private final AtomicReference<Failure> failure = new AtomicReference<>();
  private final List<Caller> callers = new ArrayList<>();

  private record Failure(int force, Exception thrown) {}

  private final DirectoryForces forces = new DirectoryForces(directory -> {
    int index = begun.size();
    begun.add(directory);
    if (index == 0) {
      awaitRelease();
    }
    Failure planned = failure.get();
    if (planned != null && planned.force() == index) {
      switch (planned.thrown()) {
        case IOException e -> throw e;
        case RuntimeException e -> throw e;
        case Exception e -> throw new AssertionError("injected: the force broke", e);
      }
    }
  });

  private void awaitRelease() throws IOException {
    try {
      if (!firstMayEnd.await(10, TimeUnit.SECONDS)) {
        throw new IOException("the test never released the first force");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while held", e);
    }
  }

  @AfterEach
  void releaseEverything() throws InterruptedException {
    firstMayEnd.countDown();
    for (Caller caller : callers) {
      caller.thread.join(10_000);
    }
  }

  /** One call to {@link DirectoryForces#force} on its own thread, with what it saw on return. */
  private final class Caller {
    final Thread thread;
    volatile Throwable thrown;
    volatile int forcesBegunOnReturn = -1;

    Caller(Path directory) {
      thread = Thread.ofPlatform().start(() -> {
        try {
          forces.force(directory);
        } catch (Throwable t) {
          thrown = t;
        }
        forcesBegunOnReturn = begun.size();
      });
      callers.add(this);
    }

    Caller finished() throws InterruptedException {
      thread.join(10_000);
      if (thread.isAlive()) {
        fail("the call did not return");
      }
      return this;
    }
  }

  /** The first caller, running the first round and held inside its force. */
  private Caller firstForcing(Path directory) throws InterruptedException {
    Caller first = new Caller(directory);
    awaitBegun(1);
    return first;
  }

  private void awaitBegun(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (begun.size() < count) {
      if (System.nanoTime() > deadline) {
        fail("only " + begun.size() + " forces began");
      }
      Thread.sleep(1);
    }
  }

  /** Waits until every caller is parked: joined its round and waiting for it. */
  private static void awaitWaiting(List<Caller> waiting) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Caller caller : waiting) {
      while (caller.thread.getState() != Thread.State.WAITING) {
        if (System.nanoTime() > deadline) {
          fail("a caller never waited: " + caller.thread.getState());
        }
        Thread.sleep(1);
      }
    }
  }

  /** Callers that join the next round one after another, in the order given. */
  private List<Caller> callersWhileTheFirstForces(Path... directories) throws InterruptedException {
    List<Caller> joined = new ArrayList<>();
    for (Path directory : directories) {
      Caller caller = new Caller(directory);
      awaitWaiting(List.of(caller));
      joined.add(caller);
    }
    return joined;
  }

  /** A path in the same stripe as {@code other}, so that both join the same rounds. */
  private static Path sameStripeAs(Path other) {
    for (int i = 0; ; i++) {
      Path candidate = Path.of("/export/d" + i);
      if (!candidate.equals(other) && Math.floorMod(candidate.hashCode(), 16) == Math.floorMod(other.hashCode(), 16)) {
        return candidate;
      }
    }
  }

  private static Path otherStripeThan(Path other) {
    for (int i = 0; ; i++) {
      Path candidate = Path.of("/export/d" + i);
      if (Math.floorMod(candidate.hashCode(), 16) != Math.floorMod(other.hashCode(), 16)) {
        return candidate;
      }
    }
  }

  @Test
  void aCallAloneForcesItsDirectoryOnce() throws Exception {
    firstMayEnd.countDown();
    forces.force(DIR);
    assertEquals(List.of(DIR), begun);
    forces.force(DIR);
    assertEquals(List.of(DIR, DIR), begun, "a call after a force ended forces again");
  }

  @Test
  void callsArrivingDuringAForceShareOneThatBeginsAfterThem() throws Exception {
    Caller first = firstForcing(DIR);
    List<Caller> joined = callersWhileTheFirstForces(DIR, DIR, DIR, DIR, DIR);
    assertEquals(1, begun.size(), "nobody forces while the first force runs");
    firstMayEnd.countDown();
    for (Caller caller : joined) {
      caller.finished();
      assertNull(caller.thrown);
      assertEquals(2, caller.forcesBegunOnReturn, "answered by the force begun after it joined, not the first");
    }
    assertNull(first.finished().thrown);
    assertEquals(List.of(DIR, DIR), begun, "five callers, one force");
  }

  @Test
  void aFailedForceFailsEveryCallerWhoWaitedForItAndTheNextForcesAfresh() throws Exception {
    IOException broken = new IOException("injected: the disk failed");
    failure.set(new Failure(1, broken));
    Caller first = firstForcing(DIR);
    List<Caller> joined = callersWhileTheFirstForces(DIR, DIR, DIR);
    firstMayEnd.countDown();
    for (Caller caller : joined) {
      assertSame(broken, caller.finished().thrown);
    }
    assertNull(first.finished().thrown, "the first force succeeded");
    forces.force(DIR);
    assertEquals(3, begun.size(), "the call after the failure forced again");
  }

  @Test
  void aRuntimeFailureOfTheForceReachesItsCallersToo() throws Exception {
    UncheckedIOException broken = new UncheckedIOException(new IOException("injected"));
    failure.set(new Failure(1, broken));
    firstForcing(DIR);
    List<Caller> joined = callersWhileTheFirstForces(DIR, DIR);
    firstMayEnd.countDown();
    for (Caller caller : joined) {
      assertSame(broken, caller.finished().thrown);
    }
  }

  @Test
  void aRoundEndedByAnErrorAnswersNoCallerAsForced() throws Exception {
    failure.set(new Failure(1, new Exception("turned into an error")));
    firstForcing(DIR);
    List<Caller> joined = callersWhileTheFirstForces(DIR, DIR, DIR);
    firstMayEnd.countDown();
    int errors = 0;
    for (Caller caller : joined) {
      switch (caller.finished().thrown) {
        case AssertionError e -> errors++; // the caller that ran the round sees the error itself
        case IOException e -> assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
        case null, default -> fail("answered without its force: " + caller.thrown);
      }
    }
    assertEquals(1, errors);
    forces.force(DIR);
    assertEquals(3, begun.size(), "the next call forced afresh");
  }

  @Test
  void aRoundForcesEachOfItsDirectoriesOnceAndFailsOnlyTheCallersOfTheOneThatFailed() throws Exception {
    Path other = sameStripeAs(DIR);
    IOException broken = new IOException("injected: the disk failed");
    failure.set(new Failure(2, broken));
    firstForcing(DIR);
    List<Caller> joined = callersWhileTheFirstForces(DIR, other, DIR, other);
    firstMayEnd.countDown();
    for (Caller caller : joined) {
      caller.finished();
    }
    assertEquals(List.of(DIR, DIR, other), begun, "each directory of the round once, in the order they joined");
    assertNull(joined.get(0).thrown);
    assertNull(joined.get(2).thrown);
    assertSame(broken, joined.get(1).thrown);
    assertSame(broken, joined.get(3).thrown);
  }

  @Test
  void aDirectoryOfAnotherStripeDoesNotWaitForAForceInProgress() throws Exception {
    Caller first = firstForcing(DIR);
    Path unrelated = otherStripeThan(DIR);
    Caller caller = new Caller(unrelated).finished();
    assertNull(caller.thrown);
    assertEquals(List.of(DIR, unrelated), begun);
    firstMayEnd.countDown();
    assertNull(first.finished().thrown);
  }
}
